"""Bulk simulation of the 12345 hotline: a scenario and a seed in, one record per ticket out.

A year is about 220,000 tickets, so the generator works on numpy arrays month by month (each month
has its own random stream, so a month's tickets do not depend on the span simulated around it).
The path of every ticket through the state machine is decided at once: received, refused / merged
/ closed at the call / dispatched, returned and re-routed, signed, handled, extended, escalated when
overdue, replied, closed, followed up, rated, reopened after a bad rating. :func:`replay` drives the
public API (sandbox.hotline.tickets) with a record's timestamps — which is both how a trainee sees a
simulated ticket's full history and how the tests prove the bulk records are legal paths.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from ..geography import COUNTIES
from ..population import build_population
from ..workdays import FIRST_YEAR, default_calendar
from . import texts
from .deadlines import DEFAULT_POLICY, DeadlinePolicy
from .routing import HOTLINE_CENTRE, build_units, route_for
from .taxonomy import CATEGORIES, TICKET_TYPES, monthly_weights, type_matrix
from .tickets import NOT_ACCEPTED, RATINGS, Hotline
from . import tickets as api

# Relative tickets per resident by county: the urban districts call more.
DEFAULT_COUNTY_RATES = {"乐都区": 1.35, "平安区": 1.45, "民和回族土族自治县": 0.9, "互助土族自治县": 1.0,
                        "化隆回族自治县": 0.8, "循化撒拉族自治县": 0.8}
URBAN = frozenset({"乐都区", "平安区"})
CHANNEL_P = {"电话": 0.64, "微信": 0.13, "网站": 0.08, "APP": 0.14, "信件": 0.01}
DIRECT_P = {"咨询": 0.72, "求助": 0.06, "投诉": 0.02, "举报": 0.0, "建议": 0.05, "表扬": 0.4, "其他": 0.35}
HANDLING_DAYS = {"咨询": 1.0, "求助": 2.0, "投诉": 4.5, "举报": 6.0, "建议": 3.5, "表扬": 1.5, "其他": 2.0}
# Hour-of-day profile of calls (7×24 line; busiest mid-morning and afternoon, some evening calls).
HOUR_W = np.array([0.3, 0.2, 0.15, 0.1, 0.1, 0.2, 0.6, 1.6, 4.2, 7.2, 7.8, 7.0, 4.6, 4.0, 6.2, 7.0, 6.6, 5.4,
                   3.6, 3.2, 3.0, 2.2, 1.3, 0.6])
HOT_KINDS = {"停水": "停水", "water": "停水", "物业撤场": "物业撤场", "property": "物业撤场"}


@dataclass(frozen=True)
class HotIssue:
    """An emerging hot issue injected into a scenario: many calls about one matter in one county."""
    level2: str  # e.g. 停水 (a water outage) or 物业撤场 (a property company's collapse)
    county: str
    start: date
    days: int = 6
    tickets: int = 420  # at the default volume of 18,000 a month; scaled with the scenario's volume
    town: str | None = None
    estate: str | None = None
    street: str | None = None
    label: str = ""

    def __post_init__(self) -> None:
        if self.level2 not in {c.level2 for c in CATEGORIES}:
            raise ValueError(f"HotIssue.level2: 分类目录中没有 {self.level2!r}")
        if self.county not in {c.name for c in COUNTIES}:
            raise ValueError(f"HotIssue.county: 没有县区 {self.county!r}")
        if self.days < 1 or self.tickets < 1:
            raise ValueError("HotIssue.days 和 tickets 须为正")


@dataclass(frozen=True)
class HotlineScenario:
    start: date = date(2024, 1, 1)
    months: int = 1
    monthly_volume: float = 18_000.0
    county_rates: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_COUNTY_RATES))
    refuse_share: float = 0.012
    return_share: float = 0.03
    merge_share: float = 0.015  # of tickets with a same-matter ticket in the last 24 h
    extension_share: float = 0.4  # of late tickets whose unit asks for 延期 in time
    escalation_share: float = 0.85  # of overdue tickets that get a 督办
    followup_share: float = 0.6
    direct_followup_share: float = 0.3
    reopen_share: float = 0.5  # of bad follow-ups that reopen the ticket
    frequent_callers: int = 12
    n_citizens: int = 20_000
    satisfaction_shift: float = 0.0  # added to every latent rating: +2.5 gives Haixi's 98.7% skew, <0 more 差评
    population_seed: int | None = None  # None: the run's seed; fix it to reuse one population across runs
    policy: DeadlinePolicy = DEFAULT_POLICY
    hot_issues: tuple[HotIssue, ...] = ()

    def __post_init__(self) -> None:
        if self.start.day != 1:
            raise ValueError("start: 须为某月1日")
        if self.months < 1:
            raise ValueError("months: 至少 1 个月")
        if self.monthly_volume <= 0:
            raise ValueError("monthly_volume: 须为正数")
        for name in ("refuse_share", "return_share", "merge_share", "extension_share", "escalation_share",
                     "followup_share", "direct_followup_share", "reopen_share"):
            v = getattr(self, name)
            if not 0 <= v <= 1:
                raise ValueError(f"{name}: 须在 0 到 1 之间，收到 {v}")
        unknown = set(self.county_rates) - {c.name for c in COUNTIES}
        if unknown or len(self.county_rates) != len(COUNTIES):
            raise ValueError(f"county_rates: 须给出全部六个县区，未知 {sorted(unknown)}")

    def month_starts(self) -> list[date]:
        out, y, m = [], self.start.year, self.start.month
        for _ in range(self.months):
            out.append(date(y, m, 1))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    @property
    def end(self) -> date:
        last = self.month_starts()[-1]
        return (date(last.year + 1, 1, 1) if last.month == 12 else date(last.year, last.month + 1, 1))


def hot_issue(kind: str, county: str, start: date, **kw) -> HotIssue:
    """Shorthand: hot_issue('water', '民和回族土族自治县', date(2024, 6, 10))."""
    return HotIssue(HOT_KINDS.get(kind, kind), county, start, **kw)


# ---- vectorised calendar arithmetic on seconds since 1970-01-01 (naive Beijing time) -------------
_EPOCH = date(1970, 1, 1).toordinal()
DAY = 86_400
HOUR = 3_600


class _VCal:
    def __init__(self) -> None:
        cal = default_calendar(True)
        self.cal = cal
        self.wd = np.array([d.toordinal() - _EPOCH for d in cal.working_days(date(FIRST_YEAR, 1, 1),
                                                                             date(cal.last_year, 12, 31))])

    def add_days(self, day: np.ndarray, n: np.ndarray | int) -> np.ndarray:
        """n-th working day after day (n >= 1), as day numbers."""
        idx = np.searchsorted(self.wd, day, side="right") + np.asarray(n) - 1
        if np.any(idx >= len(self.wd)):
            raise ValueError("工作日历范围不够：模拟的时间超出了日历已知的年份")
        return self.wd[idx]

    def day_end(self, sec: np.ndarray, n: np.ndarray | int, hour: int) -> np.ndarray:
        return self.add_days(sec // DAY, n) * DAY + hour * HOUR


def _secs(d: date) -> int:
    return (d.toordinal() - _EPOCH) * DAY


def _to_dt64(sec: np.ndarray) -> np.ndarray:
    """int seconds (NaN/-1 = missing) → datetime64[s]."""
    out = np.asarray(sec, dtype="int64").astype("datetime64[s]")
    out[np.asarray(sec) < 0] = np.datetime64("NaT")
    return out


def _inv_cdf(rng: np.random.Generator, cum: np.ndarray) -> np.ndarray:
    """One draw per row of a cumulative-probability matrix."""
    u = rng.random(len(cum))[:, None]
    return np.minimum((u > cum).sum(axis=1), cum.shape[1] - 1)


def _levels(z: np.ndarray) -> np.ndarray:
    """Latent satisfaction → index into RATINGS (ordered probit; calibrated to Xining's 614/34/22)."""
    cuts = np.array([-0.1, -1.85, -2.3, -2.7])  # 非常满意 | 满意 | 基本满意 | 不满意 | 非常不满意
    return (z[:, None] <= cuts).sum(axis=1)


# ---- the generator ------------------------------------------------------------------------------
def simulate(scenario: HotlineScenario, seed: int) -> pd.DataFrame:
    """All tickets received in the scenario's span, with their full outcome, one row each."""
    vcal = _VCal()
    units = build_units(seed)
    pop_seed = seed if scenario.population_seed is None else scenario.population_seed
    pop = build_population(pop_seed, n_citizens=scenario.n_citizens)
    frames = [_month(scenario, seed, m, vcal, units, pop) for m in scenario.month_starts()]
    df = pd.concat(frames, ignore_index=True)
    return df


def _season_norm() -> float:
    return float(np.mean([monthly_weights(m).sum() for m in range(1, 13)]))


def _month(sc: HotlineScenario, seed: int, m0: date, vcal: _VCal, units: dict, pop) -> pd.DataFrame:
    rng = np.random.default_rng(np.random.SeedSequence([seed, m0.year, m0.month, 0x4807]))
    pol = sc.policy
    m1 = date(m0.year + 1, 1, 1) if m0.month == 12 else date(m0.year, m0.month + 1, 1)
    ndays = (m1 - m0).days
    days = np.arange(ndays)
    day_dates = [m0 + timedelta(days=int(d)) for d in days]
    wk = np.array([d.weekday() for d in day_dates])
    day_w = np.select([wk == 0, wk < 5, wk == 5], [1.15, 1.0, 0.75], 0.7)
    day_w = day_w * np.array([0.6 if vcal.cal.holiday_name(d) else 1.0 for d in day_dates])
    cat_w = monthly_weights(m0.month)
    volume = sc.monthly_volume * cat_w.sum() / _season_norm() * ndays / 30.44
    n = int(rng.poisson(volume))
    n_cat = len(CATEGORIES)
    # county x category cells
    cw = np.array([c.population * sc.county_rates[c.name] for c in COUNTIES])
    urban = np.array([[cat.urban if c.name in URBAN else 1.0 for cat in CATEGORIES] for c in COUNTIES])
    cell = (cw[:, None] * cat_w[None, :] * urban).ravel()
    cells = rng.choice(cell.size, size=n, p=cell / cell.sum())
    county_idx, cat_idx = cells // n_cat, cells % n_cat
    day = rng.choice(ndays, size=n, p=day_w / day_w.sum())
    hour = rng.choice(24, size=n, p=HOUR_W / HOUR_W.sum())
    recv = _secs(m0) + day * DAY + hour * HOUR + rng.integers(0, HOUR, size=n)
    type_idx = _inv_cdf(rng, np.cumsum(type_matrix(), axis=1)[cat_idx])
    hot_label = np.full(n, None, dtype=object)
    # frequent callers: the same few people every month
    fc_rng = np.random.default_rng(np.random.SeedSequence([seed, 0xFCA11]))
    fc_pids = fc_rng.choice(len(pop.citizens), size=sc.frequent_callers, replace=False)
    fc_cats = fc_rng.integers(0, n_cat, size=sc.frequent_callers)
    fc_counts = rng.poisson(3.5, size=sc.frequent_callers)
    none = np.full(n, None, dtype=object)
    extra = [(county_idx, cat_idx, recv, type_idx, hot_label, none, none, none)]
    fc_pid_col = []
    for pid, ci, k in zip(fc_pids, fc_cats, fc_counts):
        cty = int(pop.county_index[pid])
        r = _secs(m0) + rng.integers(0, ndays, size=k) * DAY + rng.integers(8 * HOUR, 20 * HOUR, size=k)
        t = _inv_cdf(rng, np.cumsum(type_matrix(), axis=1)[np.full(k, ci)])
        nk = np.full(k, None, dtype=object)
        extra.append((np.full(k, cty), np.full(k, ci), r, t, nk, nk, nk, nk))
        fc_pid_col.append(np.full(k, pid))
    # injected hot issues that start in this month
    scale = sc.monthly_volume / 18_000.0
    for hi in sc.hot_issues:
        if not (m0 <= hi.start < m1):
            continue
        k = max(int(rng.poisson(hi.tickets * scale)), 1)
        ci = [c.level2 for c in CATEGORIES].index(hi.level2)
        cty = [c.name for c in COUNTIES].index(hi.county)
        # calls peak in the first days and fade
        dd = np.minimum(rng.exponential(hi.days / 2.5, size=k).astype(int), hi.days - 1)
        r = _secs(hi.start) + dd * DAY + rng.choice(24, size=k, p=HOUR_W / HOUR_W.sum()) * HOUR + rng.integers(0, HOUR, size=k)
        tw = np.array([0, 0.6, 0.35, 0, 0.05, 0, 0])
        t = rng.choice(7, size=k, p=tw)
        town = hi.town or COUNTIES[cty].townships[0]
        extra.append((np.full(k, cty), np.full(k, ci), r, t, np.full(k, hi.label or f"{hi.county}{hi.level2}", dtype=object),
                      np.full(k, town, dtype=object), np.full(k, hi.estate or "湟水家园", dtype=object),
                      np.full(k, hi.street or "滨河路", dtype=object)))
    n_base = n
    county_idx = np.concatenate([e[0] for e in extra]).astype(int)
    cat_idx = np.concatenate([e[1] for e in extra]).astype(int)
    recv = np.concatenate([e[2] for e in extra]).astype("int64")
    type_idx = np.concatenate([e[3] for e in extra]).astype(int)
    hot_label = np.concatenate([e[4] for e in extra])
    ov_town = np.concatenate([e[5] for e in extra])
    ov_estate = np.concatenate([e[6] for e in extra])
    ov_street = np.concatenate([e[7] for e in extra])
    n = len(recv)
    # callers
    caller_pid = np.empty(n, dtype=np.int64)
    caller_key = np.empty(n, dtype=np.int64)
    per_county = [pop.citizens_of(c.name) for c in COUNTIES]
    for i, members in enumerate(per_county):
        mask = county_idx == i
        caller_pid[mask] = members[rng.integers(0, len(members), size=int(mask.sum()))]
    # each synthetic citizen stands for ~64 residents: a virtual caller key keeps repeat calls rare
    caller_key[:] = caller_pid * 64 + rng.integers(1, 64, size=n)
    n_fc = sum(len(x) for x in fc_pid_col)
    if n_fc:
        fcp = np.concatenate(fc_pid_col)
        caller_pid[n_base:n_base + n_fc] = fcp
        caller_key[n_base:n_base + n_fc] = fcp * 64
    # channel
    ch_names = np.array(list(CHANNEL_P), dtype=object)
    channel = ch_names[rng.choice(len(ch_names), size=n, p=np.array(list(CHANNEL_P.values())))]
    no_mandarin = ~pop.speaks_mandarin[caller_pid]
    channel[(channel == "电话") & no_mandarin & (rng.random(n) < 0.9)] = "方言专席"
    # urgency
    p_crit = np.array([c.p_critical for c in CATEGORIES])[cat_idx]
    utility = np.array([c.utility for c in CATEGORIES])[cat_idx]
    critical = rng.random(n) < p_crit
    urgency = np.where(critical, "特急", np.where(utility, "紧急", "一般")).astype(object)
    types = np.array(TICKET_TYPES, dtype=object)[type_idx]

    # order by time and number
    order = np.argsort(recv, kind="stable")
    county_idx, cat_idx, recv, type_idx, hot_label = (a[order] for a in (county_idx, cat_idx, recv, type_idx, hot_label))
    caller_pid, caller_key, channel, urgency, types, utility, critical = (
        a[order] for a in (caller_pid, caller_key, channel, urgency, types, utility, critical))
    ov_town, ov_estate, ov_street = ov_town[order], ov_estate[order], ov_street[order]
    numbers = np.array([f"HD{m0:%Y%m}-{i + 1:06d}" for i in range(n)], dtype=object)

    # refusal, merge, direct closure
    refused = rng.random(n) < sc.refuse_share
    refused &= hot_label == None  # noqa: E711 - object array comparison
    reason = np.full(n, None, dtype=object)
    reason[refused] = np.array(NOT_ACCEPTED, dtype=object)[rng.integers(0, len(NOT_ACCEPTED), size=int(refused.sum()))]
    merged_into = np.full(n, None, dtype=object)
    merged_at = np.full(n, -1, dtype=np.int64)
    key = county_idx * 1000 + cat_idx
    o2 = np.lexsort((recv, key))
    prev_same = np.zeros(n, dtype=bool)
    prev_same[o2[1:]] = (key[o2[1:]] == key[o2[:-1]]) & (recv[o2[1:]] - recv[o2[:-1]] < DAY)
    prev_idx = np.full(n, -1)
    prev_idx[o2[1:]] = o2[:-1]
    p_merge = np.where(hot_label != None, 0.25, sc.merge_share)  # noqa: E711
    cand = prev_same & ~refused & (rng.random(n) < p_merge)
    master_idx = np.full(n, -1)
    for i in np.flatnonzero(cand)[np.argsort(recv[cand], kind="stable")]:
        j = prev_idx[i]
        if master_idx[j] >= 0:
            j = master_idx[j]
        if refused[j]:
            continue
        merged_into[i] = numbers[j]
        master_idx[i] = j
        merged_at[i] = recv[i] + 300 + int(rng.integers(0, 3000))
    merged = merged_into != None  # noqa: E711
    direct = (rng.random(n) < np.array([DIRECT_P[t] for t in TICKET_TYPES])[type_idx]) & ~refused & ~merged & ~critical & ~utility
    dispatched = ~refused & ~merged & ~direct

    # texts
    firms = tuple(f.name for f in pop.firms)
    text = np.array(texts.generate(rng, cat_idx, county_idx, type_idx, channel, firms,
                                   refused=refused, refused_reason=reason,
                                   overrides={"town": ov_town, "estate": ov_estate, "street": ov_street}), dtype=object)

    # deadlines (mirror DeadlinePolicy.due)
    days_by_type = np.array([pol.days_by_type[t] for t in TICKET_TYPES])[type_idx]
    deadline = np.where(critical, recv + int(pol.critical_hours * HOUR),
                        np.where(utility, recv + int(pol.utility_hours * HOUR),
                                 vcal.day_end(recv, days_by_type, pol.due_hour)))
    # routing
    names = [c.level2 for c in CATEGORIES]
    routes = {}
    lead = np.full(n, None, dtype=object)
    alt = np.full(n, None, dtype=object)
    assist = np.full(n, "", dtype=object)
    has_assist = rng.random(n) < 0.5
    for i in np.flatnonzero(dispatched):
        kk = (cat_idx[i], county_idx[i])
        r = routes.get(kk)
        if r is None:
            r = routes[kk] = route_for(names[kk[0]], COUNTIES[kk[1]].name)
        lead[i], alt[i] = r.lead, r.alternative
        if has_assist[i] and r.assist:
            assist[i] = "、".join(r.assist)
    hour_of = (recv % DAY) // HOUR
    lag = np.where((hour_of >= 8) & (hour_of < 20), 300 + rng.exponential(1800, n),
                   0) .astype("int64")
    next_morning = ((recv // DAY) + (hour_of >= 20)) * DAY + 8 * HOUR + 1800 + rng.exponential(1800, n).astype("int64")
    dispatch_at = np.where(lag > 0, recv + lag, next_morning)
    dispatch_at = np.where(critical | utility, recv + 120 + rng.exponential(600, n).astype("int64"), dispatch_at)
    NA = -1
    dispatch_at = np.where(dispatched, dispatch_at, NA)
    returned = dispatched & (rng.random(n) < sc.return_share)
    returned_at = np.where(returned, dispatch_at + 600 + rng.exponential(6 * HOUR, n).astype("int64"), NA)
    reassigned_at = np.where(returned, returned_at + 300 + rng.exponential(2 * HOUR, n).astype("int64"), NA)
    first_unit = np.where(returned, lead, None)
    lead = np.where(returned, alt, lead)
    sign_start = np.where(returned, reassigned_at, dispatch_at)
    u_speed = np.array([units[u].speed if u else 1.0 for u in lead])
    u_sign = np.array([units[u].sign_hours if u else 1.0 for u in lead])
    u_quality = np.array([units[u].quality if u else units[HOTLINE_CENTRE].quality for u in lead])
    sign_due = np.minimum(vcal.day_end(sign_start, pol.sign_working_days, pol.due_hour), deadline)
    sign_scale = np.where(critical, 0.05, np.where(utility, 0.2, 1.0))
    signed_at = sign_start + 60 + (rng.exponential(1.0, n) * u_sign * sign_scale * HOUR).astype("int64")
    handled_at = signed_at + 60 + rng.exponential(1800, n).astype("int64")
    dur = np.array([HANDLING_DAYS[t] for t in TICKET_TYPES])[type_idx] * u_speed * np.exp(rng.normal(0, 0.55, n))
    k_days = np.floor(dur).astype(int)
    reply_wd = vcal.add_days(handled_at // DAY, np.maximum(k_days, 1)) * DAY + rng.integers(9 * HOUR, 18 * HOUR, size=n)
    replied_at = np.where(k_days == 0, handled_at + (dur * 8 * HOUR).astype("int64") + 600, reply_wd)
    hours_dur = np.where(critical, 1.0, 7.0) * u_speed * rng.exponential(1.0, n)
    replied_at = np.where(critical | utility, handled_at + 300 + (hours_dur * HOUR).astype("int64"), replied_at)
    # extension before the cut-off when the unit sees it will be late
    cutoff = np.minimum((deadline // DAY) * DAY + pol.extension_cutoff_hour * HOUR, deadline)
    ext_at = cutoff - rng.integers(1800, 6 * HOUR, size=n)
    can_ext = (replied_at > deadline) & ~critical & ~utility & (ext_at > sign_start) & (pol.max_extensions > 0)
    extended = dispatched & can_ext & (rng.random(n) < sc.extension_share)
    final_deadline = np.where(extended, vcal.day_end(deadline, pol.extension_days, pol.due_hour), deadline)
    extended_at = np.where(extended, ext_at, NA)
    overdue = dispatched & (replied_at > final_deadline)
    escalated = overdue & (rng.random(n) < sc.escalation_share)
    esc_from = np.maximum(final_deadline, sign_start)  # never while a returned ticket awaits 改派
    esc_at = esc_from + 1 + ((replied_at - esc_from - 1) * rng.uniform(0.1, 0.6, n)).astype("int64")
    escalated_at = np.where(escalated, esc_at, NA)
    closed_d = replied_at + 600 + rng.exponential(4 * HOUR, n).astype("int64")
    # direct closures: answered within the call
    direct_close = recv + 120 + rng.integers(60, 900, size=n)
    closed_at = np.where(dispatched, closed_d, np.where(direct, direct_close, NA))
    replied_at = np.where(dispatched, replied_at, NA)
    for arr in (signed_at, handled_at):
        arr[~dispatched] = NA
    deadline_col = np.where(dispatched, deadline, NA)
    final_deadline = np.where(dispatched, final_deadline, NA)
    sign_due = np.where(dispatched, sign_due, NA)
    # follow-up and rating
    fu = (dispatched & (rng.random(n) < sc.followup_share)) | (direct & (rng.random(n) < sc.direct_followup_share))
    followed_at = np.where(fu, _daytime(rng, closed_at + 2 * HOUR + rng.exponential(30 * HOUR, n).astype("int64")), NA)
    harsh = np.isin(types, ["投诉", "举报"])
    z = (sc.satisfaction_shift + u_quality + rng.normal(0, 1, n) - 0.9 * overdue - 0.35 * harsh - 0.4 * returned - 0.3 * escalated
         + 0.5 * direct + 2.0 * (types == "表扬"))
    lvl = _levels(z)
    solved = (z + rng.normal(0, 0.5, n)) > -1.7
    rating = np.where(fu, np.array(RATINGS, dtype=object)[lvl], None)
    solved_col = np.where(fu, solved, None)
    bad = fu & (lvl >= 3)
    reopen = bad & dispatched & (rng.random(n) < sc.reopen_share) & (pol.max_reopens > 0)
    reopened_at = np.where(reopen, followed_at + 600 + rng.exponential(3 * HOUR, n).astype("int64"), NA)
    reopen_deadline = np.where(reopen, vcal.day_end(np.maximum(reopened_at, 0), pol.reopen_working_days, pol.due_hour), NA)
    dur2 = 2.0 * u_speed * np.exp(rng.normal(0, 0.5, n))
    replied2 = vcal.add_days(np.maximum(reopened_at, 0) // DAY, np.maximum(np.floor(dur2).astype(int), 1)) * DAY + rng.integers(9 * HOUR, 18 * HOUR, size=n)
    replied2_at = np.where(reopen, replied2, NA)
    closed2_at = np.where(reopen, replied2 + 600 + rng.exponential(4 * HOUR, n).astype("int64"), NA)
    fu2 = reopen & (rng.random(n) < 0.9)
    followed2_at = np.where(fu2, _daytime(rng, closed2_at + 2 * HOUR + rng.exponential(24 * HOUR, n).astype("int64")), NA)
    z2 = z + 1.2 + rng.normal(0, 0.6, n)
    rating2 = np.where(fu2, np.array(RATINGS, dtype=object)[_levels(z2)], None)
    solved2 = np.where(fu2, (z2 + rng.normal(0, 0.5, n)) > -1.7, None)

    status = np.select([refused, merged, fu2, reopen, fu], ["不予受理", "已并单", "已评价", "已办结", "已评价"], "已办结")
    citizens = pop.citizens
    caller_name = np.array([citizens[p].name for p in caller_pid], dtype=object)
    caller_mobile = np.array([_mobile(citizens[p].mobile, k) for p, k in zip(caller_pid, caller_key)], dtype=object)
    level1 = np.array([c.level1 for c in CATEGORIES], dtype=object)[cat_idx]
    level2 = np.array(names, dtype=object)[cat_idx]
    df = pd.DataFrame({
        "number": numbers, "received_at": _to_dt64(recv), "channel": channel, "caller_key": caller_key,
        "caller_pid": caller_pid, "caller_name": caller_name, "caller_mobile": caller_mobile,
        "county": np.array([c.name for c in COUNTIES], dtype=object)[county_idx],
        "ticket_type": types, "level1": level1, "level2": level2, "urgency": urgency, "text": text,
        "status": status, "refused_reason": reason, "merged_into": merged_into, "merged_at": _to_dt64(merged_at),
        "direct": direct, "lead_unit": np.where(direct, HOTLINE_CENTRE, lead), "first_unit": first_unit,
        "assist_units": np.where(dispatched, assist, ""), "deadline": _to_dt64(deadline_col),
        "sign_deadline": _to_dt64(sign_due), "dispatched_at": _to_dt64(dispatch_at),
        "returned_at": _to_dt64(returned_at), "reassigned_at": _to_dt64(reassigned_at),
        "signed_at": _to_dt64(signed_at), "handled_at": _to_dt64(handled_at), "extended_at": _to_dt64(extended_at),
        "final_deadline": _to_dt64(final_deadline), "escalated_at": _to_dt64(escalated_at),
        "replied_at": _to_dt64(np.where(direct, closed_at, replied_at)), "closed_at": _to_dt64(closed_at),
        "followed_up_at": _to_dt64(followed_at), "solved": solved_col, "rating": rating,
        "reopened_at": _to_dt64(reopened_at), "reopen_deadline": _to_dt64(reopen_deadline),
        "replied2_at": _to_dt64(replied2_at), "closed2_at": _to_dt64(closed2_at),
        "followed_up2_at": _to_dt64(followed2_at), "solved2": solved2, "rating2": rating2,
        "hot_issue": hot_label,
    })
    df.loc[refused | merged, "lead_unit"] = None
    return df


def _daytime(rng: np.random.Generator, t: np.ndarray) -> np.ndarray:
    """Move follow-up calls into 09:00–20:00 (the same day if early, else the next morning)."""
    tod = t % DAY
    morning = (t // DAY + (tod >= 20 * HOUR)) * DAY + 9 * HOUR + rng.integers(0, 3 * HOUR, size=len(t))
    return np.where((tod < 9 * HOUR) | (tod >= 20 * HOUR), morning, t)


def _mobile(base: str, key: int) -> str:
    if key % 64 == 0:
        return base
    return base[:3] + f"{(key * 2654435761) % 10**8:08d}"


# ---- replay through the public API ----------------------------------------------------------------
def _dt(v) -> datetime | None:
    if v is None or pd.isna(v):
        return None
    return pd.Timestamp(v).to_pydatetime()


def _s(v):
    return None if v is None or (isinstance(v, float) and np.isnan(v)) else v


def replay(rows: pd.DataFrame, desk: Hotline | None = None) -> list[api.Ticket]:
    """Drive the state-machine API with stored records; returns the tickets with their full history.

    Merge masters missing from ``rows`` are created as stubs so that 并单 can name them.
    """
    desk = desk or Hotline()
    out = []
    for r in rows.sort_values("received_at").itertuples(index=False):
        t = desk.receive(_dt(r.received_at), channel=r.channel, caller_name=r.caller_name,
                         caller_mobile=r.caller_mobile, county=r.county, text=r.text,
                         caller_pid=int(r.caller_pid), number=r.number)
        at = t.received_at
        api.classify(desk, t, at, ticket_type=r.ticket_type, level2=r.level2, urgency=r.urgency)
        if r.status == "不予受理":
            api.refuse(desk, t, at, reason=r.refused_reason)
        elif r.status == "已并单":
            if r.merged_into not in desk.tickets:
                desk.receive(at, channel="电话", caller_name="-", caller_mobile="-", county=r.county,
                             text="（主工单）", number=r.merged_into)
            api.merge(desk, t, _dt(r.merged_at), into=r.merged_into)
        elif r.direct:
            api.close_direct(desk, t, _dt(r.closed_at), answer="已当场解答")
        else:
            if _s(r.first_unit) is not None:
                api.route(desk, t, _dt(r.dispatched_at), lead=r.first_unit)
                api.return_ticket(desk, t, _dt(r.returned_at), reason="非本单位职责")
                api.route(desk, t, _dt(r.reassigned_at), lead=r.lead_unit)
            else:
                api.route(desk, t, _dt(r.dispatched_at), lead=r.lead_unit)
            steps = [(_dt(r.signed_at), 0, "sign"), (_dt(r.handled_at), 1, "handle")]
            if _dt(r.extended_at):
                steps.append((_dt(r.extended_at), 2, "extend"))
            if _dt(r.escalated_at):
                steps.append((_dt(r.escalated_at), 3, "escalate"))
            for when, _, action in sorted(steps, key=lambda s: (s[0], s[1])):
                if action == "sign":
                    api.sign(desk, t, when)
                elif action == "handle":
                    api.handle(desk, t, when)
                elif action == "extend":
                    api.extend(desk, t, when, reason="情况复杂，需协调多个部门")
                else:
                    api.escalate(desk, t, when, note="超期督办")
            api.reply(desk, t, _dt(r.replied_at), text="已联系来电人并处理")
            api.close(desk, t, _dt(r.closed_at))
        if _dt(r.followed_up_at):
            api.follow_up(desk, t, _dt(r.followed_up_at), solved=bool(r.solved), rating=r.rating)
        if _dt(r.reopened_at):
            api.reopen(desk, t, _dt(r.reopened_at), note="回访不满意，重新办理")
            api.reply(desk, t, _dt(r.replied2_at), text="重新办理后已答复")
            api.close(desk, t, _dt(r.closed2_at))
            if _dt(r.followed_up2_at):
                api.follow_up(desk, t, _dt(r.followed_up2_at), solved=bool(r.solved2), rating=r.rating2)
        out.append(t)
    return out


def load_ticket(db, run_id: str, number: str) -> api.Ticket:
    """One stored ticket with its full history, rebuilt through the public API."""
    from . import storage

    rows = storage.load(db, run_id, numbers=[number])
    if rows.empty:
        raise KeyError(f"运行 {run_id} 中没有工单 {number}")
    return replay(rows)[0]
