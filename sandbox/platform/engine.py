"""A run of the platform: the same city as the halls, its online applications, accounts and licences.

Streams:
- the hall's own no-queue streams (:func:`sandbox.hall.online.simulate_online`, same seed → the very
  cases the hall run records with channel 网上办 / 自助终端): these are the platform's 全程网办
  applications, so hall and platform reconcile case by case. 免申即享 pushes are left to the benefits
  module (issue 20);
- one stream per county for applications filed online first for items that still need a hall visit
  (最多跑一次 / 必须到现场; ``applications.prefile_share`` of their hall demand), decided by the hall's
  own material and acceptance rules (:func:`sandbox.hall.online.no_queue_cases`);
- accounts, licence holdings and staff behaviour from seeded generators of their own.
"""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from sandbox.base.geography import COUNTIES
from sandbox.hall.context import DAY, Context, build_context, day_factor, item_day_weights, stream_rng
from sandbox.hall.online import _times, no_queue_cases, simulate_online
from sandbox.hall.records import CHANNEL, OUTCOME

from .accounts import build_accounts
from .applications import MODE, STATE, item_modes
from .licences import available, build_holdings, build_library
from .records import APP_COLUMNS, PlatformRecords
from .scenario import PlatformScenario

__all__ = ["simulate_platform", "platform_context", "PREFILE_STREAM"]

PREFILE_STREAM = 300  # stream ids of the prefiled county streams (hall: 0.., online: 100..)
_KEEP = ("mkey", "visit_no", "county", "person", "firm", "item", "t_arrive", "t_end", "outcome", "missing",
         "promised", "t_done", "on_time", "rating", "t_rating")
O_CORRECT = OUTCOME["补正"]  # the hall's one-time list: 补正 on the platform
O_REFUSE = OUTCOME["不予受理"]  # the hall's final refusal (outside competence, or 补正 failed)


def platform_context(scenario: PlatformScenario, days: int, seed: int, start: date | None = None,
                     catalog=None, hall=None) -> Context:
    return build_context(hall or scenario.hall(), seed, start or scenario.start_date, days, catalog)


def _hall_online(ctx: Context, c: int) -> dict[str, np.ndarray]:
    cols = simulate_online(ctx, c)
    if not cols:
        return {}
    keep = (cols["channel"] == CHANNEL["网上办"]) | (cols["channel"] == CHANNEL["自助终端"])
    out = {k: cols[k][keep] for k in _KEEP}
    out["channel"] = np.where(cols["channel"][keep] == CHANNEL["自助终端"], 1, 0).astype(np.int8)
    return out


def _prefiled(ctx: Context, ps: PlatformScenario, c: int, modes: np.ndarray) -> dict[str, np.ndarray]:
    """Applications filed online for items that still need a visit (their hall demand × prefile_share)."""
    s = ctx.scenario
    t = ctx.items
    base_w = np.where(modes != MODE["全程网办"], t.weight * (1 - np.where(t.online, t.online_share, 0)), 0.0)
    if base_w.sum() == 0 or ps.applications.prefile_share == 0:
        return {}
    daily = s.demand.daily_cases * (1 - s.demand.online_share) * ctx.county_weights[c] * ps.applications.prefile_share
    stream = PREFILE_STREAM + c
    months: dict[int, list[date]] = {}
    for d_i in range(ctx.days):
        day = ctx.start + timedelta(days=d_i)
        if ctx.work.calendar.is_working_day(day):
            months.setdefault(day.year * 12 + day.month, []).append(day)
    chunks, counter = [], 0
    for mk, days in months.items():
        rng = stream_rng(ctx.seed, stream, mk)
        items, day_ord = [], []
        for day in days:
            w = item_day_weights(ctx, base_w, day)
            n = int(rng.poisson(daily * day_factor(ctx, day) * w.sum() / base_w.sum()))
            cw = np.cumsum(w)
            items.append(np.minimum(np.searchsorted(cw, rng.random(n) * cw[-1], "right"), len(w) - 1))
            day_ord.append(np.full(n, day.toordinal(), np.int64))
        item = np.concatenate(items).astype(np.int64)
        n = len(item)
        if n == 0:
            continue
        people = ctx.county_people[c]
        person = people[rng.integers(0, len(people), n)].astype(np.int64)
        county = np.full(n, c, np.int64)
        firm = np.full(n, -1, np.int64)
        pool = ctx.county_firms[c]
        ent = t.enterprise[item] & (len(pool) > 0)
        if len(pool):
            firm[ent] = pool[rng.integers(0, len(pool), int(ent.sum()))]
        mkey = (np.int64(stream) << 40) + counter + np.arange(n, dtype=np.int64)
        counter += n
        cols = no_queue_cases(ctx, rng, item=item, person=person, firm=firm, county=county,
                              channel=np.full(n, CHANNEL["网上办"], np.int64), cross=np.zeros(n, np.int64),
                              t_arrive=_times(rng, np.concatenate(day_ord)), mkey=mkey)
        if cols:
            part = {k: cols[k] for k in _KEEP}
            part["channel"] = np.full(len(part["item"]), 2, np.int8)
            chunks.append(part)
    return {k: np.concatenate([x[k] for x in chunks]) for k in chunks[0]} if chunks else {}


def _concat(parts: list[dict]) -> dict[str, np.ndarray]:
    parts = [p for p in parts if p and len(p["item"])]
    if not parts:
        return {k: np.zeros(0, np.int64) for k in (*_KEEP, "channel")}
    cols = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    src = np.repeat(np.arange(len(parts)), [len(p["item"]) for p in parts])
    seq = np.concatenate([np.arange(len(p["item"])) for p in parts])
    order = np.lexsort((seq, src, cols["t_arrive"]))
    return {k: v[order] for k, v in cols.items()}


def _states(ctx: Context, ps: PlatformScenario, rng: np.random.Generator, c: dict, end_s: int) -> dict:
    """State, 预审/受理/补正/不予受理 times of each submission (hall outcome → platform steps)."""
    n = len(c["item"])
    prefiled = c["channel"] == 2
    lo, hi = ps.applications.prereview_hours
    t_pre = np.where(prefiled, c["t_arrive"] + (rng.uniform(lo, hi, n) * 3600).astype(np.int64), c["t_end"])
    refused = c["outcome"] == O_CORRECT
    not_eligible = prefiled & ~refused & (rng.random(n) < ps.applications.p_not_eligible)
    not_eligible |= c["outcome"] == O_REFUSE
    # A 补正 not answered within the deadline closes as 不予受理 (the hall's return visits stop at 3 rounds).
    _, first, inv = np.unique(c["mkey"], return_index=True, return_inverse=True)
    last_round = np.zeros(n, bool)
    order = np.lexsort((c["visit_no"], inv))
    last_round[order[np.r_[inv[order][1:] != inv[order][:-1], True]]] = True
    deadline = (ctx.work.add(t_pre // DAY + 719163, np.full(n, ps.applications.correction_days)) - 719163) * DAY \
        + 17 * 3600
    lapsed = refused & last_round & (deadline < end_s)
    state = np.full(n, STATE["办结"], np.int8)
    state[c["t_done"] < 0] = STATE["审批"]
    state[c["t_done"] >= end_s] = STATE["审批"]
    state[refused] = STATE["补正"]
    state[lapsed] = STATE["不予受理"]
    state[not_eligible] = STATE["不予受理"]
    state[t_pre >= end_s] = STATE["网上申报"]
    accepted = (state == STATE["审批"]) | (state == STATE["办结"])
    # 最多跑一次 / 必须到现场: 受理 at the one hall visit, a few days after the online pre-review.
    visit = t_pre + rng.integers(1, 4, n) * DAY
    t_accept = np.where(prefiled, np.minimum(visit, np.where(c["t_done"] >= 0, c["t_done"], visit)), t_pre)
    t_accept = np.where(accepted, np.maximum(t_accept, t_pre), -1)
    t_done = np.where(state == STATE["办结"], np.maximum(c["t_done"], t_accept), -1)
    return dict(state=state, t_prereview=t_pre, t_accept=t_accept, t_done=t_done,
                t_returned=np.where(refused, t_pre, -1),
                t_closed=np.where(lapsed, deadline, np.where(not_eligible, t_pre, -1)),
                matter=first[inv])


def simulate_platform(scenario: PlatformScenario, days: int, seed: int, start: date | None = None, *,
                      catalog=None, hall=None) -> PlatformRecords:
    """Simulate ``days`` calendar days of the platform; identical records for the same arguments.

    ``hall``: a hall :class:`~sandbox.hall.scenario.Scenario` object to share the city with instead of
    ``scenario.hall_scenario`` (a what-if on the hall's online share, say); reconcile with a hall run
    of that same scenario.
    """
    if days < 1:
        raise ValueError("days must be >= 1")
    ctx = platform_context(scenario, days, seed, start, catalog, hall)
    from sandbox.base.catalog import load_catalog

    cat = catalog or load_catalog()
    items = [cat.items[code] for code in ctx.items.codes]
    modes = item_modes(items)
    parts = []
    for c in range(len(COUNTIES)):
        parts.append(_hall_online(ctx, c))
        parts.append(_prefiled(ctx, scenario, c, modes))
    cols = _concat(parts)
    end_s = (ctx.end_ordinal - 719163) * DAY
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(seed), 0x9A7])))
    st = _states(ctx, scenario, rng, cols, end_s)
    lib = build_library(items)
    hold = build_holdings(lib, ctx.people, scenario)
    lic = _licence_use(lib, hold, scenario, rng, cols)
    acc = build_accounts(ctx, scenario, seed, cols)
    n = len(cols["item"])
    app = dict(app_id=np.arange(1, n + 1, dtype=np.int64), channel=cols["channel"], mode=modes[cols["item"]],
               round=cols["visit_no"], county=cols["county"], person=cols["person"], firm=cols["firm"],
               filer=acc.pop("filer"), item=cols["item"], t_submit=cols["t_arrive"], missing=cols["missing"],
               promised=cols["promised"], on_time=np.where(st["state"] == STATE["办结"], cols["on_time"], -1),
               rating=np.where(st["state"] == STATE["办结"], cols["rating"], 0),
               t_rating=np.where(st["state"] == STATE["办结"], cols["t_rating"], -1), **st, **lic)
    app["matter"] = app["app_id"][st["matter"]]
    app = {k: app[k] for k in APP_COLUMNS}
    exp = _expected_hall(ctx)
    return PlatformRecords.build(app, acc, _logins(ctx, scenario, rng, acc), item_codes=ctx.items.codes, item_names=ctx.items.names, start=ctx.start,
                                 days=days, seed=seed, scenario_name=scenario.name, licence_names=lib.names,
                                 meta={"hall_scenario": scenario.hall_scenario, "item_modes": modes.tolist(),
                                       "expected_hall_per_day": exp, "expected_hall_matters": round(sum(exp), 1)})


def _licence_use(lib, hold, scenario: PlatformScenario, rng: np.random.Generator, c: dict) -> dict[str, np.ndarray]:
    """免证办 per submission: licence materials needed, pulled electronically, paper asked needlessly."""
    item, person, firm = c["item"], c["person"], c["firm"]
    n = len(item)
    needed = np.zeros(n, np.int16)
    avoided = np.zeros(n, np.int16)
    needless = np.zeros(n, np.int16)
    ask = scenario.applications.p_staff_ask_paper
    for k in range(lib.slot_type.shape[1]):
        lt = lib.slot_type[item, k]
        use = (lt >= 0) & lib.slot_required[item, k]
        ok = available(lib, hold, scenario.licences.cross_region, lt, person, firm) & use
        paper = rng.random(n) < ask
        needed += use
        avoided += ok & ~paper
        needless += ok & paper
    return dict(lic_needed=needed, paper_avoided=avoided, paper_needless=needless)


def _logins(ctx: Context, ps: PlatformScenario, rng: np.random.Generator, acc: dict) -> dict[str, np.ndarray]:
    """Per day: registered natural persons who log in without filing (active users besides filers)."""
    day0 = ctx.start.toordinal()
    t = acc["t_registered"][(acc["kind"] == 0) & (acc["t_registered"] >= 0)]
    reg_day = np.sort(t // DAY + 719163)
    days = np.arange(day0, day0 + ctx.days, dtype=np.int64)
    registered = np.searchsorted(reg_day, days, "right")
    return dict(day=days, logins=rng.binomial(registered, ps.identity.p_active_day))


def _expected_hall(ctx: Context) -> list[float]:
    """Matters the shared hall scenario expects at its windows, per day of the run (denominator of 网办率
    when no hall run is given; the hall run's own count replaces it in :func:`metrics.reconcile`)."""
    d = ctx.scenario.demand
    out = []
    for i in range(ctx.days):
        day = ctx.start + timedelta(days=i)
        work = ctx.work.calendar.is_working_day(day)
        out.append(round(d.daily_cases * (1 - d.online_share) * day_factor(ctx, day), 1) if work else 0.0)
    return out
