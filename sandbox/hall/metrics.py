"""Metrics as plain functions of :class:`~sandbox.hall.records.Records` (DOMAIN.md §9: one meaning each).

- wait: minutes from taking a number to being called (hall cases that were called);
- one_visit_rate (一次办成率): completed matters with at most one hall visit (online-only = one visit);
- on_time_rate (按时办结率): completed matters finished within the promised working days (即办 on the
  spot is on time);
- satisfaction_rate: (非常满意 + 满意 + 基本满意) / all ratings; bad_rating_rate (差评率): (不满意 + 非常不满意) / all.

Matter-level figures are grouped by the matter's first contact (its hall, county, item, channel).
Breakdowns return pandas DataFrames (pandas only at this edge).
"""
from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np

from .records import CHANNELS, OUTCOME, RATING_LEVELS, Records

__all__ = ["waits", "summary", "breakdown", "utilisation", "queue_length", "littles_law", "bundle_report",
           "rating_distribution", "compare", "SUMMARY_LABELS"]

SUMMARY_LABELS = {
    "cases": "案件数", "hall_visits": "大厅到访", "no_queue_cases": "网办/自助/异地", "matters": "事项（办件）",
    "completed_matters": "已办结", "mean_wait_min": "平均等候（分钟）", "p90_wait_min": "90%等候（分钟）",
    "max_wait_min": "最长等候（分钟）", "abandonment_rate": "放弃离开率", "instant_rate": "即办率",
    "one_visit_rate": "一次办成率", "visits_per_matter": "每件到厅次数", "on_time_rate": "按时办结率",
    "mean_completion_days": "平均办结天数", "correction_rate": "补正率", "spot_correction_rate": "当场更正率", "refusal_rate": "不予受理率", "rongque_cases": "容缺受理",
    "pledge_cases": "告知承诺", "false_pledges": "虚假承诺", "cross_province_cases": "跨省通办", "no_application_cases": "免申即享",
    "elicence_materials": "电子证照免交材料", "overtime_rate": "延时服务比例", "ratings": "评价数",
    "satisfaction_rate": "满意率", "bad_rating_rate": "差评率", "utilisation": "窗口利用率",
}


def waits(records: Records, mask: np.ndarray | None = None) -> np.ndarray:
    c = records.cases
    m = (c["channel"] == 0) & (c["t_called"] >= 0)
    if mask is not None:
        m &= mask
    return (c["t_called"][m] - c["t_number"][m]) / 60.0


def _rate(num: float, den: float) -> float:
    return float(num) / float(den) if den else float("nan")


def summary(records: Records, mask: np.ndarray | None = None) -> dict[str, Any]:
    """Headline figures (all of DOMAIN §9) for all cases or those selected by a boolean case mask."""
    c = records.cases
    n = len(records)
    sel = np.ones(n, bool) if mask is None else np.asarray(mask, bool)
    hall = sel & (c["channel"] == 0)
    w = waits(records, sel)
    mt = records.matters
    msel = sel[mt["first"]]
    done = msel & mt["completed"]
    n_done = int(done.sum())
    outcome = c["outcome"]
    decided = hall & (c["t_called"] >= 0)
    ratings = c["rating"][sel]
    rated = ratings > 0
    days = (mt["t_done"][done] - mt["t_start"][done]) / 86400.0
    pools = records.pools
    if mask is None:
        util = _rate(pools["busy_s"].sum(), pools["open_s"].sum())
    else:
        halls_sel = np.unique(c["hall"][hall])
        pm = np.isin(pools["hall"], halls_sel)
        util = _rate(pools["busy_s"][pm].sum(), pools["open_s"][pm].sum())
    return {
        "cases": int(sel.sum()),
        "hall_visits": int(hall.sum()),
        "no_queue_cases": int((sel & (c["channel"] != 0)).sum()),
        "matters": int(msel.sum()),
        "completed_matters": n_done,
        "mean_wait_min": float(w.mean()) if len(w) else float("nan"),
        "p90_wait_min": float(np.percentile(w, 90)) if len(w) else float("nan"),
        "max_wait_min": float(w.max()) if len(w) else float("nan"),
        "abandonment_rate": _rate((hall & np.isin(outcome, [OUTCOME["放弃离开"], OUTCOME["闭厅未办"]])).sum(),
                                  hall.sum()),
        "instant_rate": _rate((done & mt["instant"]).sum(), n_done),
        "one_visit_rate": _rate((done & (mt["hall_visits"] <= 1)).sum(), n_done),
        "visits_per_matter": _rate(mt["hall_visits"][done].sum(), n_done),
        "on_time_rate": _rate((done & (mt["on_time"] == 1)).sum(), n_done),
        "mean_completion_days": float(days.mean()) if len(days) else float("nan"),
        # 补正 (one-time list, the applicant comes back) and 不予受理 (final) are never mixed up.
        "correction_rate": _rate((decided & (outcome == OUTCOME["补正"])).sum(), decided.sum()),
        "refusal_rate": _rate((decided & (outcome == OUTCOME["不予受理"])).sum(), decided.sum()),
        "spot_correction_rate": _rate((decided & (outcome == OUTCOME["当场更正"])).sum(), decided.sum()),
        "rongque_cases": int((sel & (outcome == OUTCOME["容缺受理"])).sum()),
        "pledge_cases": int((sel & (outcome == OUTCOME["告知承诺"])).sum()),
        "false_pledges": int((sel & c["pledge_false"]).sum()),
        "cross_province_cases": int((sel & (c["cross"] > 0)).sum()),
        "no_application_cases": int((sel & (c["channel"] == 4)).sum()),
        "elicence_materials": int(c["elicence"][sel].sum()),
        "overtime_rate": _rate((decided & c["overtime"]).sum(), decided.sum()),
        "ratings": int(rated.sum()),
        "satisfaction_rate": _rate(((ratings >= 1) & (ratings <= 3)).sum(), rated.sum()),
        "bad_rating_rate": _rate((ratings >= 4).sum(), rated.sum()),
        "utilisation": util,
    }


def _group_keys(records: Records, by: str) -> tuple[np.ndarray, list[str]]:
    from ..base.geography import COUNTIES
    from .scenario import WINDOW_KINDS

    c = records.cases
    if by == "hall":
        return c["hall"].astype(np.int64), list(records.hall_names)
    if by in ("pool", "window_kind"):
        return c["pool"].astype(np.int64), list(WINDOW_KINDS)
    if by == "item":
        return c["item"].astype(np.int64), [f"{code} {name}" for code, name in
                                            zip(records.item_codes, records.item_names)]
    if by == "county":
        return c["county"].astype(np.int64), [x.name for x in COUNTIES]
    if by == "channel":
        return c["channel"].astype(np.int64), list(CHANNELS)
    if by == "date":
        days = c["t_arrive"] // 86400
        u = np.unique(days)
        return np.searchsorted(u, days), [date.fromordinal(int(d) + 719163).isoformat() for d in u]
    raise ValueError(f"by 应为 hall / window_kind / item / county / channel / date，而不是 {by!r}")


def breakdown(records: Records, by: str):
    """Summary per hall, window kind, item, county, channel or date (a pandas DataFrame)."""
    import pandas as pd

    keys, labels = _group_keys(records, by)
    rows = []
    for k in np.unique(keys[keys >= 0]).tolist():
        s = summary(records, keys == k)
        s[by] = labels[k]
        rows.append(s)
    df = pd.DataFrame(rows)
    return df.set_index(by) if len(df) else df


def utilisation(records: Records, by: tuple[str, ...] = ("hall", "pool")):
    """Window utilisation: busy window-seconds / open window-seconds, grouped (pandas)."""
    df = records.pools_frame()
    g = df.groupby(list(by), observed=True)[["busy_s", "open_s", "served"]].sum()
    g["utilisation"] = g["busy_s"] / g["open_s"].where(g["open_s"] > 0)
    return g


def queue_length(records: Records, hall: int | str, day: date, pool: str | None = None, step_s: int = 300):
    """People waiting (number taken, not yet called or gone) and in the hall system, over the day."""
    import pandas as pd
    from .scenario import WINDOW_KINDS

    h = records.hall_names.index(hall) if isinstance(hall, str) else hall
    c = records.cases
    base = (day.toordinal() - 719163) * 86400
    m = (c["channel"] == 0) & (c["hall"] == h) & (c["t_number"] >= base) & (c["t_number"] < base + 86400)
    if pool is not None:
        m &= c["pool"] == WINDOW_KINDS.index(pool)
    num = c["t_number"][m]
    out_q = np.where(c["t_called"][m] >= 0, c["t_called"][m], c["t_left"][m])
    out_s = np.where(c["t_end"][m] >= 0, c["t_end"][m], c["t_left"][m])
    if len(num) == 0:
        return pd.DataFrame({"time": [], "waiting": [], "in_system": []})
    grid = np.arange(num.min() - num.min() % step_s, max(out_s.max(), num.max()) + step_s, step_s)
    waiting = np.searchsorted(np.sort(num), grid, "right") - np.searchsorted(np.sort(out_q), grid, "right")
    in_sys = np.searchsorted(np.sort(num), grid, "right") - np.searchsorted(np.sort(out_s), grid, "right")
    return pd.DataFrame({"time": pd.to_datetime(grid, unit="s"), "waiting": waiting, "in_system": in_sys})


def littles_law(records: Records, hall: int | str, day: date) -> dict[str, float]:
    """L (time-average number in the hall system, from the event-by-event count) against λW."""
    h = records.hall_names.index(hall) if isinstance(hall, str) else hall
    c = records.cases
    base = (day.toordinal() - 719163) * 86400
    m = (c["channel"] == 0) & (c["hall"] == h) & (c["t_number"] >= base) & (c["t_number"] < base + 86400)
    a = c["t_number"][m]
    d = np.where(c["t_end"][m] >= 0, c["t_end"][m], c["t_left"][m])
    if len(a) == 0:
        return {"L": 0.0, "lambda_W": 0.0, "lambda_per_h": 0.0, "W_min": 0.0, "T_h": 0.0, "n": 0}
    t0, t1 = int(a.min()), int(d.max())
    # Event-based integral of the number in system: sort all +1/-1 events, sum count × interval.
    times = np.concatenate([a, d])
    steps = np.concatenate([np.ones(len(a)), -np.ones(len(d))])
    o = np.lexsort((-steps, times))  # arrivals before departures at equal times
    count = np.cumsum(steps[o])
    area = float((count[:-1] * np.diff(times[o])).sum())
    T = t1 - t0
    lam = len(a) / T
    W = float((d - a).mean())
    return {"L": area / T, "lambda_W": lam * W, "lambda_per_h": lam * 3600, "W_min": W / 60, "T_h": T / 3600,
            "n": int(len(a))}


def bundle_report(records: Records):
    """Per 一件事: life events, hall visits, materials handed in and days from first arrival to the last
    completion — as measured (compare runs with ``policy.bundles`` on and off)."""
    import pandas as pd

    c = records.cases
    ev = c["event_id"] >= 0
    if not ev.any() or not records.bundle_names:
        return pd.DataFrame(columns=["bundle", "events", "completed", "visits_per_event", "materials_per_event",
                                     "days_per_event"])
    e = c["event_id"][ev]
    df = pd.DataFrame({
        "event": e, "bundle": c["life_event"][ev], "hall_visit": c["channel"][ev] == 0,
        "materials": c["materials"][ev], "t_arrive": c["t_arrive"][ev], "t_done": c["t_done"][ev],
        "matter": c["matter_id"][ev], "done": c["t_done"][ev] >= 0,
    })
    matters = df.groupby(["event", "matter"]).agg(done=("done", "any"))
    ev_done = matters.groupby(level=0)["done"].all()
    g = df.groupby("event").agg(bundle=("bundle", "first"), visits=("hall_visit", "sum"),
                                materials=("materials", "sum"), start=("t_arrive", "min"), end=("t_done", "max"))
    g["completed"] = ev_done
    g["days"] = (g["end"] - g["start"]) / 86400.0
    g = g[g["completed"]]
    out = g.groupby("bundle").agg(events=("visits", "size"), visits_per_event=("visits", "mean"),
                                  materials_per_event=("materials", "mean"), days_per_event=("days", "mean"))
    out.index = [records.bundle_names[int(b)] for b in out.index]
    out.index.name = "bundle"
    return out


def rating_distribution(records: Records, mask: np.ndarray | None = None) -> dict[str, int]:
    r = records.cases["rating"] if mask is None else records.cases["rating"][mask]
    counts = np.bincount(r, minlength=len(RATING_LEVELS))
    return {RATING_LEVELS[i]: int(counts[i]) for i in range(1, len(RATING_LEVELS))}


def compare(before: Records, after: Records, keys: tuple[str, ...] = (
        "mean_wait_min", "p90_wait_min", "abandonment_rate", "one_visit_rate", "on_time_rate",
        "satisfaction_rate", "utilisation")) -> dict[str, dict[str, float]]:
    """Before/after figures of a what-if (for course charts)."""
    a, b = summary(before), summary(after)
    return {k: {"before": a[k], "after": b[k], "change": b[k] - a[k]} for k in keys}
