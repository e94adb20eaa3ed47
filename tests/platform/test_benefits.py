"""免申即享: registry, policies as data, matching, confirmation, payment, 快申快享, scoring."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.base.ids import is_valid_uscc
from sandbox.platform.benefits import (INSUFFICIENT, MATCH, BenefitsScenario, Criterion, ScenarioError,
                                       benefits_paid, benefits_paid_for, benefits_summary, build_registry,
                                       case_rows, default_policies, load_policies, match, match_sets,
                                       simulate_benefits, with_criteria)
from sandbox.platform.benefits_registry import REGISTRY_FIELDS, registry_rows
from sandbox.platform.benefits_truth import ground_truth, score_rules

SMALL = BenefitsScenario(citizens=2000, firms=400)
PERFECT = SMALL.evolve(p_missing={g: 0.0 for g in SMALL.p_missing}, p_error={g: 0.0 for g in SMALL.p_error})


@pytest.fixture(scope="module")
def run():
    return simulate_benefits(SMALL, 7)


@pytest.fixture(scope="module")
def registry():
    return build_registry(SMALL, 7)


def _key(r):
    return [(c.policy, c.fid, c.route, c.confirmed, c.applied, c.paid, c.amount) for c in r.cases]


def test_same_seed_same_run_other_seed_differs(run):
    assert _key(simulate_benefits(SMALL, 7)) == _key(run)
    assert _key(simulate_benefits(SMALL, 8)) != _key(run)


def test_shipped_policies_are_data_and_cover_the_plan():
    names = {p.name for p in default_policies()}
    assert {"失业保险稳岗返还", "一次性吸纳就业补贴", "创业担保贷款贴息"} <= names
    assert any("小微" in n for n in names)


def test_registry_has_gaps_and_errors_but_no_truth(registry):
    facts_free = {f for r in registry for f in r.values}
    assert facts_free <= set(REGISTRY_FIELDS)
    assert any(r.missing() for r in registry), "a realistic registry has gaps"
    assert all(is_valid_uscc(r.uscc) for r in registry)
    rows = registry_rows(registry, 50)
    assert all(row["数据标识"] == "合成数据" for row in rows)
    assert any("未共享" in row.values() for row in rows)


def test_match_verdicts():
    p = default_policies()[0]
    good = {"kind": "企业", "ui_months": 24, "insured": 5, "layoff_rate": 0.0, "bad_credit": False}
    assert match(p, good) == MATCH
    assert match(p, {**good, "bad_credit": True}) == "不符合"
    assert match(p, {**good, "ui_months": None}) == INSUFFICIENT
    # a known failure wins over a missing value
    assert match(p, {**good, "ui_months": None, "bad_credit": True}) == "不符合"


def test_kuaishen_pays_within_60_working_days_and_only_after_an_application(run):
    truth = ground_truth(SMALL, 7)
    score = score_rules(run, truth)
    assert run.cases and any(c.route == "快申快享" and c.paid for c in run.cases)
    for v in score["policies"].values():
        assert v["max_kuaishen_days"] <= 60
    assert all(c.applied is not None for c in run.cases if c.route == "快申快享" and c.paid)
    assert all(c.confirmed is not None for c in run.cases if c.route == "免申即享" and c.paid)


def test_summary_and_benefits_paid_for_the_platform(run):
    s = benefits_summary(run)
    assert s["data_mark"] == "合成数据"
    assert s["benefits_paid"] == benefits_paid(run) > 0
    # payments after the span's last day are not counted (DB-2024 matches on 10-10, pays later)
    short = simulate_benefits(SMALL.evolve(days=288), 7)
    assert short.scenario.end == date(2024, 10, 14)
    assert 0 < benefits_paid(short) < sum(c.paid is not None for c in short.cases)
    # a span that holds no match date pays nothing
    assert benefits_paid_for(7, date(2024, 1, 1), 30, SMALL) == 0
    assert benefits_paid_for(7, date(2024, 1, 1), 366, SMALL) == benefits_paid(run)


def test_case_rows_mask_the_credit_code(run):
    rows = case_rows(run, 20)
    assert rows and all(row["数据标识"] == "合成数据" for row in rows)
    for row, c in zip(rows, run.cases):
        assert row["统一社会信用代码"] != c.uscc and "******" in row["统一社会信用代码"]


def test_rules_change_the_score_as_they_should(run):
    truth = ground_truth(SMALL, 7)
    base = score_rules(run, truth)["policies"]["WG-2024"]
    p = next(p for p in SMALL.policies if p.code == "WG-2024")
    strict = with_criteria(SMALL, "WG-2024", p.criteria + (Criterion("employees", ">=", 50),))
    assert score_rules(simulate_benefits(strict, 7), truth)["policies"]["WG-2024"]["found"] < base["found"]
    reject = with_criteria(SMALL, "WG-2024", p.criteria, on_missing="reject")
    assert score_rules(simulate_benefits(reject, 7), truth)["policies"]["WG-2024"]["found"] < base["found"]
    loose = with_criteria(SMALL, "WG-2024", p.criteria, on_missing="assume_pass")
    assert score_rules(simulate_benefits(loose, 7), truth)["policies"]["WG-2024"]["wrongly_paid"] > base["wrongly_paid"]


def test_truth_is_judged_on_the_published_policy_not_on_an_edited_rule():
    p = SMALL.policies[0]
    edited = with_criteria(SMALL, p.code, (Criterion("employees", ">=", 0),))
    assert ground_truth(edited, 7) == ground_truth(SMALL, 7)


# ---- properties --------------------------------------------------------------------------------
_NUMERIC = ("employees", "insured", "ui_months", "layoffs", "new_hires", "revenue_wan", "firm_age_years",
            "startup_loan_yuan", "ui_paid_yuan", "layoff_rate")
criteria = st.builds(Criterion, st.sampled_from(_NUMERIC), st.sampled_from((">=", "<=", ">", "<", "==", "!=")),
                     st.integers(0, 60))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(base=st.lists(criteria, min_size=1, max_size=4), extra=criteria)
def test_matching_is_monotonic_in_criteria(registry, base, extra):
    """Adding a criterion never adds a firm to the matched set, nor to matched-or-insufficient."""
    import dataclasses
    p = dataclasses.replace(default_policies()[0], criteria=tuple(base))
    q = dataclasses.replace(p, criteria=tuple(base) + (extra,))
    a, b = match_sets(p, registry), match_sets(q, registry)
    assert b[MATCH] <= a[MATCH]
    assert b[MATCH] | b[INSUFFICIENT] <= a[MATCH] | a[INSUFFICIENT]


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 10_000), p_false=st.floats(0.0, 1.0))
def test_perfect_data_never_pay_the_ineligible(seed, p_false):
    s = PERFECT.evolve(p_false_confirm=p_false)
    score = score_rules(simulate_benefits(s, seed), ground_truth(s, seed))
    assert score["wrongly_paid"] == 0
    assert not any(c.route == "快申快享" for c in simulate_benefits(s, seed).cases)


def test_kuaishen_review_rejects_the_ineligible_who_apply():
    """Gaps but no errors: matched firms are eligible, so any wrong payment would come from the review."""
    s = SMALL.evolve(p_error={g: 0.0 for g in SMALL.p_error}, p_false_confirm=0.0, p_apply_ineligible=1.0)
    r = simulate_benefits(s, 3)
    truth = ground_truth(s, 3)
    applied_ineligible = [c for c in r.cases if c.route == "快申快享" and c.applied and c.fid not in truth[c.policy]]
    assert applied_ineligible, "the scenario must make ineligible firms apply"
    assert score_rules(r, truth)["wrongly_paid"] == 0


# ---- bad input -------------------------------------------------------------------------------------
@pytest.mark.parametrize("changes, field", [
    ({"p_confirm": 1.5}, "benefits.p_confirm"),
    ({"days": 0}, "benefits.days"),
    ({"p_missing": {"公安": 0.1}}, "benefits.p_missing.公安"),
    ({"p_error": {"人社": -0.1}}, "benefits.p_error.人社"),
    ({"review_days": (5, 58)}, "benefits.review_days"),
    ({"confirm_days": (9, 3)}, "benefits.confirm_days"),
    ({"kuaishen_limit_days": 90}, "benefits.kuaishen_limit_days"),
    ({"no_such_lever": 1}, "benefits"),
])
def test_bad_scenario_values_name_the_field(changes, field):
    with pytest.raises(ScenarioError) as e:
        SMALL.evolve(**changes)
    assert e.value.field == field
    assert "场景参数" in str(e.value)


_OK = '''[[policies]]
code = "X"
name = "测试补贴"
department = "人社局"
match_date = "2024-03-01"
criteria = [{ field = "employees", op = ">=", value = 1 }]
'''


@pytest.mark.parametrize("text, field", [
    (_OK.replace('op = ">="', 'op = "≥"'), "policies[0].criteria[0].op"),
    (_OK.replace('field = "employees"', 'field = "salary"'), "policies[0].criteria[0].field"),
    (_OK.replace("value = 1", 'value = "一"'), "policies[0].criteria[0].value"),
    (_OK.replace('"2024-03-01"', '"2024-13-01"'), "policies[0].match_date"),
    (_OK.replace('criteria = [{ field = "employees", op = ">=", value = 1 }]', "criteria = []"), "policies[0].criteria"),
    (_OK.replace('name = "测试补贴"', 'name = ""'), "policies[0].name"),
    (_OK + 'on_missing = "ignore"\n', "policies[0].on_missing"),
    (_OK + _OK, "policies"),
    ("policies = [", "policies"),
])
def test_bad_policy_files_name_the_field(text, field):
    with pytest.raises(ScenarioError) as e:
        load_policies(text)
    assert e.value.field == field


def test_a_good_policy_file_loads():
    (p,) = load_policies(_OK)
    assert p.match_date == date(2024, 3, 1) and p.criteria == (Criterion("employees", ">=", 1),)


def test_with_criteria_rejects_unknown_policy_and_empty_rule():
    with pytest.raises(ScenarioError):
        with_criteria(SMALL, "NOPE", [Criterion("employees", ">=", 1)])
    with pytest.raises(ScenarioError):
        with_criteria(SMALL, "WG-2024", [])


def test_explain_says_which_criterion_failed_or_is_missing(registry):
    from sandbox.platform.benefits import explain
    p = default_policies()[0]
    gap = next(r for r in registry if match(p, r.values) == INSUFFICIENT)
    rows = explain(p, gap)
    assert len(rows) == len(p.criteria) and all(r["数据标识"] == "合成数据" for r in rows)
    assert any(r["判断"] == "数据缺失" and r["登记库数值"] == "未共享" for r in rows)
    assert not any(r["判断"] == "不满足" for r in rows)
    ok = next(r for r in registry if match(p, r.values) == MATCH)
    assert {r["判断"] for r in explain(p, ok)} == {"满足"}


def test_policies_are_matched_once_a_year_in_the_span():
    from sandbox.platform.benefits import rounds
    p = default_policies()[0]  # 03-15
    assert rounds(p, date(2024, 1, 1), date(2024, 12, 31)) == [date(2024, 3, 15)]
    assert rounds(p, date(2024, 4, 1), date(2026, 3, 14)) == [date(2025, 3, 15)]
    assert rounds(p, date(2024, 4, 1), date(2024, 12, 31)) == []
    two = simulate_benefits(SMALL.evolve(days=731), 7)  # 2024 and 2025
    assert {c.notified.year for c in two.cases} == {2024, 2025}
    assert benefits_paid_for(7, date(2025, 1, 1), 365, SMALL) > 0


def test_scenario_from_plain_data_and_its_bad_values():
    from sandbox.platform.benefits import scenario_from_dict
    s = scenario_from_dict({"start": "2025-01-01", "days": 90, "confirm_days": [1, 5], "p_missing": {"人社": 0.2}})
    assert s.start == date(2025, 1, 1) and s.confirm_days == (1, 5)
    assert s.p_missing["人社"] == 0.2 and s.p_missing["税务"] == BenefitsScenario().p_missing["税务"]
    for bad, field in (({"start": "明天"}, "benefits.start"), ({"speed": 1}, "benefits.speed"),
                       ({"p_apply": "高"}, "benefits.p_apply"), ({"p_error": 0.1}, "benefits.p_error"),
                       ({"policies": []}, "policies"), ("x", "benefits")):
        with pytest.raises(ScenarioError) as e:
            scenario_from_dict(bad)
        assert e.value.field == field


def test_policies_as_a_renshe_office_states_them():
    # Review 2026-12: full department names; the 小微企业和个体工商户 subsidy is for those two kinds
    # only; 稳岗返还 returns a share of what the firm *and its staff* paid (rate 1% in all).
    pols = {p.code: p for p in default_policies()}
    assert all(p.department.startswith("海东市") for p in pols.values())
    xw = pols["XW-2024"]
    firm = {"kind": "农民专业合作社", "employees": 8, "revenue_wan": 50.0, "industry": "餐饮", "bad_credit": False}
    assert match(xw, firm) != MATCH and match(xw, {**firm, "kind": "个体工商户"}) == MATCH
    reg = [r for r in build_registry(PERFECT, 7) if r.get("insured")]
    r = max(reg, key=lambda r: r.get("insured"))
    per_head_year = r.get("ui_paid_yuan") / r.get("insured")
    assert 3200 * 12 * 0.01 - 1 <= per_head_year <= 5200 * 12 * 0.01 + 1
