"""The trainee-facing desk API: a queue drawn from a seed, decisions applied through the ticket state
machine (sandbox.hotline.desk / handling), the 差评 batch through the rectification loop
(sandbox.practice.rating_batch), and the bulletin drill's definitions and rule (sandbox.hotline.drill)."""
from __future__ import annotations

import json
from datetime import date

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
    assert total["回访率"] == 1 and total["按期整改率"] == 1 and total["作废"] == sum(b.kind == "appeal" for b in batch)
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
        assert entry["退单后改派"] == entry["主办"] == t.truth.lead
        if t.truth.return_ok:  # a founded 退单: the lookup never names the unit that returned it
            assert t.first_unit not in entry.values(), (t.first_unit, entry)
        else:  # an unfounded one (驳回退单, M6): the returning unit is the catalogue's lead
            assert t.first_unit == entry["主办"]


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


# ---- the senior trainer's review (docs/reviews/2026-12-01-courses.md), MAJORs M2–M6, M10 -------------
SEEDS = range(60)


def _queues():
    return [make_queue(s) for s in SEEDS]


@pytest.fixture(scope="module")
def queues():
    return _queues()


def test_no_heating_complaint_outside_the_heating_season(queues):
    """M3: 供暖不热 only in a shift from mid-October to mid-April."""
    from sandbox.hotline.desk import in_heating_season
    assert not in_heating_season(date(2025, 7, 1)) and in_heating_season(date(2025, 3, 20))
    off = [(q.shift, t.number) for q in queues for t in q.tickets
           if t.truth.level2 == "供暖不热" and not in_heating_season(q.shift)]
    assert not off, off[:5]


def test_urban_matters_in_county_seats_and_firms_of_their_county(queues):
    """M4: 物业, 电梯, 噪音, 占道… in the county seat; a named firm trades in the ticket's county; 暖气费 realistic."""
    import re

    from sandbox.base.geography import COUNTIES
    from sandbox.hotline.desk import firms_of
    from sandbox.hotline.taxonomy import BY_LEVEL2
    for q in queues:
        for t in q.tickets:
            c = next(c for c in COUNTIES if c.name == t.county)
            if t.truth.level2 in BY_LEVEL2 and BY_LEVEL2[t.truth.level2].urban >= 1.5:
                assert t.town == c.townships[0], (t.truth.level2, t.county, t.town, t.text)
            others = [f for i, o in enumerate(COUNTIES) if o is not c for f in firms_of(i)]
            assert not [f for f in others if f in t.text], (t.county, t.text)
            for fee in re.findall(r"(\d+)元暖气费", t.text):
                assert 1500 <= int(fee) <= 3000, t.text


def test_no_diseased_meat_case_handled_as_routine(queues):
    """M2: 病死畜禽 is an emergency 举报, never a desk case with a 15-day deadline or a 延期."""
    assert not [t.text for q in queues for t in q.tickets if "病死" in t.text]


def test_duplicates_are_in_the_callers_own_words_with_decoys(queues):
    """M5: no fixed opening, no copy of the first caller's words; decoys of the same category and township
    about another place are new tickets, so a duplicate is found by reading, not by a label."""
    from difflib import SequenceMatcher

    from sandbox.base.geography import COUNTIES
    from sandbox.hotline.desk import place_of
    decoys = 0
    for q in queues:
        by = {t.number: t for t in q.tickets}
        for t in q.tickets:
            if t.truth.kind != "duplicate":
                continue
            m = by[t.truth.master]
            assert not t.text.startswith(("我刚才已经打过电话反映了", "我也是那边的，反映同一件事")), t.text
            ci = next(i for i, c in enumerate(COUNTIES) if c.name == m.county)
            place = place_of(m.text, ci, m.town)  # the place is named again on purpose; the words are not copied
            a, b = t.text.replace(place, "#"), m.text.replace(place, "#")
            assert SequenceMatcher(None, a, b).find_longest_match(0, len(a), 0, len(b)).size < 12, (t.text, m.text)
            decoys += any(o.truth.kind == "new-dispatch" and o.truth.level2 == m.truth.level2 and o.town == m.town
                          and o.number != m.number for o in q.tickets)
    assert decoys >= len(queues)  # about one decoy a queue or more


def test_returns_are_founded_or_not_and_the_note_does_not_tell(queues):
    """M6: one 退单 a shift is unfounded (the returning unit is the catalogue's lead: 驳回退单); the notes
    of founded and unfounded returns come from the same phrases."""
    notes = {True: set(), False: set()}
    for q in queues:
        ret = [t for t in q.tickets if t.truth.kind == "returned"]
        assert {t.truth.return_ok for t in ret} == {True, False}
        for t in ret:
            notes[t.truth.return_ok].add(t.note.split("建议")[0].split("，")[0])
    assert notes[True] & notes[False]


@pytest.mark.parametrize("seed", (11, 12))
def test_returned_ticket_review_is_graded_both_ways(seed):
    q = make_queue(seed)
    ref = reference_decisions(q)
    unfounded = next(t for t in q.tickets if t.truth.kind == "returned" and t.truth.return_ok is False)
    founded = next(t for t in q.tickets if t.truth.kind == "returned" and t.truth.return_ok)
    assert ref[unfounded.number]["处理"] == "驳回退单"
    outs = {o.number: o for o in apply(q, ref)}
    assert outs[unfounded.number].decision_right and outs[unfounded.number].handled_on_time
    assert any(e[1] == "驳回退单" for e in outs[unfounded.number].history)
    wrong = dict(ref)
    wrong[unfounded.number] = {**ref[unfounded.number], "处理": "改派", "主办": founded.first_unit}
    wrong[founded.number] = {**ref[founded.number], "处理": "驳回退单"}
    outs = {o.number: o for o in apply(q, wrong)}
    assert not outs[unfounded.number].decision_right and not outs[founded.number].decision_right
    assert any("退单理由不成立" in r for r in outs[unfounded.number].reasons)
    assert any("退单理由成立" in r for r in outs[founded.number].reasons)
    assert score(q, list(outs.values()))["改派正确率"] < 1


def test_id_card_answer_keeps_local_and_remote_promises_apart():
    """M10: 5 working days is the local promise; remote 换领/补领 times are told by the accepting office."""
    from sandbox.hotline.desk import KNOWLEDGE
    kb = KNOWLEDGE["身份证办理"]
    assert "异地办理" in kb and "本地办理承诺 5 个工作日" in kb


# ---- ratings (M11–M13) ---------------------------------------------------------------------------
VERDICTS = ("核实属实", "属实", "系法定要求", "同意申诉", "恶意差评", "误评", "不属实", "评价对象错误", "已向评价人解释")


def test_rating_findings_state_facts_not_the_verdict():
    """M11: no verdict words in what the trainee reads; a true complaint's finding says how long the fix takes."""
    for seed in range(40):
        for b in rb.make_batch(seed):
            pub = b.public()
            shown = pub["回访核实情况"] + pub["评价内容"]
            assert not [w for w in VERDICTS if w in shown], (b.kind, shown)
            assert "整改所需工作日" not in pub
            if b.kind == "rectify":
                assert f"需 {b.need_days} 个工作日" in b.finding, b.finding


def test_rating_cases_come_from_the_trainees_seed():
    """M11: each trainee draws a dozen out of about three times as many; the mix varies too."""
    pools = len(rb.TRUE) + len(rb.EXPLAIN) + len(rb.PLANTED)
    assert pools >= 36
    sets = [frozenset(b.finding for b in rb.make_batch(s)) for s in range(30)]
    assert len(set(sets)) == 30
    seen = set().union(*sets)
    assert len(seen) >= pools - 2
    mixes = {tuple(sorted(b.kind for b in rb.make_batch(s))) for s in range(30)}
    assert len(mixes) > 1


def test_planted_case_level_matches_its_finding_and_no_stamp_rule():
    """M12: a finding that says 均打“非常不满意” is a 非常不满意 rating; M13: the stamped-certificate case is gone."""
    for seed in range(40):
        for b in rb.make_batch(seed):
            if "非常不满意" in b.finding:
                assert b.rating.level == "非常不满意", (b.finding, b.rating.level)
            assert "公章" not in b.finding
