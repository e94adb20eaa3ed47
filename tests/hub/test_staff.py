"""Trainers' and admins' pages through the real hub (issue 16): roster import, disable, password
reset, enrolment and export; per-criterion hand grading; cohort due dates; who is refused."""
from __future__ import annotations

import re
import shutil
import time

import pytest
import requests

from tests.hub.helpers import refused

pytestmark = [pytest.mark.hub, pytest.mark.slow, pytest.mark.timeout(600)]

APP = "services/academy/"
# Upstream UI words that must not appear on the academy's own pages.
ENGLISH = ["Full credit", "No credit", "Type any comments", "Submit", "Cancel", "Logout", "Shutdown",
           "Stop All", "Traceback", "Forbidden", "Not Found", "Error", "Manual Grading", "Formgrader"]


XSRF_RE = re.compile(r'name="_xsrf" value="([^"]+)"')
FORM_PAGE = {"ops": "staff/roster", "tr_demo": "staff/cohorts"}


def xsrf(hub, s: requests.Session) -> dict:
    """The service's xsrf token of this session, from a page of theirs that has a form."""
    if not getattr(s, "xsrf", None):
        page = s.get(hub.url + APP + FORM_PAGE[s.account], timeout=120)
        s.xsrf = XSRF_RE.search(page.text).group(1)
    return {"_xsrf": s.xsrf}


def login(hub, account: str, password: str | None = None) -> requests.Session:
    s = hub.login(account, password)
    s.account = account
    return s


def get(hub, s, path, **kw) -> requests.Response:
    return s.get(hub.url + APP + path, timeout=120, **kw)


def post(hub, s, path, data=None, **kw) -> requests.Response:
    return s.post(hub.url + APP + path, data={**xsrf(hub, s), **(data or {})}, timeout=300, **kw)


def chinese_page(r: requests.Response) -> None:
    assert r.status_code == 200, r.text[:800]
    assert 'lang="zh-CN"' in r.text and "合成数据" in r.text
    text = re.sub(r"<[^>]+>", " ", r.text)
    assert not [w for w in ENGLISH if w in text], [w for w in ENGLISH if w in text]


# -- refused --------------------------------------------------------------------------------------
STAFF_PAGES = ["staff/grading", "staff/cohorts", "staff/roster", "staff/roster/person/stu_b",
               "staff/roster/export?by=unit&unit=x", "staff/grading/demo/ps1/stu_a"]


@pytest.mark.parametrize("account", ["stu_a", "boss"])
def test_trainee_and_leader_are_refused_every_staff_page(academy_hub, account):
    s = academy_hub.login(account)
    for page in STAFF_PAGES:
        r = get(academy_hub, s, page)
        assert r.status_code == 403 and "您没有访问此页面的权限" in r.text, (page, r.status_code)
        assert "Forbidden" not in r.text


def test_trainer_is_refused_the_roster_and_other_courses(academy_hub):
    s = login(academy_hub, "tr_two")  # teaches demo2 only
    assert get(academy_hub, s, "staff/roster").status_code == 403
    assert get(academy_hub, s, "staff/grading/demo/ps1/stu_a").status_code == 403
    r = get(academy_hub, s, "staff/grading")
    chinese_page(r)
    assert "课程 demo2" in r.text and "课程 demo<" not in r.text


# -- roster ----------------------------------------------------------------------------------------
NEW_ROSTER = """account,姓名,单位,县区,role,courses,cohort,active
zt_new1,孙丽娟（合成）,互助土族自治县政务服务中心综合窗口,互助土族自治县,trainee,demo,2026年第一期,1
zt_bad,,民和县政务服务中心,民和回族土族自治县,trainee,demo,2026年第一期,1
zt_new2,马海军（合成）,民和县政务服务中心综合窗口,民和回族土族自治县,trainee,,2026年第一期,1
zt_tr1,冶成武（合成）,市政务服务中心综合受理科,乐都区,trainer,demo,,1
"""


@pytest.fixture(scope="module")
def imported(academy_hub):
    s = login(academy_hub, "ops")
    r = s.post(academy_hub.url + APP + "staff/roster/import", data=xsrf(academy_hub, s),
               files={"roster": ("名册-合成数据.csv", NEW_ROSTER.encode("utf-8-sig"), "text/csv")}, timeout=300)
    return s, r


def test_admin_imports_a_roster_bad_row_refused_by_number(academy_hub, imported):
    s, r = imported
    chinese_page(r)
    errors = re.search(r'<ul id="import-errors">(.*?)</ul>', r.text, re.S).group(1)
    assert "第 3 行（zt_bad）：姓名为空" in errors  # the CLI's own check and wording
    assert "zt_new1" not in errors and "zt_new2" not in errors
    passwords = dict(re.findall(r"<tr><td>(zt_\w+)</td><td class=\"ac-secret\">([^<]+)</td>", r.text))
    assert set(passwords) == {"zt_new1", "zt_new2", "zt_tr1"}
    listing = get(academy_hub, s, "staff/roster")
    chinese_page(listing)
    assert 'data-account="zt_new1"' in listing.text and 'data-account="zt_bad"' not in listing.text
    assert "互助土族自治县政务服务中心综合窗口" in listing.text
    # the new person logs in with the password shown once
    new = academy_hub.login("zt_new1", passwords["zt_new1"])
    assert new.login_status == 302, new.login_status


def _password_from(r: requests.Response, account: str) -> str:
    return dict(re.findall(r"<tr><td>(zt_\w+)</td><td class=\"ac-secret\">([^<]+)</td>", r.text))[account]


def test_admin_disables_a_person_and_their_session_ends(academy_hub, imported):
    s, r = imported
    person = academy_hub.login("zt_new1", _password_from(r, "zt_new1"))
    assert get(academy_hub, person, "").status_code == 200  # logged in to the academy pages
    assert person.get(academy_hub.url + "hub/home", timeout=60).url.endswith("/hub/home")
    d = post(academy_hub, s, "staff/roster/person/zt_new1", {"action": "disable"})
    chinese_page(d)
    assert "已停用" in d.text, d.text[-1500:]
    time.sleep(3)  # the hub re-checks a login after ACADEMY_AUTH_REFRESH_AGE=2 s
    assert refused(person.get(academy_hub.url + "hub/home", timeout=60))
    page = get(academy_hub, person, "")
    assert refused(page) or "zt_new1（学员）" not in page.text
    user = academy_hub.api("GET", "/users/zt_new1").json()
    assert user["groups"] == ["disabled"] and not user["servers"]
    listing = get(academy_hub, s, "staff/roster")
    assert re.search(r'data-account="zt_new1".*?<td class="status"[^>]*>已停用', listing.text, re.S)
    # and back
    e = post(academy_hub, s, "staff/roster/person/zt_new1", {"action": "enable"})
    assert "已恢复启用" in e.text
    assert "trainees" in academy_hub.api("GET", "/users/zt_new1").json()["groups"]


def test_a_trainer_disabled_by_the_cli_loses_the_staff_pages_in_seconds(academy_hub, imported, tmp_path):
    """The academy service must not trust its cached answer about a login for minutes."""
    _, r = imported
    trainer = academy_hub.login("zt_tr1", _password_from(r, "zt_tr1"))
    assert get(academy_hub, trainer, "staff/grading").status_code == 200
    row = tmp_path / "off.csv"
    row.write_text(NEW_ROSTER.splitlines()[0] + "\n" + NEW_ROSTER.splitlines()[-1][:-1] + "0\n", encoding="utf-8")
    out = academy_hub.run("roster", "import", str(row))
    assert "停用 1" in out.stdout, out.stdout + out.stderr
    time.sleep(4)  # the service caches a login ≤ ACADEMY_AUTH_REFRESH_AGE (2 s here), not 300 s
    assert refused(get(academy_hub, trainer, "staff/grading"))


def test_admin_resets_a_password_shown_once(academy_hub, imported):
    s, r = imported
    old = _password_from(r, "zt_new2")
    reset = post(academy_hub, s, "staff/roster/person/zt_new2", {"action": "password"})
    chinese_page(reset)
    new = re.search(r'id="new-password">([^<]+)<', reset.text).group(1)
    assert new != old
    assert academy_hub.login("zt_new2", old).login_status != 302
    assert academy_hub.login("zt_new2", new).login_status == 302
    again = get(academy_hub, s, "staff/roster/person/zt_new2")
    assert new not in again.text  # shown once, on the response to the reset only


def test_admin_enrols_a_person_and_exports_records(academy_hub, imported):
    s, _ = imported
    r = post(academy_hub, s, "staff/roster/person/zt_new2", {"action": "courses", "course": "demo"})
    assert "已调整课程" in r.text, r.text[-1500:]
    assert "course-demo" in academy_hub.api("GET", "/users/zt_new2").json()["groups"]
    x = get(academy_hub, s, "staff/roster/export", params={"by": "county", "county": "民和回族土族自治县"})
    assert x.status_code == 200 and x.headers["Content-Type"].startswith("text/csv")
    assert x.content.startswith(b"\xef\xbb\xbf")
    text = x.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("数据说明,合成数据")
    assert "zt_new2,马海军（合成）" in text and "zt_new1" not in text


def test_admin_deletes_the_personal_data_of_a_leaver(academy_hub, imported):
    s, _ = imported
    post(academy_hub, s, "staff/roster/person/zt_new2", {"action": "disable"})
    no = post(academy_hub, s, "staff/roster/person/zt_new2", {"action": "forget", "confirm": "wrong"})
    assert "请输入该人员的账号以确认删除" in no.text
    gone = post(academy_hub, s, "staff/roster/person/zt_new2", {"action": "forget", "confirm": "zt_new2"})
    chinese_page(gone)
    assert "已删除 zt_new2 的个人数据" in gone.text
    assert academy_hub.api("GET", "/users/zt_new2").status_code == 404
    assert get(academy_hub, s, "staff/roster/person/zt_new2").status_code == 404
    assert academy_hub.login("zt_new2", "whatever-1234").login_status != 302


# -- grading and cohorts ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hub_settings(academy_hub):
    from runtime.settings import Settings

    return Settings.from_env(academy_hub.env)


def _submit(academy_hub, account: str, stamp: str) -> None:
    """A collected submission of ps1 (the good fixture, with a hand-written answer to q3)."""
    from tests.grading.grading_helpers import FIXTURES

    # whoever submitted has logged in: single-account mode makes the home at the first spawn
    (academy_hub.root / "homes" / account).mkdir(parents=True, exist_ok=True)
    d = academy_hub.root / "courses" / "demo" / "submitted" / account / "ps1"
    d.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURES / "submitted-good.ipynb", d / "ps1.ipynb")
    (d / "timestamp.txt").write_text(stamp)


def _autograde(hub_settings, account: str) -> dict:
    from grading import api

    report = api.autograde("demo", "ps1", workers=1, students=[account], settings=hub_settings)
    return {r["student"]: r for r in report["submissions"]}.get(account) or report


def test_trainer_moves_a_due_date_and_grading_follows(academy_hub, hub_settings):
    """Course due 2026-12-31 18:00; stu_a (2026年第一期) submits 2026-12-20: on time by course.toml,
    late once the trainer moves the cohort's due date to 2026-12-15."""
    _submit(academy_hub, "stu_a", "2026-12-20 02:00:00.000000 UTC")
    s = login(academy_hub, "tr_demo")
    page = get(academy_hub, s, "staff/cohorts")
    chinese_page(page)
    assert "2026年第一期 · 练习一：办件数据核对（沿用课程设置）" in page.text
    bad = post(academy_hub, s, "staff/cohorts", {"course": "demo", "assignment": "ps1", "cohort": "2026年第一期",
                                                  "due": "2026-12-15T10:00", "resubmit_until": "2026-12-01T10:00",
                                                  "action": "save"})
    assert "补考截止时间不能早于截止时间" in bad.text
    r = post(academy_hub, s, "staff/cohorts", {"course": "demo", "assignment": "ps1", "cohort": "2026年第一期",
                                                "due": "2026-12-15T10:00", "resubmit_until": "", "max_attempts": "",
                                                "action": "save"})
    chinese_page(r)
    assert "现行：截止 2026-12-15 10:00" in r.text, r.text[-3000:]
    row = _autograde(hub_settings, "stu_a")
    assert row["late"] and "late" in row["reasons"], row
    assert row["needs_manual_grade"]
    from grading import api

    rules = {x["assignment"]: x for x in api.assignment_rules("demo", "stu_a", settings=hub_settings)}
    assert rules["ps1"]["due"].isoformat().startswith("2026-12-15T02:00") and rules["ps1"]["from_cohort"]
    # another cohort keeps course.toml's date
    assert not {x["assignment"]: x for x in api.assignment_rules("demo", "stu_tmp", settings=hub_settings)}[
        "ps1"]["from_cohort"]


def test_attempt_cap_stops_grading_a_new_submission(academy_hub, hub_settings):
    from grading import api, cohorts
    from grading.course import load_course

    db = hub_settings.paths.academy_db_url
    spec = load_course(api.paths.course_src("demo")).assignment("ps1")
    cohorts.set_rule(db, "demo", spec, "2026年第二期", None, None, 1, "tr_demo")
    _submit(academy_hub, "stu_tmp", "2026-12-20 02:00:00.000000 UTC")
    first = api.autograde("demo", "ps1", workers=1, students=["stu_tmp"], settings=hub_settings)
    # the demo's ps1 is graded by its checker (kind = "code"): a refusal is a row of its own
    graded = [(r["student"], r["status"]) for r in first["submissions"]]
    assert graded == [("stu_tmp", "graded")], first["submissions"]
    again = api.autograde("demo", "ps1", workers=1, students=["stu_tmp"], settings=hub_settings)
    assert [(r["student"], r["status"]) for r in again["submissions"]] == [("stu_tmp", "graded")]  # re-grading is free
    _submit(academy_hub, "stu_tmp", "2026-12-21 02:00:00.000000 UTC")
    third = api.autograde("demo", "ps1", workers=1, students=["stu_tmp"], settings=hub_settings)
    [row] = third["submissions"]
    assert row["student"] == "stu_tmp" and row["status"] == "rejected" and "attempts-exceeded" in row["reasons"]
    from grading import store

    row = store.results(db, course="demo", account="stu_tmp")[0]
    assert "attempts-exceeded" in row.reasons and row.score == 5  # told why; the last grade stands


def test_trainer_grades_per_criterion_and_the_trainee_sees_it(academy_hub, hub_settings):
    from grading import api

    # on time: an earlier test moved 第一期's due date to 12-15, and a checker-graded submission past
    # it (no 补考 window) is refused with zero points — this test is about hand grading
    _submit(academy_hub, "stu_a", "2026-12-10 02:00:00.000000 UTC")
    assert _autograde(hub_settings, "stu_a")["status"] == "graded"
    s = login(academy_hub, "tr_demo")
    queue = get(academy_hub, s, "staff/grading")
    chinese_page(queue)
    assert re.search(r'data-account="stu_a" data-assignment="ps1">.*?<td class="state"[^>]*>待评分', queue.text, re.S)
    assert "张晓梅（合成）" in queue.text
    page = get(academy_hub, s, "staff/grading/demo/ps1/stu_a")
    chinese_page(page)
    assert "出具书面一次性告知单" in page.text                 # the trainee's hand-written answer
    assert "def on_time_rate" in page.text                       # what they wrote for autograded items
    # the checker's result for the autograded question (the demo's ps1 is a checker-graded code assignment)
    section = page.text.split('id="checker-items"', 1)[-1].split("</section>", 1)[0]
    assert re.search(r'按时办结率</td>.*?2 / 2</td>', section, re.S), section[:3000]  # q1, titled
    assert "HIDDEN" not in page.text and "没有办件时应返回 0.0" not in page.text and "assert" not in page.text
    for c in ("一次性列明全部缺少的材料及要求", "提供书面告知单并说明补交方式和时限", "体现服务意识：主动解释、容缺受理或帮办"):
        assert c in page.text
    wrong = post(academy_hub, s, "staff/grading/demo/ps1/stu_a",
                 {"notebook": "ps1", "cell": "q3-answer", "score": ["3", "1", "1"], "comment": "x"})
    assert "的得分应在 0 到 2 之间" in wrong.text
    r = post(academy_hub, s, "staff/grading/demo/ps1/stu_a",
             {"notebook": "ps1", "cell": "q3-answer", "score": ["2", "1.5", "1"], "comment": "告知单内容还可更具体。"})
    chinese_page(r)
    assert "已保存：本题 4.5 分，作业总分 9.5 / 10" in r.text, r.text[-2000:]
    scores = api.privileges.run_as_grader("demo", api.gradebook_scores, academy_hub.root / "courses" / "demo",
                                          settings=hub_settings)
    q3 = [c for c in scores["cells"] if c["account"] == "stu_a" and c["cell"] == "q3-answer"][0]
    assert q3["points"] == 4.5
    progress = (academy_hub.root / "homes" / "stu_a" / "学习进度.html").read_text(encoding="utf-8")
    assert "9.5 / 10" in progress and "含待培训师评分的题目" not in progress
    from grading import store

    result = store.results(hub_settings.paths.academy_db_url, course="demo", account="stu_a")[0]
    assert result.score == 9.5 and not result.needs_manual_grade  # what the portal reads
    queue = get(academy_hub, s, "staff/grading")
    assert re.search(r'data-account="stu_a" data-assignment="ps1">.*?<td class="state"[^>]*>已评分', queue.text, re.S)
    # the page shows the criteria scores again, and nbgrader's comment carries them to the feedback
    again = get(academy_hub, s, "staff/grading/demo/ps1/stu_a")
    assert 'value="1.5"' in again.text and "告知单内容还可更具体。" in again.text
