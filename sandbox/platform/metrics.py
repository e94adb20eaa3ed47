"""Operations figures of the platform (task 11) as plain functions of :class:`PlatformRecords`.

Every figure's definition is written in sandbox/platform/README.md next to DOMAIN §9's; rates are
computed from counts (monthly rates are never averages of daily ones). ``share_calls`` and
``benefits_paid`` belong to the data-sharing and 免申即享 modules (issues 19, 20): 0 until they land.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from sandbox.hall.records import CHANNEL

from .applications import MODE, STATE
from .records import PlatformRecords

__all__ = ["summary", "daily", "monthly", "reconcile", "SUMMARY_LABELS", "matters"]

DAY = 86400
EPOCH = 719163  # date(1970, 1, 1).toordinal()
SUMMARY_LABELS = {
    "users": "注册用户（自然人）", "registration_coverage": "实名注册覆盖率", "new_users": "新增注册用户", "legal_accounts": "法人账户", "agent_accounts": "经办人授权",
    "active_users_per_day": "日均活跃用户", "online_applications": "网上申报件（含补正再提交）",
    "online_matters": "网上申报事项", "online_rate": "网办率", "full_online_rate": "全程网办率",
    "items_full_online": "可全程网办事项数", "items_filed_online": "有网上申报的事项数", "instant_rate": "即办率",
    "on_time_rate": "按时办结率", "correction_rate": "补正率", "not_accepted": "不予受理",
    "satisfaction_rate": "网上好评率", "bad_rating_rate": "网上差评率", "ratings": "网上评价数",
    "licences_needed": "可用电子证照替代的材料", "paper_avoided": "免提交纸质材料（免证办）",
    "paper_needless": "本可免提交却索要纸质材料", "licence_use_rate": "电子证照用证率",
    "share_calls": "共享数据调用", "benefits_paid": "免申即享兑现",
}


def _rate(num: float, den: float) -> float:
    return float(num) / float(den) if den else float("nan")


def matters(rec: PlatformRecords) -> dict[str, np.ndarray]:
    """One row per matter: its first and last submission."""
    a = rec.applications
    m = a["matter"]
    order = np.lexsort((a["round"], m))
    ms = m[order]
    starts = np.flatnonzero(np.r_[True, ms[1:] != ms[:-1]]) if len(ms) else np.zeros(0, np.int64)
    ends = np.r_[starts[1:], len(ms)].astype(np.int64) - 1 if len(ms) else np.zeros(0, np.int64)
    return {"first": order[starts], "last": order[ends]}


def _registered(rec: PlatformRecords, kind: int, before_s: int) -> int:
    acc = rec.accounts
    t = acc["t_registered"][acc["kind"] == kind]
    return int(((t >= 0) & (t < before_s)).sum())


def _active_per_day(rec: PlatformRecords) -> np.ndarray:
    """Distinct filers per day plus the day's login-only users."""
    a = rec.applications
    days = rec.days_table["day"]
    key = np.sort((a["t_submit"] // DAY + EPOCH) * (1 << 32) + a["filer"].astype(np.int64))
    key = key[np.r_[True, key[1:] != key[:-1]]] if len(key) else key  # sort-based: numpy's hash unique is slower here
    day_of = key >> 32
    per_day = np.searchsorted(day_of, days, "right") - np.searchsorted(day_of, days, "left")
    return per_day + rec.days_table["logins"]


def _counts(rec: PlatformRecords, key: np.ndarray, groups: int) -> dict[str, np.ndarray]:
    """Per group (``key`` gives each submission's group): the counts every figure is made of."""
    a = rec.applications
    mt = matters(rec)

    def count(mask: np.ndarray | None = None, weights=None, rows=None) -> np.ndarray:
        k = key if rows is None else key[rows]
        if mask is not None:
            k = k[mask]
            weights = None if weights is None else weights[mask]
        return np.bincount(k, weights=weights, minlength=groups)[:groups]

    first = mt["first"]
    done = a["state"] == STATE["办结"]
    r = a["rating"]
    return {
        "online_applications": count(),
        "online_matters": count(rows=first),
        "full_online_matters": count(a["channel"][first] <= 1, rows=first),
        "prefiled_matters": count(a["channel"][first] == 2, rows=first),
        "completed": count(done),
        "instant": count(done & (a["promised"] == 0) & (a["t_done"] // DAY == a["t_accept"] // DAY)),
        "on_time": count(done & (a["on_time"] == 1)),
        "prereviewed": count((a["t_prereview"] >= 0) & (a["state"] != STATE["网上申报"])),
        "returned": count(a["t_returned"] >= 0),
        "not_accepted": count(a["state"] == STATE["不予受理"]),
        "ratings": count(r > 0), "good": count((r > 0) & (r <= 3)), "bad": count(r >= 4),
        "licences_needed": count(None, a["lic_needed"].astype(np.int64)),
        "paper_avoided": count(None, a["paper_avoided"].astype(np.int64)),
        "paper_needless": count(None, a["paper_needless"].astype(np.int64)),
    }


def _figures(c: dict[str, np.ndarray], g: int, hall_window_matters: float) -> dict[str, Any]:
    """The figures of group ``g`` from its counts (rates from counts, never averaged)."""
    v = {k: int(round(x[g])) for k, x in c.items()}
    return {
        "online_applications": v["online_applications"], "online_matters": v["online_matters"],
        "full_online_matters": v["full_online_matters"], "prefiled_matters": v["prefiled_matters"],
        "online_rate": _rate(v["online_matters"], v["full_online_matters"] + hall_window_matters),
        "full_online_rate": _rate(v["full_online_matters"], v["online_matters"]),
        "completed": v["completed"], "instant_rate": _rate(v["instant"], v["completed"]),
        "on_time_rate": _rate(v["on_time"], v["completed"]),
        "correction_rate": _rate(v["returned"], v["prereviewed"]), "not_accepted": v["not_accepted"],
        "ratings": v["ratings"], "satisfaction_rate": _rate(v["good"], v["ratings"]),
        "bad_rating_rate": _rate(v["bad"], v["ratings"]),
        "licences_needed": v["licences_needed"], "paper_avoided": v["paper_avoided"],
        "paper_needless": v["paper_needless"], "licence_use_rate": _rate(v["paper_avoided"], v["licences_needed"]),
    }


def summary(rec: PlatformRecords, hall=None) -> dict[str, Any]:
    """Headline figures of a run. ``hall``: the hall's Records of the same city, seed and span — the
    denominator of 网办率 is then the hall's own count of window matters, else the hall scenario's
    expected count (``meta['expected_hall_matters']``)."""
    a = rec.applications
    end_s = (rec.start.toordinal() + rec.days - EPOCH) * DAY
    start_s = end_s - rec.days * DAY
    window = _hall_window_matters(hall) if hall is not None else float(rec.meta.get("expected_hall_matters", 0.0))
    out: dict[str, Any] = {
        "users": _registered(rec, 0, end_s), "new_users": _registered(rec, 0, end_s) - _registered(rec, 0, start_s),
        "legal_accounts": _registered(rec, 1, end_s), "agent_accounts": _registered(rec, 2, end_s),
        "active_users_per_day": float(_active_per_day(rec).mean()) if rec.days else float("nan"),
    }
    citizens = int((rec.accounts["kind"] == 0).sum())
    out["registration_coverage"] = _rate(out["users"], citizens)
    out.update(_figures(_counts(rec, np.zeros(len(rec), np.int64), 1), 0, window))
    modes = rec.meta.get("item_modes")
    out["items_full_online"] = int((np.asarray(modes) == MODE["全程网办"]).sum()) if modes is not None else 0
    out["items_filed_online"] = int((np.bincount(a["item"].astype(np.int64)) > 0).sum()) if len(rec) else 0
    # Figures of the sharing and 免申即享 runs (their own records): filled by sandbox.platform.city.
    out["share_calls"] = 0
    out["benefits_paid"] = 0
    return out


def _periods(rec: PlatformRecords, key: np.ndarray, labels: list, expected: np.ndarray):
    import pandas as pd

    c = _counts(rec, key.astype(np.int64), len(labels))
    rows = [{"period": lab, **_figures(c, i, float(expected[i]))} for i, lab in enumerate(labels)]
    return pd.DataFrame(rows).set_index("period")


def daily(rec: PlatformRecords):
    """One row per simulated day (pandas): registered and active users, applications, rates, licences."""
    from datetime import date

    a = rec.applications
    days = rec.days_table["day"]
    key = np.searchsorted(days, a["t_submit"] // DAY + EPOCH)
    exp = _spread_expected(rec)
    df = _periods(rec, key, [date.fromordinal(int(d)) for d in days], exp)
    df.insert(0, "registered_users", [_registered(rec, 0, (int(d) + 1 - EPOCH) * DAY) for d in days])
    df.insert(1, "active_users", _active_per_day(rec))
    df.attrs["data_mark"] = rec.data_mark
    return df


def monthly(rec: PlatformRecords):
    """One row per calendar month (pandas), rates recomputed from the month's counts."""
    from datetime import date

    a = rec.applications
    days = rec.days_table["day"]
    month_of_day = np.array([date.fromordinal(int(d)).year * 12 + date.fromordinal(int(d)).month - 1 for d in days])
    months = np.unique(month_of_day)
    day_i = np.clip(np.searchsorted(days, a["t_submit"] // DAY + EPOCH), 0, len(days) - 1)
    key = np.searchsorted(months, month_of_day[day_i])
    exp = np.bincount(np.searchsorted(months, month_of_day), weights=_spread_expected(rec), minlength=len(months))
    df = _periods(rec, key, [f"{m // 12}-{m % 12 + 1:02d}" for m in months], exp)
    last_day = [int(days[month_of_day == m].max()) for m in months]
    df.insert(0, "registered_users", [_registered(rec, 0, (d + 1 - EPOCH) * DAY) for d in last_day])
    act = _active_per_day(rec)
    df.insert(1, "active_users_per_day", [float(act[month_of_day == m].mean()) for m in months])
    df.attrs["data_mark"] = rec.data_mark
    return df


def _spread_expected(rec: PlatformRecords) -> np.ndarray:
    """The hall scenario's expected window matters per day of the run (engine meta)."""
    exp = rec.meta.get("expected_hall_per_day")
    return np.asarray(exp, float) if exp is not None else np.zeros(rec.days)


# ---- reconciliation with the hall ------------------------------------------------------------------
_ONLINE = (CHANNEL["网上办"], CHANNEL["自助终端"])


def _hall_window_matters(hall) -> int:
    c = hall.cases
    first = hall.matters["first"]
    return int(np.isin(c["channel"][first], (CHANNEL["窗口"], CHANNEL["异地代收"])).sum())


def reconcile(hall, rec: PlatformRecords) -> dict[str, Any]:
    """Hall + platform totals for the same city, seed and span (definitions in README.md).

    Every 全程网办 submission of the platform is one of the hall's online / self-service cases (same
    submission time, applicant, item and round). The hall has more of them only where its own streams
    diverted 跨省通办 全程网办 demand of people working elsewhere (``cross`` = 1): counted here as platform
    applications too. 免申即享 pushes are the benefits module's. Applications filed online before a hall
    visit (网上申报后到现场) are counted by the hall at its window, so the city's matters are the hall's
    window matters plus the platform's 全程网办 matters plus those diverted 跨省通办 ones.
    """
    c = hall.cases
    h = np.flatnonzero(np.isin(c["channel"], _ONLINE))
    a = rec.applications
    p = np.flatnonzero(a["channel"] <= 1)
    hall_keys = dict(zip(zip(c["t_arrive"][h].tolist(), c["person"][h].tolist(), c["item"][h].tolist(),
                             c["visit_no"][h].tolist()), h.tolist()))
    found = [hall_keys.pop(k, -1) for k in zip(a["t_submit"][p].tolist(), a["person"][p].tolist(),
                                                a["item"][p].tolist(), a["round"][p].tolist())]
    rest = np.array(sorted(hall_keys.values()), np.int64)
    cross_only = bool((c["cross"][rest] == 1).all()) if len(rest) else True
    diverted = int(len(np.unique(c["matter_id"][rest]))) if len(rest) else 0
    window = _hall_window_matters(hall)
    mt = matters(rec)
    full_m = int((a["channel"][mt["first"]] <= 1).sum())
    pre_m = int((a["channel"][mt["first"]] == 2).sum())
    return {
        "hall_online_cases": int(len(h)), "platform_full_online_submissions": int(len(p)),
        "platform_found_in_hall": int(sum(x >= 0 for x in found)), "hall_cross_province_diverted": int(len(rest)),
        "case_by_case": bool(all(x >= 0 for x in found) and cross_only),
        "hall_window_matters": window, "platform_full_online_matters": full_m, "platform_prefiled_matters": pre_m,
        "hall_no_application_cases": int((c["channel"] == CHANNEL["免申即享"]).sum()),
        "city_matters": window + full_m + diverted,
        "online_rate": _rate(full_m + pre_m + diverted, window + full_m + diverted),
        "data_mark": rec.data_mark,
    }
