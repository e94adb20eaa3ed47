"""Leaders' dashboards in Chromium through the real hub: first meaningful render (warm) per dashboard,
the ratio against the same notebook served by plain Voila with default settings, and the what-if's
lever redraw.

A small synthetic city (two months, fixed seed) in a temporary ACADEMY_ROOT, single-account mode.
"First meaningful render" = from navigation start until the page's first figures are on screen
(its KPI cards, or the what-if's before/after table); "warm" = the hub, the service and the
browser cache have served the page once already (a leader's second visit). Each figure is the
median of five loads.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PAGES = {"大厅运行": "page/大厅运行", "12345月度通报": "page/12345月度通报", "培训与能力": "page/培训与能力",
         "一把手进大厅": "voila/render/一把手进大厅.ipynb"}
READY = {"大厅运行": "#kpi-visitors", "12345月度通报": "#kpi-received", "培训与能力": "#kpi-people",
         "一把手进大厅": "#whatif"}
PREHEAT_PAUSE = 30.0
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def _load(page, url: str, ready: str) -> float:
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_selector(ready, timeout=180_000)
    return time.perf_counter() - t0


def _median_loads(page, url: str, ready: str, n: int = 5, pause: float = 0.0) -> float:
    """``pause``: seconds between loads, so that Voila's pool has preheated the next kernel (a
    what-if visit takes the waiting kernel; the next one boots and runs the notebook meanwhile)."""
    _load(page, url, ready)  # warm-up: caches, OAuth cookie, Voila's pool
    times = []
    for _ in range(n):
        time.sleep(pause)
        times.append(_load(page, url, ready))
    return statistics.median(times)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _plain_voila(root: Path, notebook: str, page) -> float:
    """The same notebook under `voila NOTEBOOK` with default settings (kernel per visit, no preheat)."""
    port = _free_port()
    env = dict(os.environ, ACADEMY_ROOT=str(root), ACADEMY_SINGLE_USER="1")
    proc = subprocess.Popen([str(Path(sys.executable).parent / "voila"), "--no-browser", f"--port={port}",
                             str(root / "dashboards" / f"{notebook}.ipynb")], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), 1).close()
                break
            except OSError:
                time.sleep(0.3)
        return _median_loads(page, f"http://127.0.0.1:{port}/", READY[notebook], n=3)
    finally:
        proc.terminate()
        proc.wait(30)


def _lever(page, url: str) -> float:
    """Median time from a slider's new value (Enter) to the redrawn before/after table."""
    page.goto(url)
    page.wait_for_selector("#whatif", timeout=180_000)
    times = []
    for value in ("6", "3", "5", "2", "4"):
        before = page.locator("#whatif").inner_text()
        page.locator(".widget-slider .widget-readout").first.click()
        page.keyboard.press("Control+A")
        page.keyboard.type(value)
        t0 = time.perf_counter()
        page.keyboard.press("Enter")
        page.wait_for_function("b => document.querySelector('#whatif').innerText !== b", arg=before, timeout=60_000)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def run() -> dict:
    from playwright.sync_api import sync_playwright

    from academy import citydata
    from runtime.db import engine
    from runtime.settings import Settings
    from tests.dashboards.conftest import ROSTER
    from tests.hubfixture import start_hub

    base = Path(tempfile.mkdtemp(prefix="bench-dash-"))
    root = base / "root"
    paths = Settings.single_account(root).paths
    paths.data_dir.mkdir(parents=True)
    engine(paths.academy_db_url)
    out: dict[str, float] = {}
    t0 = time.perf_counter()
    citydata.build(paths, seed=5, months=2, today=dt.date(2026, 12, 1), log=lambda s: None)
    out["city_build_2_months_s"] = round(time.perf_counter() - t0, 1)
    roster = base / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    hub = start_hub(root, single_user=True, roster=roster,
                    extra_env={"ACADEMY_CITY_MONTHS": "2", "ACADEMY_GRADE_ON_SUBMIT": "0", "ACADEMY_CULL_TIMEOUT": "0"})
    out["up_with_existing_city_s"] = round(hub.started_in, 1)
    try:
        deadline = time.monotonic() + 240
        while not (root / "dashboards-data" / "pages" / "培训与能力-全市.html").exists() and time.monotonic() < deadline:
            time.sleep(1)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(hub.url + "hub/login")
            page.fill("#username_input", "lead_city")
            page.fill("#password_input", hub.password("lead_city"))
            page.click("#login_submit")
            page.wait_for_load_state("networkidle")
            for name, path in PAGES.items():
                out[f"first_render_warm_s[{name}]"] = round(_median_loads(
                    page, hub.url + "services/dashboards/" + path, READY[name],
                    pause=PREHEAT_PAUSE if name == "一把手进大厅" else 0.0), 3)
            out["whatif_lever_redraw_s"] = round(_lever(page, hub.url + "services/dashboards/" + PAGES["一把手进大厅"]), 3)
            plain = browser.new_page(viewport={"width": 1280, "height": 900})
            for name in ("大厅运行", "一把手进大厅"):
                out[f"plain_voila_first_render_s[{name}]"] = round(_plain_voila(root, name, plain), 3)
                out[f"ratio_vs_plain_voila[{name}]"] = round(
                    out[f"first_render_warm_s[{name}]"] / out[f"plain_voila_first_render_s[{name}]"], 3)
            browser.close()
    finally:
        hub.stop()
        shutil.rmtree(base, ignore_errors=True)
    out["load_avg_1min"] = round(os.getloadavg()[0], 2)
    return out


if __name__ == "__main__":
    import json

    print(json.dumps(run(), ensure_ascii=False, indent=1))
