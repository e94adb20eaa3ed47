"""One lesson of each hotline-side course (12345工单办理, 差评整改与评估考核, 月度通报与预警) opened by a
trainee in headless Chromium through the real hub and the portal: the lesson runs as an app page in
Voila, its widgets render, it reads in Chinese with 合成数据 marked, and no Python error reaches the page."""
from __future__ import annotations

import re
import time

import pytest

from tests.hub.portal_hub import roster
from tests.hub.test_browser_portal import browser, code_cells, log_in, shot  # noqa: F401 — fixture reused
from tests.hubfixture import start_hub

pytestmark = [pytest.mark.hub, pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(1200)]

ACCOUNT = "stu_b"
# (course, lesson, a sentence of its own text that shows once the notebook has run)
LESSONS = (("hotline", "01-ticket-life", "一张工单的一生"),
           ("ratings", "01-bad-rating-loop", "差评"),
           ("bulletin", "01-figures", "受理量"))
# What a failed cell leaves on a Voila page: its error output, Voila's "There was an error when executing
# cell" note or the error template (matched without case), and error or stderr output areas.
ERRORS = re.compile(r"traceback|error|exception", re.IGNORECASE)
ERROR_OUTPUTS = (".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'], "
                 ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error'], .jp-RenderedText[data-mime-type*='error']")


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    base = tmp_path_factory.mktemp("courses-browser")
    people = base / "roster.csv"
    people.write_text(roster("hotline;ratings;bulletin"), encoding="utf-8")
    h = start_hub(base / "root", single_user=True, roster=people,
                  extra_env={"ACADEMY_COURSES": "hotline,ratings,bulletin", "ACADEMY_CULL_TIMEOUT": "0"})
    yield h
    h.stop()


def rendered(page, marker: str, timeout: float = 240):
    """The lesson's Voila frame once its widgets have rendered (the server may still be starting)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        frame = page.frame_locator("#app-frame")
        if frame.get_by_text(marker).count() and frame.locator(".widget-vbox, .jupyter-widgets").count():
            return frame
        time.sleep(0.5)
    raise AssertionError(f"lesson never rendered {marker!r} with widgets")


def page_errors(frame) -> list[str]:
    found = ERRORS.findall(frame.locator("body").inner_text())
    if frame.locator(ERROR_OUTPUTS).count():
        found.append("error output")
    return found


@pytest.mark.parametrize("course,lesson,marker", LESSONS, ids=[c for c, _, _ in LESSONS])
def test_lesson_renders_in_chinese(hub, browser, course, lesson, marker):  # noqa: F811
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 1000})
    page = ctx.new_page()
    try:
        log_in(page, hub, ACCOUNT)
        page.goto(hub.url + f"services/academy/portal/lesson/{course}/{lesson}")
        frame = rendered(page, marker)
        body = frame.locator("body").inner_text()
        shot(page, f"course-{course}-{lesson}")
        assert "合成数据" in body, body[:2000]
        han = sum("\u4e00" <= ch <= "\u9fff" for ch in body)
        assert han > 300, (han, body[:2000])
        assert frame.locator(".widget-vbox, .jupyter-widgets").count() >= 1
        assert not page_errors(frame), (page_errors(frame), body[-3000:])
        assert code_cells(frame) == 0
    finally:
        ctx.close()
