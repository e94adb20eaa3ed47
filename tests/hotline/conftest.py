"""Fixtures for the hotline tests: one small stored run shared by the session (two months, reduced volume)."""
from __future__ import annotations

from datetime import date

import pytest

from sandbox.storage import hotline as storage
from sandbox.hotline import HotlineScenario, hot_issue, simulate

SEED = 11


@pytest.fixture(scope="session")
def small_run(tmp_path_factory):
    """(db path, run id, scenario, DataFrame): May–June 2024 at 4,000 tickets a month, a water outage in 民和."""
    sc = HotlineScenario(start=date(2024, 5, 1), months=2, monthly_volume=4_000,
                         hot_issues=(hot_issue("water", "民和回族土族自治县", date(2024, 6, 10)),))
    records = simulate(sc, SEED)
    db = tmp_path_factory.mktemp("hotline") / "sandbox.sqlite"
    run_id = storage.store(db, records, scenario=sc, seed=SEED, run_id="small")
    return db, run_id, sc, records.frame()
