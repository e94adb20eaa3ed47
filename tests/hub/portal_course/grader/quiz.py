"""Checker of the portal test course's quiz (grader-only; grading.checks contract): the form's
answers graded as data, reasons in Chinese with the rule behind them."""
from __future__ import annotations

from grading.checks import Context, Item

SCHEMA = {"d1": "str", "note": "str"}
RULE = "材料齐全、符合法定形式的申请应当当场受理（《优化营商环境条例》第三十五条）"


def cases(seed: int) -> dict:
    return {}  # the same two questions for everyone


def check(answers: dict, ctx: Context) -> list[Item]:
    d1 = answers.get("d1")
    right = d1 == "当场受理"
    note = answers.get("note")
    return [
        Item("d-check", 2.0 if right else 0.0, 2.0, ("受理决定正确",) if right else (RULE,),
             expected="当场受理", answer=None if d1 is None else str(d1)),
        Item("note", 0.0, 3.0, ("待培训老师评分",), needs_manual=True,
             answer=note if isinstance(note, str) else None),
    ]
