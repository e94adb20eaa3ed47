"""Lesson feedback without the answer keys: a bank of practice cases with their answers, as data.

The rules that decide a case (``sandbox.practice.keys``: ``decide``, ``check_guide``) also decide every
graded case, so root mode keeps them out of a trainee's kernel. The lessons' practice widgets still
give feedback in the assignment's terms: :func:`build` (run where the keys are readable) applies the
rules to a fixed range of *practice* seeds and writes the answers to ``practice_bank.json`` (package
data, readable by all); the kernel reads them with :func:`entry`. Practice answers are public by design
— they are the lesson's examples; a graded case comes from a grader-secret seed and is never here.

Kinds of entry (each keyed by the seed a widget starts from and counts up with 换一个):
- ``defects``   — a defective guide (name, HTML) and its true defect codes (guides lesson 1);
- ``decisions`` — the decision on ``casework.practice_application(seed)`` (guides lesson 2);
- ``letters``   — a 补正 case for the letter practice: the application's seed and its decision;
- ``farmer``    — the walkthrough's farmer story with its decision (walkthrough lesson 1).

Entries that the kernel regenerates from a seed (applications) carry a fingerprint of the case, so a
bank that no longer matches the generator fails loudly instead of grading against the wrong answer.
``python -m coursekit.bank_builder`` (:mod:`coursekit.bank_builder`) rebuilds the file;
tests/courses/test_practice_bank.py checks that the shipped file is what the rules give today.
"""
from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

BANK_FILE = Path(__file__).with_name("practice_bank.json")
SPAN = 30  # cases per kind; 换一个 past the last starts again at the first
STARTS = {"defects": 11, "decisions": 3, "letters": 5, "farmer": 501}  # the lessons' seeds

STALE = ("练习题库与本机的案例生成不一致，请联系管理员重新生成练习题库（python -m coursekit.bank_builder）。"
         " / The practice bank does not match the case generator; rebuild it.")


ROUND_AGAIN = "这一组练习已经全部做过一遍，下面从第一题重新开始。"


class BankError(LookupError):
    """The bank has no usable entry (message in Chinese, for the lesson page)."""


def fingerprint(app) -> str:
    """A short digest of everything a trainee sees of an application."""
    return hashlib.sha256(f"{app.item.code}\n{app.describe()}".encode()).hexdigest()[:16]


# ---- reading (trainee's kernel) ---------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _bank() -> dict[str, dict[str, Any]]:
    try:
        return json.loads(BANK_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BankError(f"练习题库无法读取（{BANK_FILE.name}）：{exc}") from exc


def seeds(kind: str) -> list[int]:
    return sorted(int(s) for s in _bank().get(kind, {}))


def wrap(kind: str, seed: int) -> int:
    """``seed`` when the bank has it, else the bank's seed in the same place of its cycle."""
    known = seeds(kind)
    if not known:
        raise BankError(f"练习题库中没有“{kind}”类练习")
    return seed if seed in known else known[(seed - known[0]) % len(known)]


def entry(kind: str, seed: int) -> dict[str, Any]:
    return _bank()[kind][str(wrap(kind, seed))]


def decision(kind: str, seed: int, app=None):
    """The rule's decision stored for ``seed`` (a ``Decision``); with ``app``, checked against it."""
    from sandbox.practice.acceptance import decision_from_dict
    e = entry(kind, seed)
    if app is not None and e.get("fp") != fingerprint(app):
        raise BankError(STALE)
    return decision_from_dict(e["decision"])


def farmer(seed: int) -> dict[str, Any]:
    """The farmer story of ``seed`` as ``stories.farmer_story`` returns it, without ``_app``."""
    from sandbox.practice.acceptance import decision_from_dict
    story = dict(entry("farmer", seed))
    story["_decision"] = decision_from_dict(story["_decision"])
    return story
