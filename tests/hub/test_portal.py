"""The trainee's portal through the real hub: landing, courses, fetch and submit as the person,
grade-on-submit with a notice, Chinese per-question feedback, records, developer tools off."""
from __future__ import annotations

import json
import time

import pytest

from tests.hub.portal_hub import portal_session, start_server, xsrf

pytestmark = [pytest.mark.hub, pytest.mark.slow, pytest.mark.timeout(600)]
PORTAL = "services/academy/portal"


def visible_text(html: str) -> str:
    """Text a reader sees, roughly: no scripts or styles, and not the hub's hidden AJAX error dialog
    (English "Error"/"OK", outside any template block, shown only when a hub API call fails)."""
    import re

    html = html.split('<div class="modal fade"', 1)[0]
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def wait_graded(s, hub, course: str, assignment: str, timeout: float = 120) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        st = s.get(hub.url + PORTAL + "/status", timeout=30).json()
        mine = [a for a in st["assignments"] if (a["course"], a["assignment"]) == (course, assignment)]
        if mine and not mine[0]["grading"] and mine[0]["graded_at"]:
            return time.monotonic() - t0
        time.sleep(0.5)
    raise AssertionError(f"not graded in {timeout} s:\n{hub.log()[-4000:]}")


def test_trainee_lands_on_the_portal_with_chinese_courses(portal_hub):
    s = portal_session(portal_hub, "stu_a")
    r = s.get(portal_hub.url + PORTAL, timeout=60)
    assert r.status_code == 200
    page = r.text
    for text in ("门户测试课程：窗口受理小测", "3 学时", "第一课：窗口受理的三种决定", "开始学习",
                 "政策依据：《优化营商环境条例》第三十五条", "内容审核日期：2026-11-20",
                 "小测：受理决定", "截止：2099年12月31日 18:00", "补考截止：2100年1月15日 18:00",
                 "开始作业", "演示课程：政务服务数据小练习", "合成数据"):
        assert text in page, text
    shown = visible_text(page)
    assert "UTC" not in shown and "demo" not in shown and "ps1" not in shown  # no English ids or raw times


def test_other_roles_and_strangers_do_not_get_a_portal(portal_hub):
    import requests

    r = requests.get(portal_hub.url + PORTAL, timeout=60)
    assert "/hub/login" in r.url
    boss = portal_hub.login("tr_demo")  # trainers see it (their own courses); only leaders etc. do not
    assert boss.get(portal_hub.url + PORTAL, timeout=60).status_code == 200


def test_fetch_submit_grade_and_feedback_as_the_person(portal_hub):
    hub, home = portal_hub, portal_hub.root / "homes" / "stu_b"
    s = portal_session(hub, "stu_b")
    start_server(hub, "stu_b")
    r = s.get(hub.url + PORTAL + "/start/portalkit/quiz", timeout=120)
    assert r.ok and r.url.endswith("/portal/work/portalkit/quiz"), r.url
    assert (home / "portalkit" / "quiz" / "quiz.ipynb").exists()
    assert "/voila/render/portalkit/quiz/quiz.ipynb" in r.text.replace("%2F", "/")
    # what the forms write on the page (the browser test clicks them)
    (home / "portalkit" / "quiz" / "answers.json").write_text(
        json.dumps({"d1": "不予受理", "note": "一次性告知全部缺少的材料。"}, ensure_ascii=False), encoding="utf-8")
    token = xsrf(r.text)
    sub = s.post(hub.url + PORTAL + "/submit/portalkit/quiz", data={"_xsrf": token}, timeout=120)
    assert sub.ok and "正在评分" in sub.text, sub.text[-1500:]
    assert list((hub.root / "exchange" / "portalkit" / "inbound").glob("stu_b+quiz+*"))
    wait_graded(s, hub, "portalkit", "quiz")
    page = "".join(visible_text(s.get(hub.url + PORTAL, timeout=60).text).split())
    assert "《小测：受理决定》已评分：0/5分" in page and "查看反馈" in page
    fb = s.get(hub.url + PORTAL + "/feedback/portalkit/quiz", timeout=120)
    assert fb.status_code == 200
    text = "".join(visible_text(fb.text).split())
    for expected in ("受理决定", "您的答案：不予受理", "应当当场受理（《优化营商环境条例》第三十五条）",
                     "得分 0 / 2", "待评分", "一次性告知全部缺少的材料。"):
        assert "".join(expected.split()) in text, expected
    for leaked in ("Traceback", "assert ", "ck.require", "BEGIN HIDDEN", "NotImplementedError", "def ",
                   "AssertionError", "answers.json"):
        assert leaked not in fb.text, leaked
    # the notice goes once the feedback is opened
    assert "已评分：0/5分（" not in "".join(visible_text(s.get(hub.url + PORTAL, timeout=60).text).split())


def test_training_record_downloads_are_marked_synthetic(portal_hub):
    s = portal_session(portal_hub, "stu_a")
    csv_r = s.get(portal_hub.url + PORTAL + "/record.csv", timeout=60)
    assert csv_r.ok and csv_r.content.startswith("\ufeff".encode())
    body = csv_r.content.decode("utf-8-sig")
    assert "合成数据" in body and "门户测试课程：窗口受理小测" in body and "课程学时" in body
    pdf = s.get(portal_hub.url + PORTAL + "/record.pdf", timeout=60)
    assert pdf.ok and pdf.content.startswith(b"%PDF")
    nothing = s.get(portal_hub.url + PORTAL + "/certificate/portalkit", timeout=60)
    assert nothing.status_code == 404  # not earned: nothing to download


def test_trainee_server_has_no_developer_tools(portal_hub):
    hub = portal_hub
    start_server(hub, "stu_c")
    s = portal_session(hub, "stu_c")
    base = hub.url + "user/stu_c/"
    lab = s.get(base + "lab", timeout=120)
    assert lab.ok
    config = lab.text.split('id="jupyter-config-data"', 1)[1].split(">", 1)[1].split("</script>", 1)[0]
    disabled = json.loads(config)["disabled_extensions"] if "disabled_extensions" in config else \
        json.loads(config).get("disabledExtensions", [])
    for ext in ("@jupyter/nbgrader", "jupyterlab-jupytext", "@jupyterlab/terminal-extension",
                "@jupyterlab/console-extension"):
        assert ext in json.dumps(disabled), (ext, disabled)
    assert s.get(base + "api/terminals", timeout=60).status_code == 404
    assert s.get(base + "formgrader", timeout=60).status_code == 404
    assert s.get(base + "voila/render/portalkit/01-forms.ipynb", timeout=120).status_code == 200


def test_hub_pages_of_the_trainee_path_have_no_upstream_english(portal_hub):
    """Login, password change, spawn pending, not running and 404: Chinese only (the browser test
    checks the portal, app pages and feedback the same way)."""
    import re

    from tests.hub.test_browser_portal import UPSTREAM_ENGLISH

    hub = portal_hub
    s = portal_session(hub, "stu_e")
    pages = {"login": hub.url + "hub/login", "change-password": hub.url + "hub/change-password",
             "hub-404": hub.url + "hub/no-such-page", "not-running": hub.url + "hub/user/stu_e/lab"}
    found = {}
    for name, url in pages.items():
        text = visible_text((s if name != "login" else __import__("requests")).get(url, timeout=60).content.decode())
        found[name] = [w for w in UPSTREAM_ENGLISH if re.search(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])", text)]
    r = s.get(hub.url + f"hub/spawn/stu_e?next=/services/academy/portal", timeout=60)  # → spawn pending
    assert "spawn-pending" in r.url or "services/academy/portal" in r.url, r.url
    text = visible_text(r.content.decode())
    found["spawn-pending"] = [w for w in UPSTREAM_ENGLISH
                              if re.search(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])", text)]
    assert not {k: v for k, v in found.items() if v}, found
    assert "修改密码" in visible_text(s.get(pages["change-password"], timeout=60).content.decode())  # hub pages name no charset
