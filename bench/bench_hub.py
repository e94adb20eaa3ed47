"""Hub figures: start (cold and warm), login, spawn (one and five at once), roster import.

Single-account mode in a temporary ACADEMY_ROOT on free ports (the real `python -m academy up`).
Ratios compare against a baseline measured in the same run (warm vs cold start, re-import vs import).
"""
from __future__ import annotations

import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def run() -> dict:
    from tests.hub.helpers import start_own_server
    from tests.hubfixture import start_hub

    out: dict[str, float] = {}
    base = Path(tempfile.mkdtemp(prefix="bench-hub-"))
    # All shipped courses, as `make up` builds them (the test hubs default to the demo course only).
    env = {"ACADEMY_GRADE_ON_SUBMIT": "0", "ACADEMY_CULL_TIMEOUT": "0",
           "ACADEMY_COURSES": "demo,guides,walkthrough"}
    try:
        hub = start_hub(base / "root", single_user=True, extra_env=env)  # demo roster, 37 people
        out["hub_cold_start_s"] = round(hub.started_in, 2)
        try:
            t0 = time.perf_counter()
            s = hub.login("xueyuan01")
            out["login_s"] = round(time.perf_counter() - t0, 3)
            out["spawn_one_s"] = round(start_own_server(hub, s, "xueyuan01"), 2)
            accounts = [f"xueyuan{i:02d}" for i in range(2, 7)]
            sessions = {a: hub.login(a) for a in accounts}
            t0 = time.perf_counter()
            with ThreadPoolExecutor(5) as pool:
                list(pool.map(lambda a: start_own_server(hub, sessions[a], a, timeout=300), accounts))
            out["spawn_five_parallel_s"] = round(time.perf_counter() - t0, 2)
            t0 = time.perf_counter()
            r = hub.run("roster", "import", str(Path(__file__).resolve().parents[1] / "demo" / "roster-合成数据.csv"))
            out["roster_reimport_37_via_api_s"] = round(time.perf_counter() - t0, 2)
            assert "未变 37" in r.stdout, r.stdout
        finally:
            t0 = time.perf_counter()
            hub.stop()
            out["shutdown_with_6_servers_s"] = round(time.perf_counter() - t0, 2)
        warm = start_hub(base / "root", single_user=True, extra_env=env)
        out["hub_warm_start_s"] = round(warm.started_in, 2)
        warm.stop()
        out["warm_vs_cold_start_ratio"] = round(out["hub_warm_start_s"] / out["hub_cold_start_s"], 3)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return out
