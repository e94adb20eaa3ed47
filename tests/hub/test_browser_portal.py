"""The trainee's path in headless Chromium through the real hub: log in, portal, one lesson and one
assignment as app pages, submit, Chinese feedback with their answers; at 1440 and 390 px, with
screenshots kept beside the test log; none of the upstream tools' English UI strings, no code cells."""
from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest


pytestmark = [pytest.mark.hub, pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(900)]

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
# English UI strings of JupyterHub, NativeAuthenticator, JupyterLab, nbgrader and Voila that a
# trainee's page must not show (matched as whole words in the visible text of the page and its frames).
UPSTREAM_ENGLISH = [
    "Sign in", "Sign In", "Username", "Password", "Login", "Logout", "Log out", "Home", "Token", "Admin",
    "Services", "Your server is starting up", "Event log", "Server requested", "Spawning server",
    "Server not running", "Launch Server", "Spawn failed", "Jupyter has lots of moons", "Not Found",
    "Page not found", "Internal Server Error", "Forbidden", "Change Password", "Signup",
    "Assignment List", "Fetch Feedback", "Fetch", "Submit", "Validate", "Released assignments",
    "Downloaded assignments", "Submitted assignments", "Create Assignment", "Formgrader",
    "Run All", "Run all", "Kernel", "Restart", "Executing", "Loading", "Traceback", "Error", "Voila",
    "Jupyter", "nbgrader", "Success!", "Your notebook passes", "NotImplementedError", "Python",
]
ACCOUNT = "stu_d"
SHOTS = Path(os.environ.get("ACADEMY_SCREENSHOTS", "test-screenshots")) / "portal"


@pytest.fixture(scope="module")
def hub(portal_hub):
    return portal_hub  # shared with tests/hub/test_portal.py (tests/hub/conftest.py)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def english_on(page) -> list[str]:
    texts = [page.inner_text("body")]
    for frame in page.frames[1:]:
        try:
            texts.append(frame.inner_text("body"))
        except Exception:  # noqa: BLE001 — a frame still navigating has no body yet
            pass
    text = "\n".join(texts)
    return [s for s in UPSTREAM_ENGLISH if re.search(rf"(?<![A-Za-z]){re.escape(s)}(?![A-Za-z])", text)]


def code_cells(frame) -> int:
    """Code inputs or prompts on an app page (markdown cells have an input area too: not counted)."""
    return frame.locator(".jp-CodeCell .jp-InputArea, .jp-InputPrompt, .jp-CodeMirrorEditor, .cm-editor, "
                         ".CodeMirror, .jp-Toolbar, .lm-MenuBar").count()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def log_in(page, hub, account: str) -> None:
    page.goto(hub.url + "hub/login")
    page.fill("#username_input", account)
    page.fill("#password_input", hub.password(account))
    page.click("#login_submit")
    page.wait_for_url("**/services/academy/portal**", timeout=60_000)


def app_frame(page, text: str, timeout: float = 180):
    """The Voila frame once it shows ``text`` (the server may still be starting behind it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        frame = page.frame_locator("#app-frame")
        if frame.get_by_text(text).count():
            return frame
        time.sleep(0.5)
    raise AssertionError(f"app page never showed {text!r}")


def pick_and_save(frame, option: str, question: str) -> None:
    form = frame.locator(".widget-vbox", has_text=question).last
    form.get_by_text(option, exact=True).click()
    form.get_by_role("button", name="保存答案").click()


def test_trainee_path_at_1440_then_390(hub, browser, record_property):
    seen: dict[str, list[str]] = {}
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 1000})
    page = ctx.new_page()
    page.goto(hub.url + "hub/login")
    seen["login"] = english_on(page)
    shot(page, "login-1440")
    log_in(page, hub, ACCOUNT)
    assert "门户测试课程：窗口受理小测" in page.inner_text("main")
    seen["portal"] = english_on(page)
    shot(page, "portal-1440")

    # a lesson as an app page: save an answer, the save state below changes at once
    page.click("#course-portalkit >> text=开始学习")
    assert "政策依据：《优化营商环境条例》第三十五条" in page.inner_text("#lesson-policy")
    frame = app_frame(page, "材料齐全、符合法定形式时，窗口应当怎么办？")
    assert frame.get_by_text("这道题还没有保存答案").count() == 1
    pick_and_save(frame, "当场受理", "窗口应当怎么办")
    frame.get_by_text("这道题已保存").wait_for(timeout=30_000)
    assert code_cells(frame) == 0
    seen["lesson"] = english_on(page)
    shot(page, "lesson-1440")

    # an assignment: start (fetch as the person), answer, submit, wait for the notice
    page.goto(hub.url + "services/academy/portal")
    page.click("#asg-portalkit-quiz >> text=开始作业")
    frame = app_frame(page, "申请材料齐全、符合法定形式，应当：")
    pick_and_save(frame, "当场受理", "申请材料齐全")
    note = frame.locator(".widget-vbox", has_text="一次性告知").last
    note.locator("textarea").fill("一次性告知全部缺少的材料和补交方式。")
    note.get_by_role("button", name="保存答案").click()
    frame.get_by_text("已保存").first.wait_for(timeout=30_000)
    assert code_cells(frame) == 0
    seen["assignment"] = english_on(page)
    shot(page, "assignment-1440")
    page.click("#submit-assignment")
    page.wait_for_selector("#portal-message", timeout=120_000)
    t0 = time.monotonic()
    page.wait_for_selector(".ac-notice", timeout=120_000)  # the page reloads itself when graded
    record_property("submit_to_notice_s", round(time.monotonic() - t0, 1))
    assert "《小测：受理决定》已评分：2 / 5 分" in page.inner_text(".ac-notice")
    page.click(".ac-notice >> text=查看反馈")
    page.wait_for_selector(".ac-feedback")
    fb = page.inner_text("main")
    assert "您的答案：当场受理" in fb and "待评分" in fb and "一次性告知全部缺少的材料和补交方式。" in fb
    seen["feedback"] = english_on(page)
    shot(page, "feedback-1440")
    page.goto(hub.url + "hub/no-such-page")
    seen["hub-404"] = english_on(page)
    page.goto(hub.url + "services/academy/no-such-page")
    seen["academy-404"] = english_on(page)
    ctx.close()

    # the same person on a phone: every page fits 390 px, and the desktop is not changed after
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True,
                                has_touch=True, device_scale_factor=2)
    page = phone.new_page()
    page.goto(hub.url + "hub/login")
    shot(page, "login-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    log_in(page, hub, ACCOUNT)
    for name, url in (("portal", "services/academy/portal"),
                      ("feedback", "services/academy/portal/feedback/portalkit/quiz"),
                      ("progress", "services/academy/portal/progress")):
        page.goto(hub.url + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 391, name
        shot(page, f"{name}-390")
    page.goto(hub.url + "services/academy/portal/lesson/portalkit/01-forms")
    app_frame(page, "材料齐全、符合法定形式时，窗口应当怎么办？")
    assert page.evaluate("document.documentElement.scrollWidth") <= 391, "lesson"
    seen["lesson-390"] = english_on(page)
    shot(page, "lesson-390")
    phone.close()
    print(f"screenshots: {SHOTS.resolve()}")
    assert not {k: v for k, v in seen.items() if v}, seen
