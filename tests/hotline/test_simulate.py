"""The bulk simulation: determinism, legal paths, seasonality, texts, units, hot issues."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from sandbox.base.geography import COUNTIES
from sandbox.hotline.routing import build_units
from sandbox.hotline import HotlineScenario, hot_issue, replay, simulate
from sandbox.hotline.taxonomy import TICKET_TYPES
from sandbox.hotline.tickets import CHANNELS, check_invariants


def test_same_seed_same_tickets_and_months_independent(small_run):
    _, _, sc, df = small_run
    again = simulate(sc, 11).frame()
    pd.testing.assert_frame_equal(df, again)
    # June alone gives the same June as May–June (independent monthly streams)
    june = simulate(HotlineScenario(start=date(2024, 6, 1), months=1, monthly_volume=4_000,
                                    hot_issues=sc.hot_issues), 11).frame()
    got = df[df["received_at"] >= "2024-06-01"].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, june, check_dtype=False)
    assert not simulate(sc, 12).frame().equals(df)


def test_every_simulated_ticket_is_a_legal_path(small_run):
    _, _, _, df = small_run
    sample = pd.concat([df.sample(1500, random_state=3), df[df["status"] == "已并单"].head(50),
                        df[df["reopened_at"].notna()].head(50), df[df["returned_at"].notna()].head(50),
                        df[df["extended_at"].notna()].head(50), df[df["escalated_at"].notna()].head(50)])
    sample = sample[~sample["number"].duplicated()]
    tickets = replay(sample)
    assert len(tickets) == len(sample)
    for t in tickets:
        assert check_invariants(t) == [], t.number
    states = {t.state.value for t in tickets}
    assert {"已评价", "已办结", "已并单"} <= states


def test_every_closed_ticket_has_ordered_timestamps(small_run):
    _, _, _, df = small_run
    order = ["received_at", "dispatched_at", "returned_at", "reassigned_at", "signed_at", "handled_at", "replied_at",
             "closed_at", "followed_up_at", "reopened_at", "replied2_at", "closed2_at", "followed_up2_at"]
    closed = df[df["closed_at"].notna()]
    t = closed[order].to_numpy(dtype="datetime64[s]").astype("int64").astype(float)
    t[closed[order].isna().to_numpy()] = np.nan
    for i, row in enumerate(t):
        seen = row[~np.isnan(row)]
        assert np.all(np.diff(seen) >= 0), closed.iloc[i]["number"]
    assert (closed["signed_at"].isna() == closed["direct"]).all()


def test_a_stored_ticket_opens_with_its_full_history(small_run):
    from sandbox.storage.hotline import load_ticket

    db, run_id, _, df = small_run
    number = df[df["reopened_at"].notna()].iloc[0]["number"]
    t = load_ticket(db, run_id, number)
    actions = [e.action for e in t.history]
    assert actions[:3] == ["受理", "分类", "派单"] or actions[:3] == ["受理", "分类", "改派"] or "退单" in actions
    assert actions.count("回访") >= 1 and "重办" in actions and actions.count("办结") == 2
    with pytest.raises(KeyError, match="没有工单"):
        load_ticket(db, run_id, "HD000000-000000")


def test_rating_skew_is_a_scenario_lever():
    happy = simulate(HotlineScenario(start=date(2024, 3, 1), months=1, monthly_volume=1500, satisfaction_shift=2.5,
                                     population_seed=0), 6).frame()
    angry = simulate(HotlineScenario(start=date(2024, 3, 1), months=1, monthly_volume=1500, satisfaction_shift=-1.5,
                                     population_seed=0), 6).frame()
    top = lambda d: (d["rating"] == "非常满意").sum() / d["rating"].notna().sum()  # noqa: E731
    bad = lambda d: d["rating"].isin(["不满意", "非常不满意"]).sum() / d["rating"].notna().sum()  # noqa: E731
    assert top(happy) > 0.9 and bad(happy) < 0.005  # Haixi: 98.7% 非常满意, no 差评
    assert bad(angry) > 0.15


def test_fields_and_shares_are_plausible(small_run):
    _, _, _, df = small_run
    assert set(df["channel"]) <= set(CHANNELS) and "方言专席" in set(df["channel"])
    assert set(df["ticket_type"]) == set(TICKET_TYPES)
    assert set(df["county"]) == {c.name for c in COUNTIES}
    assert df["number"].is_unique
    assert (df["status"] == "不予受理").mean() < 0.03
    fol = df[df["followed_up_at"].notna()]
    good = fol["rating"].isin(["非常满意", "满意"]).mean()
    assert 0.85 < good < 0.97  # Xining June 2024: 614/670 = 91.6%
    # follow-ups happen in the daytime
    h = fol["followed_up_at"].dt.hour
    assert ((h >= 9) & (h < 20)).all()
    # assisting units appear on cross-department matters
    assert (df["assist_units"].fillna("") != "").sum() > 0


def test_texts_are_concrete_varied_and_synthetic(small_run):
    _, _, _, df = small_run
    texts = df["text"]
    assert not texts.str.contains(r"[{}]").any(), "unfilled template slot"
    assert texts.nunique() > 0.8 * len(texts)
    towns = {t for c in COUNTIES for t in c.townships}
    has_place = texts.apply(lambda s: any(t in s for t in towns) or any(c.short in s for c in COUNTIES))
    assert has_place.mean() > 0.5
    assert texts.str.contains(r"\d").mean() > 0.4  # numbers: days, amounts, buildings
    # no real-looking full mobile number in a text
    assert not texts.str.contains(r"1[3-9]\d{9}").any()


def test_seasonality_heating_in_winter_arrears_before_spring_festival():
    jan = simulate(HotlineScenario(start=date(2024, 1, 1), months=1, monthly_volume=3000), 4).frame()
    jul = simulate(HotlineScenario(start=date(2024, 7, 1), months=1, monthly_volume=3000), 4).frame()
    apr = simulate(HotlineScenario(start=date(2024, 4, 1), months=1, monthly_volume=3000), 4).frame()

    def share(d, cat):
        return (d["level2"] == cat).mean()
    assert share(jan, "供暖不热") > 5 * share(jul, "供暖不热")
    assert share(jan, "农民工工资拖欠") > 2 * share(jul, "农民工工资拖欠")
    assert share(apr, "灌溉用水") > 2 * share(jan, "灌溉用水")
    assert share(apr, "城市道路破损") > share(jan, "城市道路破损")


def test_default_volume_and_county_rates():
    df = simulate(HotlineScenario(start=date(2024, 3, 1), months=1), 8).frame()
    assert 15_000 < len(df) < 21_000  # ≈18,000 a month
    per_cap = df["county"].value_counts() / pd.Series({c.name: c.population for c in COUNTIES})
    assert per_cap["平安区"] > per_cap["化隆回族自治县"]


def test_units_differ_in_speed_and_quality(small_run):
    _, _, _, df = small_run
    units = build_units(11)
    speeds = np.array([u.speed for u in units.values()])
    assert speeds.max() / speeds.min() > 1.8
    d = df[df["dispatched_at"].notna()].copy()
    d["days"] = (d["replied_at"] - d["signed_at"]).dt.total_seconds() / 86400
    by = d.groupby("lead_unit")["days"].median()
    assert by.max() > 2 * by.min()


def test_hot_issue_is_injected_where_and_when_asked(small_run):
    _, _, _, df = small_run
    hot = df[df["hot_issue"].notna()]
    assert len(hot) > 50
    assert set(hot["county"]) == {"民和回族土族自治县"} and set(hot["level2"]) == {"停水"}
    assert hot["received_at"].min() >= pd.Timestamp("2024-06-10")


def test_scenario_is_validated():
    with pytest.raises(ValueError, match="followup_share"):
        HotlineScenario(followup_share=1.5)
    with pytest.raises(ValueError, match="start"):
        HotlineScenario(start=date(2024, 1, 5))
    with pytest.raises(ValueError, match="county"):
        hot_issue("water", "西宁市", date(2024, 1, 5))


def test_scenario_errors_name_the_field_and_nothing_inside_can_change():
    from sandbox.hotline import ScenarioError

    with pytest.raises(ScenarioError) as e:
        HotlineScenario(reopen_share=-0.1)
    assert e.value.field == "reopen_share"
    rates = {c.name: 1.0 for c in COUNTIES}
    sc = HotlineScenario(county_rates=rates)
    rates["乐都区"] = 99.0  # the caller's dict is not the scenario's
    assert sc.county_rates["乐都区"] == 1.0
    with pytest.raises(TypeError):
        sc.county_rates["乐都区"] = 2.0
    with pytest.raises(TypeError):
        sc.policy.days_by_type["咨询"] = 1
    hash(sc)  # frozen all the way down: usable as a cache key


def test_records_are_frozen_and_pandas_only_at_the_edge():
    rec = simulate(HotlineScenario(start=date(2024, 3, 1), months=1, monthly_volume=300), 3)
    assert len(rec) == len(rec.frame()) and list(rec.frame().columns) == list(rec.columns)
    with pytest.raises(ValueError):
        rec["rating"][0] = "非常满意"
    with pytest.raises(TypeError):
        rec.columns["rating"] = None
    df = rec.frame()
    df.loc[0, "rating"] = "changed"  # the frame is a copy
    assert rec["rating"][0] != "changed"
