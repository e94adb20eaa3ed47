"""One real academy hub (real proxy, real services) for the whole test session, single-account mode.

The session starts it with a small roster, adds a second course (`add-course`, which restarts the
running hub) and then imports a second roster through the running hub's REST API, so by the time a
test runs: courses demo and demo2, people of every role, one person disabled.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.hubfixture import HubHandle, start_hub

HEADER = "account,姓名,单位,县区,role,courses,cohort,active\n"
ROSTER_1 = HEADER + """\
stu_a,张晓梅（合成）,市政务服务中心综合受理科,乐都区,trainee,demo,2026年第一期,1
stu_b,李建国（合成）,平安区政务服务中心综合窗口,平安区,trainee,demo,2026年第一期,1
stu_c,马成林（合成）,化隆回族自治县政务服务中心综合窗口,化隆回族自治县,trainee,demo,2026年第一期,1
stu_off,韩雪（合成）,市人社局驻厅窗口,乐都区,trainee,demo,2026年第一期,1
tr_demo,王志强（合成）,市政务服务中心综合受理科,乐都区,trainer,demo,,1
tr_two,赵丽（合成）,市公积金中心驻厅窗口,乐都区,trainer,,,1
boss,陈国华（合成）,市政务服务监督管理局,乐都区,leader,,,1
ops,刘洋（合成）,市政务服务中心信息科,乐都区,admin,,,1
stu_tmp,周敏（合成）,循化撒拉族自治县政务服务中心综合窗口,循化撒拉族自治县,trainee,demo,2026年第二期,1
"""
# After add-course demo2: stu_c moves to demo2, tr_two teaches demo2, stu_off is disabled.
ROSTER_2 = ROSTER_1.replace(
    "stu_c,马成林（合成）,化隆回族自治县政务服务中心综合窗口,化隆回族自治县,trainee,demo,",
    "stu_c,马成林（合成）,化隆回族自治县政务服务中心综合窗口,化隆回族自治县,trainee,demo2,",
).replace("tr_two,赵丽（合成）,市公积金中心驻厅窗口,乐都区,trainer,,,1", "tr_two,赵丽（合成）,市公积金中心驻厅窗口,乐都区,trainer,demo2,,1",
).replace("stu_off,韩雪（合成）,市人社局驻厅窗口,乐都区,trainee,demo,2026年第一期,1",
          "stu_off,韩雪（合成）,市人社局驻厅窗口,乐都区,trainee,demo,2026年第一期,0")


def make_course_copy(src: Path, dest: Path, course_id: str) -> Path:
    """A second course: the demo course under another id."""
    shutil.copytree(src, dest)
    toml = dest / "course.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace('id = "demo"', f'id = "{course_id}"').replace("演示课程", "演示课程二"),
                    encoding="utf-8")
    return dest


@pytest.fixture(scope="session")
def academy_hub(tmp_path_factory, repo_root) -> HubHandle:
    base = tmp_path_factory.mktemp("academy")
    roster1 = base / "roster1.csv"
    roster1.write_text(ROSTER_1, encoding="utf-8")
    hub = start_hub(base / "root", single_user=True, roster=roster1,
                    extra_env={"ACADEMY_AUTH_REFRESH_AGE": "2", "ACADEMY_GRADE_ON_SUBMIT": "0",
                               "ACADEMY_CULL_TIMEOUT": "0"})
    try:
        course2 = make_course_copy(repo_root / "courses" / "demo", base / "src" / "demo2", "demo2")
        old = hub.hub_pid()
        hub.run("add-course", str(course2))
        hub.wait_restarted(old, service="demo2")
        roster2 = base / "roster2.csv"
        roster2.write_text(ROSTER_2, encoding="utf-8")
        out = hub.run("roster", "import", str(roster2))
        assert "hub: api" in out.stdout, out.stdout + out.stderr
        yield hub
    finally:
        hub.stop()


@pytest.fixture(scope="session")
def portal_hub(tmp_path_factory) -> HubHandle:
    """One portal hub (grade-on-submit, the portal course) for the portal's API and browser tests —
    they use different trainees (tests/hub/portal_hub.py), so one start serves both."""
    from tests.hub.portal_hub import start_portal_hub

    hub = start_portal_hub(tmp_path_factory.mktemp("portal"))
    yield hub
    hub.stop()
