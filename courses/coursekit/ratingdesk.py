"""The 差评 desk (course 差评整改与评估考核): call back, then rectify, explain or appeal each 差评.

The batch is the public view of :func:`sandbox.practice.rating_batch.make_batch`; what the callback
finds is shown only once 回访核实 is ticked and saved. Decisions are saved as one dict per rating id.
"""
from __future__ import annotations

from datetime import date

import ipywidgets as W

from sandbox.practice.rating_batch import ACTIONS

from . import hotterms  # noqa: F401 - adds the terms to the glossary
from .answers import load as load_answer
from .answers import save as save_answer
from .display import badge_html, esc, panel, table_html
from .testing import register


class RatingDesk(W.VBox):
    def __init__(self, qid: str, bad: list[dict]) -> None:
        self.qid, self.items = qid, {b["编号"]: b for b in bad}
        self.picker = W.Dropdown(description="差评", layout=W.Layout(width="460px"))
        self.card, self.status, self.progress = W.HTML(), W.HTML(), W.HTML()
        self.called = W.Checkbox(description="已回访核实（打勾并保存后显示核实情况）", indent=False)
        self.action = W.Dropdown(options=[("（未选）", "")] + [(a, a) for a in ACTIONS], description="处理")
        self.when = W.DatePicker(description="整改完成日")
        self.button = W.Button(description="保存本条", button_style="primary", icon="save")
        self.button.on_click(lambda _b: self.save())
        self.picker.observe(lambda _c: self.show(), names="value")
        super().__init__([self.progress, self.picker, self.card, self.called, self.action, self.when,
                          W.HBox([self.button, self.status])], layout=W.Layout(border="1px solid #cbd5e0", padding="8px"))
        self._refresh()
        self.show()
        register(self)

    def saved(self) -> dict:
        v = load_answer(self.qid)
        return v if isinstance(v, dict) else {}

    def _refresh(self) -> None:
        done = self.saved()
        keep = self.picker.value
        self.picker.options = [(f"{'✅' if k in done else '⬜'} {k} · {b['单位']} · {b['来源']}", k) for k, b in self.items.items()]
        self.picker.value = keep if keep in self.items else next(iter(self.items))
        self.progress.value = f"已保存 <b>{len(done)}</b> / {len(self.items)} 条{badge_html()}"

    def show(self) -> None:
        b, d = self.items[self.picker.value], self.saved().get(self.picker.value, {})
        rows = [(k, b[k]) for k in ("编号", "来源", "单位", "事项", "评价", "评价时间", "评价内容", "整改期限")]
        if d.get("回访"):
            rows += [("回访核实时间", b["回访核实时间"]), ("回访核实情况", b["回访核实情况"])]
        self.card.value = panel(f"差评 {b['编号']}", table_html(rows)).value
        self.called.value = bool(d.get("回访"))
        self.action.value = d.get("处理", "") if d.get("处理", "") in ACTIONS else ""
        self.when.value = date.fromisoformat(d["完成日期"]) if d.get("完成日期") else None
        self.status.value = ""

    def save(self, rid: str | None = None, decision: dict | None = None) -> dict:
        rid = rid or self.picker.value
        all_ = self.saved()
        all_[rid] = decision if decision is not None else {
            "回访": bool(self.called.value), "处理": self.action.value or "",
            "完成日期": self.when.value.isoformat() if self.when.value else ""}
        save_answer(self.qid, all_)
        self.status.value = f"✅ 已保存 {esc(rid)}"
        self._refresh()
        self.show()
        return all_

    def _selftest(self) -> int:
        self.called.value = True
        self.save()
        self.action.value = "整改"
        return len(self.save())
