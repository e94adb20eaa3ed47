"""Grader-only checker of 月度通报与预警 / datatrack, the optional code track (a code assignment graded
as data: grading.code_export; never released).

The trainee writes pandas functions over the ticket table of the lessons (drill.public_rows): the
month's figures by the bulletin's definitions and a daily warning rule. ``EXPORTS`` calls them,
through the notebook's two locked wrappers (``month_report``, ``rule_alerts``), on months the trainee
never saw: small tables cut from simulated months (seeds below, grader-only). ``check`` compares the
figures with the bulletin's own (``bulletin.month_figures`` of the same tickets: the part of
``bulletin.build`` that depends on them) within rounding, and replays the rule: how many days before
the planted issue's peak it fires, how many false alarms it raises on clean months.

Sizes: every table is small (about 40 tickets, 4 county × category cells) so that the export step,
which carries the inputs, stays well under grading's 256 KB export cap (tests/courses check it).
"""
from __future__ import annotations

import math
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from sandbox.hotline import bulletin, drill

from coursekit.checking import CheckContext as _Ctx  # noqa: E402
from coursekit.checking import result as _item  # noqa: E402

FIGURE_SEEDS = (41017, 52391)       # the unseen months the figures are computed on
PLANTED_SEEDS = (61231, 70919)      # unseen months with a planted hot issue (the rule must flag it)
CLEAN_SEEDS = (83117, 94421)        # unseen months without one (the rule should stay quiet)
TOP_COUNTS = (8, 6, 5, 4, 3, 2)     # tickets of the six busiest categories in a small month: a strict order
OTHERS = 12                         # further tickets, one per other category (traps included)
HISTORY_DAYS = 10                   # days of the month before, given to the rule for its baseline
TOL = 0.0006                        # a rate within rounding (the bulletin keeps six decimals, 环比 four)

EDGE_LABEL = "只有 3 件直接办结、无人回访的表"
# The rule's credit by lead days (peak day − first alert): on or before the peak is full marks.
LATE_CREDIT = {-1: 0.5, -2: 0.25}


def _pick(sub: pd.DataFrame, n: int, rng: np.random.Generator) -> pd.DataFrame:
    return sub.iloc[np.sort(rng.choice(len(sub), size=min(n, len(sub)), replace=False))]


def _traps_ok(cur: pd.DataFrame) -> bool:
    """The small month holds every case a wrong definition stumbles on."""
    r = cur.loc[cur["followed"], "final_rating"]
    orig = cur["dispatched"] & (cur["closed_at"] <= cur["deadline"])
    return bool((cur["refused"] | cur["merged"]).any() and (r == "基本满意").sum() >= 2 and r.isin(drill.GOOD).sum() >= 2
                and (cur["closed_in_time"] != orig).any()
                and (cur["dispatched"] & cur["signed_at"].notna() & ~cur["signed_in_time"]).any()
                and cur["direct"].any() and cur["followed"].sum() >= 8)


def _small(cur: pd.DataFrame, prev: pd.DataFrame, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """About 40 tickets of the month (and 30 of the month before) with a strict top-6 of categories,
    every definition trap present, and one top category absent last month (its 环比 does not exist)."""
    top = list(cur["level2"].value_counts().index[:6])
    for k in range(200):
        rng = np.random.default_rng([seed, k])
        parts = [_pick(cur[cur["level2"] == c], n, rng) for c, n in zip(top, TOP_COUNTS)]
        rest = cur[~cur["level2"].isin(top)]
        trap = rest["refused"] | rest["merged"] | (rest["final_rating"] == "基本满意") | ~rest["signed_in_time"]
        rest = rest[trap].sample(frac=1.0, random_state=int(rng.integers(2**31))).drop_duplicates("level2")
        small = pd.concat(parts + [rest.head(OTHERS)]).sort_values("received_at").reset_index(drop=True)
        gone = top[int(rng.integers(5))]
        last = [_pick(prev[prev["level2"] == c], 0 if c == gone else int(rng.integers(1, 8)), rng) for c in top]
        last.append(_pick(prev[~prev["level2"].isin(top)], 8, rng))
        small_prev = pd.concat(last).sort_values("received_at").reset_index(drop=True)
        counts = small["level2"].value_counts()
        if list(counts.iloc[:6]) == list(TOP_COUNTS) and counts.iloc[6] < TOP_COUNTS[-1] and _traps_ok(small):
            return small, small_prev
    raise RuntimeError(f"no small month with every trap for seed {seed}")  # a checker bug: seen by validate


def _edge(cur: pd.DataFrame) -> pd.DataFrame:
    """Three tickets closed at the call, none followed up: no rate has a denominator (None)."""
    sub = cur[cur["direct"] & ~cur["dispatched"] & ~cur["followed"]]
    return sub.head(3).reset_index(drop=True)


def _daily(cur: pd.DataFrame, prev: pd.DataFrame, cells: list[tuple[str, str]]) -> list[dict]:
    """One row per day × county × category (zeros included): the last days of the month before, then
    the month itself — what a daily warning rule reads."""
    first = cur["received_at"].min().normalize()
    days = pd.date_range(first - timedelta(days=HISTORY_DAYS), cur["received_at"].max().normalize(), freq="D")
    both = pd.concat([prev, cur])
    rows = []
    for county, cat in cells:
        sub = both[(both["county"] == county) & (both["level2"] == cat)]
        n = sub["received_at"].dt.normalize().value_counts().reindex(days, fill_value=0)
        rows += [{"日期": f"{d:%Y-%m-%d}", "县区": county, "二级分类": cat, "件数": int(v)} for d, v in n.items()]
    return sorted(rows, key=lambda r: (r["日期"], r["县区"], r["二级分类"]))


@lru_cache(maxsize=1)
def _inputs() -> dict[str, Any]:
    """Everything the exports carry and the checks compare with (computed once per process)."""
    out: dict[str, Any] = {"figures": [], "rules": []}
    for s in FIGURE_SEEDS:
        cur, prev, month, _ = drill.month_frames(s, planted=False)
        small, small_prev = _small(cur, prev, s)
        out["figures"].append({"month": month, "cur": small, "prev": small_prev,
                               "truth": bulletin.month_figures(small, small_prev)})
    edge = _edge(drill.month_frames(FIGURE_SEEDS[0], planted=False)[0])
    out["edge"] = {"cur": edge, "truth": bulletin.month_figures(edge, edge)}
    for s in PLANTED_SEEDS:
        cur, prev, month, hot = drill.month_frames(s)
        cells = [(hot.county, hot.level2)] + [(c["县区"], c["分类"]) for c in drill.candidates(cur, prev, n=4)
                                              if (c["县区"], c["分类"]) != (hot.county, hot.level2)][:3]
        out["rules"].append({"month": month, "rows": _daily(cur, prev, cells), "hot": (hot.county, hot.level2),
                             "peak": drill.hot_peak(cur, hot), "first": f"{month}-01"})
    for s in CLEAN_SEEDS:
        cur, prev, month, _ = drill.month_frames(s, planted=False)
        cells = [(c["县区"], c["分类"]) for c in drill.candidates(cur, prev, n=4)]
        out["rules"].append({"month": month, "rows": _daily(cur, prev, cells), "hot": None, "peak": None,
                             "first": f"{month}-01"})
    return out


def _exports() -> dict[str, dict]:
    data = _inputs()
    ex = {f"month_{i}": {"call": "month_report", "args": [drill.public_rows(f["cur"]), drill.public_rows(f["prev"])]}
          for i, f in enumerate(data["figures"])}
    rows = drill.public_rows(data["edge"]["cur"])
    ex["month_edge"] = {"call": "month_report", "args": [rows, rows]}
    for i, r in enumerate(data["rules"]):
        ex[f"rule_{i}"] = {"call": "rule_alerts", "args": [r["rows"]]}
    return ex


SCHEMA: dict = {}
EXPORTS = _exports()


def cases(seed: int) -> dict:
    return {}  # the practice month is in the notebook; the graded months are the exports above


# ---- figures ------------------------------------------------------------------------------------
def _value(values: dict, name: str) -> tuple[Any, str | None]:
    entry = values.get(name)
    if not isinstance(entry, dict) or "value" not in entry:
        error = entry.get("error") if isinstance(entry, dict) else None
        return None, (f"运行出错：{error}" if error else "函数没有运行（未定义、代码中途出错或整份作业超时）")
    return entry["value"], None


def _figure(report: Any, key: str) -> tuple[Any, str | None]:
    """One figure of ``month_report``'s dict; the wrapper records a figure's own error as {"出错": …}."""
    if not isinstance(report, dict) or key not in report:
        return None, "没有算出这个数"
    v = report[key]
    if isinstance(v, dict) and "出错" in v:
        return None, f"函数出错：{str(v['出错'])[:200]}"
    return v, None


def _rate_ok(got: Any, want: float | None) -> bool:
    if want is None:
        return got is None
    return isinstance(got, (int, float)) and not isinstance(got, bool) and math.isfinite(got) and abs(got - want) <= TOL


def _show(v: Any) -> str:
    if v is None:
        return "“—”（None）"
    return f"{v:.4f}" if isinstance(v, float) else repr(v)[:80]


def _rate_hint(key: str, got: Any, want: float | None, cur: pd.DataFrame) -> str:
    """Why a rate is off, where a typical wrong definition explains it."""
    if want is None:
        return "这张表没有派单或没有回访，分母为 0，应返回 None（通报上写“—”）"
    if isinstance(got, (int, float)) and want is not None and 1.5 < got <= 100 and abs(got / 100 - want) <= TOL * 10:
        return "看起来返回的是百分数，应返回 0 到 1 之间的小数"
    if key == "满意率" and isinstance(got, (int, float)) and cur["followed"].any():
        r = cur.loc[cur["followed"], "final_rating"]
        good, basic, n = r.isin(drill.GOOD).sum(), (r == "基本满意").sum(), len(r)
        for w, why in ((1.0, "基本满意按 1 整件计入了"), (0.0, "基本满意没有计入")):
            if abs(got - (good + w * basic) / n) <= TOL:
                return f"{why}，通报口径是“满意 + 0.6 × 基本满意”"
    if isinstance(got, (int, float)) and want is not None and abs(got - want) <= 0.005:  # off by less than a rounding
        return "看起来你把结果四舍五入了，请直接返回不取整的小数"
    return bulletin_definition(key)


def bulletin_definition(key: str) -> str:
    return {"按期办结率": "口径：按延期后时限办结的派单工单 / 派单工单",
            "满意率": "口径：（非常满意 + 满意 + 0.6 × 基本满意）/ 回访量",
            "响应率": "口径：按时签收 / 派单工单", "受理量": "口径：本月登记的全部工单，含不予受理、并单、直接办结"}[key]


def _months(values: dict) -> list[tuple[str, Any, str | None, pd.DataFrame, dict]]:
    data = _inputs()
    out = []
    for i, f in enumerate(data["figures"]):
        report, err = _value(values, f"month_{i}")
        out.append((f"没见过的月份{i + 1}（{f['month']}，{len(f['cur'])} 件）", report, err, f["cur"], f["truth"]))
    report, err = _value(values, "month_edge")
    out.append((EDGE_LABEL, report, err, data["edge"]["cur"], data["edge"]["truth"]))
    return out


def _figure_item(cell: str, key: str, points: float, values: dict) -> dict[str, Any]:
    right, total, why = 0, 0, []
    for label, report, err, cur, truth in _months(values):
        want = truth["rates"][key]
        if key == "受理量" and label == EDGE_LABEL:
            continue  # the edge table tests the rates' missing denominators, not the count
        total += 1
        got, ferr = (None, err) if err else _figure(report, key)
        ok = (got == want and not isinstance(got, bool)) if key == "受理量" else (ferr is None and _rate_ok(got, want))
        if ok:
            right += 1
        elif ferr:
            why.append(f"{label}：{ferr}")
        else:
            hint = bulletin_definition(key) if key == "受理量" else _rate_hint(key, got, want, cur)
            why.append(f"{label}：{key} 你算得 {_show(got)}，通报为 {_show(want)}（{hint}）")
    return _item(cell, _pts(points, right / total), points, tuple(why) or (f"{key}与通报一致",))


def _hot_item(values: dict, points: float = 3) -> dict[str, Any]:
    right, total, why = 0.0, 0, []
    for label, report, err, cur, truth in _months(values)[:-1]:
        want = truth["热点"][:5]
        total += len(want)
        got, ferr = (None, err) if err else _figure(report, "热点")
        if ferr or not isinstance(got, list):
            why.append(f"{label}：{ferr or '热点应返回前五名的列表'}")
            continue
        for i, h in enumerate(want, 1):
            g = got[i - 1] if i <= len(got) and isinstance(got[i - 1], dict) else {}
            if g.get("分类") != h["分类"] or g.get("本月") != h["本月"]:
                why.append(f"{label}：第{i}名应为「{h['分类']}」{h['本月']} 件，你给出「{g.get('分类', '无')}」{g.get('本月', '')}")
                continue
            right += 0.5
            if _rate_ok(g.get("环比"), h["环比"]):
                right += 0.5
            else:
                shown = "None（上月没有这类工单，环比不计算）" if h["环比"] is None else f"{h['环比']:.4f}（(本月 − 上月) / 上月，上月 {h['上月']} 件）"
                why.append(f"{label}：第{i}名「{h['分类']}」环比你算得 {_show(g.get('环比'))}，应为 {shown}")
    return _item("hot-check", _pts(points, right / total), points, tuple(why) or ("前五名、件数和环比都与通报一致",))


# ---- the warning rule ---------------------------------------------------------------------------
def _alerts(value: Any, first: str) -> list[tuple[str, str, str]] | None:
    """The rule's alerts inside the bulletin month (history days only feed the baseline)."""
    if not isinstance(value, list):
        return None
    out = []
    for a in value:
        if isinstance(a, list) and len(a) == 3 and all(isinstance(x, str) for x in a) and a[0][:10] >= first:
            out.append((a[0][:10], a[1], a[2]))
    return sorted(out)


def _rule_item(values: dict, points: float = 4) -> dict[str, Any]:
    credits, false, why = [], 0, []
    for i, r in enumerate(_inputs()["rules"]):
        value, err = _value(values, f"rule_{i}")
        alerts = None if err else _alerts(value, r["first"])
        if alerts is None:
            problem = err or "预警规则应返回要预警的日期、县区、二级分类"
            if r["hot"] is None:  # a rule that fails on a quiet month cannot be shown not to false-alarm there
                false += 2
                why.append(f"没有苗头的月份（{r['month']}）：规则运行出错，无法判断是否误报，按误报 2 处计（{problem}）")
            else:
                why.append(f"没见过的月份（{r['month']}）：{problem}")
                credits.append(0.0)
            continue
        if r["hot"] is None:
            cells = {(c, k) for _, c, k in alerts}
            false += len(cells)
            if cells:
                why.append(f"没有苗头的月份（{r['month']}）：误报 {len(cells)} 处（" + "、".join(f"{c}·{k}" for c, k in sorted(cells)) + "）")
            continue
        hits = [d for d, c, k in alerts if (c, k) == r["hot"]]
        lead = (r["peak"] - date.fromisoformat(hits[0])).days if hits else None
        credits.append(0.0 if lead is None else 1.0 if lead >= 0 else LATE_CREDIT.get(lead, 0.0))
        place = f"{r['hot'][0]}·{r['hot'][1]}"
        why.append(f"有集中诉求的月份（{r['month']}，{place}，高峰 {r['peak']:%m月%d日}）：" +
                   ("未能发现" if lead is None else "高峰当天发现" if lead == 0 else f"提前 {lead} 天发现" if lead > 0
                    else f"高峰后 {-lead} 天才发现"))
    # one stray alert over both clean months is tolerated; each further one costs a fifth of the credit
    share = sum(credits) / len(credits) - 0.2 * max(0, false - 1)
    if false > 1:
        why.append(f"两个没有苗头的月份共误报 {false} 处（一处以内不扣分，其后每处扣 {points * 0.2:g} 分）")
    return _item("rule-check", _pts(points, share), points, tuple(why))


def _pts(max_points: float, share: float) -> float:
    return max(0.0, min(max_points, math.floor(max_points * share * 10 + 1e-9) / 10))


def check(values: dict, ctx: _Ctx) -> list[dict[str, Any]]:
    return [_figure_item("volume-check", "受理量", 1, values), _figure_item("ontime-check", "按期办结率", 2, values),
            _figure_item("satisfaction-check", "满意率", 2, values), _figure_item("response-check", "响应率", 2, values),
            _hot_item(values), _rule_item(values),
            _item("brief-answer", 0.0, 4, ("由培训老师按评分要点评分",), needs_manual=True)]
