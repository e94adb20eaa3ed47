"""Determinism (golden hash of a one-week run against a frozen catalogue), storage round trip, scenarios."""
from __future__ import annotations

import hashlib

import numpy as np
import pytest

from platform_runs import golden_catalog, golden_scenario, run
from sandbox import platform as pf
from sandbox.storage.platform import load_platform_records, save_platform_run

# sha256 of every column of the three tables of the golden one-week run; re-pin when the engine
# changes on purpose (and say why in the commit).
GOLDEN = "ac03dd4cc60ac05934ff49c4093a164781ead6a83101a93d305a7be66405fab6"


def digest(rec: pf.PlatformRecords) -> str:
    h = hashlib.sha256()
    for table in (rec.applications, rec.accounts, rec.days_table):
        for k in sorted(table):
            h.update(k.encode())
            h.update(np.ascontiguousarray(table[k]).tobytes())
    return h.hexdigest()


def test_golden_hash_of_a_one_week_run():
    rec = pf.simulate_platform(golden_scenario(), 7, 20240101, catalog=golden_catalog())
    assert len(rec) > 10_000
    assert digest(rec) == GOLDEN


def test_same_seed_same_records_other_seed_other_records():
    a = pf.simulate_platform(golden_scenario(), 2, 5, catalog=golden_catalog())
    b = pf.simulate_platform(golden_scenario(), 2, 5, catalog=golden_catalog())
    c = pf.simulate_platform(golden_scenario(), 2, 6, catalog=golden_catalog())
    assert digest(a) == digest(b) != digest(c)


def test_storage_round_trip(tmp_path):
    rec = run()
    db = tmp_path / "p.sqlite"
    rid = save_platform_run(db, rec, pf.default_platform_scenario(), "r1")
    back = load_platform_records(db, rid)
    assert digest(back) == digest(rec)
    assert pf.summary(back) == pytest.approx(pf.summary(rec), nan_ok=True)
    save_platform_run(db, rec, run_id="r1")  # replacing keeps one copy
    assert len(load_platform_records(db, "r1")) == len(rec)
    with pytest.raises(KeyError, match="没有平台运行"):
        load_platform_records(db, "nope")


def test_scenarios_are_frozen_and_evolve_validates():
    s = pf.default_platform_scenario()
    with pytest.raises(Exception):
        s.identity.registered_share = 0.9  # type: ignore[misc]
    t = s.evolve({"licences.cross_region": False, "guides.drift_items": 3})
    assert (t.licences.cross_region, t.guides.drift_items, s.licences.cross_region) == (False, 3, True)
    with pytest.raises(pf.ScenarioError) as e:
        s.evolve({"identity.agents_per_firm": [3, 1]})
    assert e.value.field == "identity.agents_per_firm"
    with pytest.raises(pf.ScenarioError, match="没有这个参数"):
        s.evolve({"licences.nope": 1})
    drift = pf.load_platform_scenario("drift")
    assert drift.guides.drift_items == 6 and not drift.licences.cross_region
    assert set(pf.platform_scenario_names()) >= {"baseline", "drift"}


def test_drift_scenario_changes_one_guide_in_one_place():
    from sandbox.platform.api import build_world
    from sandbox.platform.grader import ground_truth, score_drift
    from sandbox.platform.guides import differing_fields

    ps = pf.load_platform_scenario("drift")
    w = build_world(ps, 9)
    truth = ground_truth(ps, 9).drifts
    assert len(truth) == 6
    found = [(code, f) for code in w.guides.codes() for f in differing_fields(*w.guides.pair(code))]
    assert score_drift(found, truth)["recall"] == 1.0 and score_drift(found, truth)["precision"] == 1.0
    clean = build_world(pf.default_platform_scenario(), 9)
    assert not any(differing_fields(*clean.guides.pair(c)) for c in clean.guides.codes())
