"""Hotline metrics over ticket records (DOMAIN.md §3 and §9: one meaning each, everywhere).

All functions take a DataFrame of tickets (as stored, one row per ticket) and return plain numbers.
- 响应率 = dispatched tickets signed by their sign deadline / dispatched tickets.
- 按时回复率 = dispatched tickets replied by their (possibly extended) deadline / dispatched tickets
  (the county floor of 92% applies to it).
- 按期办结率 = dispatched tickets closed by their deadline / dispatched tickets.
- 直接办结率 = tickets closed at the call / valid tickets (received − refused − merged).
- 回访率 = tickets followed up / closed tickets.
- 满意率 = (满意 + w × 基本满意) / follow-ups, w = 0.6 by default; on the five 好差评 levels 满意 counts
  非常满意 + 满意 and 不满意 counts 不满意 + 非常不满意. The rating used is the final one (after a
  reopened ticket's second follow-up, if any).
- 解决率 = follow-ups whose caller confirms the matter solved (final answer) / follow-ups.
- 差评率 = (不满意 + 非常不满意) / follow-ups.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

DEFAULT_WEIGHT = 0.6
GOOD = ("非常满意", "满意")
BAD = ("不满意", "非常不满意")


def _ratio(a: float, b: float) -> float | None:
    return round(float(a) / float(b), 6) if b else None


def enrich(df: pd.DataFrame) -> pd.DataFrame:
    """Add the derived flags every metric uses (one place for their meaning)."""
    d = df.copy()
    d["dispatched"] = d["dispatched_at"].notna()
    d["refused"] = d["status"] == "不予受理"
    d["merged"] = d["status"] == "已并单"
    d["direct"] = d["direct"].astype(bool)
    d["closed"] = d["closed_at"].notna()
    d["signed_in_time"] = d["dispatched"] & (d["signed_at"] <= d["sign_deadline"])
    d["replied_in_time"] = d["dispatched"] & (d["replied_at"] <= d["final_deadline"])
    d["closed_in_time"] = d["dispatched"] & (d["closed_at"] <= d["final_deadline"])
    d["overdue"] = d["dispatched"] & (d["replied_at"] > d["final_deadline"])
    d["extended"] = d["extended_at"].notna()
    d["returned"] = d["returned_at"].notna()
    d["escalated"] = d["escalated_at"].notna()
    d["reopened"] = d["reopened_at"].notna()
    d["followed"] = d["followed_up_at"].notna()
    second = d["followed_up2_at"].notna()
    d["final_rating"] = np.where(second, d["rating2"], d["rating"])
    d["final_solved"] = np.where(second, d["solved2"], d["solved"])
    d.loc[~d["followed"], ["final_rating", "final_solved"]] = None
    return d


def rates(d: pd.DataFrame, weight: float = DEFAULT_WEIGHT) -> dict:
    """The headline numbers of a set of enriched tickets."""
    n = len(d)
    valid = int((~d["refused"] & ~d["merged"]).sum())
    disp = int(d["dispatched"].sum())
    closed = int(d["closed"].sum())
    fol = int(d["followed"].sum())
    r = d.loc[d["followed"], "final_rating"]
    good = int(r.isin(GOOD).sum())
    basic = int((r == "基本满意").sum())
    bad = int(r.isin(BAD).sum())
    solved = int((d.loc[d["followed"], "final_solved"] == True).sum())  # noqa: E712 - object column
    return {
        "受理量": n, "有效工单": valid, "不予受理": int(d["refused"].sum()), "并单": int(d["merged"].sum()),
        "直接办结": int(d["direct"].sum()), "派单": disp, "办结": closed,
        "按时签收": int(d["signed_in_time"].sum()), "按时回复": int(d["replied_in_time"].sum()),
        "按期办结": int(d["closed_in_time"].sum()), "超期": int(d["overdue"].sum()),
        "延期": int(d["extended"].sum()), "退单": int(d["returned"].sum()), "督办": int(d["escalated"].sum()),
        "重办": int(d["reopened"].sum()), "回访": fol, "满意": good, "基本满意": basic, "不满意": bad,
        "已解决": solved,
        "直接办结率": _ratio(d["direct"].sum(), valid), "响应率": _ratio(d["signed_in_time"].sum(), disp),
        "按时回复率": _ratio(d["replied_in_time"].sum(), disp), "按期办结率": _ratio(d["closed_in_time"].sum(), disp),
        "回访率": _ratio(fol, closed), "满意率": _ratio(good + weight * basic, fol),
        "解决率": _ratio(solved, fol), "差评率": _ratio(bad, fol),
    }


def counts(d: pd.DataFrame, by: str) -> dict[str, int]:
    s = d[by].value_counts()
    return {str(k): int(v) for k, v in s.items()}
