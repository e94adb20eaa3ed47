"""Acceptance rules a Haidong window officer would check (issue 14 points 1–4): each test fails on the old
behaviour."""
from __future__ import annotations

import numpy as np
import pytest

import sandbox as sb
from sandbox.hall.records import OUTCOME

from hall_runs import CITY


@pytest.fixture(scope="module")
def city_week() -> sb.Records:
    s = sb.default_scenario().only_hall(CITY).evolve({"behaviour.p_material_missing": 0.08,
                                                      "behaviour.p_missing_on_return": 0.2})
    return sb.simulate(s, 14, 5, online=False)


def test_missing_materials_lead_to_correction_not_refusal(city_week):
    """行政许可法 第三十二条 (四): missing or defective materials → 补正 with a 一次性告知, and the
    applicant comes back; 不予受理 is final and rare (outside competence, or 补正 failed)."""
    c = city_week.cases
    out = c["outcome"]
    corr = out == OUTCOME["补正"]
    refused = out == OUTCOME["不予受理"]
    assert corr.sum() > 100
    assert (c["missing"][corr] != 0).all()  # the one-time list is never empty
    s = sb.summary(city_week)
    assert s["correction_rate"] > 5 * s["refusal_rate"] > 0
    # 补正 cases come back for the same matter; 不予受理 is the last contact of its matter.
    m = c["matter_id"]
    later = {int(x) for x in m[c["visit_no"] > 1]}
    assert np.mean([int(x) in later for x in m[corr]]) > 0.5
    last_visit = {}
    for mid, v in zip(m.tolist(), c["visit_no"].tolist()):
        last_visit[mid] = max(v, last_visit.get(mid, 0))
    assert all(last_visit[int(mid)] == int(v) for mid, v in zip(m[refused], c["visit_no"][refused]))
    # A failed 补正 (still incomplete after the last round) ends in 不予受理.
    failed = refused & (c["visit_no"] > 1)
    assert failed.any() and (c["visit_no"][failed] > 2).all() and (c["missing"][failed] != 0).all()
    assert (c["missing"][refused & (c["visit_no"] == 1)] == 0).all()  # outside competence: no list
    assert s["refusal_rate"] < 0.01


def test_journey_tells_correction_and_refusal_apart(city_week):
    c = city_week.cases
    cid = int(c["case_id"][np.flatnonzero(c["outcome"] == OUTCOME["补正"])[0]])
    details = " ".join(step["detail"] for step in sb.case_journey(city_week, cid))
    assert "补正材料一次性告知书" in details and "不予受理" not in details


def test_correctable_flaws_are_corrected_on_the_spot(city_week):
    """行政许可法 第三十二条 (三): an unclear copy or a missing signature is corrected at the window; an
    即办件 is then still done on the spot — nobody is sent home for it."""
    c = city_week.cases
    fixed = c["outcome"] == OUTCOME["当场更正"]
    assert fixed.sum() > 50 and (c["missing"][fixed] != 0).all() and (c["t_done"][fixed] >= 0).all()
    s = sb.summary(city_week)
    assert 0 < s["spot_correction_rate"] < s["correction_rate"] + s["spot_correction_rate"]
    # fixed 即办件 are finished at the end of the window service
    from sandbox.hall.items import item_table
    inst = item_table().instant[c["item"]] & fixed & (c["bundle"] < 0)
    assert inst.any() and (c["t_done"][inst] - c["t_end"][inst] <= 60).all()
    cid = int(c["case_id"][np.flatnonzero(fixed)[0]])
    assert any("当场更正" in st["detail"] for st in sb.case_journey(city_week, cid))


def test_practice_decision_corrects_on_the_spot():
    from sandbox.practice.acceptance import Application, decide
    # the case: an 异地就医备案 (a 即办件) applicant with an unclear ID copy
    item = next(it for it in sb.get_catalog().items.values() if it.name.startswith("异地就医备案"))
    m = item.required_materials[0].name
    states = {x.name: "present" for x in item.required_materials}
    states[m] = ("flawed", "复印件不清晰")
    d = decide(Application.from_states(item, states))
    assert d.kind == "受理" and d.corrected and not d.one_time_list
    states[m] = ("flawed", "证件已过有效期")  # not correctable at the window
    assert decide(Application.from_states(item, states)).kind in ("补正", "容缺受理")


def test_bad_credit_excludes_pledge_and_rongque_only():
    """国办发〔2020〕42号: 失信 excludes 告知承诺 and 容缺; it is no ground for 不予受理."""
    base = sb.default_scenario().only_hall(CITY).evolve({"behaviour.p_material_missing": 0.1})
    honest = sb.simulate(base.evolve({"behaviour.p_dishonest": 0.0}), 5, 3, online=False)
    bad = sb.simulate(base.evolve({"behaviour.p_dishonest": 1.0}), 5, 3, online=False)
    o = bad.cases["outcome"]
    assert not np.isin(o, [OUTCOME["告知承诺"], OUTCOME["容缺受理"]]).any()
    assert np.isin(honest.cases["outcome"], [OUTCOME["告知承诺"], OUTCOME["容缺受理"]]).any()
    assert sb.summary(bad)["refusal_rate"] < 0.01


def test_bundle_core_materials_never_rongque_and_counted_by_meaning():
    from sandbox.hall.items import IDENTITY, item_table
    t = item_table()
    names = dict(zip(t.bundle_names, t.bundle_material_names))
    born = names["新生儿出生一件事"]
    assert "出生医学证明" not in born  # the birth hospital's result, linked into the bundle
    assert sum(IDENTITY == n for n in born) == 1 and not any("身份证" in n and n != IDENTITY for n in born)
    assert "营业执照" not in names["开办餐饮店一件事"]  # produced by the bundle's own registration
    s = sb.default_scenario().only_hall(CITY).evolve({"policy.bundle_share": 0.3,
                                                       "behaviour.p_material_missing": 0.15})
    rec = sb.simulate(s, 5, 4, online=False)
    c = rec.cases
    b = c["bundle"] >= 0
    rq = b & (c["outcome"] == OUTCOME["容缺受理"])
    corr = b & (c["outcome"] == OUTCOME["补正"])
    core = t.bundle_core[np.maximum(c["bundle"], 0)]
    assert rq.any() and corr.any()
    assert ((c["missing"][rq] & core[rq]) == 0).all()
    assert ((c["missing"][corr] & core[corr]) != 0).any()
