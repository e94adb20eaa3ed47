"""A year of 12345 tickets (≈220,000) generated, stored and bulletined; aim: under a minute in all.

Baseline in the same process: building the same number of plain Python dicts with random fields,
so the ratio says how much the hotline's realism costs over the bare minimum of touching each ticket.
"""
from __future__ import annotations

import random
import tempfile
import time
from datetime import date
from pathlib import Path


def run() -> dict:
    from sandbox.hotline import bulletin
    from sandbox.hotline.report import write
    from sandbox.storage import hotline as storage
    from sandbox.hotline import HotlineScenario, simulate
    from sandbox.base.population import build_population

    sc = HotlineScenario(start=date(2024, 1, 1), months=12)
    t0 = time.perf_counter()
    build_population(7, n_citizens=sc.n_citizens)
    t_pop = time.perf_counter() - t0

    t0 = time.perf_counter()
    records = simulate(sc, 7)
    t_gen = time.perf_counter() - t0
    n = len(records)

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite"
        t0 = time.perf_counter()
        run_id = storage.store(db, records, scenario=sc, seed=7)
        t_store = time.perf_counter() - t0
        t0 = time.perf_counter()
        data = bulletin.build(db, "2024-12", run_id)
        t_build = time.perf_counter() - t0
        t0 = time.perf_counter()
        write(data, Path(tmp) / "out")
        t_render = time.perf_counter() - t0
        spikes_clean = len(data["预警"]["突增"])

    rng = random.Random(1)
    t0 = time.perf_counter()
    _ = [{"n": i, "t": rng.random(), "c": rng.randrange(60), "k": rng.randrange(6)} for i in range(n)]
    t_base = time.perf_counter() - t0

    total = t_gen + t_store + t_build + t_render
    return {
        "tickets_year": n,
        "population_build_s": round(t_pop, 2),
        "generate_s": round(t_gen, 2),
        "generate_tickets_per_s": round(n / t_gen),
        "store_s": round(t_store, 2),
        "store_tickets_per_s": round(n / t_store),
        "bulletin_build_s": round(t_build, 2),
        "bulletin_render_s": round(t_render, 2),
        "total_s": round(total, 2),
        "total_tickets_per_s": round(n / total),
        "baseline_plain_dicts_s": round(t_base, 3),
        "ratio_generate_vs_plain_dicts": round(t_gen / t_base, 1),
        "december_spike_warnings_clean_year": spikes_clean,
    }


if __name__ == "__main__":
    for k, v in run().items():
        print(f"{k:<40} {v}")
