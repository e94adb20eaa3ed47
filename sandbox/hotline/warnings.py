"""Early warning (预警) for the monthly bulletin: spikes, overdue clusters, repeat callers, rising 差评.

Spikes compare each county × level-two cell with the previous month. Citywide seasonal shifts (the
heating season, the pre-Festival wage arrears) move every county together, so the expected count of
a cell is its last-month count scaled by how the same category moved in the *other* counties; a cell
is flagged when a conditional binomial test (this month's share of the two months' calls) rejects
that expectation at ``alpha`` and the excess is both large and at least ``min_ratio`` times the
expectation. That is what an analyst does by hand, and it ignores the seasons by construction.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import binom

from ..base.ids import mask_name, mask_phone
from .metrics import BAD


@dataclass(frozen=True)
class WarningConfig:
    alpha: float = 1e-4  # many cells are tested every month: keep false alarms rare (with the size rules)
    min_excess: int = 12
    min_ratio: float = 2.0
    overdue_min: int = 8
    overdue_rate_factor: float = 2.0
    overdue_rate_floor: float = 0.15
    repeat_min: int = 3
    bad_rise_pp: float = 0.08
    bad_min: int = 4
    bad_alpha: float = 0.001


def spikes(cur: pd.DataFrame, prev: pd.DataFrame | None, cfg: WarningConfig = WarningConfig()) -> list[dict]:
    if prev is None or prev.empty:
        return []
    a = cur.groupby(["county", "level2"]).size().rename("cur")
    b = prev.groupby(["county", "level2"]).size().rename("prev")
    t = pd.concat([a, b], axis=1).fillna(0).astype(int).reset_index()
    cat_cur = t.groupby("level2")["cur"].transform("sum")
    cat_prev = t.groupby("level2")["prev"].transform("sum")
    other_cur, other_prev = cat_cur - t["cur"], cat_prev - t["prev"]
    total_ratio = len(cur) / max(len(prev), 1)
    # growth of the category elsewhere (Laplace-smoothed), as the seasonal/citywide factor
    growth = np.where(other_prev > 0, (other_cur + 1) / (other_prev + 1), total_ratio)
    expected = np.maximum(t["prev"] * growth, 1.0)
    p0 = expected / (expected + t["prev"].clip(lower=1))
    n = t["cur"] + t["prev"].clip(lower=1)
    pval = binom.sf(t["cur"] - 1, n, p0)
    flag = (pval < cfg.alpha) & (t["cur"] - expected >= cfg.min_excess) & (t["cur"] >= cfg.min_ratio * expected)
    out = []
    for i in np.flatnonzero(flag.to_numpy()):
        row = t.iloc[i]
        sub = cur[(cur["county"] == row["county"]) & (cur["level2"] == row["level2"])]
        days = sub["received_at"].dt.date.value_counts()
        out.append({
            "类型": "突增", "县区": row["county"], "分类": row["level2"], "本月": int(row["cur"]),
            "上月": int(row["prev"]), "预期": round(float(expected[i]), 1), "p值": float(pval[i]),
            "高峰日": str(days.idxmax()) if len(days) else None,
            "说明": f"{row['county']}「{row['level2']}」本月 {int(row['cur'])} 件，上月 {int(row['prev'])} 件，"
                    f"按其他县区同类变化预期约 {expected[i]:.0f} 件",
        })
    out.sort(key=lambda w: -w["本月"])
    return out


def overdue_clusters(d: pd.DataFrame, cfg: WarningConfig = WarningConfig()) -> list[dict]:
    disp = d[d["dispatched"]]
    if disp.empty:
        return []
    city = disp["overdue"].mean()
    g = disp.groupby("lead_unit").agg(n=("overdue", "size"), overdue=("overdue", "sum"))
    g["rate"] = g["overdue"] / g["n"]
    thr = max(cfg.overdue_rate_floor, cfg.overdue_rate_factor * city)
    hit = g[(g["overdue"] >= cfg.overdue_min) & (g["rate"] >= thr)].sort_values("overdue", ascending=False)
    return [{"类型": "超期集中", "单位": u, "派单": int(r.n), "超期": int(r.overdue), "超期率": round(float(r.rate), 4),
             "说明": f"{u} 超期 {int(r.overdue)} 件，超期率 {r.rate:.1%}（全市 {city:.1%}）"}
            for u, r in hit.iterrows()]


def repeat_callers(d: pd.DataFrame, cfg: WarningConfig = WarningConfig()) -> list[dict]:
    g = d.groupby("caller_key").agg(n=("number", "size"), cname=("caller_name", "first"),
                                    mobile=("caller_mobile", "first"), county=("county", "first"),
                                    cats=("level2", lambda s: "、".join(sorted(set(s)))))
    hit = g[g["n"] >= cfg.repeat_min].sort_values("n", ascending=False)
    return [{"类型": "重复来电", "来电人": f"{mask_name(r.cname)} {mask_phone(r.mobile)}", "县区": r.county,
             "次数": int(r.n), "分类": r.cats,
             "说明": f"{mask_name(r.cname)}（{mask_phone(r.mobile)}）本月来电 {int(r.n)} 次：{r.cats}"}
            for _, r in hit.iterrows()]


def rising_bad(cur: pd.DataFrame, prev: pd.DataFrame | None, cfg: WarningConfig = WarningConfig()) -> list[dict]:
    if prev is None or prev.empty:
        return []

    def table(d):
        f = d[d["followed"] & d["dispatched"]]
        return f.groupby("lead_unit").agg(n=("final_rating", "size"), bad=("final_rating", lambda s: int(s.isin(BAD).sum())))
    a, b = table(cur), table(prev)
    t = a.join(b.add_suffix("_prev"), how="left").fillna(0)
    t["rate"] = t["bad"] / t["n"].clip(lower=1)
    t["rate_prev"] = t["bad_prev"] / t["n_prev"].clip(lower=1)
    city_prev = b["bad"].sum() / max(b["n"].sum(), 1)
    base = np.maximum((t["bad_prev"] + city_prev * 10) / (t["n_prev"] + 10), 1e-3)  # shrunk to the city rate
    t["p"] = binom.sf(t["bad"] - 1, t["n"].astype(int), base)
    hit = t[(t["bad"] >= cfg.bad_min) & (t["rate"] - t["rate_prev"] >= cfg.bad_rise_pp)
            & (t["p"] < cfg.bad_alpha)].sort_values("bad", ascending=False)
    return [{"类型": "差评上升", "单位": u, "差评": int(r.bad), "回访": int(r.n), "差评率": round(float(r.rate), 4),
             "上月差评率": round(float(r.rate_prev), 4),
             "说明": f"{u} 差评率由上月 {r.rate_prev:.1%} 升至 {r.rate:.1%}（{int(r.bad)}/{int(r.n)}）"}
            for u, r in hit.iterrows()]


def all_warnings(cur: pd.DataFrame, prev: pd.DataFrame | None, cfg: WarningConfig = WarningConfig()) -> dict:
    return {"突增": spikes(cur, prev, cfg), "超期集中": overdue_clusters(cur, cfg),
            "重复来电": repeat_callers(cur, cfg), "差评上升": rising_bad(cur, prev, cfg)}
