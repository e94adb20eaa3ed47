"""A real academy hub for the portal tests and bench: grade-on-submit on, the portal's own small
course (tests/hub/portal_course: one lesson, one form assignment) beside demo, a few trainees."""
from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import requests

from tests.hubfixture import PYTHON, REPO, HubHandle, start_hub

COURSE_SRC = Path(__file__).resolve().parent / "portal_course"
HEADER = "account,姓名,单位,县区,role,courses,cohort,active\n"
PEOPLE = [
    ("stu_a", "张晓梅（合成）", "市政务服务中心综合受理科", "乐都区", "trainee"),
    ("stu_b", "李建国（合成）", "平安区政务服务中心综合窗口", "平安区", "trainee"),
    ("stu_c", "马成林（合成）", "化隆回族自治县政务服务中心综合窗口", "化隆回族自治县", "trainee"),
    ("stu_d", "韩雪（合成）", "市人社局驻厅窗口", "乐都区", "trainee"),
    ("stu_e", "周敏（合成）", "循化撒拉族自治县政务服务中心综合窗口", "循化撒拉族自治县", "trainee"),
    ("tr_demo", "王志强（合成）", "市政务服务中心综合受理科", "乐都区", "trainer"),
]
XSRF_RE = re.compile(r'name="_xsrf" value="([^"]+)"')


def roster(courses: str) -> str:
    return HEADER + "".join(f"{a},{n},{u},{c},{r},{courses},2026年第一期,1\n" for a, n, u, c, r in PEOPLE)


def start_portal_hub(base: Path, course_src: Path = COURSE_SRC, extra_env: dict | None = None) -> HubHandle:
    """demo at start, then `add-course` of the portal course (restarts the hub), then the roster
    with both courses through the running hub."""
    base.mkdir(parents=True, exist_ok=True)
    first = base / "roster1.csv"
    first.write_text(roster("demo"), encoding="utf-8")
    env = {"ACADEMY_AUTH_REFRESH_AGE": "2", "ACADEMY_CULL_TIMEOUT": "0", "ACADEMY_GRADE_ON_SUBMIT": "1",
           **(extra_env or {})}
    hub = start_hub(base / "root", single_user=True, roster=first, extra_env=env)
    try:
        old = hub.hub_pid()
        hub.run("add-course", str(course_src))
        hub.wait_restarted(old, service="portalkit")
        second = base / "roster2.csv"
        second.write_text(roster("demo;portalkit"), encoding="utf-8")
        out = hub.run("roster", "import", str(second))
        assert "hub: api" in out.stdout, out.stdout + out.stderr
        release(hub, "portalkit", "quiz")
    except BaseException:
        hub.stop()
        raise
    return hub


def release(hub: HubHandle, course: str, assignment: str) -> None:
    """What the course's trainer does before a cohort starts: `python -m grading release`."""
    subprocess.run([str(PYTHON), "-m", "grading", "release", course, assignment], env=hub.env, cwd=REPO,
                   check=True, capture_output=True, timeout=300)


def start_server(hub, account: str, timeout: float = 120) -> None:
    hub.api("POST", f"/users/{account}/server")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        model = hub.api("GET", f"/users/{account}").json()
        if (model.get("servers") or {}).get("", {}).get("ready"):
            return
        time.sleep(0.5)
    raise AssertionError(f"server of {account} not ready:\n{hub.log()[-3000:]}")


def portal_session(hub: HubHandle, account: str) -> requests.Session:
    """Logged in to the hub and through OAuth to the portal (follows the trainee's landing)."""
    s = hub.login(account)
    r = s.get(hub.url + "hub/", timeout=60)
    assert r.ok and "/services/academy/portal" in r.url, (r.status_code, r.url)
    return s


def xsrf(page_text: str) -> str:
    m = XSRF_RE.search(page_text)
    assert m, "no _xsrf field on the page"
    return m.group(1)
