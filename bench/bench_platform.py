"""Platform speed: a citywide year of the online platform simulated and stored, and a trainee-sized
pre-review exercise (a day's queue of 50 applications) prepared.

The hall year is not re-timed here (46–59 s simulate + 17–56 s store on this machine: sandbox/README.md,
bench_sandbox ``year_simulate_s``/``year_store_s``); the ratio below is against those figures' midpoints,
and bench.json's sandbox section gives the same run's hall figures when both benches run together.
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

HALL_YEAR_SIMULATE_S = 52.5  # midpoint of 46–59 s (sandbox/README.md, speed table)
HALL_YEAR_STORE_S = 36.5  # midpoint of 17–56 s


def run() -> dict:
    from sandbox import platform as pf
    from sandbox.platform.api import BackOffice, build_world, exercise_queue, staff_decide
    from sandbox.storage.platform import load_platform_records, save_platform_run

    import numpy as np

    out: dict[str, float] = {}
    ps = pf.default_platform_scenario()
    t0 = time.perf_counter()
    w, _ = exercise_queue(ps, 1, 50)
    out["first_load_s"] = round(time.perf_counter() - t0, 3)  # population, catalogue, registry, holdings

    # -- trainee-sized exercise: a day's queue of 50 applications, warm caches, new seed each time ----------
    times = []
    for seed in range(2, 7):
        build_world.cache_clear()
        t0 = time.perf_counter()
        w, queue = exercise_queue(ps, seed, 50)
        times.append(time.perf_counter() - t0)
    out["exercise_queue_50_s"] = round(float(np.median(times)), 3)
    t0 = time.perf_counter()
    office = BackOffice(w)
    rng = np.random.default_rng(0)
    for a in queue:
        staff_decide(office, a, rng)
    out["staff_prereview_50_s"] = round(time.perf_counter() - t0, 3)

    # -- a citywide year --------------------------------------------------------------------------------
    t0 = time.perf_counter()
    year = pf.simulate_platform(ps, 366, 2024)
    out["year_simulate_s"] = round(time.perf_counter() - t0, 2)
    out["year_applications"] = len(year)
    out["year_accounts"] = len(year.accounts["account_id"])
    t0 = time.perf_counter()
    s = pf.summary(year)
    out["year_summary_s"] = round(time.perf_counter() - t0, 2)
    t0 = time.perf_counter()
    pf.daily(year)
    pf.monthly(year)
    out["year_daily_and_monthly_s"] = round(time.perf_counter() - t0, 2)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "platform.sqlite"
        t0 = time.perf_counter()
        save_platform_run(db, year, ps, "year", s)
        out["year_store_s"] = round(time.perf_counter() - t0, 2)
        out["year_db_mb"] = round(db.stat().st_size / 1e6, 1)
        t0 = time.perf_counter()
        back = load_platform_records(db, "year")
        out["year_load_s"] = round(time.perf_counter() - t0, 2)
        assert len(back) == len(year)
    out["year_simulate_ratio_to_hall_year"] = round(out["year_simulate_s"] / HALL_YEAR_SIMULATE_S, 2)
    out["year_store_ratio_to_hall_year"] = round(out["year_store_s"] / HALL_YEAR_STORE_S, 2)
    out["year_online_rate"] = round(s["online_rate"], 4)
    out["year_full_online_rate"] = round(s["full_online_rate"], 4)
    out["year_paper_avoided"] = s["paper_avoided"]
    out["year_paper_needless"] = s["paper_needless"]
    return out


if __name__ == "__main__":
    import json

    print(json.dumps(run(), ensure_ascii=False, indent=1))
