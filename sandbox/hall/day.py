"""One hall over the run, day by day: arrivals drawn in bulk, the queue on simpy, outcomes in bulk.

Repeat visits (after 一次性告知, after giving up, after being sent home at closing) and the next
matters of a life event handled without a bundle are carried to later days of the same hall, so a
hall is independent of every other hall (and can run in its own process).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import numpy as np

from ..records import CHANNEL
from .context import DAY, Context, K, day_factor, hm, item_day_weights, stream_rng
from .engine import run_pools
from .outcomes import O_HOME, O_LEFT, O_REFUSE, complete, decide, draw_materials, rate

# Pending contact: (matter key, event key, life event, item, bundle, person, firm, county, visit_no,
#                   cross mode, p_missing is the low after-一次性告知 one, rest of the life event's items)
Pending = tuple


def sessions_of(ctx: Context, day: date, hall: int | None = None):
    """(number-taking intervals, breaks (start, end, closed share), closing second) or None if closed."""
    own = ctx.scenario.halls[hall].hours if hall is not None else None
    h = own if own is not None else ctx.scenario.hours
    cal = ctx.work.calendar
    if cal.is_working_day(day):
        sess = [[hm(a), hm(b)] for a, b in h.weekday]
        if h.extended_until:
            sess[-1][1] = hm(h.extended_until)
    elif cal.holiday_name(day) is None and day.weekday() == 5 and h.saturday:
        sess = [[hm(a), hm(b)] for a, b in h.saturday]
    elif cal.holiday_name(day) is None and day.weekday() == 6 and h.sunday:
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


def simulate_hall(ctx: Context, h: int) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    s = ctx.scenario
    hall = s.halls[h]
    route = ctx.routing[h]
    t = ctx.items
    beh = s.behaviour
    pol = s.policy
    from ..geography import COUNTY_BY_NAME, COUNTIES
    home = COUNTIES.index(COUNTY_BY_NAME[hall.county])
    offered = route.pool_of_item >= 0
    hall_w = np.where(offered, t.weight * (1.0 - t.online_share), 0.0)
    total_share = sum(x.share for x in s.halls)
    base = s.demand.daily_cases * (1.0 - s.demand.online_share) * hall.share / total_share
    pending: dict[int, list[Pending]] = defaultdict(list)
    chunks: list[dict[str, np.ndarray]] = []
    pool_rows: list[tuple] = []
    counter = [0, 0]
    stream_key = np.int64(h) << 40

    def new_keys(n: int, which: int) -> np.ndarray:
        k = stream_key + counter[which] + np.arange(n, dtype=np.int64)
        counter[which] += n
        return k

    end = ctx.end_ordinal
    rng = None
    month_key = None
    bundles_n = len(t.bundle_codes)
    for d_i in range(ctx.days):
        day = ctx.start + timedelta(days=d_i)
        o = day.toordinal()
        mk = day.year * 12 + day.month
        if mk != month_key:
            rng, month_key = stream_rng(ctx.seed, h, mk), mk
        today_pending = pending.pop(o, [])
        ses = sessions_of(ctx, day, h)
        if ses is None:
            # Closed: anyone planning to come back today comes on the next open working day.
            if today_pending:
                nxt = int(ctx.work.add(np.array([o]), np.array([1]))[0])
                if nxt < end:
                    pending[nxt].extend(today_pending)
            continue
        arrival_iv, breaks, close_at, sess = ses
        day_base = (o - 719163) * DAY
        w = item_day_weights(ctx, hall_w, day)
        lam = base * day_factor(ctx, day) * (w.sum() / hall_w.sum() if hall_w.sum() else 0.0)
        n_new = int(rng.poisson(lam)) if lam > 0 else 0
        # -- fresh demand ---------------------------------------------------------------------------
        cw = np.cumsum(w)
        item = np.minimum(np.searchsorted(cw, rng.random(n_new) * cw[-1], "right"), len(w) - 1).astype(np.int64) \
            if n_new else np.zeros(0, np.int64)
        county = np.where(rng.random(n_new) < hall.local_share, home,
                          np.searchsorted(np.cumsum(ctx.county_weights), rng.random(n_new), "right"))
        county = np.minimum(county, len(COUNTIES) - 1)
        person = np.zeros(0, np.int64)
        if n_new:
            person = np.array([ctx.county_people[c][x % len(ctx.county_people[c])]
                               for c, x in zip(county.tolist(), rng.integers(0, 1 << 30, n_new).tolist())],
                              dtype=np.int64)
        bundle = np.full(n_new, -1, dtype=np.int64)
        life = np.full(n_new, -1, dtype=np.int64)
        rest: list[tuple] = [()] * n_new
        if bundles_n and pol.bundle_share > 0 and n_new:
            ev = np.flatnonzero(rng.random(n_new) < pol.bundle_share)
            bsel = rng.integers(0, bundles_n, len(ev))
            for j, b in zip(ev.tolist(), bsel.tolist()):
                its = [int(x) for x in t.bundle_items[b] if offered[x]]
                if not its:
                    continue
                life[j] = b
                item[j] = its[0]
                if pol.bundles:
                    bundle[j] = b
                else:
                    rest[j] = tuple(its[1:])
        firm = _firms(ctx, rng, item, county)  # after the bundles: a firm's life event needs the firm
        cross = np.zeros(n_new, dtype=np.int64)
        if pol.cross_province and n_new:
            cm = t.cross[item].astype(np.int64)
            elsewhere = (ctx.works_elsewhere[person] & (cm > 0) & (life < 0)
                         & (rng.random(n_new) < beh.cross_province_share))
            cross = np.where(elsewhere, cm, 0)
        mkey = new_keys(n_new, 0)
        ekey = np.where(life >= 0, new_keys(n_new, 1), -1)
        remote = cross.astype(bool) & (cross != 3)
        if remote.any():
            chunks.append(_remote_cases(ctx, rng, day_base, arrival_iv, item[remote], person[remote],
                                        firm[remote], county[remote], cross[remote], mkey[remote]))
        keep = ~remote
        if pol.no_application_share > 0 and n_new:
            # 免申即享: the data match finds the person; nobody comes to the hall.
            pushed = keep & t.benefit[item] & (bundle < 0) & (rng.random(n_new) < pol.no_application_share)
            if pushed.any():
                chunks.append(_remote_cases(ctx, rng, day_base, arrival_iv, item[pushed], person[pushed],
                                            firm[pushed], county[pushed], np.zeros(pushed.sum(), np.int64),
                                            mkey[pushed], channel=CHANNEL["免申即享"]))
                keep &= ~pushed
        rows = dict(mkey=mkey[keep], ekey=ekey[keep], life=life[keep], item=item[keep], bundle=bundle[keep],
                    person=person[keep], firm=firm[keep], county=county[keep],
                    visit=np.ones(keep.sum(), np.int64), cross=cross[keep],
                    low=np.zeros(keep.sum(), bool))
        rest = [r for r, k in zip(rest, keep.tolist()) if k]
        # -- people coming back today --------------------------------------------------------------
        if today_pending:
            cols = list(zip(*today_pending))
            for name, col in zip(("mkey", "ekey", "life", "item", "bundle", "person", "firm", "county", "visit",
                                  "cross", "low"), cols[:11]):
                rows[name] = np.concatenate([rows[name], np.array(col, dtype=rows[name].dtype)])
            rest = rest + list(cols[11])
        n = len(rows["item"])
        if n == 0:
            _pool_rows(pool_rows, h, o, route, sess, breaks, {}, np.zeros(0), np.zeros(0), np.zeros(0))
            continue
        item = rows["item"]
        bundle = rows["bundle"]
        person = rows["person"]
        # -- arrival, appointment, green channel ---------------------------------------------------
        iv = _intervals(ctx, arrival_iv)
        t_arr = _arrival_times(rng, n, iv)
        appt = rng.random(n) < pol.appointment_share
        if appt.any():
            slot = pol.appointment_slot_min * 60
            snapped = (t_arr[appt] // slot) * slot - rng.integers(0, 600, appt.sum())
            inside = np.zeros(appt.sum(), bool)
            for a, b in arrival_iv:
                inside |= (snapped >= a) & (snapped < b)
            t_arr[appt] = np.where(inside, snapped, t_arr[appt])
        elderly = ctx.elderly[person]
        green = pol.green_channel & (elderly | ctx.disabled[person])
        prio = np.where(green, 0, np.where(appt, 1, 2))
        t_num = t_arr + rng.integers(20, 120, n)
        # -- routing -------------------------------------------------------------------------------
        pool = route.pool_of_item[item].astype(np.int64)
        if route.bundle_pool >= 0:
            pool = np.where(bundle >= 0, route.bundle_pool, pool)
        if route.cross_pool >= 0:
            pool = np.where(rows["cross"] == 3, route.cross_pool, pool)
        if route.complaint_pool >= 0:
            pool = np.where(rows["visit"] >= 3, route.complaint_pool, pool)
        # -- service and patience ------------------------------------------------------------------
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
        pat = pat.astype(np.int64)
        order = np.lexsort((np.arange(n), t_num))
        cols = {k: v[order] for k, v in rows.items()}
        rest = [rest[i] for i in order.tolist()]
        t_arr, t_num, appt, green, elderly, pool, svc, pat, prio = (
            x[order] for x in (t_arr, t_num, appt, green, elderly, pool, svc, pat, prio))
        item, bundle, person = cols["item"], cols["bundle"], cols["person"]
        # -- the queue -----------------------------------------------------------------------------
        used = sorted(route.capacity)
        local = np.full(len(K), -1, dtype=np.int64)
        local[used] = np.arange(len(used))
        res = run_pools(t_num, local[pool], prio, svc, pat, [route.capacity[k] for k in used],
                        breaks=breaks, close_at=close_at,
                        serve_after_close=(hall.hours or s.hours).serve_after_close)
        served = res.called >= 0
        outcome = np.where(res.sent_home, O_HOME, O_LEFT).astype(np.int8)
        p_miss = np.where(cols["low"], beh.p_missing_on_return, beh.p_material_missing)
        missing = np.zeros(n, np.int64)
        elic = np.zeros(n, np.int64)
        handed = np.zeros(n, np.int64)
        sv = np.flatnonzero(served)
        m, e, hd = draw_materials(ctx, rng, item[sv], bundle[sv], p_miss[sv])
        missing[sv], elic[sv], handed[sv] = m, e, hd
        outcome[sv] = decide(ctx, rng, item[sv], bundle[sv], missing[sv])
        t_called = np.where(served, res.called + day_base, -1)
        t_end = np.where(served, res.ended + day_base, -1)
        t_left = np.where(res.left >= 0, res.left + day_base, -1)
        promised = np.where(bundle >= 0, t.bundle_promised[np.maximum(bundle, 0)] if len(t.bundle_promised) else 0,
                            t.promised[item]).astype(np.int64)
        instant = np.where(bundle >= 0, False, t.instant[item])
        comp = complete(ctx, rng, outcome, t_end, promised, instant)
        # Remote cross-province results are posted, joint handling needs coordination days.
        wait = np.where(served, (res.called - (t_num)) / 60.0, (res.left - t_num) / 60.0)
        rating, t_rating = rate(ctx, rng, s.ratings.p_rate_hall, wait, cols["visit"], outcome, None,
                                np.where(served, t_end, t_left))
        chunks.append(dict(
            mkey=cols["mkey"], ekey=cols["ekey"], life_event=cols["life"], visit_no=cols["visit"],
            channel=np.full(n, CHANNEL["窗口"]), hall=np.full(n, h), pool=pool, window=res.window,
            county=cols["county"], person=person, firm=cols["firm"], item=item, bundle=bundle,
            appointment=appt, green=green, elderly=elderly, cross=cols["cross"],
            t_arrive=t_arr + day_base, t_number=t_num + day_base, t_called=t_called, t_end=t_end, t_left=t_left,
            ahead=res.ahead, outcome=outcome, overtime=served & (res.called >= close_at),
            materials=handed, missing=missing, elicence=elic, promised=promised, rating=rating,
            t_rating=t_rating, **comp))
        _pool_rows(pool_rows, h, o, route, sess, breaks, route.capacity, local[pool], res.called, res.ended)
        # -- who comes back when -------------------------------------------------------------------
        u = rng.random(n)
        back_refused = outcome == O_REFUSE
        back_left = ((outcome == O_LEFT) & (u < beh.p_return_after_abandon)) | (outcome == O_HOME)
        r0, r1 = beh.return_days
        gap = np.where(back_refused, rng.integers(r0, r1 + 1, n), np.where(outcome == O_HOME, 1, rng.integers(1, 4, n)))
        back_day = ctx.work.add(np.full(n, o), gap)
        for i in np.flatnonzero((back_refused | back_left) & (back_day < end)).tolist():
            pending[int(back_day[i])].append((
                int(cols["mkey"][i]), int(cols["ekey"][i]), int(cols["life"][i]), int(item[i]), int(bundle[i]),
                int(person[i]), int(cols["firm"][i]), int(cols["county"][i]), int(cols["visit"][i]) + 1,
                int(cols["cross"][i]), bool(back_refused[i] or cols["low"][i]),
                rest[i] if back_left[i] else ()))
        nxt = ctx.work.add(np.array([o]), np.array([1]))[0]
        for i, r in enumerate(rest):
            if r and served[i] and nxt < end:
                pending[int(nxt)].append((
                    int(new_keys(1, 0)[0]), int(cols["ekey"][i]), int(cols["life"][i]), int(r[0]), -1,
                    int(person[i]), int(cols["firm"][i]), int(cols["county"][i]), 1, 0, False, r[1:]))
    return _concat(chunks), _pool_columns(pool_rows)


def _firms(ctx: Context, rng, item: np.ndarray, county: np.ndarray) -> np.ndarray:
    firm = np.full(len(item), -1, dtype=np.int64)
    ent = np.flatnonzero(ctx.items.enterprise[item])
    for i, x in zip(ent.tolist(), rng.integers(0, 1 << 30, len(ent)).tolist()):
        pool = ctx.county_firms[int(county[i])]
        if len(pool):
            firm[i] = pool[x % len(pool)]
    return firm


def _remote_cases(ctx: Context, rng, day_base: int, arrival_iv, item, person, firm, county, cross, mkey,
                  channel: int | None = None):
    """跨省通办 for people working in another province (fully online, or intake at a hall there), and
    免申即享 pushes: cases diverted from the hall to a no-queue channel."""
    from .online import no_queue_cases
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
