"""Online applications: the state machine, the stored paths, modes on the catalogue, hall reconciliation."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from platform_runs import hall_run, run
from sandbox import platform as pf
from sandbox.base.catalog import load_catalog
from sandbox.platform.applications import (EVENTS, STATE, STATES, TERMINAL, TRANSITIONS, InvalidTransition, mode_of_item,
                                           path, run_events, transition)


def test_the_happy_path_and_the_two_ways_out():
    assert run_events(["开始预审", "预审通过", "提交审批", "办结"]) == "办结"
    assert run_events(["开始预审", "退回补正", "重新提交", "开始预审", "预审通过"]) == "受理"
    assert run_events(["开始预审", "不予受理"]) == "不予受理"
    assert run_events(["开始预审", "退回补正", "逾期未补正"]) == "不予受理"
    with pytest.raises(InvalidTransition, match="不能执行“办结”"):
        run_events(["开始预审", "办结"])


@settings(max_examples=300, deadline=None)
@given(events=st.lists(st.sampled_from(EVENTS), max_size=12))
def test_any_event_sequence_follows_the_table_or_is_refused(events):
    state = "网上申报"
    for e in events:
        if (state, e) in TRANSITIONS:
            state = transition(state, e)
        else:
            with pytest.raises(InvalidTransition):
                transition(state, e)
    # Terminal states have no way out; 办结 is reachable only through 受理 and 审批.
    assert all(s not in TERMINAL for (s, _) in TRANSITIONS)
    assert state in STATES


@settings(max_examples=60, deadline=None)
@given(i=st.integers(0, 10**9))
def test_every_stored_application_has_a_valid_ordered_path(i):
    rec = run()
    row = rec.row(i % len(rec) + 1)
    steps = path(row)  # raises InvalidTransition if the stored state cannot be reached
    times = [t for t, _, _ in steps]
    assert times == sorted(times) and (not times or times[0] >= row["t_submit"])
    assert (steps[-1][2] if steps else "网上申报") == STATES[row["state"]]


def test_a_correction_is_answered_by_the_next_round_of_the_same_matter():
    rec = run(30)
    a = rec.applications
    corr = np.flatnonzero((a["state"] == STATE["补正"]))
    nxt = {(int(m), int(r)) for m, r in zip(a["matter"], a["round"])}
    answered = np.array([(int(a["matter"][i]), int(a["round"][i]) + 1) in nxt for i in corr])
    assert answered.sum() > 0.5 * len(corr) > 0
    # The unanswered ones are recent: their resubmission would fall after the run (return within 1-5
    # working days in the hall scenario, so at most ~2 weeks of calendar time).
    end_s = (rec.start.toordinal() + rec.days - 719163) * 86400
    assert (a["t_returned"][corr[~answered]] >= end_s - 16 * 86400).all()
    rounds = a["round"][a["matter"] == a["app_id"]]
    assert (rounds == 1).all()  # a matter starts with its first submission
    assert (a["t_done"][a["state"] == STATE["办结"]] >= a["t_accept"][a["state"] == STATE["办结"]]).all()


def test_modes_come_from_the_catalogue():
    cat = load_catalog()
    modes = {mode_of_item(it) for it in cat.items.values()}
    assert modes == {"全程网办", "最多跑一次", "必须到现场"}
    rec = run()
    a = rec.applications
    full = a["channel"] <= 1
    assert (a["mode"][full] == 0).all() and (a["mode"][~full] > 0).all()


def test_hall_and_platform_reconcile_case_by_case():
    r = pf.reconcile(hall_run(), run())
    assert r["case_by_case"] and r["platform_found_in_hall"] == r["platform_full_online_submissions"]
    assert r["hall_online_cases"] == r["platform_full_online_submissions"] + r["hall_cross_province_diverted"]
    assert 0.5 < r["online_rate"] < 0.95


def test_reconciliation_notices_a_missing_submission():
    """Fails on a reconcile that only compares totals: drop one case and shift another's time."""
    rec = run()
    a = dict(rec.applications)
    a["t_submit"] = a["t_submit"].copy()
    a["t_submit"][0] += 1
    broken = pf.PlatformRecords.build(a, rec.accounts, rec.days_table, item_codes=rec.item_codes,
                                      item_names=rec.item_names, licence_names=rec.licence_names, start=rec.start,
                                      days=rec.days, seed=rec.seed, scenario_name=rec.scenario_name, meta=rec.meta)
    assert not pf.reconcile(hall_run(), broken)["case_by_case"]


def test_summary_daily_and_monthly_agree():
    rec = run()
    s = pf.summary(rec)
    d = pf.daily(rec)
    m = pf.monthly(rec)
    assert d["online_applications"].sum() == m["online_applications"].sum() == s["online_applications"] == len(rec)
    assert d["paper_avoided"].sum() == s["paper_avoided"]
    assert s["users"] == d["registered_users"].iloc[-1]
    assert 0 < s["full_online_rate"] <= 1 and 0 < s["online_rate"] < 1
    assert s["share_calls"] == 0 and s["benefits_paid"] == 0
    assert d.attrs["data_mark"] == "合成数据"


def test_records_are_read_only():
    rec = run()
    with pytest.raises(ValueError):
        rec.applications["state"][0] = 0
    with pytest.raises(ValueError):
        rec.accounts["level"][0] = 3


def test_city_summary_fills_share_calls_from_the_platforms_own_applications():
    from sandbox.platform.city import applications_by_day_and_item

    rec = run()
    demand = applications_by_day_and_item(rec)
    assert sum(demand.values()) == len(rec)
    s = pf.city_summary(rec)
    assert s["share_calls"] > 0 and s["benefits_paid"] >= 0
    assert pf.summary(rec)["share_calls"] == 0      # the platform records alone hold no sharing run


def test_a_hall_what_if_moves_the_platform():
    ps = pf.default_platform_scenario()
    more = ps.hall().evolve({"demand.online_share": 0.8})
    a = pf.summary(pf.simulate_platform(ps, 2, 3))
    b = pf.summary(pf.simulate_platform(ps, 2, 3, hall=more))
    assert b["full_online_matters"] > a["full_online_matters"]


def test_journey_is_masked_and_marked():
    from sandbox.base.population import build_population

    rec = run()
    hs = pf.default_platform_scenario().hall()
    pop = build_population(hs.population.seed, hs.population.citizens, hs.population.firms)
    j = pf.application_journey(rec, 3, pop)
    assert j[0]["data_mark"] == "合成数据" and "*" in j[0]["detail"]
    assert [s["step"] for s in j][1] == "网上申报"
