"""Course 1 (办事指南与受理审查) helpers: guides, defective guides, applications and decisions.

All answers are judged by the sandbox's own rules: ``sandbox.guides.check_guide`` for guides and
``sandbox.acceptance.decide`` for applications. Exercise cases come from fixed seeds, so that the
same notebook always shows the same cases and the answers are checkable.
"""
from __future__ import annotations

import functools
import random
from typing import Any, Mapping, Sequence

import ipywidgets as W

from . import testing
from .display import badge_html, card, esc, masked_person, note, panel, table_html
from .questions import Question, ask, checklist, choice

DECISIONS = ("受理", "容缺受理", "告知承诺", "补正", "不予受理")  # sandbox.acceptance.DECISION_KINDS

# Short labels trainees tick, one per defect kind of sandbox.guides.DEFECT_KINDS.
DEFECT_SHORT = {
    "MISSING_MATERIAL": "漏列必要材料（或把必要材料写成非必要）",
    "PROMISED_OVER_LEGAL": "承诺办结时限超过法定办结时限",
    "MISSING_LEGAL_LIMIT": "没写法定办结时限",
    "MISSING_PROMISED_LIMIT": "没写承诺办结时限",
    "INSTANT_WITH_DAYS": "标为即办件却写了工作日",
    "COMMITMENT_WITHOUT_DAYS": "标为承诺件却写当场办结",
    "WRONG_ITEM_TYPE": "事项类型写错",
    "MISSING_FEE_BASIS": "收费没写依据",
    "VISITS_ONLINE_MISMATCH": "到现场次数与是否网办矛盾",
    "MISSING_CONSULT": "没写咨询方式",
    "MISSING_COMPLAINT": "没写监督投诉方式",
    "MISSING_BASIS": "没写设定和实施依据",
    "MISSING_CONDITIONS": "没写申请条件",
    "CORE_MATERIAL_RONGQUE": "把核心材料标成可容缺",
}
DEFECT_LABELS = list(DEFECT_SHORT.values())
GUIDE_SEEDS = {1: 1101, 2: 1102, 3: 1103}  # exercise guides of the assignment
KIND_SEED = 1201
APPLICATION_SEEDS = {1: 1301, 2: 1302, 3: 1303, 4: 1304, 5: 1317}


@functools.lru_cache(maxsize=1)
def catalog():
    from sandbox.catalog import load_catalog
    return load_catalog()


def _items() -> list:
    return sorted(catalog().items.values(), key=lambda it: it.code)


def _guides():
    from sandbox import guides
    return guides


def guide_widget(guide, title: str = "办事指南") -> W.HTML:
    return W.HTML(panel(title, _guides().guide_html(guide)).value)


def defect_labels(defects) -> list[str]:
    return [DEFECT_SHORT[d.code] for d in defects]


# ---- lesson widgets ---------------------------------------------------------------------------------
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


def kind_exercise_items(seed: int = KIND_SEED, n: int = 4) -> list:
    """The assignment's named items, or (lessons) n items, half 即办件 and half 承诺件, from a seed."""
    if seed == KIND_SEED:
        return [catalog().by_name(name) for name in KIND_ITEMS]
    r = random.Random(seed)
    instant = [it for it in _items() if it.instant]
    promised = [it for it in _items() if not it.instant]
    chosen = r.sample(instant, n // 2) + r.sample(promised, n - n // 2)
    r.shuffle(chosen)
    return chosen


def show_kind_items(items: Sequence) -> None:
    from IPython.display import display
    for it in items:
        rows = [("事项类型", it.item_type), ("办理流程", "；".join(it.steps)), ("法定办结时限", f"{it.legal_days}个工作日"),
                ("收费", "不收费" if it.fee_yuan == 0 else f"{it.fee_yuan:g}元")]
        display(W.HTML(panel(f"{it.name}（即办件/承诺件一栏已遮住）", table_html(rows)).value))


class KindQuiz(W.VBox):
    """Practice (not graded): decide 即办件/承诺件, then see the answer."""

    def __init__(self, seed: int, n: int):
        self.items = kind_exercise_items(seed, n)
        self.choices = [W.RadioButtons(options=["即办件", "承诺件"], value=None) for _ in self.items]
        rows = []
        for it, c in zip(self.items, self.choices):
            rows.append(W.HTML(f"<b>{esc(it.name)}</b>：{esc('；'.join(it.steps))}"))
            rows.append(c)
        self.check = W.Button(description="看看对不对", icon="check")
        self.result = W.HTML()
        self.check.on_click(self._on_check)
        super().__init__(rows + [self.check, self.result])
        testing.register(self)

    def _on_check(self, _b=None) -> None:
        lines = []
        for it, c in zip(self.items, self.choices):
            ok = c.value == it.kind_label
            lines.append(f"{'✅' if ok else '❌'} {esc(it.name)}：应为 <b>{it.kind_label}</b>"
                         f"（承诺时限：{'当场办结' if it.instant else f'{it.promised_days}个工作日'}）")
        self.result.value = "<br>".join(lines)

    def _selftest(self) -> str:
        for c in self.choices:
            c.value = "即办件"
        self._on_check()
        return self.result.value[:30]


def kind_quiz(seed: int = 7, n: int = 4) -> KindQuiz:
    return KindQuiz(seed, n)


# Exercise items are named, so that adding items to the catalogue never changes an exercise.
GUIDE_ITEMS = {1: "基本医疗保险关系转移接续", 2: "公共场所卫生许可", 3: "死亡注销户口"}
KIND_ITEMS = ("居民身份证换领、补领", "新办纳税人首次申领发票", "不动产登记资料查询", "零星医疗费用手工报销")
APPLICATION_ITEMS = ("食品经营许可", "异地就医备案", "企业职工基本养老保险待遇申领（退休）", "机动车注册登记",
                     "居民身份证申领", "出生登记（新生儿入户）", "公共场所卫生许可", "不动产登记资料查询",
                     "城乡居民基本医疗保险参保登记", "社会保障卡申领", "死亡注销户口")


def exercise_guide(n: int, seed: int | None = None):
    """(item, defective guide) of exercise ``n`` (fixed item and seed; lessons pass their own seed)."""
    r = random.Random(GUIDE_SEEDS.get(n, 1100 + n) if seed is None else seed)
    item = r.choice(_items()) if seed is not None or n not in GUIDE_ITEMS else catalog().by_name(GUIDE_ITEMS[n])
    guide, _injected = _guides().make_defective_guide(item, r, n=2 if n != 1 else 1)
    return item, guide


def expected_defects(n: int, seed: int | None = None) -> list[str]:
    """The defects ``check_guide`` finds in exercise guide ``n`` (as short labels)."""
    item, guide = exercise_guide(n, seed)
    return defect_labels(_guides().check_guide(guide, item=item))


def show_exercise_guide(n: int) -> None:
    from IPython.display import display
    _item, guide = exercise_guide(n)
    display(guide_widget(guide, f"第{n}份指南：{guide.name}"))


class DefectExplorer(W.VBox):
    """Lesson: a defective guide, a checklist, and 对照检查 (check_guide's findings)."""

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
        self.item, self.guide = exercise_guide(0, seed=self.seed)
        self.view.value = guide_widget(self.guide, f"练习指南：{self.guide.name}").value
        self.ticks.set([])
        self.result.value = ""

    def _on_next(self, _b=None) -> None:
        self.seed += 1
        self._load()

    def _on_check(self, _b=None) -> None:
        found = _guides().check_guide(self.guide, item=self.item)
        mine = set(self.ticks.get())
        truth = set(defect_labels(found))
        lines = [f"{'✅' if DEFECT_SHORT[d.code] in mine else '⬜ 漏找'} {esc(str(d))}" for d in found]
        lines += [f"❌ 多选：{esc(x)}" for x in sorted(mine - truth)]
        self.result.value = "<br>".join(lines) or "这份指南没有发现错误。"

    def _selftest(self) -> str:
        self.ticks.set(DEFECT_LABELS[:1])
        self._on_check()
        self._on_next()
        return self.result.value[:30]


def defect_explorer(seed: int = 11) -> DefectExplorer:
    return DefectExplorer(seed)


# ---- applications ------------------------------------------------------------------------------------
def _acceptance():
    from sandbox import acceptance
    return acceptance


@functools.lru_cache(maxsize=1)
def population():
    from sandbox.population import build_population
    return build_population(seed=42, n_citizens=3000, n_firms=400)


# Exercise n of the assignment: the decision its case is searched for (fixed seeds, deterministic).
APPLICATION_TARGETS = {1: "容缺受理", 2: "告知承诺", 3: "补正", 4: "补正", 5: "补正"}


def _make(seed: int, difficulty: str = "medium", pool: Sequence[str] | None = None):
    r = random.Random(seed)
    item = r.choice([catalog().by_name(n) for n in pool]) if pool else r.choice(_items())
    return _acceptance().make_application(item, r, population(), difficulty)


@functools.lru_cache(maxsize=64)
def exercise_application(n: int, seed: int | None = None):
    """Application of exercise ``n``: the first of a fixed run of seeds whose decision is the target."""
    if seed is not None:
        return _make(seed)
    target = APPLICATION_TARGETS.get(n)
    base = APPLICATION_SEEDS.get(n, 1300 + n) * 1000
    for k in range(2000):
        app = _make(base + k, "hard" if n >= 3 else "medium", APPLICATION_ITEMS)
        d = _acceptance().decide(app)
        if target is None or (d.kind == target and (target != "补正" or len(d.one_time_list) >= 2)):
            return app
    raise RuntimeError(f"no exercise application for {n}")


def application_item(app):
    return app.item


def material_options(app) -> list[str]:
    return [m.name for m in app.item.materials]


def show_application(app, out: W.Output | None = None) -> None:
    from IPython.display import display
    item = application_item(app)
    widgets = [card("申请人", _applicant_fields(app)),
               guide_widget(_guides().render_guide(item), f"{item.name} 办事指南"),
               W.HTML(panel("申请人带来的材料和情况", _application_html(app)).value)]
    if out is None:
        display(*widgets)
    else:
        out.clear_output(wait=True)
        with out:
            display(*widgets)


def _applicant_fields(app) -> dict[str, str]:
    if app.applicant is not None:
        fields = masked_person(app.applicant)
    else:
        fields = {}
    if app.firm is not None:
        fields.update({"申请单位": app.firm.name})
    return fields


def _application_html(app) -> str:
    return f'<pre style="white-space:pre-wrap;font-family:inherit;">{esc(app.describe())}</pre>'


def expected_decision(app) -> dict[str, Any]:
    d = _acceptance().decide(app)
    return {"决定": d.kind, "缺少材料": sorted(d.outstanding)}


def decision_form(qid: str, title: str, app) -> Question:
    return ask(qid, title, {"决定": choice("决定", list(DECISIONS)),
                            "缺少材料": checklist("要写进告知书的材料（缺少、有瑕疵或容缺后补的）", material_options(app))})


ACCEPT_NOW = {"受理": "能", "告知承诺": "能", "容缺受理": "能（容缺受理）", "补正": "不能，补齐后再来",
              "不予受理": "不能，补齐后再来"}


def expected_notice(app) -> dict[str, Any]:
    d = _acceptance().decide(app)
    return {"告知材料": sorted(d.outstanding), "能否先受理": ACCEPT_NOW[d.kind]}


def notice_form(qid: str, title: str, app) -> Question:
    return ask(qid, title, {"告知材料": checklist("一次性告知单上要写的材料", material_options(app)),
                            "能否先受理": choice("这次能否先受理？", ["能", "能（容缺受理）", "不能，补齐后再来"])})


def sample_notice_letter(app) -> str:
    d = _acceptance().decide(app)
    return d.notice_text(app) + ("\n补交地点：市政务服务中心综合窗口，或在青海政务服务网上传；"
                                 "需要帮助可找帮办代办窗口，已有电子证照的不用再交纸质件。咨询电话：12345。")


class ApplicationExplorer(W.VBox):
    """Lesson: a random application, the trainee's decision, and 对照规则 (acceptance.decide)."""

    def __init__(self, seed: int):
        self.seed = seed
        self.out = W.Output()
        self.decision = W.RadioButtons(options=list(DECISIONS), value=None, description="我的决定")
        self.check = W.Button(description="对照规则", icon="balance-scale")
        self.next = W.Button(description="换一位申请人", icon="refresh")
        self.result = W.HTML()
        self.check.on_click(self._on_check)
        self.next.on_click(self._on_next)
        super().__init__([self.out, self.decision, W.HBox([self.check, self.next]), self.result])
        self._load()
        testing.register(self)

    def _load(self) -> None:
        self.app = _make(self.seed)
        show_application(self.app, self.out)
        self.decision.value = None
        self.result.value = ""

    def _on_next(self, _b=None) -> None:
        self.seed += 1
        self._load()

    def _on_check(self, _b=None) -> None:
        d = _acceptance().decide(self.app)
        ok = self.decision.value == d.kind
        why = "；".join(d.reasons)
        self.result.value = (f"{'✅ 对了' if ok else '❌ 不对'}：按规则应 <b>{esc(d.kind)}</b>。{esc(why)}"
                             f'<pre style="white-space:pre-wrap;font-family:inherit;">{esc(d.notice_text(self.app))}</pre>')

    def _selftest(self) -> str:
        self.decision.value = DECISIONS[0]
        self._on_check()
        self._on_next()
        return self.result.value[:30]


def application_explorer(seed: int = 3) -> ApplicationExplorer:
    return ApplicationExplorer(seed)
