"""The practice bank (issue 12): lessons give feedback from stored answers, not from the rules.

The shipped ``practice_bank.json`` must be exactly what the rules give today (so no lesson grades
against a stale answer), and the lesson widgets must grade right and wrong answers correctly with the
answer keys unimportable, as in a trainee's kernel in root mode.
"""
from __future__ import annotations

import sys

import pytest

from coursekit import bank_builder, practice_bank as bank

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def without_keys(monkeypatch):
    """The answer keys cannot be imported (a trainee's kernel in root mode)."""
    for name in [m for m in sys.modules if m.startswith("sandbox.practice.keys.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "sandbox.practice.keys", None)


def test_shipped_bank_is_what_the_rules_give_today():
    shipped = bank.BANK_FILE.read_text(encoding="utf-8")
    assert shipped == bank_builder.dumps(bank_builder.build()), (
        "courses/coursekit/practice_bank.json is stale: run `cd courses && python -m coursekit.bank_builder`")


def test_every_lesson_seed_and_its_successors_are_in_the_bank():
    for kind, start in bank.STARTS.items():
        assert bank.seeds(kind) == list(range(start, start + bank.SPAN)), kind
        assert bank.wrap(kind, start + bank.SPAN) == start  # 换一个 past the last starts again
        assert bank.wrap(kind, start + 2) == start + 2


def test_past_the_last_practice_case_the_widget_says_it_starts_again(without_keys):
    from coursekit import casework
    w = casework.defect_explorer(seed=bank.STARTS["defects"] + bank.SPAN - 1)
    first = bank.entry("defects", bank.STARTS["defects"])
    assert w.result.value == ""
    w._on_next()
    assert w.case == first and w.result.value == bank.ROUND_AGAIN


def test_keys_are_really_blocked_by_the_fixture(without_keys):
    from sandbox.practice import KEYS_CLOSED
    import sandbox.acceptance as acc
    with pytest.raises(ImportError, match="判定规则"):
        acc.decide  # noqa: B018
    with pytest.raises(ImportError) as info:
        from sandbox.guides import check_guide  # noqa: F401
    assert str(info.value) == KEYS_CLOSED


def test_application_practice_grades_right_and_wrong_without_the_keys(without_keys):
    from coursekit import casework
    w = casework.application_explorer(seed=3)
    for _ in range(6):  # several applicants, so several kinds of decision
        d = w.decision
        w.fields["决定"].set(d.kind)
        w.fields["告知材料"].set(list(d.outstanding))
        w.fields["当场更正"].set(casework.corrected_names(d))
        w._on_check()
        assert "得分 <b>100%</b>" in w.result.value, w.result.value
        wrong = next(k for k in casework.DECISIONS if k != d.kind)
        w.fields["决定"].set(wrong)
        w._on_check()
        assert "得分 <b>100%</b>" not in w.result.value and f"应作出“{d.kind}”" in w.result.value
        w._on_next()


def test_defect_practice_grades_right_and_wrong_without_the_keys(without_keys):
    from coursekit import casework
    from coursekit.cases import DEFECT_SHORT
    w = casework.defect_explorer(seed=11)
    for _ in range(4):
        truth = w.case["truth"]
        assert truth, "a practice guide has at least one defect"
        w.ticks.set([DEFECT_SHORT[c] for c in truth])
        w._on_check()
        assert "得分 <b>100%</b>" in w.result.value
        w.ticks.set([DEFECT_SHORT[c] for c in truth[1:]])
        w._on_check()
        assert "得分 <b>100%</b>" not in w.result.value and "漏掉了" in w.result.value
        w._on_next()


def test_letter_and_farmer_practice_come_from_the_bank(without_keys):
    from coursekit import casework, journeys
    app, d = casework.practice_notice_application(5)
    assert d.kind == "补正" and len(d.one_time_list) >= 2
    letter = casework.letter_practice(seed=5)
    letter.text.value = "、".join(d.outstanding)
    letter._on_check()
    assert "漏写" not in letter.result.value
    story = bank.farmer(501)
    assert story["_decision"].kind == "补正" and story["_trips"] == 3
    assert journeys.farmer_practice(seed=501)._selftest()


def test_a_stale_bank_is_refused_not_used(monkeypatch, without_keys):
    from coursekit import casework
    bank._bank.cache_clear()
    data = bank._bank()
    stale = {**data, "decisions": {k: {**v, "fp": "0" * 16} for k, v in data["decisions"].items()}}
    monkeypatch.setattr(bank, "_bank", lambda: stale)
    with pytest.raises(bank.BankError, match="练习题库与本机的案例生成不一致"):
        casework.application_explorer(seed=3)
