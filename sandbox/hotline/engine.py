"""Bulk simulation of the 12345 hotline: a scenario and a seed in, frozen ticket records out.

A year is about 220,000 tickets, so the generator works on numpy arrays month by month (each month
has its own random stream, so a month's tickets do not depend on the span simulated around it).
The path of every ticket through the state machine is decided at once: received, refused / merged
/ closed at the call / dispatched, returned and re-routed, signed, handled, extended, escalated when
overdue, replied, closed, followed up, rated, reopened after a bad rating. :func:`sandbox.hotline.replay.replay`
drives the public API (sandbox.hotline.tickets) with a record's timestamps — which is both how a
trainee sees a simulated ticket's full history and how the tests prove the bulk records are legal paths.

A month goes through stages, each a function of the month's arrays (``m``, a plain dict local to the
month) in a fixed order — the order of the random draws, which keeps records identical for a seed.
"""
from __future__ import annotations

import warnings
from datetime import date, timedelta

import numpy as np

from ..base.calendar import (FIRST_YEAR, LAST_YEAR, CalendarRangeError, CalendarWarning, calendar_until, check_span, last_known_year,
                             span_warning)
from ..base.geography import COUNTIES
from ..base.population import build_population
from .records import TicketRecords
from .routing import HOTLINE_CENTRE, TOWNSHIP, build_units, route_for
from .scenario import HotlineScenario
from .taxonomy import CATEGORIES, TICKET_TYPES, monthly_weights, type_matrix
from .texts import generate as generate_texts
from .tickets import NOT_ACCEPTED, RATINGS

__all__ = ["simulate", "URBAN", "CHANNEL_P", "DIRECT_P", "HANDLING_DAYS", "HOUR_W"]

URBAN = frozenset({"乐都区", "平安区"})
CHANNEL_P = {"电话": 0.64, "微信": 0.13, "网站": 0.08, "APP": 0.14, "信件": 0.01}
DIRECT_P = {"咨询": 0.72, "求助": 0.06, "投诉": 0.02, "举报": 0.0, "建议": 0.05, "表扬": 0.4, "其他": 0.35}
HANDLING_DAYS = {"咨询": 1.0, "求助": 2.0, "投诉": 4.5, "举报": 6.0, "建议": 3.5, "表扬": 1.5, "其他": 2.0}
# Hour-of-day profile of calls (7×24 line; busiest mid-morning and afternoon, some evening calls).
HOUR_W = np.array([0.3, 0.2, 0.15, 0.1, 0.1, 0.2, 0.6, 1.6, 4.2, 7.2, 7.8, 7.0, 4.6, 4.0, 6.2, 7.0, 6.6, 5.4,
                   3.6, 3.2, 3.0, 2.2, 1.3, 0.6])
NA = -1  # a time that did not happen

# ---- vectorised calendar arithmetic on seconds since 1970-01-01 (naive Beijing time) -------------
_EPOCH = date(1970, 1, 1).toordinal()
DAY = 86_400
HOUR = 3_600


class _VCal:
    """Working-day arithmetic over the shared calendar, reaching ``last_year`` (deadlines spill past the run)."""

    def __init__(self, last_year: int) -> None:
        cal = calendar_until(last_year)
        self.cal = cal
        self.wd = np.array([d.toordinal() - _EPOCH for d in cal.working_days(date(FIRST_YEAR, 1, 1),
                                                                             date(cal.last_year, 12, 31))])

    def add_days(self, day: np.ndarray, n: np.ndarray | int) -> np.ndarray:
        """n-th working day after day (n >= 1), as day numbers."""
        idx = np.searchsorted(self.wd, day, side="right") + np.asarray(n) - 1
        if np.any(idx >= len(self.wd)):
            raise CalendarRangeError("工作日历范围不够：期限超出了工作日历的最后年份")
        return self.wd[idx]

    def day_end(self, sec: np.ndarray, n: np.ndarray | int, hour: int) -> np.ndarray:
        return self.add_days(sec // DAY, n) * DAY + hour * HOUR

    def office_clock(self, sec: np.ndarray, work: np.ndarray, open_h: int = 9, close_h: int = 17) -> np.ndarray:
        """The moment ``work`` seconds of office time after ``sec``: office time is open_h–close_h on
        working days (调休 included), so a ticket dispatched at night or over a holiday waits for the
        next working morning."""
        day, tod = sec // DAY, sec % DAY
        span = (close_h - open_h) * HOUR
        i = np.searchsorted(self.wd, day, side="left")  # first working day on or after ``day``
        today = (i < len(self.wd)) & (self.wd[np.minimum(i, len(self.wd) - 1)] == day) & (tod < close_h * HOUR)
        i = np.where(today | ~np.isin(day, self.wd), i, i + 1)
        offset = np.where(today, np.maximum(tod - open_h * HOUR, 0), 0) + np.asarray(work, dtype="int64")
        i = i + offset // span
        if np.any(i >= len(self.wd)):
            raise ValueError("工作日历范围不够：模拟的时间超出了日历已知的年份")
        return self.wd[i] * DAY + open_h * HOUR + offset % span


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
def simulate(scenario: HotlineScenario, seed: int) -> TicketRecords:
    """All tickets received in the scenario's span, with their full outcome (one record each).

    The span follows the calendar's rules shared with the halls: refused before its first year
    (:class:`~sandbox.base.calendar.CalendarRangeError`), a :class:`~sandbox.base.calendar.CalendarWarning`
    for years whose 调休 arrangement is not known.
    """
    end = scenario.end - timedelta(days=1)
    check_span(scenario.start, end)
    note = span_warning(scenario.start, end)
    if note:
        warnings.warn(note, CalendarWarning, stacklevel=2)
    vcal = _VCal(min(max(last_known_year(), end.year) + 2, LAST_YEAR))
    units = build_units(seed)
    pop_seed = seed if scenario.population_seed is None else scenario.population_seed
    pop = build_population(pop_seed, n_citizens=scenario.n_citizens)
    months = [_month(scenario, seed, m, vcal, units, pop) for m in scenario.month_starts()]
    return TicketRecords.build({k: np.concatenate([m[k] for m in months]) for k in months[0]},
                               start=scenario.start, months=scenario.months, seed=seed)


def _season_norm() -> float:
    return float(np.mean([monthly_weights(m).sum() for m in range(1, 13)]))


def _month(sc: HotlineScenario, seed: int, m0: date, vcal: _VCal, units: dict, pop) -> dict[str, np.ndarray]:
    """One month's tickets as columns: the stages below, in the order of their random draws."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, m0.year, m0.month, 0x4807]))
    m = _arrivals(sc, seed, m0, vcal, pop, rng)
    _callers(m, pop, rng)
    _in_time_order(m, m0)
    _triage(sc, m, rng)
    _townships(m, seed, m0)
    m["text"] = np.array(generate_texts(rng, m["cat_idx"], m["county_idx"], m["type_idx"], m["channel"],
                                        tuple(f.name for f in pop.firms), refused=m["refused"],
                                        refused_reason=m["reason"],
                                        overrides={"town": m["ov_town"], "estate": m["ov_estate"],
                                                   "street": m["ov_street"]}), dtype=object)
    _deadline_and_route(sc, m, vcal, rng)
    _handling(sc, m, vcal, units, rng)
    _follow_up(sc, m, vcal, rng)
    return _columns(m, pop)


# Categories the 派单目录 gives to the township government where the matter is (乡道村道, 村级渠道 …).
_LOCAL = np.array([TOWNSHIP in (c.dept, c.alt_dept, c.assist) for c in CATEGORIES])


def _townships(m: dict, seed: int, m0: date) -> None:
    """A real township of its county for every ticket routed to the 属地乡镇, so that its text and its
    units name the same township government (never 「××县属地乡镇」). Drawn from a stream of its own:
    every other draw of the month stays as it was."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, m0.year, m0.month, 0x70C4]))
    town = np.asarray(m["ov_town"], dtype=object).copy()
    for i in np.flatnonzero(_LOCAL[m["cat_idx"]]):
        if town[i] is None:
            names = COUNTIES[m["county_idx"][i]].townships
            town[i] = names[int(rng.integers(len(names)))]
    m["ov_town"] = town


def _arrivals(sc: HotlineScenario, seed: int, m0: date, vcal: _VCal, pop, rng: np.random.Generator) -> dict:
    """Calls by county × category, day and hour; then the frequent callers' and the hot issues' calls."""
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
    none = np.full(n, None, dtype=object)
    extra = [(county_idx, cat_idx, recv, type_idx, none, none, none, none)]
    fc_extra, fc_pid_col = _frequent_calls(sc, seed, m0, ndays, pop, rng)
    extra += fc_extra + _hot_issue_calls(sc, m0, m1, rng)
    cols = ("county_idx", "cat_idx", "recv", "type_idx", "hot_label", "ov_town", "ov_estate", "ov_street")
    m = {k: np.concatenate([e[j] for e in extra]) for j, k in enumerate(cols)}
    for k, dt in (("county_idx", int), ("cat_idx", int), ("recv", "int64"), ("type_idx", int)):
        m[k] = m[k].astype(dt)
    m["n"] = len(m["recv"])
    m["n_base"] = n
    m["fc_pids"] = np.concatenate(fc_pid_col) if fc_pid_col else np.zeros(0, np.int64)
    return m


def _frequent_calls(sc: HotlineScenario, seed: int, m0: date, ndays: int, pop,
                    rng: np.random.Generator) -> tuple[list[tuple], list[np.ndarray]]:
    """Frequent callers: the same few people every month (their own stream picks them)."""
    n_cat = len(CATEGORIES)
    fc_rng = np.random.default_rng(np.random.SeedSequence([seed, 0xFCA11]))
    fc_pids = fc_rng.choice(pop.adults, size=sc.frequent_callers, replace=False)  # adults call
    fc_cats = fc_rng.integers(0, n_cat, size=sc.frequent_callers)
    fc_counts = rng.poisson(3.5, size=sc.frequent_callers)
    extra, fc_pid_col = [], []
    for pid, ci, k in zip(fc_pids, fc_cats, fc_counts):
        cty = int(pop.county_index[pid])
        r = _secs(m0) + rng.integers(0, ndays, size=k) * DAY + rng.integers(8 * HOUR, 20 * HOUR, size=k)
        t = _inv_cdf(rng, np.cumsum(type_matrix(), axis=1)[np.full(k, ci)])
        nk = np.full(k, None, dtype=object)
        extra.append((np.full(k, cty), np.full(k, ci), r, t, nk, nk, nk, nk))
        fc_pid_col.append(np.full(k, pid))
    return extra, fc_pid_col


def _hot_issue_calls(sc: HotlineScenario, m0: date, m1: date, rng: np.random.Generator) -> list[tuple]:
    """Injected hot issues that start in this month: calls peak in the first days and fade."""
    extra = []
    scale = sc.monthly_volume / 18_000.0
    for hi in sc.hot_issues:
        if not (m0 <= hi.start < m1):
            continue
        k = max(int(rng.poisson(hi.tickets * scale)), 1)
        ci = [c.level2 for c in CATEGORIES].index(hi.level2)
        cty = [c.name for c in COUNTIES].index(hi.county)
        dd = np.minimum(rng.exponential(hi.days / 2.5, size=k).astype(int), hi.days - 1)
        r = (_secs(hi.start) + dd * DAY + rng.choice(24, size=k, p=HOUR_W / HOUR_W.sum()) * HOUR
             + rng.integers(0, HOUR, size=k))
        tw = np.array([0, 0.6, 0.35, 0, 0.05, 0, 0])
        t = rng.choice(7, size=k, p=tw)
        town = hi.town or COUNTIES[cty].townships[0]
        extra.append((np.full(k, cty), np.full(k, ci), r, t,
                      np.full(k, hi.label or f"{hi.county}{hi.level2}", dtype=object),
                      np.full(k, town, dtype=object), np.full(k, hi.estate or "湟水家园", dtype=object),
                      np.full(k, hi.street or "滨河路", dtype=object)))
    return extra


def _callers(m: dict, pop, rng: np.random.Generator) -> None:
    """Who calls (a citizen of the county; frequent callers as themselves), on which channel, how urgent."""
    n, county_idx, cat_idx, n_base = m["n"], m["county_idx"], m["cat_idx"], m["n_base"]
    caller_pid = np.empty(n, dtype=np.int64)
    caller_key = np.empty(n, dtype=np.int64)
    per_county = [pop.adults_of(c.name) for c in COUNTIES]  # adults call (children through them)
    for i, members in enumerate(per_county):
        mask = county_idx == i
        caller_pid[mask] = members[rng.integers(0, len(members), size=int(mask.sum()))]
    # each synthetic citizen stands for ~64 residents: a virtual caller key keeps repeat calls rare
    caller_key[:] = caller_pid * 64 + rng.integers(1, 64, size=n)
    n_fc = len(m["fc_pids"])
    if n_fc:
        caller_pid[n_base:n_base + n_fc] = m["fc_pids"]
        caller_key[n_base:n_base + n_fc] = m["fc_pids"] * 64
    ch_names = np.array(list(CHANNEL_P), dtype=object)
    channel = ch_names[rng.choice(len(ch_names), size=n, p=np.array(list(CHANNEL_P.values())))]
    no_mandarin = ~pop.speaks_mandarin[caller_pid]
    channel[(channel == "电话") & no_mandarin & (rng.random(n) < 0.9)] = "方言专席"
    p_crit = np.array([c.p_critical for c in CATEGORIES])[cat_idx]
    utility = np.array([c.utility for c in CATEGORIES])[cat_idx]
    critical = rng.random(n) < p_crit
    m.update(caller_pid=caller_pid, caller_key=caller_key, channel=channel, utility=utility, critical=critical,
             urgency=np.where(critical, "特急", np.where(utility, "紧急", "一般")).astype(object),
             types=np.array(TICKET_TYPES, dtype=object)[m["type_idx"]])


_PER_TICKET = ("county_idx", "cat_idx", "recv", "type_idx", "hot_label", "caller_pid", "caller_key", "channel",
               "urgency", "types", "utility", "critical", "ov_town", "ov_estate", "ov_street")


def _in_time_order(m: dict, m0: date) -> None:
    """Order by time of receipt and number the tickets (HD202406-000001 …)."""
    order = np.argsort(m["recv"], kind="stable")
    for k in _PER_TICKET:
        m[k] = m[k][order]
    prefix = f"HD{m0:%Y%m}-"  # formatted once: a date's strftime per ticket cost 0.7 s a year
    m["numbers"] = np.array([f"{prefix}{i:06d}" for i in range(1, m["n"] + 1)], dtype=object)


def _triage(sc: HotlineScenario, m: dict, rng: np.random.Generator) -> None:
    """Refusal (不予受理), merge (并单) with a same-matter ticket of the last 24 h, closure at the call."""
    n, recv, hot_label, numbers = m["n"], m["recv"], m["hot_label"], m["numbers"]
    refused = rng.random(n) < sc.refuse_share
    refused &= hot_label == None  # noqa: E711 - object array comparison
    reason = np.full(n, None, dtype=object)
    reason[refused] = np.array(NOT_ACCEPTED, dtype=object)[rng.integers(0, len(NOT_ACCEPTED), size=int(refused.sum()))]
    merged_into = np.full(n, None, dtype=object)
    merged_at = np.full(n, -1, dtype=np.int64)
    key = m["county_idx"] * 1000 + m["cat_idx"]
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
    direct = ((rng.random(n) < np.array([DIRECT_P[t] for t in TICKET_TYPES])[m["type_idx"]]) & ~refused & ~merged
              & ~m["critical"] & ~m["utility"])
    m.update(refused=refused, reason=reason, merged_into=merged_into, merged_at=merged_at, merged=merged,
             direct=direct, dispatched=~refused & ~merged & ~direct)


def _deadline_and_route(sc: HotlineScenario, m: dict, vcal: _VCal, rng: np.random.Generator) -> None:
    """The deadline (mirrors DeadlinePolicy.due) and the units by the 派单目录."""
    pol = sc.policy
    n, recv, cat_idx, county_idx = m["n"], m["recv"], m["cat_idx"], m["county_idx"]
    days_by_type = np.array([pol.days_by_type[t] for t in TICKET_TYPES])[m["type_idx"]]
    m["deadline"] = np.where(m["critical"], recv + int(pol.critical_hours * HOUR),
                             np.where(m["utility"], recv + int(pol.utility_hours * HOUR),
                                      vcal.day_end(recv, days_by_type, pol.due_hour)))
    names = [c.level2 for c in CATEGORIES]
    routes = {}
    lead = np.full(n, None, dtype=object)
    alt = np.full(n, None, dtype=object)
    assist = np.full(n, "", dtype=object)
    has_assist = rng.random(n) < 0.5
    town = m["ov_town"]
    for i in np.flatnonzero(m["dispatched"]):
        kk = (cat_idx[i], county_idx[i], town[i] if _LOCAL[cat_idx[i]] else None)
        r = routes.get(kk)
        if r is None:
            r = routes[kk] = route_for(names[kk[0]], COUNTIES[kk[1]].name, town=kk[2] or "")
        lead[i], alt[i] = r.lead, r.alternative
        if has_assist[i] and r.assist:
            assist[i] = "、".join(r.assist)
    m.update(lead=lead, alt=alt, assist=assist)


def _dispatch(sc: HotlineScenario, m: dict, rng: np.random.Generator) -> None:
    """Dispatch (at once for urgent matters, next morning at night), 退单 and 改派 to the alternative unit."""
    n, recv, dispatched, lead = m["n"], m["recv"], m["dispatched"], m["lead"]
    critical, utility = m["critical"], m["utility"]
    hour_of = (recv % DAY) // HOUR
    lag = np.where((hour_of >= 8) & (hour_of < 20), 300 + rng.exponential(1800, n), 0).astype("int64")
    next_morning = ((recv // DAY) + (hour_of >= 20)) * DAY + 8 * HOUR + 1800 + rng.exponential(1800, n).astype("int64")
    dispatch_at = np.where(lag > 0, recv + lag, next_morning)
    dispatch_at = np.where(critical | utility, recv + 120 + rng.exponential(600, n).astype("int64"), dispatch_at)
    dispatch_at = np.where(dispatched, dispatch_at, NA)
    returned = dispatched & (rng.random(n) < sc.return_share)
    returned_at = np.where(returned, dispatch_at + 600 + rng.exponential(6 * HOUR, n).astype("int64"), NA)
    reassigned_at = np.where(returned, returned_at + 300 + rng.exponential(2 * HOUR, n).astype("int64"), NA)
    m.update(dispatch_at=dispatch_at, returned=returned, returned_at=returned_at, reassigned_at=reassigned_at,
             first_unit=np.where(returned, lead, None), lead=np.where(returned, m["alt"], lead),
             sign_start=np.where(returned, reassigned_at, dispatch_at))


def _handling(sc: HotlineScenario, m: dict, vcal: _VCal, units: dict, rng: np.random.Generator) -> None:
    """Sign, handle, reply (the unit's speed), 延期 before the cut-off, 督办 when overdue, close."""
    _dispatch(sc, m, rng)
    pol = sc.policy
    n, recv, lead, deadline, sign_start = m["n"], m["recv"], m["lead"], m["deadline"], m["sign_start"]
    critical, utility, dispatched, direct = m["critical"], m["utility"], m["dispatched"], m["direct"]
    u_speed = np.array([units[u].speed if u else 1.0 for u in lead])
    u_sign = np.array([units[u].sign_hours if u else 1.0 for u in lead])
    sign_due = np.minimum(vcal.day_end(sign_start, pol.sign_working_days, pol.due_hour), deadline)
    sign_scale = np.where(critical, 0.05, np.where(utility, 0.2, 1.0))
    sign_work = 60 + (rng.exponential(1.0, n) * u_sign * sign_scale * HOUR).astype("int64")
    # Units sign in office hours; only urgent tickets and the round-the-clock services (water,
    # electricity, gas, heating repairs) are signed out of hours, by the unit's on-duty rota.
    rota = critical | utility
    office = vcal.office_clock(np.where(rota, 0, sign_start), np.where(rota, 0, sign_work))
    signed_at = np.where(rota, sign_start + sign_work, office)
    handled_at = signed_at + 60 + rng.exponential(1800, n).astype("int64")
    dur = np.array([HANDLING_DAYS[t] for t in TICKET_TYPES])[m["type_idx"]] * u_speed * np.exp(rng.normal(0, 0.55, n))
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
    overdue = dispatched & (replied_at > final_deadline)
    escalated = overdue & (rng.random(n) < sc.escalation_share)
    esc_from = np.maximum(final_deadline, sign_start)  # never while a returned ticket awaits 改派
    esc_at = esc_from + 1 + ((replied_at - esc_from - 1) * rng.uniform(0.1, 0.6, n)).astype("int64")
    closed_d = replied_at + 600 + rng.exponential(4 * HOUR, n).astype("int64")
    direct_close = recv + 120 + rng.integers(60, 900, size=n)  # direct closures: answered within the call
    signed_at[~dispatched] = NA
    handled_at[~dispatched] = NA
    m.update(u_speed=u_speed, u_quality=np.array([units[u].quality if u else units[HOTLINE_CENTRE].quality
                                                  for u in lead]),
             signed_at=signed_at, handled_at=handled_at, overdue=overdue, escalated=escalated,
             extended_at=np.where(extended, ext_at, NA), escalated_at=np.where(escalated, esc_at, NA),
             closed_at=np.where(dispatched, closed_d, np.where(direct, direct_close, NA)),
             replied_at=np.where(dispatched, replied_at, NA), deadline_col=np.where(dispatched, deadline, NA),
             final_deadline=np.where(dispatched, final_deadline, NA), sign_due=np.where(dispatched, sign_due, NA))


def _follow_up(sc: HotlineScenario, m: dict, vcal: _VCal, rng: np.random.Generator) -> None:
    """回访 and the rating (ordered probit on the unit's quality and what went wrong); 重办 after a bad one."""
    pol = sc.policy
    n, types, dispatched, direct, closed_at = m["n"], m["types"], m["dispatched"], m["direct"], m["closed_at"]
    fu = (dispatched & (rng.random(n) < sc.followup_share)) | (direct & (rng.random(n) < sc.direct_followup_share))
    followed_at = np.where(fu, _daytime(rng, closed_at + 2 * HOUR + rng.exponential(30 * HOUR, n).astype("int64")), NA)
    harsh = np.isin(types, ["投诉", "举报"])
    z = (sc.satisfaction_shift + m["u_quality"] + rng.normal(0, 1, n) - 0.9 * m["overdue"] - 0.35 * harsh
         - 0.4 * m["returned"] - 0.3 * m["escalated"] + 0.5 * direct + 2.0 * (types == "表扬"))
    lvl = _levels(z)
    solved = (z + rng.normal(0, 0.5, n)) > -1.7
    bad = fu & (lvl >= 3)
    reopen = bad & dispatched & (rng.random(n) < sc.reopen_share) & (pol.max_reopens > 0)
    reopened_at = np.where(reopen, followed_at + 600 + rng.exponential(3 * HOUR, n).astype("int64"), NA)
    reopen_deadline = np.where(reopen, vcal.day_end(np.maximum(reopened_at, 0), pol.reopen_working_days,
                                                    pol.due_hour), NA)
    dur2 = 2.0 * m["u_speed"] * np.exp(rng.normal(0, 0.5, n))
    replied2 = (vcal.add_days(np.maximum(reopened_at, 0) // DAY, np.maximum(np.floor(dur2).astype(int), 1)) * DAY
                + rng.integers(9 * HOUR, 18 * HOUR, size=n))
    closed2_at = np.where(reopen, replied2 + 600 + rng.exponential(4 * HOUR, n).astype("int64"), NA)
    fu2 = reopen & (rng.random(n) < 0.9)
    followed2_at = np.where(fu2, _daytime(rng, closed2_at + 2 * HOUR + rng.exponential(24 * HOUR, n).astype("int64")), NA)
    z2 = z + 1.2 + rng.normal(0, 0.6, n)
    m.update(fu=fu, fu2=fu2, reopen=reopen, followed_at=followed_at, reopened_at=reopened_at,
             reopen_deadline=reopen_deadline, replied2_at=np.where(reopen, replied2, NA), closed2_at=closed2_at,
             followed2_at=followed2_at, rating=np.where(fu, np.array(RATINGS, dtype=object)[lvl], None),
             solved_col=np.where(fu, solved, None),
             rating2=np.where(fu2, np.array(RATINGS, dtype=object)[_levels(z2)], None),
             solved2=np.where(fu2, (z2 + rng.normal(0, 0.5, n)) > -1.7, None))


def _columns(m: dict, pop) -> dict[str, np.ndarray]:
    """The month as record columns (names and order of :data:`sandbox.hotline.records.TICKET_COLUMNS`)."""
    refused, merged, direct, dispatched = m["refused"], m["merged"], m["direct"], m["dispatched"]
    status = np.select([refused, merged, m["fu2"], m["reopen"], m["fu"]],
                       ["不予受理", "已并单", "已评价", "已办结", "已评价"], "已办结")
    citizens = pop.citizens
    caller_pid, caller_key = m["caller_pid"], m["caller_key"]
    lead_unit = np.where(direct, HOTLINE_CENTRE, m["lead"])
    lead_unit[refused | merged] = None
    return {
        "number": m["numbers"], "received_at": _to_dt64(m["recv"]), "channel": m["channel"],
        "caller_key": caller_key, "caller_pid": caller_pid,
        "caller_name": np.array([citizens[p].name for p in caller_pid], dtype=object),
        "caller_mobile": np.array([_mobile(citizens[p].mobile, k) for p, k in zip(caller_pid, caller_key)],
                                  dtype=object),
        "county": np.array([c.name for c in COUNTIES], dtype=object)[m["county_idx"]],
        "ticket_type": m["types"], "level1": np.array([c.level1 for c in CATEGORIES], dtype=object)[m["cat_idx"]],
        "level2": np.array([c.level2 for c in CATEGORIES], dtype=object)[m["cat_idx"]], "urgency": m["urgency"],
        "text": m["text"], "status": status, "refused_reason": m["reason"], "merged_into": m["merged_into"],
        "merged_at": _to_dt64(m["merged_at"]), "direct": direct, "lead_unit": lead_unit,
        "first_unit": m["first_unit"], "assist_units": np.where(dispatched, m["assist"], ""),
        "deadline": _to_dt64(m["deadline_col"]), "sign_deadline": _to_dt64(m["sign_due"]),
        "dispatched_at": _to_dt64(m["dispatch_at"]), "returned_at": _to_dt64(m["returned_at"]),
        "reassigned_at": _to_dt64(m["reassigned_at"]), "signed_at": _to_dt64(m["signed_at"]),
        "handled_at": _to_dt64(m["handled_at"]), "extended_at": _to_dt64(m["extended_at"]),
        "final_deadline": _to_dt64(m["final_deadline"]), "escalated_at": _to_dt64(m["escalated_at"]),
        "replied_at": _to_dt64(np.where(direct, m["closed_at"], m["replied_at"])),
        "closed_at": _to_dt64(m["closed_at"]), "followed_up_at": _to_dt64(m["followed_at"]),
        "solved": m["solved_col"], "rating": m["rating"], "reopened_at": _to_dt64(m["reopened_at"]),
        "reopen_deadline": _to_dt64(m["reopen_deadline"]), "replied2_at": _to_dt64(m["replied2_at"]),
        "closed2_at": _to_dt64(m["closed2_at"]), "followed_up2_at": _to_dt64(m["followed2_at"]),
        "solved2": m["solved2"], "rating2": m["rating2"], "hot_issue": m["hot_label"],
    }


def _daytime(rng: np.random.Generator, t: np.ndarray) -> np.ndarray:
    """Move follow-up calls into 09:00–20:00 (the same day if early, else the next morning)."""
    tod = t % DAY
    morning = (t // DAY + (tod >= 20 * HOUR)) * DAY + 9 * HOUR + rng.integers(0, 3 * HOUR, size=len(t))
    return np.where((tod < 9 * HOUR) | (tod >= 20 * HOUR), morning, t)


def _mobile(base: str, key: int) -> str:
    if key % 64 == 0:
        return base
    return base[:3] + f"{(key * 2654435761) % 10**8:08d}"
