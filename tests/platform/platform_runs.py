"""Shared, cached platform runs for the platform tests (small: the suite must stay fast)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import sandbox as sb
from sandbox import platform as pf
from sandbox.base.catalog import load_catalog

# The same frozen catalogue as the hall's golden test (tests/sandbox/data/golden): one copy for all parts.
GOLDEN = Path(__file__).resolve().parent.parent / "sandbox" / "data" / "golden"


@lru_cache(maxsize=1)
def golden_catalog():
    """A frozen copy of the catalog (and hall scenario): the golden hash moves only with the engine."""
    return load_catalog(GOLDEN)


@lru_cache(maxsize=1)
def golden_scenario() -> pf.PlatformScenario:
    return pf.load_platform_scenario("baseline").evolve(hall_scenario=str(GOLDEN / "scenario.toml"))


@lru_cache(maxsize=8)
def run(days: int = 5, seed: int = 11, scenario: str = "baseline") -> pf.PlatformRecords:
    return pf.simulate_platform(pf.load_platform_scenario(scenario), days, seed)


@lru_cache(maxsize=2)
def hall_run(days: int = 5, seed: int = 11) -> sb.Records:
    return sb.simulate(pf.load_platform_scenario("baseline").hall(), days, seed, workers=1)
