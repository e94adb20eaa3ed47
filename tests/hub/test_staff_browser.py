"""The trainers' and admins' pages in headless Chromium (Playwright) at 1440 and 390 px: an admin
imports a roster with a bad row through the form, a trainer scores a rubric; screenshots saved
under $ACADEMY_SCREENSHOTS (default: the test's tmp dir, printed) with the test log."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.hub.test_browser import chromium_browser  # noqa: F401  (the module's browser fixture)
from tests.hub.test_staff import ENGLISH, hub_settings  # noqa: F401

pytestmark = [pytest.mark.hub, pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(600)]

APP = "services/academy/"
WIDTHS = (1440, 390)
ROSTER = """account,姓名,单位,县区,role,courses,cohort,active
zt_web1,冶文秀（合成）,平安区政务服务中心综合窗口,平安区,trainee,demo,2026年第一期,1
zt_web2,祁永福（合成）,平安区政务服务中心综合窗口,平安区,学生,demo,2026年第一期,1
"""


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    d = Path(os.environ.get("ACADEMY_SCREENSHOTS") or tmp_path_factory.mktemp("staff-screens"))
    d.mkdir(parents=True, exist_ok=True)
    print(f"screenshots: {d}")
    return d


def _login(browser, hub, account: str, width: int):
    page = browser.new_page(locale="zh-CN", viewport={"width": width, "height": 900})
    page.goto(hub.url + "hub/login")
    page.fill("#username_input", account)
    page.fill("#password_input", hub.password(account))
    page.click("#login_submit")
    page.wait_for_load_state()
    return page


def _check(page, width: int) -> None:
    text = page.locator("body").inner_text()
    assert "合成数据" in text and not [w for w in ENGLISH if w in text]
    # nothing wider than the phone: wide tables scroll inside their own box
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1


@pytest.mark.parametrize("width", WIDTHS)
def test_admin_roster_in_the_browser(academy_hub, chromium_browser, shots, tmp_path, width):  # noqa: F811
    page = _login(chromium_browser, academy_hub, "ops", width)
    page.goto(academy_hub.url + APP + "staff/roster")
    page.wait_for_selector("#people")
    _check(page, width)
    page.screenshot(path=str(shots / f"roster-{width}.png"), full_page=True)
    csv = tmp_path / "名册-合成数据.csv"
    csv.write_text(ROSTER.replace("zt_web", f"zt_w{width}_"), encoding="utf-8")
    page.set_input_files("#roster-file", str(csv))
    page.click("#import-submit")
    page.wait_for_selector("#import-summary", timeout=120_000)
    errors = page.locator("#import-errors").inner_text()
    assert re.search(r"第 3 行（zt_w\d+_2）：角色 '学生' 无效", errors), errors
    assert page.locator("#new-passwords").inner_text().count(f"zt_w{width}_1") == 1
    _check(page, width)
    page.screenshot(path=str(shots / f"roster-import-{width}.png"), full_page=True)
    page.goto(academy_hub.url + APP + f"staff/roster/person/zt_w{width}_1")
    page.click("#disable")
    page.wait_for_selector("#result-message")
    assert "已停用" in page.locator("#result-message").inner_text()
    page.screenshot(path=str(shots / f"person-disabled-{width}.png"), full_page=True)
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_trainer_pages_in_the_browser(academy_hub, chromium_browser, shots, width):  # noqa: F811
    page = _login(chromium_browser, academy_hub, "tr_demo", width)
    page.goto(academy_hub.url + APP + "staff/cohorts")
    page.wait_for_selector("#cohorts-demo")
    _check(page, width)
    page.screenshot(path=str(shots / f"cohorts-{width}.png"), full_page=True)
    # the trainer moves 2026年第二期's due date through the form
    form = page.locator('form.ac-rule[data-cohort="2026年第二期"]')
    due = "2026-12-20 09:00" if width == 1440 else "2026-12-22 09:30"
    form.locator('input[name="due"]').fill(due)
    form.locator('button[value="save"]').click()
    page.wait_for_selector("#cohort-message")
    assert f"现行：截止 {due}" in page.locator('form.ac-rule[data-cohort="2026年第二期"] .effective').inner_text()
    _check(page, width)
    page.screenshot(path=str(shots / f"cohorts-saved-{width}.png"), full_page=True)
    page.goto(academy_hub.url + APP + "staff/grading")
    page.wait_for_selector("#queue-demo")
    _check(page, width)
    page.screenshot(path=str(shots / f"grading-{width}.png"), full_page=True)
    page.close()


def test_trainer_scores_a_rubric_in_the_browser(academy_hub, chromium_browser, shots, hub_settings):  # noqa: F811
    from tests.hub.test_staff import _autograde, _submit

    if not (academy_hub.root / "courses" / "demo" / "submitted" / "stu_a").exists():
        _submit(academy_hub, "stu_a", "2026-12-20 02:00:00.000000 UTC")
        _autograde(hub_settings, "stu_a")
    for width in WIDTHS:
        page = _login(chromium_browser, academy_hub, "tr_demo", width)
        page.goto(academy_hub.url + APP + "staff/grading")
        page.click('#queue-demo tr[data-account="stu_a"] a.ac-button')
        page.wait_for_selector("#manual-q3-answer")
        _check(page, width)
        page.screenshot(path=str(shots / f"grade-{width}.png"), full_page=True)
        scores = page.locator("#manual-q3-answer input.ac-score")
        assert scores.count() == 3
        for i, value in enumerate(("2", "2", "1") if width == 1440 else ("1", "1.5", "0.5")):
            scores.nth(i).fill(value)
        page.fill("#comment-q3-answer", f"宽度 {width} 的评语：要点齐全。")
        page.click("#manual-q3-answer button[type=submit]")
        page.wait_for_selector("#grade-message")
        total = "10 / 10" if width == 1440 else "8 / 10"
        assert f"作业总分 {total}" in page.locator("#grade-message").inner_text()
        _check(page, width)
        page.screenshot(path=str(shots / f"graded-{width}.png"), full_page=True)
        progress = (academy_hub.root / "homes" / "stu_a" / "学习进度.html").read_text(encoding="utf-8")
        assert total in progress
        page.close()
