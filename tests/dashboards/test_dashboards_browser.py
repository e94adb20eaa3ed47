"""Each dashboard as a leader in headless Chromium through the real hub: it renders, its numbers match
SQL over the stored runs, one interaction works, and nothing unmasked reaches the browser (every
response body and every websocket frame — the what-if's widget state — is scanned).

Screenshots are saved under the test's tmp dir; their paths are printed into the test log.
"""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from tests.dashboards.conftest import unmasked, where

pytestmark = [pytest.mark.hub, pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(900)]

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SHOTS: list[Path] = []


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()
    print("screenshots:", *SHOTS, sep="\n  ")


class Seen:
    """Everything the browser received: response bodies (text) and websocket frames."""

    def __init__(self, page):
        self.texts: list[str] = []
        self.urls: list[str] = []
        page.on("request", lambda r: self.urls.append(r.url))
        page.on("response", self._response)
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _response(self, r) -> None:
        kind = r.headers.get("content-type", "")
        if "plotly.min.js" in r.url or not any(t in kind for t in ("html", "json", "javascript", "text")):
            return
        try:
            self.texts.append(r.text())
        except Exception:  # redirects and aborted requests have no body
            pass

    def _frame(self, payload) -> None:
        self.texts.append(payload if isinstance(payload, str) else payload.decode("utf-8", "replace"))

    def assert_masked(self) -> None:
        assert self.texts, "nothing was received"
        found = [where(t, x) for t in self.texts for x in unmasked(t)]
        assert not found, found[:5]
        # Nothing asked of any other host (no CDN): the page works offline and tells no third party.
        foreign = [u for u in self.urls if not u.startswith(("http://127.0.0.1:", "ws://127.0.0.1:", "data:", "blob:"))]
        assert not foreign, foreign[:5]


def login(browser, hub, account: str, viewport=(1280, 900)):
    context = browser.new_context(locale="zh-CN", viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    seen = Seen(page)
    page.goto(hub.url + "hub/login")
    page.fill("#username_input", account)
    page.fill("#password_input", hub.password(account))
    page.click("#login_submit")
    page.wait_for_load_state("networkidle")
    return page, seen


def shot(page, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    SHOTS.append(path)


def sql(paths, query: str, *args):
    from academy.citydata import city_db

    with sqlite3.connect(f"file:{city_db(paths)}?mode=ro", uri=True) as con:
        return con.execute(query, args).fetchone()[0]


def visitors_sql(paths, month: str, halls: tuple[str, ...]) -> int:
    marks = ",".join("?" * len(halls))
    return sql(paths, "SELECT COUNT(*) FROM cases c JOIN halls h ON h.run_id = c.run_id AND h.idx = c.hall "
               f"WHERE c.channel = 0 AND h.name IN ({marks}) AND strftime('%Y-%m', c.t_number, 'unixepoch') = ?",
               *halls, month)


def kpi(page, key: str) -> int:
    return int(float(page.locator(f"#kpi-{key}").get_attribute("data-value")))


def no_sideways_scroll(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1


def test_hall_operations_drill_down(dash_hub, training_ready, browser, city_paths, tmp_path):
    page, seen = login(browser, dash_hub, "lead_city")
    page.goto(dash_hub.url + "services/dashboards/page/大厅运行")
    page.wait_for_selector("#kpi-visitors")
    assert page.locator("#synthetic-badge").inner_text() == "合成数据"
    assert "city-hall-" in page.locator("#run-label").inner_text()
    every = ("海东市政务服务中心", "乐都区政务服务中心", "平安区政务服务中心", "民和县政务服务中心", "互助县政务服务中心",
             "化隆县政务服务中心", "循化县政务服务中心", "河湟新区政务服务中心")
    assert kpi(page, "visitors") == visitors_sql(city_paths, "2026-11", every)
    page.wait_for_selector("#heat .main-svg")
    shot(page, tmp_path, "hall-city")
    # Drill down: county (two halls in 平安区), then its hall, then the previous month, then an item.
    page.select_option("#county", "平安区")
    assert kpi(page, "visitors") == visitors_sql(city_paths, "2026-11", ("平安区政务服务中心", "河湟新区政务服务中心"))
    page.select_option("#hall", "河湟新区政务服务中心")
    page.select_option("#month", "2026-10")
    assert kpi(page, "visitors") == visitors_sql(city_paths, "2026-10", ("河湟新区政务服务中心",))
    page.locator("#items tr.pick").first.click()
    assert page.locator("#item-name").count() == 1
    shot(page, tmp_path, "hall-drilldown")
    seen.assert_masked()
    for name, (w, h) in (("hall-phone", (390, 844)), ("hall-projector", (1920, 1080))):
        other = page.context.new_page()
        other.set_viewport_size({"width": w, "height": h})
        other.goto(page.url)
        other.wait_for_selector("#heat .main-svg")
        no_sideways_scroll(other, w)
        shot(other, tmp_path, name)
        other.close()
    page.context.close()


def test_bulletin_month_change_and_download(dash_hub, training_ready, browser, city_paths, tmp_path):
    page, seen = login(browser, dash_hub, "lead_pa", viewport=(390, 844))
    page.goto(dash_hub.url + "services/dashboards/page/12345月度通报")
    page.wait_for_selector("#kpi-received")
    for month, nxt in (("2026-11", "2026-12"), ("2026-10", "2026-11")):
        page.select_option("#month", month)
        shown = int(re.sub(r"\D", "", page.locator("#kpi-received .v").inner_text()))
        assert shown == sql(city_paths, "SELECT COUNT(*) FROM hotline_tickets WHERE received_at >= ? AND "
                            "received_at < ?", f"{month}-01", f"{nxt}-01")
    no_sideways_scroll(page, 390)
    shot(page, tmp_path, "bulletin-phone")
    with page.expect_download() as d:
        page.click("#dl-pdf")
    saved = tmp_path / "bulletin.pdf"
    d.value.save_as(saved)
    assert saved.read_bytes()[:5] == b"%PDF-" and "2026-10" in d.value.suggested_filename
    seen.assert_masked()
    page.context.close()


def test_training_by_scope(dash_hub, training_ready, browser, tmp_path):
    page, seen = login(browser, dash_hub, "lead_pa")
    page.goto(dash_hub.url + "services/dashboards/page/培训与能力")
    page.wait_for_selector("#levels .main-svg")
    people = page.locator("#people").inner_text()
    assert "李建国（合成）" in people and "张晓梅（合成）" not in people
    assert "业务办理" in people and "信息安全" in people
    page.select_option("#group", "单位")
    assert page.locator("#groups th").first.inner_text() == "单位"
    assert "平安区政务服务中心税务窗口" in page.locator("#groups").inner_text()
    shot(page, tmp_path, "training-county")
    seen.assert_masked()
    phone = page.context.new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(page.url)
    phone.wait_for_selector("#levels .main-svg")
    no_sideways_scroll(phone, 390)
    shot(phone, tmp_path, "training-phone")
    page.context.close()


# Training figures straight from the academy database, by the definitions on the page (its note)
# and in each course.toml: a trainee × course is completed when every assignment of the course has
# a result that is not "missing", passed when completed and points ≥ pass_score × maximum, and
# earns the course's 学时 when completed; a certificate counts unless revoked. Course constants
# come from course.toml (the database holds no assignment list); everything else is SQL here.
TRAINING_SQL = """
WITH taken AS (
  SELECT p.account, p.county AS 县区, p.unit AS 单位, p.cohort AS 期次, e.course
  FROM people p JOIN enrolments e ON e.account = p.account
  WHERE p.role = 'trainee' AND (:county IS NULL OR p.county = :county)),
got AS (
  SELECT r.account, r.course, SUM(r.status <> 'missing') AS submitted, SUM(r.score) AS score,
         SUM(r.max_score) AS top
  FROM grading_results r JOIN temp.spec_assignment a ON a.course = r.course AND a.assignment = r.assignment
  GROUP BY r.account, r.course),
one AS (
  SELECT t.*, COALESCE(s.n > 0 AND COALESCE(g.submitted, 0) = s.n, 0) AS completed, s.hours, s.pass_score,
         g.score, g.top,
         EXISTS (SELECT 1 FROM certificates c WHERE c.account = t.account AND c.course = t.course
                 AND NOT c.revoked) AS certificate
  FROM taken t LEFT JOIN temp.spec s ON s.course = t.course
  LEFT JOIN got g ON g.account = t.account AND g.course = t.course)
SELECT {group}, COUNT(DISTINCT account), COUNT(*), SUM(completed),
       SUM(CASE WHEN completed THEN hours ELSE 0 END),
       SUM(completed AND top > 0 AND score * 1.0 / top >= pass_score), SUM(certificate)
FROM one GROUP BY {group}
"""


def training_sql(paths, group: str, county: str | None) -> dict[str, dict]:
    """{group value: {people, enrolments, completion, hours, pass, certificate}}; rates per enrolment.
    group: 县区, 单位 or 期次, or "'全部'" for the scope's total."""
    import tomllib

    with sqlite3.connect(f"file:{paths.academy_db}?mode=ro", uri=True) as con:
        con.execute("CREATE TEMP TABLE spec (course TEXT, n INTEGER, hours REAL, pass_score REAL)")
        con.execute("CREATE TEMP TABLE spec_assignment (course TEXT, assignment TEXT)")
        for course, source in con.execute("SELECT id, source FROM courses").fetchall():
            spec = tomllib.loads((Path(source) / "course.toml").read_text(encoding="utf-8"))
            ids = [a["id"] for a in spec.get("assignments", [])]
            con.execute("INSERT INTO temp.spec VALUES (?, ?, ?, ?)",
                        (course, len(ids), float(spec.get("hours", 0)), float(spec.get("pass_score", 0.6))))
            con.executemany("INSERT INTO temp.spec_assignment VALUES (?, ?)", [(course, i) for i in ids])
        rows = con.execute(TRAINING_SQL.format(group=group), {"county": county}).fetchall()
    return {key: {"people": people, "enrolments": n, "completion": done / n, "hours": hours,
                  "pass": passed / n, "certificate": certs / n}
            for key, people, n, done, hours, passed, certs in rows}


def _pct(text: str) -> float:
    assert text.endswith("%"), text
    return float(text[:-1]) / 100


def shown_groups(page, group: str) -> dict[str, dict]:
    page.select_option("#group", group)
    rows = page.evaluate("() => [...document.querySelectorAll('#groups tr')].slice(1)"
                         ".map(r => [...r.cells].map(c => c.innerText))")
    return {r[0]: {"people": int(r[1]), "enrolments": int(r[2]), "completion": _pct(r[3]), "hours": float(r[4]),
                   "pass": _pct(r[5]), "certificate": _pct(r[6])} for r in rows}


def shown_total(page) -> dict:
    v = {k: page.locator(f"#kpi-{k} .v").inner_text() for k in
         ("people", "enrolments", "completion", "hours", "pass", "certificate")}
    return {"people": int(v["people"]), "enrolments": int(v["enrolments"]), "completion": _pct(v["completion"]),
            "hours": float(v["hours"]), "pass": _pct(v["pass"]), "certificate": _pct(v["certificate"])}


def same_figures(shown: dict, expected: dict) -> bool:
    """Counts exactly; rates as the page rounds them (one decimal of a percent)."""
    return shown.keys() == expected.keys() and all(
        abs(shown[k] - expected[k]) <= (0.0005 + 1e-9 if k in ("completion", "pass", "certificate") else 1e-9)
        for k in shown)


@pytest.mark.parametrize("account, county", [("lead_city", None), ("lead_pa", "平安区")])
def test_training_figures_match_sql(dash_hub, training_ready, browser, city_paths, tmp_path, account, county):
    """培训与能力 as a city and a county leader: the totals and every row by 县区 and by 期次 equal
    SQL over the academy database."""
    page, _ = login(browser, dash_hub, account)
    page.goto(dash_hub.url + "services/dashboards/page/培训与能力")
    page.wait_for_selector("#groups tr")
    total = training_sql(city_paths, "'全部'", county)["全部"]
    assert same_figures(shown_total(page), total), (shown_total(page), total)
    if county is None:  # the test data exercise every figure (平安区 holds only a revoked certificate)
        assert total["certificate"] > 0 and total["pass"] > 0 and total["hours"] > 0
    for group in ("县区", "期次"):
        shown, expected = shown_groups(page, group), training_sql(city_paths, group, county)
        assert shown.keys() == expected.keys(), (group, shown, expected)
        for key in expected:
            assert same_figures(shown[key], expected[key]), (group, key, shown[key], expected[key])
    shot(page, tmp_path, f"training-figures-{account}")
    page.context.close()


def test_whatif_lever_and_record(dash_hub, training_ready, browser, city_paths, tmp_path):
    page, seen = login(browser, dash_hub, "lead_city")
    page.goto(dash_hub.url + "services/dashboards/voila/render/一把手进大厅.ipynb")
    page.wait_for_selector("#whatif", timeout=180_000)
    before = page.locator("#row-utilisation .after").inner_text()
    # A lever: the city centre's 综合窗口 from 4 down to 1 (the slider's editable readout).
    readout = page.locator(".widget-slider .widget-readout").first
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("1")
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.querySelector('#row-utilisation .after').innerText !== {before!r}",
                           timeout=60_000)
    assert page.locator("#journey").count() == 1
    page.locator("textarea").fill("午间综合窗口不足，建议错峰轮休（合成数据）")
    page.get_by_role("button", name="保存体验记录").click()
    page.wait_for_selector("#saved", timeout=60_000)
    assert "已保存体验记录" in page.locator("#saved").inner_text()
    shot(page, tmp_path, "whatif")
    records = list((city_paths.root / "dashboards-home" / "体验记录").glob("*.md"))
    assert records and "午间综合窗口不足" in records[-1].read_text(encoding="utf-8")
    seen.assert_masked()
    phone = page.context.new_page()  # on a phone: levers and tables in one column, no sideways scroll
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(page.url)
    phone.wait_for_selector("#whatif", timeout=180_000)
    no_sideways_scroll(phone, 390)
    shot(phone, tmp_path, "whatif-phone")
    page.context.close()
