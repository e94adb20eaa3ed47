"""A month of tickets for the bulletin exercise (course 月度通报与预警), and the trainee's rules replayed.

:func:`month_run` simulates a month (and the month before) at a training volume into an in-memory
database, so :func:`sandbox.hotline.bulletin.build` — the reference — reads it like any run; a hot
issue may be planted. :func:`public_rows` is the month as an export table (no caller, no text, no
answer key). :func:`figures` computes the month's figures under the *trainee's* definitions (which
tickets count, the 基本满意 weight, what 环比 compares), so a choice of definitions can be replayed on
months the trainee never saw. :func:`rule_alerts` and :func:`replay_rule` do the same for a daily
warning rule: how many days before a planted issue's peak it fires, and whether it stays quiet on
clean months. No files: the database is in memory.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from datetime import date, timedelta
from typing import Any, Mapping

import numpy as np
import pandas as pd

from ..base.geography import COUNTIES
from ..storage import hotline as storage
from .metrics import BAD, GOOD, enrich
from .scenario import HotIssue, HotlineScenario, hot_issue
from .engine import simulate

VOLUME = 1500.0          # tickets a month in the exercise (a twelfth of Haidong's)
POPULATION_SEED = 2025   # one synthetic population for every exercise month (built once per process)
CITIZENS = 2500          # enough callers for 1,500 tickets a month; a small population builds fast
KINDS = ("water", "property")

# The choices a trainee makes, with the one the bulletin uses first (forms show them shuffled per trainee).
DEFINITIONS: dict[str, tuple[str, ...]] = {
    "按期办结率分母": ("派单工单", "全部受理工单", "已办结工单"),
    "按期办结时限": ("延期后的时限", "原始时限"),
    "基本满意权重": ("0.6", "1", "0"),
    "满意率分母": ("回访量", "办结量"),
    "响应率分子": ("按时签收", "已签收"),
    "环比": ("与上月比", "与去年同月比"),
}
BULLETIN_DEFINITIONS = {k: v[0] for k, v in DEFINITIONS.items()}


@dataclass(frozen=True)
class MonthRun:
    engine: Any
    run_id: str
    month: str          # YYYY-MM, the month of the bulletin
    hot: HotIssue | None


def _scenario(month_start: date, hot: HotIssue | None) -> HotlineScenario:
    prev = (month_start.replace(day=1) - timedelta(days=1)).replace(day=1)
    return HotlineScenario(start=prev, months=2, monthly_volume=VOLUME, population_seed=POPULATION_SEED,
                           n_citizens=CITIZENS, hot_issues=(hot,) if hot else ())


def _draw(seed: int, planted: bool) -> tuple[date, HotIssue | None]:
    """The month (Feb–Nov 2025) and, unless ``planted`` is False, the hot issue planted in it."""
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), 0xB011]))
    start = date(2025, int(rng.integers(2, 12)), 1)
    hot = None
    if planted:
        county = COUNTIES[int(rng.integers(len(COUNTIES)))].name
        hot = hot_issue(str(rng.choice(KINDS)), county, start + timedelta(days=int(rng.integers(6, 20))))
    return start, hot


def month_run(seed: int, *, planted: bool = True) -> MonthRun:
    """The month drawn from ``seed``, stored in an in-memory database (what bulletin.build reads)."""
    start, hot = _draw(seed, planted)
    sc = _scenario(start, hot)
    eng = storage.engine_for("sqlite://")
    run_id = storage.store(eng, simulate(sc, int(seed) % (2**31)), scenario=sc, seed=int(seed) % (2**31))
    return MonthRun(eng, run_id, f"{start:%Y-%m}", hot)


@lru_cache(maxsize=8)
def month_frames(seed: int, *, planted: bool = True) -> tuple[pd.DataFrame, pd.DataFrame, str, HotIssue | None]:
    """The same month as :func:`month_run` straight from the records (no database): (this month, last
    month, YYYY-MM, hot issue). Several times faster; for replays, where no bulletin is built. Cached per
    process (a grading reads the same month for several checks): treat the frames as read-only."""
    start, hot = _draw(seed, planted)
    f = simulate(_scenario(start, hot), int(seed) % (2**31)).frame()
    first = pd.Timestamp(start)
    cur, prev = f[f["received_at"] >= first], f[f["received_at"] < first]
    return enrich(cur.reset_index(drop=True)), enrich(prev.reset_index(drop=True)), f"{start:%Y-%m}", hot


def frames(run: MonthRun) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(this month, last month), enriched with the flags every metric uses."""
    y, m = map(int, run.month.split("-"))
    start = pd.Timestamp(y, m, 1)
    end, prev = start + pd.offsets.MonthBegin(1), start - pd.offsets.MonthBegin(1)
    cur = storage.load(run.engine, run.run_id, start=start.to_pydatetime(), end=end.to_pydatetime())
    old = storage.load(run.engine, run.run_id, start=prev.to_pydatetime(), end=start.to_pydatetime())
    return enrich(cur), enrich(old)


def public_rows(d: pd.DataFrame) -> list[dict]:
    """The export table a trainee works on: one row per ticket, flags as 是/否, no caller and no text."""
    yn = lambda s: np.where(s.fillna(False).astype(bool), "是", "否")  # noqa: E731
    out = pd.DataFrame({
        "工单编号": d["number"], "受理日期": d["received_at"].dt.strftime("%Y-%m-%d"), "县区": d["county"],
        "类型": d["ticket_type"], "一级分类": d["level1"], "二级分类": d["level2"], "状态": d["status"],
        "直接办结": yn(d["direct"]), "派单": yn(d["dispatched"]), "已签收": yn(d["signed_at"].notna() & d["dispatched"]),
        "按时签收": yn(d["signed_in_time"]), "已办结": yn(d["closed"]),
        "按原始时限办结": yn(d["dispatched"] & (d["closed_at"] <= d["deadline"])),
        "按延期后时限办结": yn(d["closed_in_time"]), "已回访": yn(d["followed"]),
        "回访评价": d["final_rating"].fillna("").astype(str).where(d["followed"], ""),
    })
    return out.to_dict("records")


def _pct(a: float, b: float) -> float | None:
    return round(100.0 * a / b, 1) if b else None


def figures(cur: pd.DataFrame, prev: pd.DataFrame | None, defs: Mapping[str, str], year_ago: pd.DataFrame | None = None,
            top_n: int = 5) -> dict:
    """The month's figures under the given definitions (percentages to one decimal)."""
    dd = {k: (defs.get(k) if defs.get(k) in opts else None) for k, opts in DEFINITIONS.items()}
    disp = cur["dispatched"]
    on_time = cur["closed_in_time"] if dd["按期办结时限"] != "原始时限" else disp & (cur["closed_at"] <= cur["deadline"])
    denom = {"派单工单": disp.sum(), "全部受理工单": len(cur), "已办结工单": cur["closed"].sum()}.get(dd["按期办结率分母"], 0)
    fol = cur["followed"]
    r = cur.loc[fol, "final_rating"]
    w = float(dd["基本满意权重"]) if dd["基本满意权重"] else 0.0
    sat_den = {"回访量": fol.sum(), "办结量": cur["closed"].sum()}.get(dd["满意率分母"], 0)
    signed = cur["signed_in_time"] if dd["响应率分子"] == "按时签收" else disp & cur["signed_at"].notna()
    base = prev if dd["环比"] == "与上月比" else year_ago
    hot = []
    for cat, n in cur["level2"].value_counts().head(top_n).items():
        pn = int((base["level2"] == cat).sum()) if base is not None else 0
        hot.append({"分类": str(cat), "本月": int(n), "环比": _pct(n - pn, pn) if dd["环比"] else None})
    return {"受理量": int(len(cur)), "按期办结率": _pct(on_time.sum(), denom) if dd["按期办结率分母"] else None,
            "满意率": _pct(r.isin(GOOD).sum() + w * (r == "基本满意").sum(), sat_den) if dd["满意率分母"] else None,
            "响应率": _pct(signed.sum(), disp.sum()) if dd["响应率分子"] else None,
            "差评": int(r.isin(BAD).sum()), "热点": hot}


def candidates(cur: pd.DataFrame, prev: pd.DataFrame, n: int = 6) -> list[dict]:
    """County × category cells that grew most on last month (the 苗头 to judge; some are only seasonal)."""
    a = cur.groupby(["county", "level2"]).size()
    b = prev.groupby(["county", "level2"]).size().reindex(a.index, fill_value=0)
    top = (a - b).sort_values(ascending=False).head(n)
    out = []
    for (county, cat), _ in sorted(top.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        sub = cur[(cur["county"] == county) & (cur["level2"] == cat)]
        out.append({"县区": county, "分类": cat, "本月": int(a[(county, cat)]), "上月": int(b[(county, cat)]),
                    "高峰日件数": int(sub["received_at"].dt.date.value_counts().max())})
    return out


# ---- the daily warning rule ----------------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    """Warn on a county × level-two cell when a day's count is at least ``min_count`` and at least
    ``factor`` times its mean over the previous ``window`` days (a floor of 0.5 a day)."""
    window: int = 7
    factor: float = 3.0
    min_count: int = 5

    @classmethod
    def from_answer(cls, a: Any) -> "Rule | None":
        try:
            r = cls(int(a["窗口天数"]), float(a["倍数"]), int(a["最少件数"]))
        except (KeyError, TypeError, ValueError):
            return None
        return r if 1 <= r.window <= 31 and 0 < r.factor <= 50 and 0 <= r.min_count <= 1000 else None


def rule_alerts(cur: pd.DataFrame, prev: pd.DataFrame | None, rule: Rule) -> list[dict]:
    """Every (day, county, category) the rule fires on in ``cur`` (``prev`` gives the first days' history)."""
    d = pd.concat([prev, cur]) if prev is not None else cur
    daily = d.groupby([d["received_at"].dt.normalize(), "county", "level2"]).size().rename("n").reset_index()
    table = daily.pivot_table(index="received_at", columns=["county", "level2"], values="n", fill_value=0)
    days = pd.date_range(table.index.min(), table.index.max(), freq="D")
    table = table.reindex(days, fill_value=0)
    base = table.shift(1).rolling(rule.window, min_periods=1).mean().fillna(0).clip(lower=0.5)
    fire = (table >= rule.min_count) & (table >= rule.factor * base)
    first_day = cur["received_at"].min().normalize()
    out = []
    for (day, county, cat), hit in fire.stack([0, 1], future_stack=True).items():
        if hit and day >= first_day:
            out.append({"日期": f"{day:%Y-%m-%d}", "县区": county, "分类": cat, "件数": int(table.loc[day, (county, cat)])})
    return sorted(out, key=lambda a: a["日期"])


def hot_peak(cur: pd.DataFrame, hot: HotIssue) -> date:
    sub = cur[(cur["county"] == hot.county) & (cur["level2"] == hot.level2)]
    return sub["received_at"].dt.date.value_counts().idxmax()


def replay_rule(rule: Rule, seeds: tuple[int, ...], clean_seeds: tuple[int, ...]) -> dict:
    """Lead days before each planted issue's peak (None: never flagged) and false alarms on clean months
    (alerts in a planted month besides the planted issue are not counted: they may be real)."""
    leads, false = [], 0
    for s in seeds:
        cur, prev, _, hot = month_frames(s)
        peak = hot_peak(cur, hot)
        hits = [a for a in rule_alerts(cur, prev, rule) if a["县区"] == hot.county and a["分类"] == hot.level2]
        leads.append((peak - date.fromisoformat(hits[0]["日期"])).days if hits else None)
    for s in clean_seeds:
        cur, prev, _, _ = month_frames(s, planted=False)
        false += len({(a["县区"], a["分类"]) for a in rule_alerts(cur, prev, rule)})
    return {"提前天数": leads, "误报": false}
