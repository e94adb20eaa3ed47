"""Cases that need no queue — online (网上办), self-service terminals, 跨省通办 remote intake — in bulk.

A month of one county's online demand is a handful of numpy operations, no events: about two thirds of
Haidong's ≈8,700 daily cases go this way, so this is what makes a citywide year fast.
"""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from .records import CHANNEL
from .context import DAY, Context, day_factor, item_day_weights, pick_firms, pick_people, stream_rng
from .outcomes import O_CORRECT, O_REFUSE, complete, decide, draw_materials, rate

# Online submissions by hour of day (people file in the evening too).
ONLINE_HOURS = np.array([0.15, 0.08, 0.05, 0.05, 0.05, 0.1, 0.3, 0.6, 1.0, 1.4, 1.5, 1.3, 1.0, 0.9, 1.2, 1.3, 1.3,
                         1.2, 1.0, 0.9, 1.0, 0.9, 0.6, 0.3])
_HOUR_CUM = np.cumsum(ONLINE_HOURS) / ONLINE_HOURS.sum()
ONLINE_STREAM = 100  # stream ids of online county streams start here (halls are 0..)


def _times(rng, day_ord: np.ndarray) -> np.ndarray:
    hour = np.minimum(np.searchsorted(_HOUR_CUM, rng.random(len(day_ord)), "right"), 23)
    return (day_ord - 719163) * DAY + hour * 3600 + rng.integers(0, 3600, len(day_ord))


def no_queue_cases(ctx: Context, rng: np.random.Generator, *, item, person, firm, county, channel, cross,
                   t_arrive, mkey, max_rounds: int = 3) -> dict[str, np.ndarray]:
    """Submissions and their resubmissions after 一次性告知 (same matter, next visit_no)."""
    s = ctx.scenario
    beh = s.behaviour
    t = ctx.items
    end_s = (ctx.end_ordinal - 719163) * DAY
    chunks = []
    visit = np.ones(len(item), np.int64)
    p_miss = np.full(len(item), beh.p_material_missing)
    for _ in range(max_rounds):
        n = len(item)
        if n == 0:
            break
        bundle = np.full(n, -1, np.int64)
        instant = t.instant[item]
        t_end = t_arrive + np.where(instant, rng.integers(60, 600, n), rng.integers(300, 7200, n))
        pushed = channel == CHANNEL["免申即享"]  # data match: nothing to hand in, nothing missing
        missing, elic, handed = draw_materials(ctx, rng, item, bundle, np.where(pushed, 0.0, p_miss))
        elic[pushed] = 0
        handed[pushed] = 0
        outcome = decide(ctx, rng, item, bundle, missing, np.where(pushed, 0, visit))
        missing = np.where((outcome == O_REFUSE) & (visit == 1), 0, missing)  # outside competence: no list
        promised = t.promised[item].astype(np.int64)
        comp = complete(ctx, rng, outcome, t_end, promised, instant)
        post = channel == CHANNEL["异地代收"]  # the result travels by post: two more days
        comp["t_done"] = np.where(post & (comp["t_done"] >= 0), comp["t_done"] + 2 * DAY, comp["t_done"])
        at = np.where(comp["t_done"] >= 0, comp["t_done"], t_end)
        rating, t_rating = rate(ctx, rng, s.ratings.p_rate_online, np.zeros(n), visit, outcome, comp["on_time"], at)
        neg = np.full(n, -1, np.int64)
        no = np.zeros(n, bool)
        chunks.append(dict(
            mkey=mkey, ekey=neg, life_event=neg, visit_no=visit, channel=channel, hall=neg, pool=neg,
            window=neg, county=county, person=person, firm=firm, item=item, bundle=bundle, appointment=no,
            green=no, elderly=ctx.people.ages_on(person, t_arrive // DAY + 719163) >= 60, cross=cross, t_arrive=t_arrive, t_number=neg, t_called=neg,
            t_end=t_end, t_left=neg, ahead=np.zeros(n, np.int64), outcome=outcome, overtime=no,
            materials=handed, missing=missing, elicence=elic, promised=promised, rating=rating,
            t_rating=t_rating, **comp))
        back = np.flatnonzero(outcome == O_CORRECT)
        if len(back) == 0:
            break
        r0, r1 = beh.return_days
        day = ctx.work.add(t_end[back] // DAY + 719163, rng.integers(r0, r1 + 1, len(back)))
        t_next = _times(rng, day)
        ok = t_next < end_s
        back, t_next = back[ok], t_next[ok]
        item, person, firm, county, channel, cross, mkey = (
            x[back] for x in (item, person, firm, county, channel, cross, mkey))
        t_arrive = t_next
        visit = visit[back] + 1
        p_miss = np.full(len(back), beh.p_missing_on_return)
    return {k: np.concatenate([c[k] for c in chunks]) for k in chunks[0]} if chunks else {}


def simulate_online(ctx: Context, c: int) -> dict[str, np.ndarray]:
    """One county's online and self-service demand over the run."""
    s = ctx.scenario
    t = ctx.items
    base_w = np.where(t.online, t.weight * t.online_share, 0.0)
    if base_w.sum() == 0:
        return {}
    # The no-queue share of demand, minus what the items' own online shares already imply for halls.
    daily = s.demand.daily_cases * s.demand.online_share * ctx.county_weights[c]
    stream = ONLINE_STREAM + c
    key = np.int64(stream) << 40
    counter = 0
    once_used: set = set()  # (item, person) of once-only items in this stream
    chunks = []
    month_days: dict[int, list[date]] = {}
    for d_i in range(ctx.days):
        day = ctx.start + timedelta(days=d_i)
        month_days.setdefault(day.year * 12 + day.month, []).append(day)
    cal = ctx.work.calendar
    for mk, days in month_days.items():
        rng = stream_rng(ctx.seed, stream, mk)
        items, day_ord = [], []
        for day in days:
            f = day_factor(ctx, day) if cal.is_working_day(day) else s.demand.online_weekend_factor
            w = item_day_weights(ctx, base_w, day)
            n = int(rng.poisson(daily * f * w.sum() / base_w.sum()))
            cw = np.cumsum(w)
            items.append(np.minimum(np.searchsorted(cw, rng.random(n) * cw[-1], "right"), len(w) - 1))
            day_ord.append(np.full(n, day.toordinal(), np.int64))
        item = np.concatenate(items).astype(np.int64)
        n = len(item)
        if n == 0:
            continue
        day_ord = np.concatenate(day_ord)
        people = ctx.county_people[c]
        person = people[rng.integers(0, len(people), n)].astype(np.int64)
        county = np.full(n, c, np.int64)
        person = pick_people(ctx, rng, item, county, day_ord, person, once_used)
        firm = pick_firms(ctx, rng, item, county)
        channel = np.where(rng.random(n) < s.demand.self_service_share, CHANNEL["自助终端"], CHANNEL["网上办"])
        if s.policy.no_application_share > 0:
            push = t.benefit[item] & (rng.random(n) < s.policy.no_application_share)
            channel = np.where(push, CHANNEL["免申即享"], channel)
        cross = np.where(ctx.works_elsewhere[person] & (t.cross[item] == 1), 1, 0)
        if not s.policy.cross_province:
            cross[:] = 0
        mkey = key + counter + np.arange(n, dtype=np.int64)
        counter += n
        chunks.append(no_queue_cases(ctx, rng, item=item, person=person, firm=firm, county=county,
                                     channel=channel, cross=cross, t_arrive=_times(rng, day_ord), mkey=mkey))
    chunks = [x for x in chunks if x]
    return {k: np.concatenate([x[k] for x in chunks]) for k in chunks[0]} if chunks else {}
