"""The city, the read model and the pre-rendered pages, checked without a hub.

Every figure is recomputed here with SQL over the stored runs (data/city/city.sqlite), not with the
read model's code: hall figures per month and hall/county, the 12345 bulletin against a fresh
`python -m sandbox bulletin`, and a scan of everything the dashboards service may send.
"""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest

from tests.dashboards.conftest import MONTHS, SEED, unmasked

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

# Hall visits (channel 0 = 窗口), month of taking a number, Beijing wall-clock seconds.
VISITS = """
SELECT h.name AS hall, strftime('%Y-%m', c.t_number, 'unixepoch') AS month, COUNT(*) AS visitors,
       AVG(CASE WHEN c.t_called >= 0 THEN (c.t_called - c.t_number) / 60.0 END) AS mean_wait,
       SUM(c.t_called >= 0 AND c.outcome = 4) AS corrections,
       SUM(c.t_called >= 0 AND c.outcome = 7) AS refusals,
       SUM(c.outcome IN (5, 6)) AS abandoned
FROM cases c JOIN halls h ON h.run_id = c.run_id AND h.idx = c.hall
WHERE c.run_id = ? AND c.channel = 0 GROUP BY hall, month
"""


def _city_db(paths):
    from academy.citydata import city_db

    return sqlite3.connect(f"file:{city_db(paths)}?mode=ro", uri=True)


def _read_model(paths):
    from academy.readmodel import db_path

    return sqlite3.connect(f"file:{db_path(paths)}?mode=ro", uri=True)


def test_city_manifest_names_the_run(city_paths):
    from academy import citydata

    city = citydata.load(city_paths)
    assert city is not None and city.seed == SEED and city.months == MONTHS
    assert (city.start, city.end) == ("2026-10-01", "2026-11-30")
    assert "合成数据" in city.label and city.hall_run in city.label


def test_hall_figures_match_sql_over_the_stored_run(city_paths):
    with _city_db(city_paths) as con:
        run = con.execute("SELECT run_id FROM runs").fetchone()[0]
        truth = {(r[0], r[1]): r for r in con.execute(VISITS, (run,))}
    with _read_model(city_paths) as rm:
        rows = rm.execute("SELECT hall, month, visitors, mean_wait, corrections, refusals, abandoned "
                          "FROM hall_month WHERE level = '大厅'").fetchall()
    assert len(rows) == len(truth) == 8 * MONTHS
    for hall, month, visitors, mean_wait, corrections, refusals, abandoned in rows:
        t = truth[(hall, month)]
        assert (visitors, corrections, refusals, abandoned) == (t[2], t[4], t[5], t[6]), (hall, month)
        assert mean_wait == pytest.approx(t[3], rel=1e-9)
    # 补正 and 不予受理 are different things and both occur.
    assert sum(t[4] for t in truth.values()) > 10 * sum(t[5] for t in truth.values()) > 0


def test_county_and_city_levels_add_up_with_sql(city_paths):
    from academy.readmodel import hall_counties

    counties = hall_counties()
    with _city_db(city_paths) as con:
        run = con.execute("SELECT run_id FROM runs").fetchone()[0]
        per_hall = con.execute(VISITS, (run,)).fetchall()
    expect: dict = {}
    for hall, month, visitors, *_ in per_hall:
        expect[(counties[hall], month)] = expect.get((counties[hall], month), 0) + visitors
    with _read_model(city_paths) as rm:
        got = dict(((c, m), v) for c, m, v in rm.execute(
            "SELECT county, month, visitors FROM hall_month WHERE level = '县区'"))
        city = dict(rm.execute("SELECT month, visitors FROM hall_month WHERE level = '市'"))
    assert got == expect
    assert city == {m: sum(v for (c, mm), v in expect.items() if mm == m) for m in city}


def test_p90_wait_matches_sql(city_paths):
    """numpy's percentile (linear interpolation) recomputed in SQL for one hall-month."""
    with _city_db(city_paths) as con:
        run = con.execute("SELECT run_id FROM runs").fetchone()[0]
        waits = [w for (w,) in con.execute(
            "SELECT (c.t_called - c.t_number) / 60.0 AS w FROM cases c JOIN halls h ON h.run_id = c.run_id "
            "AND h.idx = c.hall WHERE c.run_id = ? AND c.channel = 0 AND c.t_called >= 0 AND h.name = ? "
            "AND strftime('%Y-%m', c.t_number, 'unixepoch') = '2026-11' ORDER BY w", (run, "海东市政务服务中心"))]
    pos = 0.9 * (len(waits) - 1)
    lo = int(pos)
    p90 = waits[lo] + (waits[min(lo + 1, len(waits) - 1)] - waits[lo]) * (pos - lo)
    with _read_model(city_paths) as rm:
        got = rm.execute("SELECT p90_wait FROM hall_month WHERE level = '大厅' AND hall = '海东市政务服务中心' "
                         "AND month = '2026-11'").fetchone()[0]
    assert got == pytest.approx(p90)


def test_bulletin_is_the_sandbox_bulletin(city_paths, tmp_path):
    """Same numbers as `python -m sandbox bulletin` run now over the stored run, and as SQL."""
    from academy.citydata import city_db, load
    from academy.readmodel import data_dir

    city = load(city_paths)
    out = tmp_path / "b"
    subprocess.run([sys.executable, "-m", "sandbox", "bulletin", "--month", "2026-11", "--db",
                    str(city_db(city_paths)), "--out", str(out), "--run-id", city.hotline_run],
                   check=True, capture_output=True, timeout=600)
    fresh = json.loads((out / "bulletin.json").read_text(encoding="utf-8"))
    kept = json.loads((data_dir(city_paths) / "bulletins" / "2026-11" / "bulletin.json").read_text(encoding="utf-8"))
    for section in ("基本情况", "办理情况", "回访评价", "单位排名", "预警", "预测"):
        assert kept[section] == fresh[section], section
    with _city_db(city_paths) as con:
        received = con.execute("SELECT COUNT(*) FROM hotline_tickets WHERE run_id = ? AND received_at >= "
                               "'2026-11-01' AND received_at < '2026-12-01'", (city.hotline_run,)).fetchone()[0]
    assert kept["基本情况"]["受理量"] == received
    pdf = data_dir(city_paths) / "bulletins" / "2026-11" / "bulletin.pdf"
    assert pdf.exists() and pdf.read_bytes()[:5] == b"%PDF-"


def test_up_reuses_the_city(city_paths):
    from academy import citydata

    before = citydata.city_db(city_paths).stat().st_mtime_ns
    city = citydata.ensure(city_paths, months=MONTHS, log=lambda s: None)
    assert city is not None and citydata.city_db(city_paths).stat().st_mtime_ns == before


def test_nothing_unmasked_in_what_the_service_reads(city_paths):
    """The read model (every text cell) and every page and bulletin file hold no ID or mobile."""
    from academy.readmodel import data_dir

    with _read_model(city_paths) as rm:
        for (table,) in rm.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            for row in rm.execute(f'SELECT * FROM "{table}"'):
                for v in row:
                    if isinstance(v, str):
                        assert not unmasked(v), (table, v)
    files = [p for p in data_dir(city_paths).rglob("*") if p.suffix in (".html", ".json")]
    assert len(files) >= 4
    for p in files:
        assert not unmasked(p.read_text(encoding="utf-8")), p
    # ... while the raw run behind it does hold them (so the scan can find them).
    with _city_db(city_paths) as con:
        sample = " ".join(str(r[0]) for r in con.execute("SELECT caller_mobile FROM hotline_tickets LIMIT 50"))
    assert unmasked(sample)


def test_city_data_cli_refuses_bad_arguments(city_root):
    import os

    env = dict(os.environ, ACADEMY_ROOT=str(city_root), ACADEMY_SINGLE_USER="1")
    for args in (["--months", "0"], ["--seed", "-3"], ["--months", "x"]):
        r = subprocess.run([sys.executable, "-m", "academy", "city-data", *args], env=env,
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 2, (args, r.stderr)
        assert "Traceback" not in r.stderr
    r = subprocess.run([sys.executable, "-m", "academy", "city-data"], env=env, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0 and "合成数据" in r.stdout and f"种子 {SEED}" in r.stdout
