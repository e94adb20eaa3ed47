"""Forms of the bulletin course (月度通报与预警): definitions, the month's figures, the top-5 hot topics,
the warning rule with a practice replay, the 苗头 to warn on, and a daily chart of one cell.

Everything a trainee enters is saved as data (``answers.json``); the grader recomputes the month with
``sandbox.hotline.bulletin.build`` and replays definitions and rule on months the trainee never saw.
"""
from __future__ import annotations

import json
import random
import zlib
from typing import Any, Sequence

import ipywidgets as W
import pandas as pd

from sandbox.hotline.drill import DEFINITIONS, Rule, candidates, frames, month_run, public_rows, rule_alerts
from sandbox.hotline.taxonomy import CATEGORIES

from . import hotterms  # noqa: F401 - adds the terms to the glossary
from .charts import show
from .display import badge_html, note, panel, table_html
from .questions import Field, ask, checklist, choice
from .testing import register

LEVEL2 = [c.level2 for c in CATEGORIES]
RATES = ("按期办结率", "满意率", "响应率")


def dropdown(label: str, options: Sequence[str]) -> Field:
    w = W.Dropdown(options=[("（未选）", "")] + [(o, o) for o in options], value="", layout=W.Layout(width="320px"))
    return Field(label, w, lambda: w.value or "", lambda v: setattr(w, "value", v if v in options else ""),
                 lambda cb: w.observe(cb, names="value"))


def decimal(label: str, placeholder: str = "如 92.5") -> Field:
    """A number typed as text (percent with one decimal, or a count); saved as the text typed."""
    w = W.Text(value="", placeholder=placeholder, layout=W.Layout(width="160px"))
    return Field(label, w, lambda: w.value.strip(), lambda v: setattr(w, "value", "" if v is None else str(v)),
                 lambda cb: w.observe(cb, names="value"))


def definition_options(order_key: Any) -> dict[str, tuple[str, ...]]:
    """Each definition's options in an order drawn from ``order_key`` (the trainee's own cases): the
    bulletin's choice is first in DEFINITIONS, so an unshuffled form would give it away by position."""
    text = order_key if isinstance(order_key, str) else json.dumps(order_key, sort_keys=True, ensure_ascii=False)
    rng = random.Random(zlib.crc32(text.encode("utf-8")))
    return {k: tuple(rng.sample(v, len(v))) for k, v in DEFINITIONS.items()}


def definitions_form(qid: str = "defs", order_key: Any = None):
    """The definitions as radio buttons, options shuffled per trainee (``order_key``: their cases)."""
    options = definition_options(qid if order_key is None else order_key)
    return ask(qid, "统计口径：每个指标怎么算", {k: choice(k, v) for k, v in options.items()},
               intro="口径选定后，评分时会用你的口径去算一个你没见过的月份，和通报的数字比对。")


def figures_form(qid: str = "figures"):
    fields = {"受理量": decimal("受理量（件）", "如 1438")}
    fields.update({k: decimal(f"{k}（%）") for k in RATES})
    return ask(qid, "本月主要指标", fields)


def hot_form(qid: str = "hot"):
    fields = {}
    for i in range(1, 6):
        fields[f"第{i}名"] = dropdown(f"第{i}名 二级分类", LEVEL2)
        fields[f"第{i}名环比"] = decimal(f"第{i}名 环比（%，下降填负数）", "如 -12.5")
    return ask(qid, "热点诉求前五名（按本月件数）", fields)


def rule_form(qid: str = "rule"):
    return ask(qid, "苗头性问题预警规则", {
        "窗口天数": decimal("和前几天的日均比（天）", "如 7"),
        "倍数": decimal("当天件数至少是日均的几倍", "如 3"),
        "最少件数": decimal("当天至少几件才预警", "如 5")},
        intro="规则：某县区某二级分类当天的件数 ≥ 最少件数，且 ≥ 倍数 × 前 N 天的日均件数（日均不足 0.5 按 0.5 算）时预警。")


def flag_form(qid: str, candidates: list[dict]):
    labels = [f"{c['县区']}·{c['分类']}" for c in candidates]
    return ask(qid, "这些苗头中，哪些应当发出预警？", checklist("", labels))


def candidate_table(candidates: list[dict]) -> W.HTML:
    rows = [(f"{c['县区']}·{c['分类']}", c["本月"], c["上月"], c["高峰日件数"]) for c in candidates]
    return panel("本月增加较多的县区·分类", table_html(rows, ["县区·分类", "本月", "上月", "单日最多"]))


class DailyChart(W.VBox):
    """Daily counts of one county × category in the month (and the month before)."""

    def __init__(self, rows_now: list[dict], rows_before: list[dict]) -> None:
        self.df = pd.DataFrame(list(rows_before) + list(rows_now))
        self.county = W.Dropdown(options=sorted(self.df["县区"].unique()), description="县区")
        self.cat = W.Dropdown(options=sorted(self.df["二级分类"].unique()), description="分类")
        self.out = W.Output()
        self.button = W.Button(description="画日受理量", icon="line-chart")
        self.button.on_click(lambda _b: self.draw())
        super().__init__([W.HBox([self.county, self.cat, self.button]), self.out])
        register(self)

    def draw(self) -> int:
        import matplotlib.pyplot as plt
        d = self.df[(self.df["县区"] == self.county.value) & (self.df["二级分类"] == self.cat.value)]
        s = d.groupby("受理日期").size()
        days = pd.date_range(self.df["受理日期"].min(), self.df["受理日期"].max()).strftime("%Y-%m-%d")
        s = s.reindex(days, fill_value=0)
        fig, ax = plt.subplots(figsize=(8, 2.6))
        ax.bar(range(len(s)), s.values, color="#2b6cb0")
        ax.set_xticks(range(0, len(s), 7), [x[5:] for x in s.index[::7]])
        ax.set_title(f"{self.county.value}·{self.cat.value} 日受理量")
        ax.set_ylabel("件")
        show(fig, self.out)
        return int(s.sum())

    def _selftest(self) -> int:
        return self.draw()


class RuleTrial(W.VBox):
    """Lessons: try the saved rule on practice months (public seeds) and see what it flags."""

    def __init__(self, qid: str, seeds: Sequence[int], clean: Sequence[int] = ()) -> None:
        self.qid, self.seeds, self.clean = qid, tuple(seeds), tuple(clean)
        self.button = W.Button(description="用练习月份试一试", button_style="success", icon="play")
        self.out = W.HTML()
        self.button.on_click(lambda _b: self.run())
        super().__init__([self.button, self.out])
        register(self)

    def run(self) -> list:
        from .answers import load
        rule = Rule.from_answer(load(self.qid) or {})
        if rule is None:
            self.out.value = note("先填好预警规则（三个数）并保存。", "warn").value
            return []
        rows = []
        for s, planted in [(s, True) for s in self.seeds] + [(s, False) for s in self.clean]:
            run = month_run(s, planted=planted)
            cur, prev = frames(run)
            al = rule_alerts(cur, prev, rule)
            hot = f"{run.hot.county}·{run.hot.level2}（{run.hot.start:%m-%d} 起）" if run.hot else "无（平稳月份）"
            rows.append((run.month, hot, "；".join(f"{a['日期'][5:]} {a['县区']}·{a['分类']}" for a in al[:6]) or "未预警",
                         len(al)))
        self.out.value = panel("规则试运行（练习月份）", table_html(rows, ["月份", "实际出现的苗头", "你的规则预警", "预警条数"])).value
        return rows

    def _selftest(self) -> int:
        from .answers import save
        save(self.qid, {"窗口天数": "7", "倍数": "4", "最少件数": "6"})
        return len(self.run())


def month_cases(seed: int) -> dict:
    """A month as the bulletin exercise shows it (public seeds in lessons; the grader uses its own)."""
    run = month_run(seed)
    cur, prev = frames(run)
    return {"月份": run.month, "本月": public_rows(cur), "上月": public_rows(prev), "苗头": candidates(cur, prev),
            "数据性质": "合成数据"}


def month_label(cases: dict) -> W.HTML:
    return W.HTML(f"<b>通报月份：{cases['月份']}</b>，本月 {len(cases['本月'])} 行、上月 {len(cases['上月'])} 行{badge_html()}")
