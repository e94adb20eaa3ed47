"""The Chinese login page and a leader's dashboard, in headless Chromium (Playwright)."""
from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.hub, pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(300)]

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def chromium_browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def test_login_page_is_chinese(academy_hub, chromium_browser, tmp_path):
    page = chromium_browser.new_page(locale="zh-CN")
    page.goto(academy_hub.url + "hub/login")
    page.wait_for_selector("#login_submit")
    assert page.title() == "海东政务服务效能学院"
    assert page.locator("label[for=username_input]").inner_text() == "账号"
    assert page.locator("#login_submit").get_attribute("value") == "登录"
    assert "合成数据" in page.locator(".academy-footer").inner_text()
    page.screenshot(path=str(tmp_path / "login.png"), full_page=True)
    # A wrong password gives the Chinese error, not English.
    page.fill("#username_input", "stu_a")
    page.fill("#password_input", "wrong-password-1")
    page.click("#login_submit")
    page.wait_for_selector("#login-error")
    assert "账号或密码不正确" in page.locator("#login-error").inner_text()
    page.close()


def test_leader_reaches_dashboard_through_the_form(academy_hub, chromium_browser, tmp_path):
    page = chromium_browser.new_page(locale="zh-CN", viewport={"width": 1200, "height": 900})
    page.goto(academy_hub.url + "hub/login")
    page.fill("#username_input", "boss")
    page.fill("#password_input", academy_hub.password("boss"))
    page.click("#login_submit")
    # Leaders land on the dashboards service's index of the four dashboards (tests/dashboards
    # opens each of them over a synthetic city).
    page.wait_for_url("**/services/dashboards/**", timeout=60_000)
    page.wait_for_selector("#dashboards", timeout=60_000)
    assert page.locator("#synthetic-badge").inner_text() == "合成数据"
    links = page.locator("#dashboards a").all_inner_texts()
    assert links == ["大厅运行", "12345月度通报", "培训与能力", "一把手进大厅"], links
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    print(f"screenshots: {tmp_path}")
    page.close()
