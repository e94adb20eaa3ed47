"""智能客服 (task 7): a knowledge base built from the guides and the 12345 consultation tickets, and
question → best answers.

Retrieval is scikit-learn's TF-IDF over character 1–2-grams with cosine similarity. Why these:
- character n-grams need no dictionary and no word segmenter: jieba builds its prefix dictionary on
  first use (its own log reports the better part of a second) and dumps a cache file into the temp
  folder — I/O the sandbox core does not do — and colloquial, dialect-coloured questions ("要带啥",
  "娃娃上学") are where a segmenter's dictionary is weakest; character bigrams are the usual analyser
  for Chinese retrieval and match item names however people shorten them;
- TF-IDF with cosine similarity gives a score in [0, 1], so "unanswered" is one readable threshold
  (``min_score``), and a batch of questions is one sparse matrix product, where rank-bm25 scores one
  query at a time with a Python loop over the documents for every query term (a year of 18,000
  questions against a few thousand items would take minutes).
scikit-learn is imported only when a knowledge base is built (its import costs about a second).

Shape as the hall: a frozen :class:`AnswersScenario`; :func:`build_kb` makes an immutable
:class:`KnowledgeBase` (items plus a fitted index); :func:`ask` answers one question, :func:`ask_many`
a batch; :func:`with_similar` / :func:`with_items` return a new base with questions filed as 相似问
of an item or as new items (the feedback loop).
The measurement with held-out paraphrases and the feedback loop are grader-side, in answers_eval.py.
Everything shown is synthetic (合成数据).
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from ..base.catalog import Catalog, load_catalog
from ..practice.guides import Guide, render_guide
from ..base.ids import SYNTHETIC_MARK
from ..base.scenario import ScenarioError

__all__ = ["KnowledgeItem", "Answer", "AnswersScenario", "KnowledgeBase", "normalise", "guide_items",
           "ticket_items", "build_kb", "with_items", "with_similar", "ask", "ask_many", "load_topics", "load_intents",
           "answer_rows", "INTENTS", "DATA_DIR", "scenario_from_dict"]

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "platform"
INTENTS = ("materials", "time", "online", "fee", "place", "conditions")
# Courtesy and filler words that carry no meaning for retrieval (removed before the n-grams).
_FILLERS = ("您好", "你好", "请问", "想问一下", "想问", "问一下", "咨询一下", "麻烦", "谢谢", "一下", "我想", "我们", "我",
            "什么", "啥", "怎么", "的", "了", "吗", "呢", "啊", "吧")
_PUNCT = re.compile(r"[\s，。！？、；：“”‘’（）()《》【】,.!?;:\"'\-—…·]+")


@dataclass(frozen=True, slots=True)
class KnowledgeItem:
    kid: str
    topic: str  # what the item answers: "<item code>:<intent>", "<code>:faq<i>" or "热线:<category>"
    question: str
    answer: str
    source: str  # 办事指南 / 12345咨询工单 / 未答反馈
    similar: tuple[str, ...] = ()  # 相似问: questions as people asked them, filed by the feedback loop

    @property
    def text(self) -> str:
        """What the index sees: the standard question and its similar questions."""
        return " ".join((self.question,) + self.similar)


@dataclass(frozen=True, slots=True)
class Answer:
    kid: str
    topic: str
    question: str
    answer: str
    score: float  # cosine similarity in [0, 1]


@dataclass(frozen=True)
class AnswersScenario:
    min_score: float = 0.35  # below this the question counts as unanswered (转人工)
    top_k: int = 3
    ngram_min: int = 1
    ngram_max: int = 2
    tickets_per_topic: int = 5  # consultation tickets kept per hotline category as knowledge items

    def __post_init__(self) -> None:
        if isinstance(self.min_score, bool) or not isinstance(self.min_score, (int, float)) \
                or not 0.0 <= self.min_score <= 1.0:
            raise ScenarioError("answers.min_score", f"应在 0 到 1 之间，而不是 {self.min_score!r}")
        for name, lo, hi in (("top_k", 1, 50), ("ngram_min", 1, 4), ("ngram_max", 1, 4), ("tickets_per_topic", 0, 1000)):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
                raise ScenarioError(f"answers.{name}", f"应为 {lo} 到 {hi} 之间的整数，而不是 {v!r}")
        if self.ngram_min > self.ngram_max:
            raise ScenarioError("answers.ngram_min", "不能大于 ngram_max")


def scenario_from_dict(d: Mapping[str, Any]) -> AnswersScenario:
    """A validated scenario from plain data (a TOML ``[answers]`` section); errors name the field."""
    if not isinstance(d, Mapping):
        raise ScenarioError("answers", "应为一张表")
    names = {f.name for f in fields(AnswersScenario)}
    for k in d:
        if k not in names:
            raise ScenarioError(f"answers.{k}", f"未知参数；可选：{'、'.join(sorted(names))}")
    return AnswersScenario(**d)


def normalise(text: str) -> str:
    """Lower-case, drop punctuation and filler words: what the n-grams are taken from."""
    t = _PUNCT.sub(" ", text.lower())
    for w in _FILLERS:
        t = t.replace(w, " ")
    return " ".join(t.split())


@dataclass(frozen=True, eq=False)
class KnowledgeBase:
    """Items and their fitted TF-IDF index; never changes (``with_items`` builds a new one)."""
    items: tuple[KnowledgeItem, ...]
    scenario: AnswersScenario = field(default_factory=AnswersScenario)

    def __post_init__(self) -> None:
        if not self.items:
            raise ScenarioError("answers.items", "知识库不能为空")
        # Imported here: scikit-learn costs about a second to import, paid only by code that builds a base.
        from sklearn.feature_extraction.text import TfidfVectorizer

        vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(self.scenario.ngram_min, self.scenario.ngram_max), sublinear_tf=True,
                              preprocessor=normalise, dtype=np.float32)
        matrix = vec.fit_transform([it.text for it in self.items])
        object.__setattr__(self, "_vec", vec)
        object.__setattr__(self, "_matrix", matrix)

    def __len__(self) -> int:
        return len(self.items)

    def scores(self, questions: Sequence[str]) -> np.ndarray:
        """Cosine similarity of each question with each item (questions × items, dense)."""
        q = self._vec.transform(list(questions))  # type: ignore[attr-defined]
        return (q @ self._matrix.T).toarray()  # type: ignore[attr-defined]


# ---- knowledge items from the guides -------------------------------------------------------------
@lru_cache(maxsize=1)
def load_intents(path: Path | None = None) -> Mapping[str, Mapping[str, Any]]:
    data = tomllib.loads((path or DATA_DIR / "answers_guides.toml").read_text(encoding="utf-8"))
    intents = data.get("intents", {})
    for name in INTENTS:
        forms = intents.get(name, {}).get("kb_question", [])
        if not forms or "{name}" not in forms[0]:
            raise ScenarioError(f"answers.intents.{name}", "缺少 kb_question（第一条须含 {name}）")
    return MappingProxyType(intents)


@lru_cache(maxsize=1)
def load_topics(path: Path | None = None) -> Mapping[str, Mapping[str, Any]]:
    """The hotline categories with an approved answer (答复口径) and held-out paraphrases."""
    data = tomllib.loads((path or DATA_DIR / "answers_hotline.toml").read_text(encoding="utf-8"))
    topics = data.get("topics", {})
    for name, t in topics.items():
        if not t.get("answer") or not t.get("paraphrases"):
            raise ScenarioError(f"answers.topics.{name}", "须有 answer 和 paraphrases")
    return MappingProxyType(topics)


def _guide_answer(g: Guide, intent: str) -> str:
    if intent == "materials":
        mats = "；".join(f"{i}. {m.name}{'' if m.required else '（特定情形提供）'}"
                        f"{'（可用电子证照免交）' if m.elicence else ''}" for i, m in enumerate(g.materials, 1))
        return f"办理{g.name}需提交：{mats}。"
    if intent == "time":
        return f"{g.name}为{g.kind}，法定办结时限{g.legal_text}，承诺办结时限{g.promised_text}。"
    if intent == "online":
        # "到现场0次" is not how a guide says it: 无需到现场 (零跑动).
        trips = "无需到现场" if g.visits == 0 else f"需到现场{g.visits}次"
        if g.online:
            return f"{g.name}可全程网办（{g.online_channels}），{trips}。"
        return f"{g.name}暂不能全程网办，可{g.online_channels}，{trips}。"
    if intent == "fee":
        if g.fee_yuan == 0:
            return f"{g.name}{g.fee_text}。"
        # "…行驶证10元" lacks the verb: 收费标准为10元，收费依据：…
        return f"{g.name}收费标准为{g.fee_text}" + (f"，收费依据：{g.fee_basis}。" if g.fee_basis else "。")
    if intent == "place":
        return f"办理地点：{g.location}；办理时间：{g.hours}。"
    return f"申请{g.name}应具备的条件：" + "；".join(g.conditions) + "。"


def guide_items(catalog: Catalog | None = None) -> tuple[KnowledgeItem, ...]:
    """One item per catalogue item and intent, plus each guide's 常见问题, all from the rendered guide."""
    cat = catalog if catalog is not None else load_catalog()
    intents = load_intents()
    out: list[KnowledgeItem] = []
    for code in sorted(cat.items):
        g = render_guide(cat.items[code])
        for intent in INTENTS:
            q = " ".join(f.format(name=g.name) for f in intents[intent]["kb_question"])
            out.append(KnowledgeItem(f"G-{code}-{intent}", f"{code}:{intent}", q, _guide_answer(g, intent), "办事指南"))
        for i, (q, a) in enumerate(g.faq):
            out.append(KnowledgeItem(f"G-{code}-faq{i}", f"{code}:faq{i}", f"{g.name} {q}", a, "办事指南"))
    return tuple(out)


def ticket_items(consultations: Iterable[tuple[str, str]], per_topic: int = 5) -> tuple[KnowledgeItem, ...]:
    """Consultation tickets (text, hotline category) whose category has an approved answer → items.

    The caller's own words become the item's question (how people really ask), the approved answer
    its answer; at most ``per_topic`` distinct texts per category, in the order received.
    """
    topics = load_topics()
    kept: dict[str, list[str]] = {}
    for text, category in consultations:
        if category in topics and text not in kept.setdefault(category, []) and len(kept[category]) < per_topic:
            kept[category].append(text)
    return tuple(KnowledgeItem(f"T-{cat}-{i}", f"热线:{cat}", text, topics[cat]["answer"], "12345咨询工单")
                 for cat, texts in kept.items() for i, text in enumerate(texts))


def build_kb(consultations: Iterable[tuple[str, str]] = (), *, catalog: Catalog | None = None,
             scenario: AnswersScenario | None = None) -> KnowledgeBase:
    """The knowledge base: guide items + consultation-ticket items (see :func:`ticket_items`)."""
    s = scenario or AnswersScenario()
    return KnowledgeBase(guide_items(catalog) + ticket_items(consultations, s.tickets_per_topic), s)


def with_items(kb: KnowledgeBase, items: Iterable[KnowledgeItem]) -> KnowledgeBase:
    """A new knowledge base with the items added (ids already present are replaced)."""
    new = {it.kid: it for it in kb.items}
    new.update({it.kid: it for it in items})
    return KnowledgeBase(tuple(new.values()), kb.scenario)


def with_similar(kb: KnowledgeBase, filed: Iterable[tuple[str, str]], *, cap: int = 30) -> KnowledgeBase:
    """A new base with questions (topic, text) filed as 相似问 of the topic's first item, at most
    ``cap`` per item; a topic without an item gets none here (see answers_eval.feed_back)."""
    first: dict[str, int] = {}
    for i, it in enumerate(kb.items):
        first.setdefault(it.topic, i)
    added: dict[int, list[str]] = {}
    for topic, text in filed:
        i = first.get(topic)
        if i is None:
            continue
        lst = added.setdefault(i, list(kb.items[i].similar))
        if text not in lst and len(lst) < cap:
            lst.append(text)
    items = tuple(replace(it, similar=tuple(added[i])) if i in added else it for i, it in enumerate(kb.items))
    return KnowledgeBase(items, kb.scenario)


# ---- asking --------------------------------------------------------------------------------------
def _top_indices(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k best items per row, best first (ties: lower index first), in one batch."""
    k = min(k, scores.shape[1])
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k] if k < scores.shape[1] else \
        np.tile(np.arange(scores.shape[1]), (scores.shape[0], 1))
    vals = np.take_along_axis(scores, part, axis=1)
    order = np.lexsort((part, -vals), axis=1)
    return np.take_along_axis(part, order, axis=1)


def ask_many(kb: KnowledgeBase, questions: Sequence[str], k: int | None = None) -> list[tuple[Answer, ...]]:
    """Best answers (at most k, best first) for each question; empty when nothing is similar at all."""
    if not questions:
        return []
    if any(not isinstance(q, str) for q in questions):
        raise ScenarioError("answers.question", "问题应为文字")
    scores = kb.scores(questions)
    top = _top_indices(scores, k or kb.scenario.top_k)
    items = kb.items
    return [tuple(Answer(items[i].kid, items[i].topic, items[i].question, items[i].answer, round(float(row[i]), 4))
                  for i in idx if row[i] > 0) for row, idx in zip(scores, top)]


def ask(kb: KnowledgeBase, question: str, k: int | None = None) -> tuple[Answer, ...]:
    """Best answers for one question; the first is shown when its score reaches ``min_score``."""
    if not isinstance(question, str) or not normalise(question):
        raise ScenarioError("answers.question", "问题不能为空")
    return ask_many(kb, [question], k)[0]


def answer_rows(answers: Sequence[Answer]) -> list[dict[str, Any]]:
    """Display rows for a notebook (Chinese labels, 合成数据 mark)."""
    return [{"数据标识": SYNTHETIC_MARK, "序号": i, "相似度": a.score, "知识条目": a.question, "答复": a.answer}
            for i, a in enumerate(answers, 1)]
