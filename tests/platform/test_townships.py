"""Townships: synthetic populations, language need, the 15-minute circle, levers and what-ifs."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.base.geography import COUNTIES
from sandbox.platform.townships import (LANGUAGE_NEED, Lever, Levers, ScenarioError, TownshipScenario,
                                        build_townships, figures, township_names, township_rows,
                                        what_if)
from sandbox.platform.townships_truth import score_plan, township_truth


def generate(s, seed):
    return build_townships(s, seed), township_truth(s, seed)


S = TownshipScenario()
OBSERVED, TRUTH = generate(S, 11)


def test_deterministic_per_seed_and_seeds_differ():
    assert generate(S, 11) == (OBSERVED, TRUTH)
    assert generate(S, 12)[1] != TRUTH
    assert build_townships(S, 11) == OBSERVED and township_truth(S, 11) == TRUTH


def test_every_geography_township_with_synthetic_villages():
    assert [t.name for t in TRUTH] == list(township_names())
    assert {t.county for t in TRUTH} == {c.name for c in COUNTIES}
    for t in TRUTH:
        assert t.villages[0].minutes == S.access_min  # the seat hosts the 便民服务中心
        assert all(v.name.startswith("模拟村") for v in t.villages[1:])


def test_out_migration_residents_fewer_and_older_than_registered():
    for o, t in zip(OBSERVED, TRUTH):
        assert t.population < o.population
        assert t.elderly_share >= o.elderly_share


def test_language_need_is_not_the_minority_share():
    assert LANGUAGE_NEED["回族"] == (0.0, 0.0) and LANGUAGE_NEED["汉族"] == (0.0, 0.0)
    by_county = {c.name: c for c in COUNTIES}
    for t in TRUTH:
        c = by_county[t.county]
        assert 0.0 <= t.language_share < max(c.minority_share, 0.2)
    hualong = [t.language_share for t in TRUTH if t.county.startswith("化隆")]
    xunhua = [t.language_share for t in TRUTH if t.county.startswith("循化")]
    # 化隆 is 83% minority but mostly 回族: it needs less language help than Salar/Tibetan 循化
    assert max(hualong) < min(xunhua)


def test_levers_move_the_figures_the_right_way():
    base = figures(TRUTH)
    more = figures(TRUTH, Levers(Lever(terminals=3, helpers=2, dialect_helpers=1, home_days=4)))
    assert more["within_15min"] > base["within_15min"]
    assert more["one_visit_language"] > base["one_visit_language"]
    assert more["one_visit_elderly"] > base["one_visit_elderly"]
    assert more["cost_wan"] > base["cost_wan"]
    # terminals alone: a service point in the village, but old people alone often fail at them
    alone = figures(TRUTH, Levers(Lever(terminals=3)))
    assert alone["within_15min"] > base["within_15min"]
    assert alone["one_visit_elderly"] < base["one_visit_elderly"]


def test_what_if_changes_one_township_only():
    w = what_if(TRUTH, "积石镇", dialect_helpers=2)
    assert w["change"]["one_visit_language"] > 0
    assert w["change"]["within_15min"] == 0
    assert w["after"]["data_mark"] == "合成数据"


def test_rows_are_marked_synthetic():
    rows = township_rows(OBSERVED)
    assert len(rows) == len(OBSERVED) and all(r["数据标识"] == "合成数据" for r in rows)
    # Review 2026-12: the trainee's table says its population is 户籍 and its language share a survey.
    assert "户籍人口" in rows[0] and any("抽样调查" in k for k in rows[0])
    truth_rows = township_rows(TRUTH, resident=True)
    assert "常住人口" in truth_rows[0] and "户籍人口" not in truth_rows[0]


def test_score_plan_judges_on_the_truth():
    lv = Levers(Lever(terminals=2, helpers=2))
    r = score_plan(S, 11, lv, budget_wan=100.0)
    assert r["real"] == figures(TRUTH, lv)
    assert r["planned"] == figures(OBSERVED, lv)
    assert r["within_budget"] is False
    assert score_plan(S, 11, lv)["within_budget"] is True


# ---- properties --------------------------------------------------------------------------------
levers = st.builds(Lever, terminals=st.integers(0, 30), helpers=st.integers(0, 10),
                   dialect_helpers=st.integers(0, 10), home_days=st.integers(0, 23))


@settings(max_examples=40, deadline=None)
@given(lv=levers, seed=st.integers(0, 50))
def test_figures_are_bounded(lv, seed):
    f = figures(generate(S, seed)[1], Levers(lv))
    for k in ("within_15min", "one_visit_elderly", "one_visit_language", "elderly_share", "language_share"):
        assert 0.0 <= f[k] <= 1.0, k
    assert f["cost_wan"] >= 0


@settings(max_examples=40, deadline=None)
@given(lv=levers, what=st.sampled_from(("helpers", "dialect_helpers", "home_days")), more=st.integers(1, 5))
def test_more_help_never_lowers_one_visit_rates(lv, what, more):
    import dataclasses
    up = dataclasses.replace(lv, **{what: min(getattr(lv, what) + more, 23)})
    a, b = figures(TRUTH, Levers(lv)), figures(TRUTH, Levers(up))
    assert b["one_visit_elderly"] >= a["one_visit_elderly"] - 1e-12
    assert b["one_visit_language"] >= a["one_visit_language"] - 1e-12


@settings(max_examples=30, deadline=None)
@given(lv=levers, more=st.integers(1, 10))
def test_more_terminals_never_shrink_the_15_minute_circle(lv, more):
    import dataclasses
    up = dataclasses.replace(lv, terminals=lv.terminals + more)
    assert figures(TRUTH, Levers(up))["within_15min"] >= figures(TRUTH, Levers(lv))["within_15min"]


# ---- bad input -------------------------------------------------------------------------------------
@pytest.mark.parametrize("kw, field", [
    ({"helpers": -1}, "levers.helpers"), ({"terminals": 1.5}, "levers.terminals"),
    ({"home_days": 40}, "levers.home_days"), ({"dialect_helpers": True}, "levers.dialect_helpers")])
def test_bad_lever_values_name_the_field(kw, field):
    with pytest.raises(ScenarioError) as e:
        Lever(**kw)
    assert e.value.field == field


def test_unknown_township_is_named():
    with pytest.raises(ScenarioError) as e:
        Levers(overrides={"不存在镇": Lever()})
    assert e.value.field == "levers.不存在镇"
    with pytest.raises(ScenarioError):
        what_if(TRUTH, "不存在镇", helpers=2)


@pytest.mark.parametrize("kw, field", [
    ({"p_return": 1.2}, "townships.p_return"), ({"speed_kmh": 0}, "townships.speed_kmh"),
    ({"villages": (5, 2)}, "townships.villages"), ({"p_return": 0.7, "p_return_language": 0.5},
                                                   "townships.p_return_language"),
    ({"nonsense": 1}, "townships")])
def test_bad_scenario_values_name_the_field(kw, field):
    with pytest.raises(ScenarioError) as e:
        S.evolve(**kw)
    assert e.value.field == field


def test_bad_budget_is_named():
    with pytest.raises(ScenarioError) as e:
        score_plan(S, 11, Levers(), budget_wan=-5)
    assert e.value.field == "townships.budget_wan"


def test_scenario_and_levers_from_plain_data():
    from sandbox.platform.townships import levers_from_dict, scenario_from_dict
    assert scenario_from_dict({"villages": [5, 9]}).villages == (5, 9)
    lv = levers_from_dict({"default": {"helpers": 2}, "overrides": {"积石镇": {"dialect_helpers": 3}}})
    assert lv.of("碾伯镇").helpers == 2 and lv.of("积石镇").dialect_helpers == 3
    for bad, field in (({"overrides": {"积石镇": {"staff": 1}}}, "levers.积石镇.staff"),
                       ({"default": {"helpers": -2}}, "levers.helpers"), ({"overrides": 3}, "levers.overrides"),
                       ({"budget": 1}, "levers.budget")):
        with pytest.raises(ScenarioError) as e:
            levers_from_dict(bad)
        assert e.value.field == field
    with pytest.raises(ScenarioError) as e:
        scenario_from_dict({"speed": 3})
    assert e.value.field == "townships.speed"
