"""The trainee-facing desk API: a queue drawn from a seed, decisions applied through the ticket state
machine (sandbox.hotline.desk / handling), the 差评 batch through the rectification loop
(sandbox.practice.rating_batch), and the bulletin drill's definitions and rule (sandbox.hotline.drill)."""
from __future__ import annotations

import json

import pytest

from sandbox.hotline import check_invariants
from sandbox.hotline.desk import STAGES, make_queue, township_unit
from sandbox.hotline.handling import apply, reference_decisions, score
from sandbox.practice import rating_batch as rb
from sandbox.practice.rectification import metrics


def test_queue_is_seeded_public_and_complete():
    q, again, other = make_queue(3), make_queue(3), make_queue(4)
    assert q == again and q.public() != other.public()
    assert 28 <= len(q.tickets) <= 32
    kinds = {t.truth.kind for t in q.tickets}
    assert kinds == {"new-dispatch", "direct", "refuse", "duplicate", "returned", "extension"}
    text = json.dumps(q.public(), ensure_ascii=False)
    assert "合成数据" in text and "truth" not in text
    assert all(t.caller_mobile not in text for t in q.tickets)  # callers are masked
    assert {t.public()["环节"] for t in q.tickets} <= set(STAGES.values())


@pytest.mark.parametrize("seed", (3, 4, 5))
def test_reference_handling_is_legal_and_on_time(seed):
    q = make_queue(seed)
    outs = apply(q, reference_decisions(q))
    s = score(q, outs)
    assert s["一次派准率"] == 1 and s["错误不予受理"] == 0 and s["并单正确率"] == 1 and s["改派正确率"] == 1
    assert s["按期办结率"] >= 0.9
    assert all(not o.reasons for o in outs), [o.reasons for o in outs if o.reasons]


def test_every_applied_ticket_keeps_the_state_machine_invariants():
    from sandbox.hotline import handling
    q = make_queue(6)
    seen = []
    real = handling.Hotline

    class Spy(real):  # keep the desk to inspect the tickets after apply
        def __init__(self, *a, **k):
            super().__init__(*a, **k)
            seen.append(self)
    handling.Hotline = Spy
    try:
        apply(q, reference_decisions(q))
        apply(q, {})
    finally:
        handling.Hotline = real
    for desk in seen:
        for t in desk.tickets.values():
            assert check_invariants(t) == [], (t.number, check_invariants(t))


def test_wrong_decisions_are_caught_with_the_rule():
    q = make_queue(7)
    ref = reference_decisions(q)
    ret = next(t for t in q.tickets if t.truth.kind == "returned")
    disp = next(t for t in q.tickets if t.truth.kind == "new-dispatch")
    ref[ret.number]["主办"] = township_unit(ret.county, ret.town)
    ref[disp.number].update(处理="不予受理", 理由="涉诉")
    outs = {o.number: o for o in apply(q, ref)}
    assert any("乡镇" in r for r in outs[ret.number].reasons)
    assert any("错误地不予受理" in r for r in outs[disp.number].reasons)
    assert outs[disp.number].handled_on_time is False


def test_garbage_decisions_do_not_crash():
    q = make_queue(8)
    junk = {t.number: {"处理": "派单", "类型": "xx", "分类": 5, "主办": ["a"], "协办": "b"} for t in q.tickets}
    junk["nope"] = "x"
    outs = apply(q, junk)
    assert len(outs) == len(q.tickets)


def test_rating_batch_reference_and_blank():
    batch = rb.make_batch(9)
    assert batch == rb.make_batch(9) and batch != rb.make_batch(10)
    cases, why = rb.apply(batch, rb.reference_decisions(batch))
    total = metrics([b.rating for b in batch], cases, by="source").iloc[-1]
    assert total["回访率"] == 1 and total["按期整改率"] == 1 and total["作废"] == 3
    assert not any(why.values())
    cases, why = rb.apply(batch, {})
    total = metrics([b.rating for b in batch], cases, by="source").iloc[-1]
    assert total["回访率"] == 0 and total["已整改"] == 0


def test_rating_appeal_on_a_true_rating_is_rejected_by_the_loop():
    batch = rb.make_batch(11)
    dec = rb.reference_decisions(batch)
    true = next(b for b in batch if b.kind == "rectify")
    dec[true.rating.rating_id]["处理"] = "申诉"
    cases, why = rb.apply(batch, dec)
    case = next(c for c in cases if c.rating.rating_id == true.rating.rating_id)
    assert not case.voided and case.rectified_at is None
    assert any("申诉不成立" in w for w in why[true.rating.rating_id])


def test_drill_month_frames_equal_the_stored_month():
    """The replay path (records, no database) gives the figures and alerts of the stored month."""
    from sandbox.hotline import drill
    run = drill.month_run(5)
    cur, prev = drill.frames(run)
    c2, p2, month, hot = drill.month_frames(5)
    assert month == run.month and hot == run.hot
    for key, options in drill.DEFINITIONS.items():
        for o in options:
            d = {**drill.BULLETIN_DEFINITIONS, key: o}
            assert drill.figures(cur, prev, d) == drill.figures(c2, p2, d), (key, o)
    assert drill.rule_alerts(cur, prev, drill.Rule()) == drill.rule_alerts(c2, p2, drill.Rule())


def test_drill_figures_match_the_bulletin():
    from sandbox.hotline import bulletin, drill
    run = drill.month_run(6)
    cur, prev = drill.frames(run)
    b = bulletin.build(run.engine, run.month, run.run_id)
    f = drill.figures(cur, prev, drill.BULLETIN_DEFINITIONS)
    assert f["受理量"] == b["基本情况"]["受理量"]
    assert f["按期办结率"] == round(b["办理情况"]["按期办结率"] * 100, 1)
    assert f["满意率"] == round(b["回访评价"]["满意率"] * 100, 1)
    assert f["响应率"] == round(b["办理情况"]["响应率"] * 100, 1)
    assert [h["分类"] for h in f["热点"]] == [h["分类"] for h in b["热点分析"]["二级分类前列"][:5]]
    # the tickets-only part of build (what the bulletin course grades against) is build's own figures
    m = bulletin.month_figures(cur, prev)
    for key in ("受理量", "按期办结率", "响应率"):
        assert m["rates"][key] == (b["基本情况"] if key == "受理量" else b["办理情况"])[key]
    assert m["rates"]["满意率"] == b["回访评价"]["满意率"]
    assert m["热点"] == b["热点分析"]["二级分类前列"] and m["突增"] == b["预警"]["突增"]
    c2, p2, _, _ = drill.month_frames(6)
    assert bulletin.month_figures(c2, p2) == m


@pytest.mark.parametrize("seed", range(20))
def test_catalogue_lookup_never_advises_the_unit_that_returned_the_ticket(seed):
    """B1: a returned ticket goes to the catalogue's lead; the lookup must not name the returning unit."""
    from sandbox.hotline.handling import catalogue_entry
    returned = [t for t in make_queue(seed).tickets if t.truth.kind == "returned"]
    assert returned
    for t in returned:
        entry = catalogue_entry(t.truth.level2, t.county)
        assert t.first_unit not in entry.values(), (t.first_unit, entry)
        assert entry["退单后改派"] == entry["主办"] == t.truth.lead


def test_refusal_rule_follows_guobanfa_2020_53():
    """B2: 不予受理 is an open list (……等程序), with 商业秘密 and 公序良俗; not a closed 'only these' list."""
    from sandbox.hotline import NOT_ACCEPTED
    from sandbox.hotline.handling import RULES
    from sandbox.hotline.texts import REFUSED_BODIES
    rule = RULES["refuse"]
    assert "仅限" not in rule and "等程序" in rule and "商业秘密" in rule and "公序良俗" in rule
    assert "涉密及个人隐私" not in NOT_ACCEPTED and "违反公序良俗" in NOT_ACCEPTED
    assert set(REFUSED_BODIES) == set(NOT_ACCEPTED)  # every reason can be drawn as a case


def test_extension_reasons_fit_the_category_and_no_word_gives_a_bad_one_away():
    """M1: a good 延期 reason is time this matter needs (its own category's reasons)."""
    from sandbox.hotline.desk import _EXT_REASONS_BAD, _EXT_REASONS_OK
    seen = 0
    for seed in range(30):
        for t in make_queue(seed).tickets:
            if t.truth.kind == "extension":
                reason = t.note.removeprefix("申请延期：").removesuffix("。")
                assert reason in (_EXT_REASONS_OK[t.truth.level2] if t.truth.needs_time else _EXT_REASONS_BAD), t.note
                seen += 1
    assert seen >= 30
    assert sum("休假" not in r and "人手" not in r for r in _EXT_REASONS_BAD) >= 2


def test_extension_outcome_follows_the_case_not_words_in_the_note():
    """M1: the unit's progress is the case's truth; rewording the note does not change what happens."""
    import dataclasses
    q = make_queue(3)
    t = next(t for t in q.tickets if t.truth.kind == "extension" and t.truth.extension_ok)
    fake = dataclasses.replace(t, note="申请延期：承办人本周休假，待其返岗后办理。")
    q2 = dataclasses.replace(q, tickets=type(q.tickets)(fake if x is t else x for x in q.tickets))
    dec = reference_decisions(q2)
    dec[t.number]["处理"] = "不同意延期"
    out = {o.number: o for o in apply(q2, dec)}[t.number]
    assert out.handled_on_time is False  # a matter that needs the time is late when 延期 is refused
