"""One hall over the run, day by day: arrivals drawn in bulk, the queue on simpy, outcomes in bulk.

Repeat visits (after 一次性告知, after giving up, after being sent home at closing) and the next
matters of a life event handled without a bundle are carried to later days of the same hall, so a
hall is independent of every other hall (and can run in its own process).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from ..base.geography import COUNTIES, COUNTY_BY_NAME
from .context import DAY, Context, K, day_factor, hm, item_day_weights, pick_firms, pick_people, stream_rng
from .online import no_queue_cases
from .queue import run_pools
from .records import CHANNEL
from .items import popcount
from .outcomes import (O_CORRECT, O_FIXED, O_HOME, O_LEFT, O_REFUSE, complete, correctable_flaws, decide,
                       draw_materials, mark_fixed, rate)

# Pending contact: (matter key, event key, life event, item, bundle, person, firm, county, visit_no,
#                   cross mode, p_missing is the low after-一次性告知 one, rest of the life event's items)
Pending = tuple
PENDING_FIELDS = ("mkey", "ekey", "life", "item", "bundle", "person", "firm", "county", "visit", "cross", "low")


def in_holiday_block(cal, day: date) -> bool:
    """A non-working day inside a statutory holiday block (春节 2025-01-28…02-04 takes in the weekend of
    02-01/02): the unbroken run of non-working days around it holds a statutory holiday."""
    if cal.holiday_name(day) is not None:
        return True
    for step in (-1, 1):
        d = day + timedelta(days=step)
        for _ in range(10):  # the longest block (春节, 国庆) is 8–9 days
            try:
                if cal.is_working_day(d):
                    break
                if cal.holiday_name(d) is not None:
                    return True
            except ValueError:  # outside the announced calendar: no block known there
                break
            d += timedelta(days=step)
    return False


def sessions_of(ctx: Context, day: date, hall: int | None = None):
    """Opening on ``day``: a working day (调休上班 weekend days included) has weekday hours; an ordinary
    weekend day has the 周末不打烊 hours if any; holidays and the weekend days inside holiday blocks close."""
    """(number-taking intervals, breaks (start, end, closed share), closing second) or None if closed."""
    own = ctx.scenario.halls[hall].hours if hall is not None else None
    h = own if own is not None else ctx.scenario.hours
    cal = ctx.work.calendar
    if cal.is_working_day(day):
        sess = [[hm(a), hm(b)] for a, b in h.weekday]
        if h.extended_until:
            sess[-1][1] = hm(h.extended_until)
    elif in_holiday_block(cal, day):
        return None  # 周末不打烊 is for ordinary weekends, not for the weekend days of a holiday
    elif day.weekday() == 5 and h.saturday:
        sess = [[hm(a), hm(b)] for a, b in h.saturday]
    elif day.weekday() == 6 and h.sunday:
        sess = [[hm(a), hm(b)] for a, b in h.sunday]
    else:
        return None
    closed = 1.0 - h.lunch_open_share
    breaks = tuple((sess[i][1], sess[i + 1][0], closed) for i in range(len(sess) - 1))
    arrival = [tuple(x) for x in sess]
    if h.lunch_open_share > 0 and len(sess) > 1:
        arrival = [(sess[0][0], sess[-1][1])]  # 错峰: numbers are issued over lunch too
    return arrival, breaks, sess[-1][1], [tuple(x) for x in sess]


def _intervals(ctx: Context, arrival: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    prof = [(hm(t), w) for t, w in ctx.scenario.demand.hourly_profile]
    lo, hi, wt = [], [], []
    for t0, w in prof:
        for a, b in arrival:
            x, y = max(a, t0), min(b, t0 + 1800)
            if y > x and w > 0:
                lo.append(x); hi.append(y); wt.append(w * (y - x) / 1800)
    if not wt:  # profile silent about these hours: uniform over the sessions
        for a, b in arrival:
            lo.append(a); hi.append(b); wt.append(float(b - a))
    wt_a = np.cumsum(wt)
    return np.array(lo), np.array(hi), wt_a / wt_a[-1]


def _arrival_times(rng, n: int, iv) -> np.ndarray:
    lo, hi, cum = iv
    k = np.minimum(np.searchsorted(cum, rng.random(n), "right"), len(cum) - 1)
    return lo[k] + (rng.random(n) * (hi[k] - lo[k])).astype(np.int64)


@dataclass(eq=False)
class _HallRun:
    """What one hall carries from day to day: local to one :func:`simulate_hall` call, never shared."""
    ctx: Context
    h: int
    home: int  # the hall's county index
    offered: np.ndarray  # items this hall handles
    hall_w: np.ndarray  # their weights at the hall
    base: float  # new matters on an average working day
    pending: dict[int, list[Pending]] = field(default_factory=lambda: defaultdict(list))
    chunks: list[dict[str, np.ndarray]] = field(default_factory=list)
    pool_rows: list[tuple] = field(default_factory=list)
    counter: list[int] = field(default_factory=lambda: [0, 0])
    once_used: set = field(default_factory=set)  # (item, person) of once-only items at this hall

    @classmethod
    def start(cls, ctx: Context, h: int) -> "_HallRun":
        s = ctx.scenario
        hall = s.halls[h]
        t = ctx.items
        offered = ctx.routing[h].pool_of_item >= 0
        total_share = sum(x.share for x in s.halls)
        return cls(ctx=ctx, h=h, home=COUNTIES.index(COUNTY_BY_NAME[hall.county]), offered=offered,
                   hall_w=np.where(offered, t.weight * (1.0 - t.online_share), 0.0),
                   base=s.demand.daily_cases * (1.0 - s.demand.online_share) * hall.share / total_share)

    def new_keys(self, n: int, which: int) -> np.ndarray:
        """Matter (which=0) or life-event (which=1) keys unique across the run: the hall in the high bits."""
        k = (np.int64(self.h) << 40) + self.counter[which] + np.arange(n, dtype=np.int64)
        self.counter[which] += n
        return k


def simulate_hall(ctx: Context, h: int) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """One hall over the whole run: (case columns, pool rows). A new generator each month."""
    run = _HallRun.start(ctx, h)
    rng = None
    month_key = None
    for d_i in range(ctx.days):
        day = ctx.start + timedelta(days=d_i)
        mk = day.year * 12 + day.month
        if mk != month_key:
            rng, month_key = stream_rng(ctx.seed, h, mk), mk
        _hall_day(run, rng, day)
    return _concat(run.chunks), _pool_columns(run.pool_rows)


def _hall_day(run: _HallRun, rng: np.random.Generator, day: date) -> None:
    ctx, h = run.ctx, run.h
    o = day.toordinal()
    today_pending = run.pending.pop(o, [])
    ses = sessions_of(ctx, day, h)
    if ses is None:
        # Closed: anyone planning to come back today comes on the next open working day.
        if today_pending:
            nxt = int(ctx.work.add(np.array([o]), np.array([1]))[0])
            if nxt < ctx.end_ordinal:
                run.pending[nxt].extend(today_pending)
        return
    arrival_iv, breaks, close_at, sess = ses
    day_base = (o - 719163) * DAY
    rows, rest = _fresh_demand(run, rng, day, day_base, arrival_iv)
    if today_pending:  # people coming back today
        cols = list(zip(*today_pending))
        for name, col in zip(PENDING_FIELDS, cols[:11]):
            rows[name] = np.concatenate([rows[name], np.array(col, dtype=rows[name].dtype)])
        rest = rest + list(cols[11])
    route = ctx.routing[h]
    if len(rows["item"]) == 0:
        _pool_rows(run.pool_rows, h, o, route, sess, breaks, {}, np.zeros(0), np.zeros(0), np.zeros(0))
        return
    v, rest = _visits(run, rng, rows, rest, arrival_iv, breaks, o)
    outcome, served = _serve(run, rng, v, o, day_base, breaks, close_at, sess)
    _schedule_returns(run, rng, v, rest, outcome, served, o)


def _fresh_demand(run: _HallRun, rng: np.random.Generator, day: date, day_base: int,
                  arrival_iv) -> tuple[dict[str, np.ndarray], list[tuple]]:
    """New matters of the day at this hall; remote 跨省通办 and 免申即享 ones go straight to their chunks."""
    ctx = run.ctx
    s, t, pol, beh = ctx.scenario, ctx.items, ctx.scenario.policy, ctx.scenario.behaviour
    hall = s.halls[run.h]
    w = item_day_weights(ctx, run.hall_w, day)
    lam = run.base * day_factor(ctx, day) * (w.sum() / run.hall_w.sum() if run.hall_w.sum() else 0.0)
    n_new = int(rng.poisson(lam)) if lam > 0 else 0
    cw = np.cumsum(w)
    item = np.minimum(np.searchsorted(cw, rng.random(n_new) * cw[-1], "right"), len(w) - 1).astype(np.int64) \
        if n_new else np.zeros(0, np.int64)
    county = np.where(rng.random(n_new) < hall.local_share, run.home,
                      np.searchsorted(np.cumsum(ctx.county_weights), rng.random(n_new), "right"))
    county = np.minimum(county, len(COUNTIES) - 1)
    person = np.zeros(0, np.int64)
    if n_new:
        person = np.array([ctx.county_people[c][x % len(ctx.county_people[c])]
                           for c, x in zip(county.tolist(), rng.integers(0, 1 << 30, n_new).tolist())],
                          dtype=np.int64)
    bundle, life, rest = _life_events(run, rng, item, n_new)
    # Applicants fit their item (age, sex, retirement, once only): after the bundles chose the items.
    person = pick_people(ctx, rng, item, county, day.toordinal(), person, run.once_used)
    firm = pick_firms(ctx, rng, item, county)  # after the bundles: a firm's life event needs the firm
    cross = np.zeros(n_new, dtype=np.int64)
    if pol.cross_province and n_new:
        cm = t.cross[item].astype(np.int64)
        elsewhere = (ctx.works_elsewhere[person] & (cm > 0) & (life < 0)
                     & (rng.random(n_new) < beh.cross_province_share))
        cross = np.where(elsewhere, cm, 0)
    mkey = run.new_keys(n_new, 0)
    ekey = np.where(life >= 0, run.new_keys(n_new, 1), -1)
    remote = cross.astype(bool) & (cross != 3)
    if remote.any():
        run.chunks.append(_remote_cases(ctx, rng, day_base, arrival_iv, item[remote], person[remote],
                                        firm[remote], county[remote], cross[remote], mkey[remote]))
    keep = ~remote
    if pol.no_application_share > 0 and n_new:
        # 免申即享: the data match finds the person; nobody comes to the hall.
        pushed = keep & t.benefit[item] & (bundle < 0) & (rng.random(n_new) < pol.no_application_share)
        if pushed.any():
            run.chunks.append(_remote_cases(ctx, rng, day_base, arrival_iv, item[pushed], person[pushed],
                                            firm[pushed], county[pushed], np.zeros(pushed.sum(), np.int64),
                                            mkey[pushed], channel=CHANNEL["免申即享"]))
            keep &= ~pushed
    rows = dict(mkey=mkey[keep], ekey=ekey[keep], life=life[keep], item=item[keep], bundle=bundle[keep],
                person=person[keep], firm=firm[keep], county=county[keep],
                visit=np.ones(keep.sum(), np.int64), cross=cross[keep],
                low=np.zeros(keep.sum(), bool))
    return rows, [r for r, k in zip(rest, keep.tolist()) if k]


def _life_events(run: _HallRun, rng: np.random.Generator, item: np.ndarray,
                 n_new: int) -> tuple[np.ndarray, np.ndarray, list[tuple]]:
    """Some new matters start a life event: one bundle (一件事) or, without bundles, its items one by one.

    Changes ``item`` in place (the event's first item); returns (bundle, life event, rest of the items).
    """
    t, pol = run.ctx.items, run.ctx.scenario.policy
    bundle = np.full(n_new, -1, dtype=np.int64)
    life = np.full(n_new, -1, dtype=np.int64)
    rest: list[tuple] = [()] * n_new
    if len(t.bundle_codes) and pol.bundle_share > 0 and n_new:
        ev = np.flatnonzero(rng.random(n_new) < pol.bundle_share)
        bsel = rng.integers(0, len(t.bundle_codes), len(ev))
        for j, b in zip(ev.tolist(), bsel.tolist()):
            its = [int(x) for x in t.bundle_items[b] if run.offered[x]]
            if not its:
                continue
            life[j] = b
            item[j] = its[0]
            if pol.bundles:
                bundle[j] = b
            else:
                rest[j] = tuple(its[1:])
    return bundle, life, rest


def _visits(run: _HallRun, rng: np.random.Generator, rows: dict[str, np.ndarray], rest: list[tuple],
            arrival_iv, breaks, o: int) -> tuple[dict[str, np.ndarray], list[tuple]]:
    """Arrival, appointment, green channel, window pool, service time and patience of each visit,
    all sorted by the time the number is taken."""
    ctx = run.ctx
    s, t, pol, beh = ctx.scenario, ctx.items, ctx.scenario.policy, ctx.scenario.behaviour
    route = ctx.routing[run.h]
    n = len(rows["item"])
    item, bundle, person = rows["item"], rows["bundle"], rows["person"]
    t_arr = _arrival_times(rng, n, _intervals(ctx, arrival_iv))
    appt = rng.random(n) < pol.appointment_share
    if appt.any():
        slot = pol.appointment_slot_min * 60
        snapped = (t_arr[appt] // slot) * slot - rng.integers(0, 600, appt.sum())
        inside = np.zeros(appt.sum(), bool)
        for a, b in arrival_iv:
            inside |= (snapped >= a) & (snapped < b)
        t_arr[appt] = np.where(inside, snapped, t_arr[appt])
    elderly = ctx.people.ages_on(person, o) >= 60  # at the case date, not the population's reference date
    green = pol.green_channel & (elderly | ctx.disabled[person])
    prio = np.where(green, 0, np.where(appt, 1, 2))
    t_num = t_arr + rng.integers(20, 120, n)
    pool = route.pool_of_item[item].astype(np.int64)
    if route.bundle_pool >= 0:
        pool = np.where(bundle >= 0, route.bundle_pool, pool)
    if route.cross_pool >= 0:
        pool = np.where(rows["cross"] == 3, route.cross_pool, pool)
    if route.complaint_pool >= 0:
        pool = np.where(rows["visit"] >= 3, route.complaint_pool, pool)
    cls = t.cls[item]
    z = rng.standard_normal(n)
    svc = np.exp(ctx.svc_mu[cls] + ctx.svc_sigma[cls] * z)
    if (bundle >= 0).any():
        bi = np.flatnonzero(bundle >= 0)
        med = np.array([np.exp(ctx.svc_mu[t.cls[t.bundle_items[b]]]).sum() for b in bundle[bi].tolist()])
        svc[bi] = med * s.service_minutes.bundle_factor * np.exp(ctx.svc_sigma[1] * z[bi])
    svc = np.where(elderly | ctx.no_mandarin[person], svc * beh.assisted_service_factor, svc)
    svc = np.maximum(svc.round(), 30).astype(np.int64)
    lo, hi = beh.patience_min
    pat = rng.uniform(lo, hi, n) * 60 * np.where(appt, beh.appointment_patience_factor, 1.0)
    for a, b, closed in breaks:  # the patience clock stops over the lunch break
        if closed > 0.5:
            pat = np.where((t_num < a) & (t_num + pat > a), pat + (b - a), pat)
    v = dict(rows, t_arr=t_arr, t_num=t_num, appt=appt, green=green, elderly=elderly, pool=pool, svc=svc,
             pat=pat.astype(np.int64), prio=prio)
    order = np.lexsort((np.arange(n), t_num))
    return {k: x[order] for k, x in v.items()}, [rest[i] for i in order.tolist()]


def _serve(run: _HallRun, rng: np.random.Generator, v: dict[str, np.ndarray], o: int, day_base: int, breaks,
           close_at: int, sess) -> tuple[np.ndarray, np.ndarray]:
    """The queue (simpy), then each served visit's materials, decision, completion and rating.

    Appends the day's cases and pool rows to ``run``; returns (outcome, served).
    """
    ctx, h = run.ctx, run.h
    s, t, beh = ctx.scenario, ctx.items, ctx.scenario.behaviour
    route = ctx.routing[h]
    n = len(v["item"])
    item, bundle, t_num = v["item"], v["bundle"], v["t_num"]
    used = sorted(route.capacity)
    local = np.full(len(K), -1, dtype=np.int64)
    local[used] = np.arange(len(used))
    res = run_pools(t_num, local[v["pool"]], v["prio"], v["svc"], v["pat"], [route.capacity[k] for k in used],
                    breaks=breaks, close_at=close_at,
                    serve_after_close=(s.halls[h].hours or s.hours).serve_after_close)
    served = res.called >= 0
    outcome = np.where(res.sent_home, O_HOME, O_LEFT).astype(np.int8)
    p_miss = np.where(v["low"], beh.p_missing_on_return, beh.p_material_missing)
    missing = np.zeros(n, np.int64)
    elic = np.zeros(n, np.int64)
    handed = np.zeros(n, np.int64)
    sv = np.flatnonzero(served)
    m, e, hd = draw_materials(ctx, rng, item[sv], bundle[sv], p_miss[sv])
    m, fixed = correctable_flaws(ctx, rng, m, beh.correctable_share)
    missing[sv], elic[sv], handed[sv] = m, e, hd + popcount(fixed)
    out = mark_fixed(decide(ctx, rng, item[sv], bundle[sv], m, v["visit"][sv]), fixed)
    outcome[sv] = out
    # 当场更正: what the window corrected; 不予受理 at a first contact (outside competence): no list.
    missing[sv] = np.where(out == O_FIXED, fixed, np.where((out == O_REFUSE) & (v["visit"][sv] == 1), 0, m))
    t_called = np.where(served, res.called + day_base, -1)
    t_end = np.where(served, res.ended + day_base, -1)
    t_left = np.where(res.left >= 0, res.left + day_base, -1)
    promised = np.where(bundle >= 0, t.bundle_promised[np.maximum(bundle, 0)] if len(t.bundle_promised) else 0,
                        t.promised[item]).astype(np.int64)
    instant = np.where(bundle >= 0, False, t.instant[item])
    comp = complete(ctx, rng, outcome, t_end, promised, instant)
    wait = np.where(served, (res.called - t_num) / 60.0, (res.left - t_num) / 60.0)
    rating, t_rating = rate(ctx, rng, s.ratings.p_rate_hall, wait, v["visit"], outcome, None,
                            np.where(served, t_end, t_left))
    run.chunks.append(dict(
        mkey=v["mkey"], ekey=v["ekey"], life_event=v["life"], visit_no=v["visit"],
        channel=np.full(n, CHANNEL["窗口"]), hall=np.full(n, h), pool=v["pool"], window=res.window,
        county=v["county"], person=v["person"], firm=v["firm"], item=item, bundle=bundle,
        appointment=v["appt"], green=v["green"], elderly=v["elderly"], cross=v["cross"],
        t_arrive=v["t_arr"] + day_base, t_number=t_num + day_base, t_called=t_called, t_end=t_end, t_left=t_left,
        ahead=res.ahead, outcome=outcome, overtime=served & (res.called >= close_at),
        materials=handed, missing=missing, elicence=elic, promised=promised, rating=rating,
        t_rating=t_rating, **comp))
    _pool_rows(run.pool_rows, h, o, route, sess, breaks, route.capacity, local[v["pool"]], res.called, res.ended)
    return outcome, served


def _schedule_returns(run: _HallRun, rng: np.random.Generator, v: dict[str, np.ndarray], rest: list[tuple],
                      outcome: np.ndarray, served: np.ndarray, o: int) -> None:
    """Who comes back when: after 补正 (一次性告知), after giving up, after closing; and a life event's next item."""
    ctx = run.ctx
    beh = ctx.scenario.behaviour
    end = ctx.end_ordinal
    n = len(outcome)
    u = rng.random(n)
    back_refused = outcome == O_CORRECT  # 补正: back with the one-time list done (不予受理 is final)
    back_left = ((outcome == O_LEFT) & (u < beh.p_return_after_abandon)) | (outcome == O_HOME)
    r0, r1 = beh.return_days
    gap = np.where(back_refused, rng.integers(r0, r1 + 1, n), np.where(outcome == O_HOME, 1, rng.integers(1, 4, n)))
    back_day = ctx.work.add(np.full(n, o), gap)
    for i in np.flatnonzero((back_refused | back_left) & (back_day < end)).tolist():
        run.pending[int(back_day[i])].append((
            int(v["mkey"][i]), int(v["ekey"][i]), int(v["life"][i]), int(v["item"][i]), int(v["bundle"][i]),
            int(v["person"][i]), int(v["firm"][i]), int(v["county"][i]), int(v["visit"][i]) + 1,
            int(v["cross"][i]), bool(back_refused[i] or v["low"][i]),
            rest[i] if back_left[i] else ()))
    nxt = ctx.work.add(np.array([o]), np.array([1]))[0]
    for i, r in enumerate(rest):
        if r and served[i] and nxt < end:
            run.pending[int(nxt)].append((
                int(run.new_keys(1, 0)[0]), int(v["ekey"][i]), int(v["life"][i]), int(r[0]), -1,
                int(v["person"][i]), int(v["firm"][i]), int(v["county"][i]), 1, 0, False, r[1:]))


def _remote_cases(ctx: Context, rng, day_base: int, arrival_iv, item, person, firm, county, cross, mkey,
                  channel: int | None = None):
    """跨省通办 for people working in another province (fully online, or intake at a hall there), and
    免申即享 pushes: cases diverted from the hall to a no-queue channel."""
    n = len(item)
    t_arr = day_base + _arrival_times(rng, n, _intervals(ctx, arrival_iv))
    if channel is None:
        channel = np.where(cross == 1, CHANNEL["网上办"], CHANNEL["异地代收"])
    else:
        channel = np.full(n, channel, np.int64)
    return no_queue_cases(ctx, rng, item=item, person=person, firm=firm, county=county, channel=channel,
                          cross=cross, t_arrive=t_arr, mkey=mkey)


def _pool_rows(out: list, h: int, o: int, route, sess, breaks, capacity, pool_local, called, ended) -> None:
    used = sorted(route.capacity)
    open_len = sum(b - a for a, b in sess)
    for j, k in enumerate(used):
        c = route.capacity[k]
        closed = sum(int(round(c * share)) * (b - a) for a, b, share in breaks)
        gap_len = sum(b - a for a, b, _ in breaks)
        mask = (pool_local == j) & (called >= 0) if len(pool_local) else np.zeros(0, bool)
        busy = int((ended[mask] - called[mask]).sum()) if len(pool_local) else 0
        out.append((h, o, k, c, c * open_len + c * gap_len - closed, busy, int(mask.sum())))


def _pool_columns(rows: list[tuple]) -> dict[str, np.ndarray]:
    names = ("hall", "day", "pool", "windows", "open_s", "busy_s", "served")
    if not rows:
        return {k: np.zeros(0, np.int64) for k in names}
    cols = list(zip(*rows))
    return {k: np.array(v, dtype=np.int64) for k, v in zip(names, cols)}


def _concat(chunks: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    if not chunks:
        return {}
    keys = chunks[0].keys()
    return {k: np.concatenate([np.asarray(c[k]) for c in chunks]) for k in keys}
