"""Course 1 (办事指南与受理审查) widgets: guides, defective guides, applications, decisions, notices.

No answer keys here (issue 17): the assignment's cases come from the grader (``my_cases``) and are
graded by ``courses/guides/grader/review.py``. Lessons show practice cases from a seed and give
feedback in the assignment's terms (``sandbox.guides.score_defects``, ``sandbox.acceptance.score_decision``)
against the practice bank's answers (``coursekit.practice_bank``): the rules that decide a case are
grader-only (issue 12), so nothing here can decide a graded case.
"""
from __future__ import annotations

import random
from typing import Any, Mapping, Sequence

import ipywidgets as W

from . import practice_bank, testing
from .cases import (DECISION_WEIGHTS, DEFECT_CODE, DEFECT_SHORT, catalog, corrected_names, kind_rows, letter_hits,
                    plausible_application, score_list)
from .display import esc, note, panel, table_html
from .questions import Question, ask, checklist, choice

DECISIONS = ("受理", "容缺受理", "告知承诺", "补正", "不予受理")  # sandbox.acceptance.DECISION_KINDS
DEFECT_LABELS = list(DEFECT_SHORT.values())
ACCEPT_OPTIONS = ["能", "能（容缺受理）", "不能，补齐后再来", "不能，不予受理"]


def _items() -> list:
    return sorted((it for it in catalog().items.values() if it.at_hall), key=lambda it: it.code)


def _guides():
    from sandbox import guides
    return guides


def _acceptance():
    from sandbox import acceptance
    return acceptance


def guide_widget(guide, title: str = "办事指南") -> W.HTML:
    return W.HTML(panel(title, _guides().guide_html(guide)).value)


def _display(*widgets) -> None:
    from IPython.display import display
    display(*widgets)


def _pre(text: str) -> str:
    return f'<pre style="white-space:pre-wrap;font-family:inherit;">{esc(text)}</pre>'


# ---- the assignment's cases (public material from the grader) ---------------------------------------
def show_guide_case(case: Mapping[str, Any] | None) -> None:
    if not case:
        _display(note("这道题的案例还没有发给你，请联系培训老师。", "warn"))
        return
    _display(W.HTML(panel(case["title"], case["html"]).value))


def show_kind_case(case: Mapping[str, Any] | None) -> list[str]:
    """Shows the items (即办件/承诺件 masked, no time limits); returns their names."""
    if not case:
        _display(note("这道题的案例还没有发给你，请联系培训老师。", "warn"))
        return []
    for it in case["items"]:
        _display(W.HTML(panel(f"{it['name']}（即办件/承诺件、办结时限已遮住）", table_html(it["rows"])).value))
    return [it["name"] for it in case["items"]]


def show_application_case(case: Mapping[str, Any] | None) -> None:
    if not case:
        _display(note("这道题的案例还没有发给你，请联系培训老师。", "warn"))
        return
    _display(W.HTML(panel(f"{case['item']} 办事指南", case["guide_html"]).value),
             W.HTML(panel(f"{case['title']}带来的材料和情况", _pre(case["text"])).value))


def _materials(case: Mapping[str, Any] | None) -> list[str]:
    return list(case["materials"]) if case else []


def decision_fields(materials: Sequence[str]) -> dict:
    return {"决定": choice("决定", list(DECISIONS)),
            "告知材料": checklist("要写进告知书、请申请人补交的材料（缺少的、有瑕疵而不能当场改的、容缺后补的）", materials),
            "当场更正": checklist("窗口当场帮申请人更正、不用再跑的材料（复印件不清、漏签名、表没填全、份数不够）", materials)}


def decision_form(qid: str, title: str, case: Mapping[str, Any] | None) -> Question:
    return ask(qid, title, decision_fields(_materials(case)))


def notice_form(qid: str, title: str, case: Mapping[str, Any] | None) -> Question:
    m = _materials(case)
    return ask(qid, title, {"告知材料": checklist("一次性告知单上要写的材料", m),
                            "当场更正": checklist("当场更正、不用写进告知单的材料", m),
                            "能否先受理": choice("这次能否先受理？", ACCEPT_OPTIONS)})


# ---- lesson 1: guides -------------------------------------------------------------------------------
class GuideViewer(W.VBox):
    def __init__(self):
        self.pick = W.Dropdown(options=[(f"{it.name}（{it.block}）", it.code) for it in _items()],
                               description="事项", layout=W.Layout(width="520px"))
        self.view = W.HTML()
        self.pick.observe(lambda _c: self.redraw(), names="value")
        super().__init__([self.pick, self.view])
        self.redraw()
        testing.register(self)

    def redraw(self) -> None:
        item = catalog().item(self.pick.value)
        self.view.value = guide_widget(_guides().render_guide(item), f"{item.name} 办事指南").value

    def _selftest(self) -> str:
        for code in list(self.pick.options)[:5]:
            self.pick.value = code[1]
        return self.pick.value


def guide_viewer() -> GuideViewer:
    return GuideViewer()


def practice_kind_items(seed: int, n: int = 4) -> list:
    """n practice items, half 即办件 and half 承诺件 (lessons; the assignment's come from the grader)."""
    r = random.Random(seed)
    instant = [it for it in _items() if it.instant]
    promised = [it for it in _items() if not it.instant]
    chosen = r.sample(instant, n // 2) + r.sample(promised, n - n // 2)
    r.shuffle(chosen)
    return chosen


class KindQuiz(W.VBox):
    """Practice (not graded): the same masked view as the assignment, then the answer and why."""

    def __init__(self, seed: int, n: int):
        self.seed, self.n = seed, n
        self.box = W.VBox()
        self.check = W.Button(description="看看对不对", icon="check")
        self.next = W.Button(description="换一组事项", icon="refresh")
        self.result = W.HTML()
        self.check.on_click(self._on_check)
        self.next.on_click(self._on_next)
        super().__init__([self.box, W.HBox([self.check, self.next]), self.result])
        self._load()
        testing.register(self)

    def _load(self) -> None:
        self.items = practice_kind_items(self.seed, self.n)
        self.choices = [W.RadioButtons(options=["即办件", "承诺件"], value=None) for _ in self.items]
        rows: list[W.Widget] = []
        for it, c in zip(self.items, self.choices):
            rows += [W.HTML(panel(it.name, table_html(kind_rows(it))).value), c]
        self.box.children = rows
        self.result.value = ""

    def _on_next(self, _b=None) -> None:
        self.seed += 1
        self._load()

    def _on_check(self, _b=None) -> None:
        lines = []
        for it, c in zip(self.items, self.choices):
            ok = c.value == it.kind_label
            why = ("窗口核对材料后当场办结，没有后台审查、现场核查或制证" if it.instant
                   else "要经过后台审查、现场核查或制证，只能承诺在若干个工作日内办结")
            lines.append(f"{'✅' if ok else '❌'} {esc(it.name)}：应为 <b>{it.kind_label}</b>——{esc(why)}"
                         f"（承诺时限：{'当场办结' if it.instant else f'{it.promised_days}个工作日'}，"
                         f"法定时限：{it.legal_days}个工作日）")
        self.result.value = "<br>".join(lines)

    def _selftest(self) -> str:
        for c in self.choices:
            c.value = "即办件"
        self._on_check()
        self._on_next()
        return self.result.value[:30]


def kind_quiz(seed: int = 7, n: int = 4) -> KindQuiz:
    return KindQuiz(seed, n)


class DefectExplorer(W.VBox):
    """Lesson: a defective guide, a checklist, and 对照检查 (grade_defects: score and reasons)."""

    def __init__(self, seed: int):
        self.seed = seed
        self.view = W.HTML()
        self.ticks = checklist("", DEFECT_LABELS)
        self.check = W.Button(description="对照检查", icon="search")
        self.next = W.Button(description="换一份指南", icon="refresh")
        self.result = W.HTML()
        self.check.on_click(self._on_check)
        self.next.on_click(self._on_next)
        super().__init__([self.view, W.HTML("<b>你认为这份指南有哪些错误？</b>"), self.ticks.widget,
                          W.HBox([self.check, self.next]), self.result])
        self._load()
        testing.register(self)

    def _load(self) -> None:
        asked, self.seed = self.seed, practice_bank.wrap("defects", self.seed)
        self.case = practice_bank.entry("defects", self.seed)
        self.view.value = panel(f"练习指南：{self.case['name']}", self.case["html"]).value
        self.ticks.set([])
        self.result.value = practice_bank.ROUND_AGAIN if asked != self.seed else ""

    def _on_next(self, _b=None) -> None:
        self.seed += 1
        self._load()

    def _on_check(self, _b=None) -> None:
        codes = [DEFECT_CODE[x] for x in self.ticks.get()]
        g = _guides().score_defects(self.case["truth"], codes)
        self.result.value = (f"得分 <b>{g.score:.0%}</b>（漏找和误判都扣分，和作业的评分办法一样）<br>"
                             + "<br>".join(esc(x) for x in g.feedback.splitlines()))

    def _selftest(self) -> str:
        self.ticks.set(DEFECT_LABELS[:1])
        self._on_check()
        self._on_next()
        return self.result.value[:30]


def defect_explorer(seed: int = 11) -> DefectExplorer:
    return DefectExplorer(seed)


# ---- lesson 2: applications ---------------------------------------------------------------------------
def practice_application(seed: int):
    """A believable practice application (eligibility profiles; see coursekit.cases)."""
    r = random.Random(seed)
    return plausible_application(r.choice(_items()), r, "hard")


def application_case(app, title: str = "这位申请人") -> dict[str, Any]:
    g = _guides()
    return {"title": title, "item": app.item.name, "guide_html": g.guide_html(g.render_guide(app.item)),
            "text": app.describe(), "materials": [m.name for m in app.item.materials]}


def decision_feedback(app, answer: Mapping[str, Any], d) -> str:
    """Feedback in the assignment's terms and weights (cases.DECISION_WEIGHTS), with the reasons;
    ``d`` is the rule's decision on ``app`` (in a lesson: the practice bank's)."""
    kind = answer.get("决定") or "受理"
    g = _acceptance().score_decision(d, kind, answer.get("告知材料", []))
    list_share = score_list(list(d.outstanding), answer.get("告知材料", []))[0]
    truth_fix = corrected_names(d)
    fix_share = score_list(truth_fix, answer.get("当场更正", []))[0]
    w = DECISION_WEIGHTS
    score = w["决定"] * (answer.get("决定") == d.kind) + w["告知材料"] * list_share + w["当场更正"] * fix_share
    lines = [f"得分 <b>{score:.0%}</b>（决定占四成，告知材料占四成，当场更正占两成）"]
    lines += [esc(x) for x in g.feedback.splitlines()]
    if truth_fix or answer.get("当场更正"):
        lines.append(("✔ " if fix_share == 1 else "✘ ") + "当场更正：应为 " + esc("、".join(truth_fix) or "无")
                     + "——可以当场改的，当场改，不让群众为此再跑一趟")
    return "<br>".join(lines) + _pre(d.notice_text(app))


class ApplicationExplorer(W.VBox):
    """Lesson: a practice application; the trainee decides, lists the notice and the on-the-spot
    corrections — exactly the assignment's form — and 对照规则 shows the graded feedback."""

    def __init__(self, seed: int):
        self.seed = seed
        self.out = W.Output()
        self.form = W.VBox()
        self.check = W.Button(description="对照规则", icon="balance-scale")
        self.next = W.Button(description="换一位申请人", icon="refresh")
        self.result = W.HTML()
        self.check.on_click(self._on_check)
        self.next.on_click(self._on_next)
        super().__init__([self.out, self.form, W.HBox([self.check, self.next]), self.result])
        self._load()
        testing.register(self)

    def _load(self) -> None:
        asked, self.seed = self.seed, practice_bank.wrap("decisions", self.seed)
        self.app = practice_application(self.seed)
        self.decision = practice_bank.decision("decisions", self.seed, self.app)
        case = application_case(self.app)
        self.out.clear_output(wait=True)
        with self.out:
            show_application_case(case)
        self.fields = decision_fields(case["materials"])
        parts: list[W.Widget] = []
        for f in self.fields.values():
            parts += [W.HTML(f"<b>{esc(f.label)}</b>"), f.widget]
        self.form.children = parts
        self.result.value = practice_bank.ROUND_AGAIN if asked != self.seed else ""

    def value(self) -> dict[str, Any]:
        return {k: f.get() for k, f in self.fields.items()}

    def _on_next(self, _b=None) -> None:
        self.seed += 1
        self._load()

    def _on_check(self, _b=None) -> None:
        self.result.value = decision_feedback(self.app, self.value(), self.decision)

    def _selftest(self) -> str:
        self.fields["决定"].set(DECISIONS[0])
        self._on_check()
        self._on_next()
        return self.result.value[:30]


def application_explorer(seed: int = 3) -> ApplicationExplorer:
    return ApplicationExplorer(seed)


def practice_notice_application(seed: int):
    """A practice application whose decision is 补正 with at least two materials (letter practice),
    and that decision, from the practice bank."""
    e = practice_bank.entry("letters", seed)
    app = practice_application(e["app_seed"])
    return app, practice_bank.decision("letters", seed, app)


class LetterPractice(W.VBox):
    """Lesson: write a 一次性告知单, then 对照评分要点 shows which rubric lines it meets (the same
    mechanical hints the trainer sees in the assignment)."""

    def __init__(self, seed: int):
        self.app, self.decision = practice_notice_application(seed)
        self.text = W.Textarea(rows=10, placeholder="补正材料一次性告知书：……", layout=W.Layout(width="95%"))
        self.check = W.Button(description="对照评分要点", icon="list-check")
        self.result = W.HTML()
        self.check.on_click(self._on_check)
        case = application_case(self.app, "练习申请人")
        super().__init__([W.HTML(panel(f"{case['item']} 办事指南", case["guide_html"]).value),
                          W.HTML(panel("练习申请人带来的材料和情况", _pre(case["text"])).value),
                          W.HTML("<b>请给这位申请人写一份一次性告知单：</b>"), self.text, self.check, self.result])
        testing.register(self)

    def _on_check(self, _b=None) -> None:
        hits = letter_hits(self.text.value, self.app, self.decision)
        self.result.value = "<br>".join(f"{'✅' if ok else '⬜'} {esc(c)}" + (f"：{esc(why)}" if why else "")
                                        for c, ok, why in hits) + \
            "<br><span style='color:#718096;'>这里只核对看得出来的要点；作业里由培训老师按同样的要点评分。</span>"

    def _selftest(self) -> str:
        self.text.value = "一次性告知单"
        self._on_check()
        return self.result.value[:30]


def letter_practice(seed: int = 5) -> LetterPractice:
    return LetterPractice(seed)
