"""Grader side of 智能客服: held-out paraphrased questions, answer rate and accuracy, and the
feedback loop that turns unanswered questions into new knowledge items.

Questions are generated from paraphrase templates (sandbox/data/platform/answers_*.toml) — how
people really ask, in other words than the knowledge base — never from the knowledge items' text.
Each question carries the topic it is really about (its ground truth); the trainee-facing module
never sees it. ``answer_rate`` = questions whose best answer reaches ``min_score`` / questions;
``accuracy`` = answered questions whose best answer is on the right topic / answered questions.

Feedback files each unanswered question (and, optionally, each one the asker marked 未解决) as a
相似问 of the right topic's item — a new item only when the base has nothing on that topic. Gains are
large for the ways of asking that recur and small for phrasings never fed back (``unseen_phrasing``):
character n-grams learn words, not meaning; the bench reports both.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Sequence

import numpy as np

from ..base.catalog import Catalog, load_catalog
from ..base.geography import COUNTIES
from ..base.ids import SYNTHETIC_MARK
from .answers import (INTENTS, KnowledgeBase, KnowledgeItem, ask_many, load_intents, load_topics, with_items,
                      with_similar)

__all__ = ["Question", "is_right", "aliases", "paraphrase_questions", "evaluate", "feed_back", "simulate_year",
           "hotline_consultations"]

_SUFFIXES = ("申领", "登记", "办理", "申请", "核发", "备案", "开具", "签发", "认定")


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    topic: str  # ground truth: the knowledge topic the question is really about


def aliases(name: str) -> tuple[str, ...]:
    """How people name an item: in full, without the bracketed detail, without the formal verb."""
    out = [name]
    base = re.sub(r"（.*?）", "", name)
    out.append(base)
    for suf in _SUFFIXES:
        if base.endswith(suf) and len(base) - len(suf) >= 3:
            out.append(base[: -len(suf)])
    return tuple(dict.fromkeys(out))


def paraphrase_questions(rng: np.random.Generator, n: int, *, hotline_share: float = 0.4,
                         catalog: Catalog | None = None, half: int | None = None) -> tuple[Question, ...]:
    """n held-out questions: guide topics weighted by catalogue demand, hotline topics uniformly.

    ``half`` (0 or 1) keeps only every other paraphrase template, so that feedback drawn from one
    half can be measured on phrasings it never saw (the other half).
    """
    if n < 0 or not 0.0 <= hotline_share <= 1.0 or half not in (None, 0, 1):
        raise ValueError("n must be >= 0, hotline_share within [0, 1], half None, 0 or 1")
    cut = slice(None) if half is None else slice(half, None, 2)
    cat = catalog if catalog is not None else load_catalog()
    codes = sorted(cat.items)
    w = np.array([cat.items[c].weight for c in codes], dtype=float)
    w /= w.sum()
    intents, topics = load_intents(), load_topics()
    topic_names = sorted(topics)
    out = []
    for _ in range(n):
        if rng.random() < hotline_share:
            t = topic_names[int(rng.integers(len(topic_names)))]
            para = topics[t]["paraphrases"][cut]
            county = COUNTIES[int(rng.integers(len(COUNTIES)))]
            text = para[int(rng.integers(len(para)))].format(
                cs=county.short, town=county.townships[int(rng.integers(len(county.townships)))])
            out.append(Question(text, f"热线:{t}"))
        else:
            code = codes[int(np.searchsorted(np.cumsum(w), rng.random(), side="right").clip(0, len(codes) - 1))]
            intent = INTENTS[int(rng.integers(len(INTENTS)))]
            names = aliases(cat.items[code].name)
            para = intents[intent]["paraphrases"][cut]
            text = para[int(rng.integers(len(para)))].format(name=names[int(rng.integers(len(names)))])
            out.append(Question(text, f"{code}:{intent}"))
    return tuple(out)


@lru_cache(maxsize=1)
def _equivalent_codes() -> dict[str, frozenset[str]]:
    """Hotline topic → codes of catalogue items whose guide answers it too (``also_items``)."""
    by_name = {it.name: code for code, it in load_catalog().items.items()}
    return {f"热线:{t}": frozenset(by_name[n] for n in v.get("also_items", ())) for t, v in load_topics().items()}


def is_right(answer_topic: str, truth: str) -> bool:
    """The answer is on the question's topic, or comes from a guide that answers that hotline topic."""
    return answer_topic == truth or answer_topic.split(":")[0] in _equivalent_codes().get(truth, ())


def _outcomes(kb: KnowledgeBase, questions: Sequence[Question]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """answered, top-1 right, right topic in the top k — one boolean per question."""
    res = ask_many(kb, [q.text for q in questions])
    answered = np.array([bool(a) and a[0].score >= kb.scenario.min_score for a in res], dtype=bool)
    right = np.array([bool(a) and is_right(a[0].topic, q.topic) for a, q in zip(res, questions)], dtype=bool)
    in_top = np.array([any(is_right(x.topic, q.topic) for x in a) for a, q in zip(res, questions)], dtype=bool)
    return answered, right, in_top


def _figures(kb: KnowledgeBase, n: int, outcomes: tuple[np.ndarray, np.ndarray, np.ndarray]) -> dict[str, Any]:
    answered, right, in_top = outcomes
    n_ans = int(answered.sum())
    return {
        "data_mark": SYNTHETIC_MARK,
        "questions": n,
        "answer_rate": round(n_ans / n, 4) if n else 0.0,
        "accuracy": round(int((answered & right).sum()) / n_ans, 4) if n_ans else 0.0,
        "resolved_rate": round(int((answered & right).sum()) / n, 4) if n else 0.0,
        "top_k_hit_rate": round(float(in_top.mean()), 4) if n else 0.0,
        "kb_items": len(kb),
    }


def evaluate(kb: KnowledgeBase, questions: Sequence[Question]) -> dict[str, Any]:
    """Answer rate, accuracy of what was answered, resolved share and top-k hit rate."""
    if not questions:
        empty = np.zeros(0, dtype=bool)
        return _figures(kb, 0, (empty, empty, empty))
    return _figures(kb, len(questions), _outcomes(kb, questions))


def _feed(kb: KnowledgeBase, questions: Sequence[Question], outcomes: tuple[np.ndarray, np.ndarray, np.ndarray],
          include_wrong: bool) -> KnowledgeBase:
    """File the questions to feed back as 相似问 of their topic's item (a new item when the topic has
    none). Separate short items would pull every later question about the same item to themselves."""
    answered, right, _ = outcomes
    known = {it.topic for it in kb.items}
    topics = load_topics()
    filed, new = [], {}
    for q, a, r in zip(questions, answered, right):
        if a and not (include_wrong and not r):
            continue
        if q.topic in known:
            filed.append((q.topic, q.text))
        elif q.topic not in new:
            kid = "F-" + hashlib.sha1(q.topic.encode()).hexdigest()[:12]
            new[q.topic] = KnowledgeItem(kid, q.topic, q.text, topics[q.topic.removeprefix("热线:")]["answer"], "未答反馈")
    if new:
        kb = with_items(kb, new.values())
    return with_similar(kb, filed) if filed else kb


def feed_back(kb: KnowledgeBase, questions: Sequence[Question], *, include_wrong: bool = False) -> KnowledgeBase:
    """Unanswered questions become knowledge items: the operator files the question as asked with the
    right topic's approved answer (``include_wrong`` also files those the asker marked 未解决 after a
    wrong answer)."""
    if not questions:
        return kb
    return _feed(kb, questions, _outcomes(kb, questions), include_wrong)


def simulate_year(kb: KnowledgeBase, seed: int, *, months: int = 12, per_month: int = 1500,
                  hotline_share: float = 0.4, held_out: int = 2000, include_wrong: bool = False,
                  unseen_phrasing: bool = False) -> dict[str, Any]:
    """A year of questions: each month answered by the current base, its unanswered fed back (and,
    with ``include_wrong``, those the asker marked 未解决 after a wrong answer).

    Improvement is measured on a separate held-out set (its own stream) before and after the year.
    By default the held-out questions are drawn like the year's (the same ways of asking, other
    items, places and draws); ``unseen_phrasing`` draws the year from one half of the paraphrase
    templates and the held-out set from the other, so the gain is on phrasings never fed back.
    """
    half_year, half_test = (0, 1) if unseen_phrasing else (None, None)
    test = paraphrase_questions(np.random.default_rng(np.random.SeedSequence([seed, 0x7E57])), held_out,
                                hotline_share=hotline_share, half=half_test)
    before = evaluate(kb, test)
    monthly = []
    for m in range(months):
        rng = np.random.default_rng(np.random.SeedSequence([seed, 0xA5C, m]))
        qs = paraphrase_questions(rng, per_month, hotline_share=hotline_share, half=half_year)
        outcomes = _outcomes(kb, qs)
        monthly.append(_figures(kb, len(qs), outcomes))
        kb = _feed(kb, qs, outcomes, include_wrong)
    after = evaluate(kb, test)
    return {"data_mark": SYNTHETIC_MARK, "before": before, "after": after, "monthly": monthly, "kb": kb,
            "answer_rate_gain": round(after["answer_rate"] - before["answer_rate"], 4),
            "resolved_rate_gain": round(after["resolved_rate"] - before["resolved_rate"], 4)}


def hotline_consultations(seed: int, months: int = 1) -> list[tuple[str, str]]:
    """(text, category) of the 12345 consultation (咨询) tickets of a simulated span (from 2024-01)."""
    from datetime import date

    from ..hotline import HotlineScenario, simulate  # narrow, lazy: only callers who build from tickets pay

    rec = simulate(HotlineScenario(start=date(2024, 1, 1), months=months), seed)
    cons = rec["ticket_type"] == "咨询"
    return list(zip(rec["text"][cons].tolist(), rec["level2"][cons].tolist()))
