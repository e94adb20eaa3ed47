"""Shared, cached simulation runs for the hall tests (kept small: the suite must stay fast)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import sandbox as sb
from sandbox.base.catalog import load_catalog

DATA = Path(__file__).resolve().parent / "data"
GOLDEN = DATA / "golden"


@lru_cache(maxsize=1)
def golden_catalog():
    """A frozen copy of the catalog, so the golden hash does not move when the live catalog is edited."""
    return load_catalog(GOLDEN)


@lru_cache(maxsize=1)
def golden_scenario() -> sb.Scenario:
    return sb.load_scenario(GOLDEN / "scenario.toml")


@lru_cache(maxsize=8)
def run(name: str = "baseline", days: int = 7, seed: int = 11, hall: str | None = None) -> sb.Records:
    s = sb.load_scenario(name)
    if hall:
        s = s.only_hall(hall)
    return sb.simulate(s, days, seed)


CITY = "海东市政务服务中心"
SMALL = "循化县政务服务中心"
