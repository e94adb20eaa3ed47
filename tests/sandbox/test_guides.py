"""Standard guides, injected defects and the checker the grader relies on."""
from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pytest

from sandbox.base.catalog import load_catalog
from sandbox.practice.guides import (DEFECT_KINDS, applicable_defects, check_guide, guide_html, guide_markdown,
                            make_defective_guide, render_guide)

CAT = load_catalog()
ITEMS = list(CAT.items.values())


def test_rendered_guides_are_clean():
    for it in ITEMS:
        assert check_guide(render_guide(it)) == [], it.code


def test_guide_has_all_standard_fields():
    it = CAT.by_name("不动产转移登记（二手房买卖）")
    g = render_guide(it)
    md = guide_markdown(g)
    for label in ("事项名称", "事项编码", "事项类型", "主管部门", "实施机关", "行使层级", "设定和实施依据", "申请条件",
                  "申请材料", "办理流程", "办理地点", "办理时间", "收费标准", "收费依据", "法定办结时限", "承诺办结时限",
                  "办件类型", "到现场次数", "是否网办", "跨省通办", "容缺受理", "告知承诺", "咨询方式", "监督投诉方式",
                  "常见问题", "合成数据"):
        assert label in md, label
    assert "30个工作日" in md and "5个工作日" in md and "承诺件" in md and "80元" in md
    for m in it.materials:
        assert m.name in md
    html = guide_html(g)
    assert html.startswith("<div") and "不动产转移登记" in html and "<script" not in html


def test_instant_guide_says_on_the_spot():
    g = render_guide(CAT.by_name("个人参保证明及权益记录打印"))
    assert g.kind == "即办件" and g.promised_text == "当场办结"
    assert "当场办结" in guide_markdown(g)


def test_html_escapes():
    g = replace(render_guide(ITEMS[0]), name="<b>x</b>")
    assert "&lt;b&gt;x&lt;/b&gt;" in guide_html(g)


@pytest.mark.parametrize("code", list(DEFECT_KINDS))
def test_each_defect_is_found_alone(code):
    r = random.Random(code)
    n = 0
    for it in ITEMS:
        if code not in applicable_defects(it):
            continue
        g, defects = make_defective_guide(it, r, [code])
        assert [d.code for d in defects] == [code]
        found = check_guide(g)
        assert [d.code for d in found] == [code], (it.code, found)
        assert found[0].field == DEFECT_KINDS[code][0] and found[0].explanation
        n += 1
    expected = sum(not it.instant for it in ITEMS) if code == "PROMISED_OVER_LEGAL" else len(ITEMS) * 0.9
    assert n >= expected >= 30


def test_random_defects_found_exactly():
    r = random.Random(2024)
    seen = set()
    for _ in range(5):
        for it in ITEMS:
            g, defects = make_defective_guide(it, r)
            assert 1 <= len(defects) <= 3
            assert [d.code for d in check_guide(g)] == [d.code for d in defects], it.code
            seen.update(d.code for d in defects)
    assert seen == set(DEFECT_KINDS)


def test_specific_defects_have_specific_details():
    it = CAT.by_name("居民身份证申领")
    g, d = make_defective_guide(it, random.Random(1), ["PROMISED_OVER_LEGAL"])
    assert g.promised_days > 60 and "法定60个工作日" in d[0].detail
    g, d = make_defective_guide(it, random.Random(1), ["MISSING_MATERIAL"])
    assert "居民户口簿" in d[0].detail  # the only required material
    g, _ = make_defective_guide(it, random.Random(1), ["MISSING_LEGAL_LIMIT"])
    assert "（未载明）" in guide_markdown(g)
    g, d = make_defective_guide(CAT.by_name("个人参保证明及权益记录打印"), random.Random(1), ["INSTANT_WITH_DAYS"])
    assert g.kind == "即办件" and g.promised_days >= 1
    g, d = make_defective_guide(CAT.by_name("居民身份证申领"), random.Random(1), ["INSTANT_WITH_DAYS"])
    assert g.kind == "即办件" and g.promised_days == 5


def test_checker_rules_on_hand_made_guides():
    it = CAT.by_name("机动车驾驶证换证（有效期满）")
    g = render_guide(it)
    assert g.online and g.visits == 0
    assert [d.code for d in check_guide(replace(g, visits=1))] == ["VISITS_ONLINE_MISMATCH"]
    assert [d.code for d in check_guide(replace(g, online=False, visits=1))] == []
    assert [d.code for d in check_guide(replace(g, fee_basis="不收费"))] == ["MISSING_FEE_BASIS"]
    assert [d.code for d in check_guide(replace(g, item_type="行政确认"))] == ["WRONG_ITEM_TYPE"]
    assert [d.code for d in check_guide(replace(g, item_type="行政处罚"))] == ["WRONG_ITEM_TYPE"]
    assert [d.code for d in check_guide(replace(g, consult="", complaint=" "))] == ["MISSING_CONSULT",
                                                                                 "MISSING_COMPLAINT"]
    # Several defects at once are all reported, in a stable order.
    many = replace(g, legal_days=None, basis="", conditions=())
    assert [d.code for d in check_guide(many)] == ["MISSING_LEGAL_LIMIT", "MISSING_BASIS", "MISSING_CONDITIONS"]


def test_check_guide_against_an_explicit_item():
    it = CAT.by_name("食品经营许可")
    custom = replace(it, code="630200-XK-99999")  # not in the catalogue
    g = render_guide(custom)
    assert check_guide(g, item=custom) == []
    g2 = replace(g, materials=g.materials[1:])
    assert [d.code for d in check_guide(g2, item=custom)] == ["MISSING_MATERIAL"]
    assert check_guide(g2) == []  # unknown code and no item: material rule cannot apply


def test_determinism_and_numpy_rng():
    it = CAT.by_name("食品经营许可")
    a = make_defective_guide(it, random.Random(9))
    b = make_defective_guide(it, random.Random(9))
    assert a == b
    c = make_defective_guide(it, np.random.default_rng(9))
    d = make_defective_guide(it, np.random.default_rng(9))
    assert c == d
    results = {tuple(x.code for x in make_defective_guide(it, random.Random(s))[1]) for s in range(30)}
    assert len(results) > 5


def test_bad_requests():
    it = CAT.by_name("个人参保证明及权益记录打印")  # instant
    with pytest.raises(ValueError, match="不适用"):
        make_defective_guide(it, random.Random(0), ["PROMISED_OVER_LEGAL"])
    with pytest.raises(ValueError, match="未知"):
        make_defective_guide(it, random.Random(0), ["NOPE"])
    with pytest.raises(ValueError, match="同一栏目"):
        make_defective_guide(it, random.Random(0), ["MISSING_LEGAL_LIMIT", "INSTANT_WITH_DAYS"])
    with pytest.raises(TypeError):
        make_defective_guide(it, 42, None)


def test_special_steps_shown():
    g = render_guide(CAT.by_name("企业注销登记"))
    assert g.special_steps and "不计入办理时限" in g.special_steps[0]
    assert "特别程序" in guide_markdown(g) and "特别程序" in guide_html(g)
    assert render_guide(CAT.by_name("居民身份证申领")).special_steps == ()


def test_grade_defects():
    from sandbox.practice.guides import grade_defects
    it = CAT.by_name("企业注销登记")
    g, defects = make_defective_guide(it, random.Random(4), ["MISSING_CONSULT", "MISSING_CONDITIONS"])
    perfect = grade_defects(g, ["MISSING_CONDITIONS", "MISSING_CONSULT"])
    assert perfect.perfect and perfect.score == 1.0
    partial = grade_defects(g, ["MISSING_CONSULT", "MISSING_BASIS"])
    assert partial.found == ("MISSING_CONSULT",) and partial.missed == ("MISSING_CONDITIONS",)
    assert partial.false_alarms == ("MISSING_BASIS",) and partial.score == pytest.approx(1 / 3, abs=1e-3)
    assert "漏掉了" in partial.feedback and "误判" in partial.feedback
    assert grade_defects(g, []).score == 0.0
    clean = grade_defects(render_guide(it), [])
    assert clean.perfect and "没有问题" in clean.feedback
    assert grade_defects(render_guide(it), ["WRONG_ITEM_TYPE"]).score == 0.0
