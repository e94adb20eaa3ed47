"""Acceptance rules (DOMAIN §2, §5, §6) on concrete cases, and the exercise case generator."""
from __future__ import annotations

import random
from collections import Counter
from datetime import date

import numpy as np
import pytest

from sandbox.practice.acceptance import (DEFAULT_POLICY, AcceptancePolicy, Application, SubmittedMaterial, decide,
                                make_application)
from sandbox.base.catalog import load_catalog
from sandbox.base.population import build_population
from sandbox.base.calendar import default_calendar

CAT = load_catalog()
CAL = default_calendar()
DAY = date(2024, 3, 4)  # a Monday, a working day


@pytest.fixture(scope="module")
def pop():
    return build_population(11, 2_000, 300)


def app(name: str, *, missing=(), flawed=(), optional=(), flaw="证件已过有效期", **kw) -> Application:
    """All required materials present except those named; optional ones listed as given."""
    item = CAT.by_name(name)
    subs = []
    for m in item.materials:
        if m.name in missing:
            subs.append(SubmittedMaterial(m.name, "missing"))
        elif m.name in flawed:
            subs.append(SubmittedMaterial(m.name, "flawed", flaw))
        elif m.required or m.name in optional:
            subs.append(SubmittedMaterial(m.name, "present"))
    return Application(item=item, materials=tuple(subs), applied_on=kw.pop("applied_on", DAY), **kw)


# ---- 受理 --------------------------------------------------------------------------------------

def test_complete_commitment_item_is_accepted_with_due_date():
    d = decide(app("不动产转移登记（二手房买卖）"))
    assert d.kind == "受理" and d.accepted and not d.on_the_spot
    assert d.due == CAL.add_working_days(DAY, 5) == date(2024, 3, 11)
    assert d.one_time_list == () and ("承诺办结期限", d.due) in d.deadlines


def test_complete_instant_item_is_done_on_the_spot():
    d = decide(app("个人参保证明及权益记录打印"))
    assert d.kind == "受理" and d.on_the_spot and ("当场办结", DAY) in d.deadlines


def test_due_date_skips_holidays():
    # 2024-09-30 + 5 working days crosses National Day (Oct 1–7); Saturday Oct 12 is a working day.
    d = decide(app("不动产转移登记（二手房买卖）", applied_on=date(2024, 9, 30)))
    assert d.due == date(2024, 10, 12)


# ---- 补正 with a complete one-time list ---------------------------------------------------------

def test_incomplete_gets_complete_one_time_list():
    d = decide(app("不动产转移登记（二手房买卖）", missing=("不动产登记申请书", "完税凭证"), flawed=("不动产权证书",)))
    assert d.kind == "补正" and not d.accepted
    assert d.outstanding == ("不动产登记申请书", "不动产权证书", "完税凭证")  # item order, all of them
    flawed = d.one_time_list[1]
    assert flawed.problem.startswith("有瑕疵") and "有效期" in flawed.problem
    text = d.notice_text()
    assert "一次性" in text and all(m in text for m in d.outstanding)
    assert dict(d.deadlines)["一次性告知（当场出具）"] == DAY
    assert date(2024, 3, 11) in dict(d.deadlines).values()  # 5 working days: else deemed accepted


def test_correctable_flaw_is_corrected_on_the_spot_not_listed():
    # 行政许可法 第三十二条 (三): a missing signature is corrected at the window, not a 补正.
    d = decide(app("不动产转移登记（二手房买卖）", flawed=("不动产权证书",), flaw="缺少申请人签字"))
    assert d.kind == "受理" and d.one_time_list == () and d.corrected == ("不动产权证书（缺少申请人签字）",)
    d = decide(app("不动产转移登记（二手房买卖）", missing=("完税凭证",), flawed=("不动产权证书",), flaw="份数不足"))
    assert d.kind == "补正" and d.outstanding == ("完税凭证",) and d.corrected


def test_unlisted_required_material_counts_as_missing():
    item = CAT.by_name("食品经营许可")
    d = decide(Application(item=item, materials=(), applied_on=DAY))
    assert d.kind == "补正"
    assert set(d.outstanding) == {m.name for m in item.materials if m.required}


def test_optional_material_only_when_needed():
    name = "无犯罪记录证明开具"
    assert decide(app(name)).kind == "受理"  # not delegated: the 委托书 is not needed
    d = decide(app(name, missing=("授权委托书及受托人身份证件",), optional=("授权委托书及受托人身份证件",)))
    assert d.kind == "补正" and d.outstanding == ("授权委托书及受托人身份证件",)


# ---- e-licences -----------------------------------------------------------------------------------

def test_elicence_removes_the_material_it_covers():
    a = app("不动产转移登记（二手房买卖）", missing=("不动产权证书",), elicences=frozenset({"不动产权证书"}))
    d = decide(a)
    assert d.kind == "受理" and d.by_elicence == ("不动产权证书",)
    assert any("电子证照" in r for r in d.reasons)
    assert decide(a, AcceptancePolicy(elicence_enabled=False)).kind == "补正"


def test_elicence_only_for_materials_that_allow_it():
    a = app("不动产转移登记（二手房买卖）", missing=("不动产登记申请书",), elicences=frozenset({"不动产登记申请书"}))
    assert decide(a).kind == "补正"


# ---- 容缺受理 ----------------------------------------------------------------------------------------

RQ = "食品经营许可"  # 经营场所平面布局图 may be supplied later; promised 5 days


def test_rongque_secondary_material_missing():
    d = decide(app(RQ, missing=("经营场所平面布局图",)))
    assert d.kind == "容缺受理" and d.accepted
    (entry,) = d.one_time_list
    assert entry.material == "经营场所平面布局图" and entry.deadline == CAL.add_working_days(DAY, 5)
    assert entry.deadline <= d.due and ("容缺材料补交期限", entry.deadline) in d.deadlines
    assert "容缺受理通知书" in d.notice_text() and "2024年03月11日" in d.notice_text()


def test_rongque_flawed_secondary_material():
    assert decide(app(RQ, flawed=("经营场所平面布局图",))).kind == "容缺受理"


def test_rongque_deadline_capped_by_policy():
    d = decide(app(RQ, missing=("经营场所平面布局图",)), AcceptancePolicy(rongque_max_days=2))
    assert d.one_time_list[0].deadline == CAL.add_working_days(DAY, 2)


@pytest.mark.parametrize("kwargs,policy,why", [
    ({"missing": ("经营场所平面布局图", "食品安全管理制度文本")}, DEFAULT_POLICY, "核心材料不能容缺"),
    ({"missing": ("经营场所平面布局图", "营业执照")}, DEFAULT_POLICY, "核心材料不能容缺"),
    ({"missing": ("经营场所平面布局图",), "serious_bad_credit": True}, DEFAULT_POLICY, "失信"),
    ({"missing": ("经营场所平面布局图",), "false_pledge_before": True}, DEFAULT_POLICY, "虚假承诺"),
    ({"missing": ("经营场所平面布局图",), "rongque_consent": False}, DEFAULT_POLICY, "未签署容缺承诺书"),
    ({"missing": ("经营场所平面布局图",)}, AcceptancePolicy(rongque_enabled=False), "未开展容缺受理"),
])
def test_rongque_refused(kwargs, policy, why):
    d = decide(app(RQ, **kwargs), policy)
    assert d.kind == "补正" and any(why in r for r in d.reasons), d.reasons
    assert "经营场所平面布局图" in d.outstanding  # the one-time list still names everything


def test_no_rongque_for_items_that_do_not_allow_it():
    # 婚姻状况证明-free case: a secondary, non-core material missing in a non-容缺 item.
    d = decide(app("住房公积金个人住房贷款", missing=("首付款凭证",)))
    assert d.kind == "补正" and d.outstanding == ("首付款凭证",)


# ---- 告知承诺 ----------------------------------------------------------------------------------------

PL = "公共场所卫生许可"  # 卫生检测或评价报告 may be replaced by a pledge


def test_pledge_replaces_pledgeable_material():
    d = decide(app(PL, missing=("公共场所卫生检测或评价报告",), pledge_signed=True))
    assert d.kind == "告知承诺" and d.accepted and d.by_pledge == ("公共场所卫生检测或评价报告",)
    assert any("承诺不实" in r for r in d.reasons)


def test_pledge_is_the_applicants_choice():
    d = decide(app(PL, missing=("公共场所卫生检测或评价报告",)))
    assert d.kind == "补正" and d.outstanding == ("公共场所卫生检测或评价报告",)


@pytest.mark.parametrize("flag,why", [("serious_bad_credit", "严重失信"), ("false_pledge_before", "虚假承诺")])
def test_pledge_excluded_for_dishonest_applicants(flag, why):
    d = decide(app(PL, missing=("公共场所卫生检测或评价报告",), pledge_signed=True, **{flag: True}))
    assert d.kind == "补正" and d.by_pledge == () and any(why in r for r in d.reasons)


def test_pledge_cannot_replace_core_material():
    d = decide(app(PL, missing=("公共场所卫生检测或评价报告", "卫生管理制度"), pledge_signed=True))
    assert d.kind == "补正" and d.outstanding == ("卫生管理制度",) and d.by_pledge


def test_pledge_not_offered_where_item_excludes_it():
    item = CAT.by_name("住房公积金个人住房贷款")
    # The catalogue no longer marks 收入证明 pledge-able (a loan allows no 告知承诺; the loader refuses a
    # pledge flag there), but an applicant may still sign a pledge: it must not be applied.
    assert not item.pledge_allowed
    d = decide(app("住房公积金个人住房贷款", missing=("收入证明",), pledge_signed=True))
    assert d.kind == "补正" and any("不实行告知承诺" in r for r in d.reasons)
    assert decide(app(PL, missing=("公共场所卫生检测或评价报告",), pledge_signed=True),
                  AcceptancePolicy(pledge_enabled=False)).kind == "补正"


# ---- 不予受理 ----------------------------------------------------------------------------------------

def test_conditions_not_met_is_refused():
    item = CAT.by_name("食品经营许可")
    d = decide(app(RQ, unmet_conditions=(item.conditions[0],)))
    assert d.kind == "不予受理" and not d.accepted
    assert item.conditions[0] in d.reasons[0] and any("行政复议" in r for r in d.reasons)
    d2 = decide(app("高龄补贴申领", unmet_conditions=("具有海东市户籍、年满80周岁的老年人",)))
    assert d2.kind == "不予受理" and not any("行政复议" in r for r in d2.reasons)


# ---- generated cases ---------------------------------------------------------------------------------

def test_make_application_deterministic(pop):
    it = CAT.by_name("食品经营许可")
    assert make_application(it, random.Random(3), pop, "hard") == make_application(it, random.Random(3), pop, "hard")
    a = make_application(it, np.random.default_rng(3), pop, 2)
    assert a == make_application(it, np.random.default_rng(3), pop, "medium")
    assert a.firm is not None and a.firm.industry in ("餐饮", "拉面", "超市", "农产品")
    assert a.applicant.pid == a.firm.legal_rep_pid
    assert CAL.is_working_day(a.applied_on)


def test_make_application_realistic_applicants(pop):
    r = random.Random(1)
    for _ in range(20):
        assert make_application(CAT.by_name("高龄补贴申领"), r, pop).applicant.age >= 80
        assert make_application(CAT.by_name("居民身份证申领"), r, pop).firm is None


def test_bad_difficulty(pop):
    with pytest.raises(ValueError):
        make_application(ITEM0 := CAT.by_name("食品经营许可"), random.Random(0), pop, "extreme")
    with pytest.raises(ValueError):
        make_application(ITEM0, random.Random(0), pop, 4)


def test_generated_cases_obey_invariants(pop):
    r = random.Random(77)
    kinds = {d: Counter() for d in ("easy", "medium", "hard")}
    for diff in kinds:
        for it in CAT.items.values():
            for _ in range(8):
                a = make_application(it, r, pop, diff)
                d = decide(a)
                kinds[diff][d.kind] += 1
                if diff == "easy":
                    assert all(s.state != "flawed" for s in a.materials) and not a.dishonest
                if d.kind == "补正":
                    assert d.one_time_list
                if d.kind == "容缺受理":
                    assert it.rongque_allowed and not a.dishonest
                    assert all(not it.material(e.material).core for e in d.one_time_list)
                    assert all(e.deadline <= d.due for e in d.one_time_list)
                if d.kind == "告知承诺":
                    assert a.pledge_signed and it.pledge_allowed and not a.dishonest
                if d.accepted:
                    assert d.due >= a.applied_on
                for name in d.outstanding:
                    assert name not in d.by_elicence and name not in d.by_pledge
                assert "合成数据" in a.describe()
    for diff, c in kinds.items():
        assert c["受理"] > 0 and c["补正"] > 0, (diff, c)
    assert kinds["hard"]["补正"] + kinds["hard"]["不予受理"] > kinds["easy"]["补正"] + kinds["easy"]["不予受理"]
    assert kinds["easy"]["不予受理"] == 0
    assert all(c["容缺受理"] > 0 and c["告知承诺"] > 0 for c in (kinds["medium"], kinds["hard"]))


def test_grade_decision():
    from sandbox.practice.acceptance import grade_decision
    a = app("不动产转移登记（二手房买卖）", missing=("不动产登记申请书", "完税凭证"), elicences=frozenset({"不动产权证书"}))
    right = grade_decision(a, "补正", ["完税凭证", "不动产登记申请书"])
    assert right.perfect and right.score == 1.0 and "清单完整准确" in right.feedback
    omitted = grade_decision(a, "补正", ["完税凭证", "不动产权证书"])
    assert omitted.omitted == ("不动产登记申请书",) and omitted.extra == ("不动产权证书",)
    assert omitted.score == pytest.approx(0.5 + 0.5 / 3, abs=1e-3) and "多跑一趟" in omitted.feedback
    wrong_kind = grade_decision(a, "受理", [])
    assert not wrong_kind.kind_correct and wrong_kind.score == 0.0 and "应作出“补正”" in wrong_kind.feedback
    ok = grade_decision(app(RQ, missing=("经营场所平面布局图",)), "容缺受理", ["经营场所平面布局图"])
    assert ok.perfect
    assert grade_decision(app(RQ), "受理").score == 1.0
    with pytest.raises(ValueError):
        grade_decision(a, "同意")


def test_application_from_states():
    item = CAT.by_name("食品经营许可")
    states = {m.name: "present" for m in item.materials}
    states["经营场所平面布局图"] = ("flawed", "比例尺错误")
    a = Application.from_states(item, states, applied_on=DAY)
    assert a.submitted("经营场所平面布局图").flaw == "比例尺错误"
    assert decide(a).kind == "容缺受理"
    with pytest.raises(KeyError, match="没有材料"):
        Application.from_states(item, {"户口簿": "present"})
    with pytest.raises(ValueError, match="状态"):
        Application.from_states(item, {"营业执照": "lost"})


def test_catalog_usable_as_cache_key():
    from functools import lru_cache

    @lru_cache(maxsize=2)
    def size(c):
        return len(c)

    assert size(CAT) == len(CAT.items) and hash(CAT) == hash(load_catalog())
