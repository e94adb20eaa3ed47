"""Early warning judged over 20 seeds: injected hot issues are flagged, clean months are not.

Each seed simulates two months at a sixth of the default volume (the hot issue scaled alike), in a
different county, month and kind (a water outage or a property company's collapse), and the warning
compares the second month with the first — exactly what the bulletin does.
"""
from __future__ import annotations

from datetime import date

import pytest

from sandbox.base.geography import COUNTIES
from sandbox.hotline.metrics import enrich
from sandbox.hotline import HotlineScenario, hot_issue, simulate
from sandbox.hotline.warnings import spikes

SEEDS = range(100, 120)
VOLUME = 3_000


def _case(seed: int):
    month = 2 + seed % 10  # Feb..Nov 2024: crosses the heating and farming seasons
    county = COUNTIES[seed % len(COUNTIES)].name
    kind = "water" if seed % 2 == 0 else "property"
    start = date(2024, month - 1, 1)
    hot = hot_issue(kind, county, date(2024, month, 3 + seed % 20))
    return start, month, hot


def _warn(seed: int, inject: bool):
    start, month, hot = _case(seed)
    # one population for all seeds (building one takes ~1.5 s); the tickets still differ by seed
    sc = HotlineScenario(start=start, months=2, monthly_volume=VOLUME, hot_issues=(hot,) if inject else (),
                         population_seed=0)
    df = enrich(simulate(sc, seed).frame())
    cur = df[df["received_at"].dt.month == month]
    prev = df[df["received_at"].dt.month == month - 1]
    return spikes(cur, prev), hot


@pytest.mark.timeout(240)
def test_hot_issues_flagged_and_clean_months_quiet():
    caught, false_alarms = 0, 0
    missed = []
    for seed in SEEDS:
        found, hot = _warn(seed, inject=True)
        if any(s["县区"] == hot.county and s["分类"] == hot.level2 for s in found):
            caught += 1
        else:
            missed.append((seed, hot.county, hot.level2, found))
        clean, _ = _warn(seed, inject=False)
        false_alarms += bool(clean)
    n = len(SEEDS)
    print(f"early warning: caught {caught}/{n}, false alarms {false_alarms}/{n}")
    assert caught / n >= 0.9, missed
    assert false_alarms / n <= 0.05


def test_warning_is_not_blind_to_size():
    """A hot issue of a handful of calls is not flagged: the test can fail."""
    start, month, hot = _case(101)
    tiny = hot_issue("property", hot.county, hot.start, tickets=6)
    sc = HotlineScenario(start=start, months=2, monthly_volume=VOLUME, hot_issues=(tiny,), population_seed=0)
    df = enrich(simulate(sc, 101).frame())
    cur = df[df["received_at"].dt.month == month]
    prev = df[df["received_at"].dt.month == month - 1]
    assert not any(s["分类"] == "物业撤场" for s in spikes(cur, prev))
