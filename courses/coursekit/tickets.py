"""The 12345 desk in widgets (course 12345工单办理): a ticket's life, deadlines, the routing
catalogue and a working queue whose decisions are saved as data.

The queue is the public view of :func:`sandbox.hotline.desk.make_queue` (a trainee's own one comes
from the grader through ``my_cases``; lessons use fixed public seeds). Decisions are saved as one dict
per ticket number under a question id; the grader applies them through the ticket API.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import ipywidgets as W

from sandbox.base.geography import COUNTIES
from sandbox.hotline import DEFAULT_POLICY, NOT_ACCEPTED, TICKET_TYPES, Hotline, TransitionError
from sandbox.hotline import tickets as api
from sandbox.hotline.desk import ACTIONS, KB_TITLES, make_queue, township_unit
from sandbox.hotline.handling import apply, catalogue_entry, score
from sandbox.hotline.routing import TOWNSHIP, all_unit_names, county_prefix
from sandbox.hotline.taxonomy import BY_LEVEL2, CATEGORIES

from . import hotterms  # noqa: F401 - adds the hotline terms to the glossary
from .answers import load as load_answer
from .answers import save as save_answer
from .display import badge_html, esc, note, panel, table_html
from .testing import register

STAGE_ACTIONS = {"新工单": ("派单", "直接办结", "并单", "不予受理"), "退单待审核": ("改派", "驳回退单"),
                 "延期申请": ("同意延期", "不同意延期")}
CATEGORY_OPTIONS = [("（未选）", "")] + [(f"{c.level1} / {c.level2}", c.level2) for c in CATEGORIES]


def unit_options(county: str, town: str = "") -> list[str]:
    """Units a ticket in ``county`` may go to: the county's and the city's, and its township government."""
    c = next(c for c in COUNTIES if c.name == county)
    prefix = county_prefix(c)
    names = [n for n in all_unit_names() if (n.startswith(prefix) or n.startswith("海东市")) and not n.endswith(TOWNSHIP)]
    names += [township_unit(county, t) for t in c.townships]
    return sorted(set(names))


def ticket_card(t: dict) -> W.HTML:
    """One ticket as the desk shows it (caller masked, 合成数据)."""
    rows = [(k, t[k]) for k in ("工单编号", "受理时间", "渠道", "来电人", "县区", "乡镇", "环节", "办理时限",
                                "原承办单位", "申请时间", "单位意见") if t.get(k)]
    body = table_html(rows) + f'<div style="margin:6px 0;padding:6px;background:#f7fafc;">{esc(t["诉求内容"])}</div>'
    return panel(f"工单 {t['工单编号']}", body)


# ---- lesson 1: a ticket's life --------------------------------------------------------------------
class TicketWalk(W.VBox):
    """Take one demo ticket through the state machine with buttons; illegal steps show the system's refusal."""

    STEPS = ("分类", "派单", "签收", "办理", "回复", "办结", "回访", "退单", "延期")

    def __init__(self) -> None:
        self.buttons = {s: W.Button(description=s, layout=W.Layout(width="70px")) for s in self.STEPS}
        self.reset_button = W.Button(description="重新开始", icon="refresh")
        self.view, self.msg = W.HTML(), W.HTML()
        for s, b in self.buttons.items():
            b.on_click(lambda _b, s=s: self.do(s))
        self.reset_button.on_click(lambda _b: self.reset())
        super().__init__([W.HBox(list(self.buttons.values())), self.reset_button, self.msg, self.view])
        self.reset()
        register(self)

    def reset(self) -> None:
        self.desk = Hotline()
        self.now = datetime(2025, 6, 9, 9, 12)
        self.t = self.desk.receive(self.now, channel="电话", caller_name="马建华", caller_mobile="13897001234",
                                   county="乐都区", text="碾伯镇河湟花园3号楼楼道灯坏了半个月，找物业一直不修。")
        self.msg.value = ""
        self._show()

    def do(self, step: str) -> None:
        # the desk classifies at the call; every later step is a unit's or the back office's, in office hours
        self.now += timedelta(hours=3)
        if step != "分类":
            self.now = api.acting_time(self.desk, self.t, self.now)
        d, t, at = self.desk, self.t, self.now
        acts = {"分类": lambda: api.classify(d, t, at, ticket_type="投诉", level2="物业服务质量"),
                "派单": lambda: api.route(d, t, at), "签收": lambda: api.sign(d, t, at),
                "办理": lambda: api.handle(d, t, at), "回复": lambda: api.reply(d, t, at, text="已督促物业更换灯具"),
                "办结": lambda: api.close(d, t, at), "回访": lambda: api.follow_up(d, t, at, solved=True, rating="满意"),
                "退单": lambda: api.return_ticket(d, t, at, reason="不属于本单位职责"),
                "延期": lambda: api.extend(d, t, at, reason="需协调维修资金")}
        try:
            acts[step]()
            self.msg.value = note(f"「{step}」完成，工单现在是「{t.state.value}」。", "ok").value
        except (TransitionError, ValueError) as exc:
            self.msg.value = note(f"系统不允许：{esc(exc)}", "warn").value
        self._show()

    def _show(self) -> None:
        rows = [(f"{e.at:%m-%d %H:%M}", e.action, e.state, e.actor, e.note) for e in self.t.history]
        s = self.t.summary()
        self.view.value = panel(f"工单 {s['工单编号']}（{s['状态']}）",
                                f"来电人 {esc(s['来电人'])}，办理时限 {esc(s['办理时限'] or '分类后确定')}"
                                + table_html(rows, ["时间", "环节", "之后状态", "操作方", "说明"])).value

    def _selftest(self) -> str:
        for s in ("延期", "分类", "派单", "签收", "办理", "回复", "办结", "回访"):
            self.do(s)
        return self.t.state.value


def deadline_calculator() -> W.VBox:
    """Pick a type, urgency and category: the deadline the policy gives for a ticket received now."""
    ttype = W.Dropdown(options=TICKET_TYPES, value="投诉", description="类型")
    urg = W.Dropdown(options=("一般", "紧急", "特急"), value="一般", description="紧急程度")
    cat = W.Dropdown(options=CATEGORY_OPTIONS[1:], value="物业服务质量", description="分类",
                     layout=W.Layout(width="360px"))
    when = W.Dropdown(options=["2025-09-26 16:30（周五）", "2025-09-30 10:00（国庆前）", "2025-06-09 09:00（周一）"],
                      description="受理时间", layout=W.Layout(width="360px"))
    out = W.HTML()

    def show(_=None):
        at = datetime.strptime(when.value[:16], "%Y-%m-%d %H:%M")
        due = DEFAULT_POLICY.due(at, ttype.value, urg.value, BY_LEVEL2[cat.value].utility)
        util = "（水电气暖，按小时计）" if BY_LEVEL2[cat.value].utility and urg.value == "一般" else ""
        out.value = note(f"办理时限：<b>{due:%Y-%m-%d %H:%M}</b>{util}；延期最晚在 "
                         f"{DEFAULT_POLICY.extension_cutoff(due):%Y-%m-%d %H:%M} 之前申请。{badge_html()}").value
    for w in (ttype, urg, cat, when):
        w.observe(show, names="value")
    show()
    box = W.VBox([W.HBox([ttype, urg]), cat, when, out])
    box._selftest = lambda: (setattr(cat, "value", "停水"), show(), out.value[:30])[-1]  # type: ignore[attr-defined]
    register(box)
    return box


def catalogue_lookup() -> W.VBox:
    """The 派单目录: category and county → lead and assisting unit; a returned ticket goes to the lead."""
    cat = W.Dropdown(options=CATEGORY_OPTIONS[1:], value="物业收费", description="分类", layout=W.Layout(width="360px"))
    county = W.Dropdown(options=[c.name for c in COUNTIES], description="县区", layout=W.Layout(width="360px"))
    out = W.HTML()

    def show(_=None):
        e = catalogue_entry(cat.value, county.value)
        out.value = panel("派单目录", table_html([("主办单位", e["主办"]), ("协办单位", "、".join(e["协办"]) or "无"),
                                              ("退单审核", f"原承办单位不是{e['主办']}的，改派给它；就是它的，驳回退单")])).value
    cat.observe(show, names="value")
    county.observe(show, names="value")
    show()
    box = W.VBox([cat, county, out])
    box._selftest = lambda: (setattr(cat, "value", "农民工工资拖欠"), out.value[:20])[-1]  # type: ignore[attr-defined]
    register(box)
    return box


# ---- the working queue ---------------------------------------------------------------------------
class QueueDesk(W.VBox):
    """Handle a queue ticket by ticket; 保存本单 writes the decision into the answers under ``qid``."""

    def __init__(self, qid: str, cases: dict) -> None:
        self.qid, self.cases = qid, cases
        self.tickets = {t["工单编号"]: t for t in cases["工单"]}
        self.picker = W.Dropdown(description="工单", layout=W.Layout(width="480px"))
        self.card = W.HTML()
        lay = W.Layout(width="460px")
        self.action = W.Dropdown(description="处理", layout=lay)
        self.ttype = W.Dropdown(options=[("（未选）", "")] + [(x, x) for x in TICKET_TYPES], description="类型", layout=lay)
        self.cat = W.Dropdown(options=CATEGORY_OPTIONS, description="分类", layout=lay)
        self.lead = W.Dropdown(description="主办", layout=lay)
        self.assist = W.SelectMultiple(description="协办", rows=4, layout=lay)
        self.reason = W.Dropdown(options=[("（未选）", "")] + [(x, x) for x in NOT_ACCEPTED], description="理由", layout=lay)
        self.into = W.Dropdown(description="并入", layout=lay)
        self.kb = W.Dropdown(options=[("（未选）", "")] + [(x, x) for x in KB_TITLES], description="知识库", layout=lay)
        self.lookup = W.Button(description="查派单目录", icon="search")
        self.save_button = W.Button(description="保存本单", button_style="primary", icon="save")
        self.status, self.progress = W.HTML(), W.HTML()
        self.lookup.on_click(lambda _b: self.fill_from_catalogue())
        self.save_button.on_click(lambda _b: self.save())
        self.picker.observe(lambda _c: self.show(), names="value")
        self.kb_view = W.HTML(panel("知识库（答复口径）", table_html(sorted(cases.get("知识库", {}).items()))).value)
        form = W.VBox([self.action, self.ttype, self.cat, W.HBox([self.lookup]), self.lead, self.assist, self.reason,
                       self.into, self.kb, W.HBox([self.save_button, self.status])])
        super().__init__([self.progress, self.picker, self.card, form, W.Accordion([self.kb_view], titles=("知识库",))],
                         layout=W.Layout(border="1px solid #cbd5e0", padding="8px"))
        self._refresh_picker()
        self.show()
        register(self)

    def saved(self) -> dict:
        v = load_answer(self.qid)
        return v if isinstance(v, dict) else {}

    def _refresh_picker(self) -> None:
        done = self.saved()
        opts = [(f"{'✅' if n in done else '⬜'} {n} · {t['环节']} · {t['县区']}", n) for n, t in self.tickets.items()]
        keep = self.picker.value
        self.picker.options = opts
        self.picker.value = keep if keep in self.tickets else opts[0][1]
        self.progress.value = f"已保存 <b>{len(done)}</b> / {len(self.tickets)} 件{badge_html()}"

    def show(self) -> None:
        t = self.tickets[self.picker.value]
        self.card.value = ticket_card(t).value
        self.action.options = [("（未选）", "")] + [(a, a) for a in STAGE_ACTIONS[t["环节"]]]
        units = unit_options(t["县区"], t["乡镇"])
        self.lead.options = [("（未选）", "")] + [(u, u) for u in units]
        self.assist.options = units
        earlier = [n for n, x in self.tickets.items() if n != t["工单编号"] and x["受理时间"] <= t["受理时间"]]
        self.into.options = [("（未选）", "")] + [(n, n) for n in earlier]
        self.set(self.saved().get(t["工单编号"], {}))
        self.status.value = ""

    def fill_from_catalogue(self) -> None:
        t = self.tickets[self.picker.value]
        if not self.cat.value:
            self.status.value = note("请先选分类，再查派单目录。", "warn").value
            return
        e = catalogue_entry(self.cat.value, t["县区"], t.get("乡镇", ""))
        self.lead.value = e["主办"] if e["主办"] in self.lead.options or any(
            o[1] == e["主办"] for o in self.lead.options) else ""
        self.assist.value = tuple(a for a in e["协办"] if a in self.assist.options)

    def value(self) -> dict:
        return {"处理": self.action.value or "", "类型": self.ttype.value or "", "分类": self.cat.value or "",
                "主办": self.lead.value or "", "协办": list(self.assist.value), "理由": self.reason.value or "",
                "并入": self.into.value or "", "知识库": self.kb.value or ""}

    def set(self, d: dict) -> None:
        for w, k in ((self.action, "处理"), (self.ttype, "类型"), (self.cat, "分类"), (self.lead, "主办"),
                     (self.reason, "理由"), (self.into, "并入"), (self.kb, "知识库")):
            values = [o[1] if isinstance(o, tuple) else o for o in w.options]
            w.value = d.get(k, "") if d.get(k, "") in values else ""
        self.assist.value = tuple(a for a in d.get("协办", []) if a in self.assist.options)

    def save(self, number: str | None = None, decision: dict | None = None) -> dict:
        """Save one ticket's decision (the button; tests pass ``number`` and ``decision``)."""
        number = number or self.picker.value
        all_ = self.saved()
        all_[number] = decision if decision is not None else self.value()
        save_answer(self.qid, all_)
        self.status.value = f"✅ 已保存 {esc(number)}（评分只看已保存的内容）"
        self._refresh_picker()
        return all_

    def _selftest(self) -> int:
        self.cat.value = "物业服务质量"
        self.fill_from_catalogue()
        self.action.value = self.action.options[1][1]
        return len(self.save())


class PracticeResult(W.VBox):
    """Lessons: apply the saved decisions of a practice queue and show what happened, ticket by ticket."""

    def __init__(self, qid: str, seed: int, sizes: dict) -> None:
        self.qid, self.queue = qid, make_queue(seed, **sizes)
        self.button = W.Button(description="办理并查看结果", button_style="success", icon="play")
        self.out = W.HTML()
        self.button.on_click(lambda _b: self.run())
        super().__init__([self.button, self.out])
        register(self)

    def run(self) -> dict:
        decisions = load_answer(self.qid) or {}
        outs = apply(self.queue, decisions)
        rates = score(self.queue, outs)
        rows = [(o.number, o.action, "是" if o.handled_on_time else ("—" if o.handled_on_time is None else "否"),
                 "；".join(o.reasons) or "处理正确") for o in outs]
        pct = lambda v: "—" if v is None else f"{v:.0%}"  # noqa: E731
        head = table_html([(k, pct(v) if isinstance(v, float) or v is None else v) for k, v in rates.items()])
        self.out.value = panel("办理结果", head + table_html(rows, ["工单", "你的处理", "按期办结", "反馈"])).value
        return rates

    def _selftest(self) -> Any:
        return self.run()["按期办结率"]
