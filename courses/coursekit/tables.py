"""Filter and pivot forms over a table (no code): pick a filter, a grouping and a count or share.

Used by the ratings and bulletin courses: trainees build figures the way an analyst does in a
spreadsheet — 筛选 (filter), 分组 (group by), 计数/求和/占比 — and read the result off a table
marked 合成数据.
"""
from __future__ import annotations

from typing import Any, Sequence

import ipywidgets as W
import pandas as pd

from . import hotterms  # noqa: F401 - adds the terms to the glossary
from .display import panel, table_html
from .testing import register

AGGS = ("计数", "为“是”的个数", "为“是”的占比")


class PivotForm(W.VBox):
    """Filter rows by up to two column values, group by a column, aggregate a column."""

    def __init__(self, rows: Sequence[dict[str, Any]], title: str = "数据透视") -> None:
        self.df = pd.DataFrame(list(rows))
        cols = [c for c in self.df.columns if c not in ("数据性质",)]
        cats = [c for c in cols if self.df[c].nunique() <= 40]
        lay = W.Layout(width="300px")
        self.f1 = W.Dropdown(options=["（不筛选）"] + cats, description="筛选列", layout=lay)
        self.v1 = W.Dropdown(options=[], description="等于", layout=lay)
        self.group = W.Dropdown(options=["（不分组）"] + cats, description="分组", layout=lay)
        self.agg = W.Dropdown(options=AGGS, description="统计", layout=lay)
        self.col = W.Dropdown(options=cols, description="统计列", layout=lay)
        self.button = W.Button(description="计算", button_style="primary", icon="table")
        self.out = W.HTML()
        self.title = title
        self.f1.observe(self._values, names="value")
        self.button.on_click(lambda _b: self.run())
        super().__init__([W.HBox([self.f1, self.v1]), W.HBox([self.group, self.agg, self.col]), self.button, self.out])
        register(self)

    def _values(self, _=None) -> None:
        c = self.f1.value
        self.v1.options = [] if c == "（不筛选）" else [str(v) for v in sorted(self.df[c].astype(str).unique())]

    def compute(self) -> pd.DataFrame:
        d = self.df
        if self.f1.value != "（不筛选）" and self.v1.value is not None:
            d = d[d[self.f1.value].astype(str) == self.v1.value]
        key = None if self.group.value == "（不分组）" else self.group.value
        col = d[self.col.value]
        yes = col.astype(str).isin(["True", "是", "1"])
        frame = pd.DataFrame({"g": d[key].astype(str) if key else "全部", "n": 1, "yes": yes.astype(int)})
        g = frame.groupby("g").agg(计数=("n", "sum"), 是=("yes", "sum"))
        if self.agg.value == "计数":
            return g[["计数"]]
        if self.agg.value == "为“是”的个数":
            return g[["是"]]
        return (g["是"] / g["计数"] * 100).round(2).to_frame("占比（%）")

    def run(self) -> pd.DataFrame:
        res = self.compute()
        self.out.value = panel(self.title, table_html([(i, *r) for i, r in zip(res.index, res.values.tolist())],
                                                      [self.group.value, *res.columns])).value
        return res

    def _selftest(self) -> int:
        self.group.value = self.group.options[1] if len(self.group.options) > 1 else self.group.options[0]
        self.agg.value = AGGS[2]
        return len(self.run())
