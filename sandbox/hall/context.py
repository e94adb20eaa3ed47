"""What every stream of a run shares: the scenario, the item columns, people, calendar, routing.

Random streams: :func:`stream_rng` gives an independent generator per (seed, stream, month) from a
numpy ``SeedSequence``, so a hall's month does not depend on how many numbers another hall or month
drew — runs split over processes give the same records as one process.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from ..base.geography import COUNTIES, COUNTY_BY_NAME
from ..base.eligibility import load_profiles
from ..base.population import Population, build_population
from ..base.retirement import retirement_date
from .scenario import BLOCKS, WINDOW_KINDS, Scenario
from ..base.calendar import calendar_until, check_span, last_known_year
from .items import ItemTable, item_table

K = {k: i for i, k in enumerate(WINDOW_KINDS)}
DAY = 86400


def stream_rng(seed: int, stream: int, month: int) -> np.random.Generator:
    """Independent generator for one stream (hall or online county) and one month (year*12+month)."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(seed), 0x5A4D, stream, month])))


def hm(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 3600 + int(m) * 60


class WorkIndex:
    """Vectorised working-day arithmetic over date ordinals (numpy arrays)."""

    def __init__(self, start: date, days: int) -> None:
        # The calendar's range rules (shared with the hotline): refused before its first year; years
        # without a known arrangement run on statutory holidays (the engine warns). Back-office days
        # that spill past the run are covered two years on.
        end = start + timedelta(days=days - 1)
        check_span(start, end)
        cal = calendar_until(max(last_known_year(), end.year) + 2)
        lo = start - timedelta(days=30)
        hi = date(cal.last_year, 12, 31)
        self.ordinals = np.array([d.toordinal() for d in cal.working_days(lo, hi)], dtype=np.int64)
        self.calendar = cal

    def on_or_after(self, day: np.ndarray) -> np.ndarray:
        return self.ordinals[np.searchsorted(self.ordinals, day, "left")]

    def add(self, day: np.ndarray, n: np.ndarray) -> np.ndarray:
        """The n-th working day after day (n >= 1)."""
        i = np.searchsorted(self.ordinals, day, "right") + np.maximum(n, 1) - 1
        return self.ordinals[np.minimum(i, len(self.ordinals) - 1)]

    def between(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Working days in (a, b]."""
        return np.searchsorted(self.ordinals, b, "right") - np.searchsorted(self.ordinals, a, "right")


@dataclass(eq=False)
class HallRouting:
    pool_of_item: np.ndarray  # int8 global pool (WINDOW_KINDS index) per item; -1 not offered here
    capacity: dict[int, int]  # global pool -> open windows
    nominal: dict[int, int]  # global pool -> windows before absences
    bundle_pool: int
    cross_pool: int
    complaint_pool: int


def hall_routing(s: Scenario, h: int, t: ItemTable) -> HallRouting:
    hall = s.halls[h]
    cap = {K[k]: hall.open_windows(k) for k in WINDOW_KINDS if hall.open_windows(k) > 0}
    nominal = {K[k]: int(n) for k, n in hall.windows.items() if n > 0}
    one = K["综合窗口"]
    if s.policy.one_window:
        merged = [K[b] for b in s.policy.one_window_blocks]
        total = sum(cap.pop(k, 0) for k in merged)
        total_nom = sum(nominal.pop(k, 0) for k in merged)
        if total:
            cap[one] = cap.get(one, 0) + total
            nominal[one] = nominal.get(one, 0) + total_nom
    pool = np.full(len(t), -1, dtype=np.int8)
    for i in range(len(t)):
        block = BLOCKS[int(t.block[i])]
        kind = int(t.kind[i])
        if s.policy.one_window and block in s.policy.one_window_blocks and one in cap:
            pool[i] = one
        elif kind in cap:
            pool[i] = kind
        elif K[block] in cap:
            pool[i] = K[block]
        elif one in cap:
            pool[i] = one
    return HallRouting(
        pool_of_item=pool, capacity=cap, nominal=nominal,
        bundle_pool=K["帮办代办"] if K["帮办代办"] in cap else (one if one in cap else -1),
        cross_pool=K["跨省通办"] if K["跨省通办"] in cap else -1,
        complaint_pool=K["办不成事反映"] if K["办不成事反映"] in cap else -1,
    )


@dataclass(eq=False)
class Eligibility:
    """Item profiles as columns, and people sorted by birth date per (county, sex) for slicing by age."""
    has: np.ndarray  # bool per item
    min_age: np.ndarray
    max_age: np.ndarray
    sex: np.ndarray  # 0 any, 1 男, 2 女
    once: np.ndarray
    retire: np.ndarray
    people: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]]  # (county, sex) -> (pids, birth ordinals)
    retire_tables: dict[str, tuple[np.ndarray, np.ndarray]]  # category -> (birth month start, retirement)
    firms: dict[tuple[int, int], np.ndarray]  # (item, county) -> firms of a fitting industry
    firm_items: np.ndarray  # items that have firm pools


_YEAR = 365.2425
# Retirement routes (shares of new pensioners; unconfirmed, plausible): special jobs, illness, statutory.
RETIRE_EARLY = (("特殊工种", 0.10, (55, 45)), ("病退", 0.03, (50, 45)))
RETIRE_MALE_SHARE = 0.55
RETIRE_FEMALE_CADRE_SHARE = 0.3


def _retire_tables() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    out = {}
    months = [date(y, m, 1) for y in range(1930, 2011) for m in range(1, 13)]
    for cat in ("男职工", "女职工", "女干部"):
        starts = np.array([d.toordinal() for d in months], dtype=np.int64)
        ret = np.array([retirement_date(cat, d).toordinal() for d in months], dtype=np.int64)
        out[cat] = (starts, ret)
    return out


def build_eligibility(items: ItemTable, people: Population) -> Eligibility:
    prof = load_profiles()
    n = len(items)
    get = [prof.get(c) for c in items.codes]
    births = np.array([c.birth_date.toordinal() for c in people.citizens], dtype=np.int64)
    male = np.array([c.gender == "男" for c in people.citizens])
    groups = {}
    for ci in range(len(COUNTIES)):
        for sx, mask in ((0, np.ones(len(male), bool)), (1, male), (2, ~male)):
            pids = np.flatnonzero((people.county_index == ci) & mask)
            order = np.argsort(births[pids], kind="stable")
            groups[(ci, sx)] = (pids[order], births[pids][order])
    firms = {}
    for i, p in enumerate(get):
        if p is not None and p.industries:
            for ci, cty in enumerate(COUNTIES):
                fit = np.array([f.fid for f in people.firms if f.county == cty.name and f.industry in p.industries],
                               dtype=np.int64)
                if len(fit):
                    firms[(i, ci)] = fit
    age = [(p.min_age, p.max_age) if p else (0, 200) for p in get]
    return Eligibility(
        has=np.array([p is not None and (p.retirement or p.sex != "" or p.min_age > 18 or p.max_age < 120)
                      for p in get]),
        min_age=np.array([a for a, _ in age]), max_age=np.array([b for _, b in age]),
        sex=np.array([{"": 0, "男": 1, "女": 2}[p.sex] if p else 0 for p in get], dtype=np.int8),
        once=np.array([bool(p and p.once) for p in get]), retire=np.array([bool(p and p.retirement) for p in get]),
        people=groups, retire_tables=_retire_tables(), firms=firms,
        firm_items=np.array(sorted({i for i, _ in firms}), dtype=np.int64))


@dataclass(eq=False)
class Context:
    scenario: Scenario
    seed: int
    start: date
    days: int
    items: ItemTable
    people: Population
    work: WorkIndex
    routing: tuple[HallRouting, ...]
    county_people: tuple[np.ndarray, ...]
    county_firms: tuple[np.ndarray, ...]
    county_weights: np.ndarray
    no_mandarin: np.ndarray
    works_elsewhere: np.ndarray
    elderly: np.ndarray
    disabled: np.ndarray
    spring_days: frozenset[int]  # date ordinals in the pre-Spring-Festival surge
    svc_mu: np.ndarray  # per service class
    svc_sigma: np.ndarray
    eligible: Eligibility | None = None

    @property
    def end_ordinal(self) -> int:
        return self.start.toordinal() + self.days  # exclusive


def _spring_days(work: WorkIndex, start: date, days: int, n: int) -> frozenset[int]:
    cal = work.calendar
    out: set[int] = set()
    for year in range(start.year, (start + timedelta(days=days)).year + 1):
        first = None
        d = date(year, 1, 15)
        while d <= date(year, 3, 1):
            name = cal.holiday_name(d) or ""
            if "Spring Festival" in name or "春节" in name:
                first = d
                break
            d += timedelta(days=1)
        if first is None:
            continue
        i = int(np.searchsorted(work.ordinals, first.toordinal(), "left"))
        out.update(int(o) for o in work.ordinals[max(0, i - n):i])
    return frozenset(out)


# (id(items), id(people)) -> (items, people, eligibility). Both tables are cached and never changed,
# so their eligibility columns are built once per process, not once per run: the what-if reruns a
# month of one hall, where building them was a tenth of the run.
_ELIGIBILITY: dict[tuple[int, int], tuple[ItemTable, Population, Eligibility]] = {}


def _eligibility(items: ItemTable, people: Population) -> Eligibility:
    hit = _ELIGIBILITY.get((id(items), id(people)))
    if hit is None or hit[0] is not items or hit[1] is not people:
        if len(_ELIGIBILITY) >= 8:
            _ELIGIBILITY.clear()
        hit = (items, people, build_eligibility(items, people))
        _ELIGIBILITY[(id(items), id(people))] = hit
    return hit[2]


def build_context(s: Scenario, seed: int, start: date, days: int, catalog=None) -> Context:
    items = item_table(catalog)
    people = build_population(s.population.seed, s.population.citizens, s.population.firms)
    work = WorkIndex(start, days)
    # Items without a profile are filed by adults; children (pids after the adults) apply only where
    # their item's profile admits them (a first 居民身份证 at 16).
    county_people = tuple(np.flatnonzero(people.county_index[:people.adults] == i) for i in range(len(COUNTIES)))
    firm_county = np.array([COUNTY_BY_NAME[f.county] is c for f in people.firms for c in COUNTIES]).reshape(
        len(people.firms), len(COUNTIES)) if people.firms else np.zeros((0, len(COUNTIES)), bool)
    county_firms = tuple(np.flatnonzero(firm_county[:, i]) if len(firm_county) else np.zeros(0, np.int64)
                         for i in range(len(COUNTIES)))
    w = np.array([c.population for c in COUNTIES], dtype=float)
    sm = s.service_minutes
    lo = np.log([sm.quick[0], sm.typical[0], sm.complex[0]]) + np.log(60)
    hi = np.log([sm.quick[1], sm.typical[1], sm.complex[1]]) + np.log(60)
    return Context(
        scenario=s, seed=seed, start=start, days=days, items=items, people=people, work=work,
        routing=tuple(hall_routing(s, h, items) for h in range(len(s.halls))),
        county_people=county_people, county_firms=county_firms, county_weights=w / w.sum(),
        no_mandarin=~people.speaks_mandarin, works_elsewhere=people.works_elsewhere,
        elderly=people.elderly, disabled=people.disabled,
        spring_days=_spring_days(work, start, days, s.demand.spring_festival_days),
        svc_mu=(lo + hi) / 2, svc_sigma=np.maximum((hi - lo) / (2 * 1.645), 1e-6),
        eligible=_eligibility(items, people),
    )


def day_factor(ctx: Context, day: date) -> float:
    d = ctx.scenario.demand
    f = d.weekday_factors[day.weekday()]
    if day.toordinal() in ctx.spring_days:
        f *= d.spring_festival_factor
    return f


def pick_firms(ctx: Context, rng: np.random.Generator, item: np.ndarray, county: np.ndarray) -> np.ndarray:
    """A firm of the applicant's county for enterprise items (-1 for items a citizen applies for); for
    items with a profile, a firm of a fitting industry (a 食品经营许可 for a restaurant, not a builder)."""
    firm = np.full(len(item), -1, dtype=np.int64)
    ent = np.flatnonzero(ctx.items.enterprise[item] | np.isin(item, ctx.eligible.firm_items))
    for i, x in zip(ent.tolist(), rng.integers(0, 1 << 30, len(ent)).tolist()):
        pool = ctx.eligible.firms.get((int(item[i]), int(county[i]))) if ctx.eligible.firms else None
        if pool is None:
            pool = ctx.county_firms[int(county[i])]
        if len(pool):
            firm[i] = pool[x % len(pool)]
    return firm


def item_day_weights(ctx: Context, base: np.ndarray, day: date) -> np.ndarray:
    """Item weights for a day: month-start/end peaks for the configured blocks."""
    d = ctx.scenario.demand
    if d.month_edge_days <= 0 or d.month_edge_factor == 1.0:
        return base
    last = (date(day.year + (day.month == 12), day.month % 12 + 1, 1) - timedelta(days=1)).day
    if day.day <= d.month_edge_days or day.day > last - d.month_edge_days:
        edge = np.isin(ctx.items.block, [BLOCKS.index(b) for b in d.month_edge_blocks])
        return np.where(edge, base * d.month_edge_factor, base)
    return base


def _birth_window(ctx: Context, rng: np.random.Generator, item: np.ndarray, day: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sex group, earliest, latest birth ordinal) of an eligible applicant per case."""
    el = ctx.eligible
    n = len(item)
    sex = el.sex[item].astype(np.int64)
    lo = day - ((el.max_age[item] + 1) * _YEAR).astype(np.int64) + 1
    hi = day - np.ceil(el.min_age[item] * _YEAR).astype(np.int64)  # ceil: never a day short of min_age
    ret = np.flatnonzero(el.retire[item])
    if len(ret):
        u = rng.random(len(ret))
        male = rng.random(len(ret)) < RETIRE_MALE_SHARE
        cadre = rng.random(len(ret)) < RETIRE_FEMALE_CADRE_SHARE
        sex[ret] = np.where(male, 1, 2)
        d = day[ret]
        # statutory: retirement month in the last two months or the next one (people apply around it)
        for cat, sel in (("男职工", male), ("女职工", ~male & ~cadre), ("女干部", ~male & cadre)):
            starts, rdates = el.retire_tables[cat]
            a = np.searchsorted(rdates, d[sel] - 60, "left")
            b = np.maximum(np.searchsorted(rdates, d[sel] + 30, "right") - 1, a)
            lo[ret[sel]] = starts[np.minimum(a, len(starts) - 1)]
            hi[ret[sel]] = starts[np.minimum(b + 1, len(starts) - 1)] - 1
        cut = 0.0
        for _, share, (m_age, f_age) in RETIRE_EARLY:
            early = (u >= cut) & (u < cut + share)
            cut += share
            age = np.where(male, m_age, f_age)[early]
            lo[ret[early]] = d[early] - ((age + 1) * _YEAR).astype(np.int64) + 1
            hi[ret[early]] = d[early] - (age * _YEAR).astype(np.int64)
    return sex, lo, hi


def pick_people(ctx: Context, rng: np.random.Generator, item: np.ndarray, county: np.ndarray,
                day: np.ndarray, person: np.ndarray, used: set | None = None) -> np.ndarray:
    """Applicants who fit their item (eligibility profile) from the case's county; ``person`` where the
    item has no profile or nobody in the county fits. ``used`` (item, person) pairs of once-only
    items already drawn in this stream."""
    el = ctx.eligible
    out = person.copy()
    idx = np.flatnonzero(el.has[item])
    if len(idx) == 0:
        return out
    day = np.broadcast_to(np.asarray(day, dtype=np.int64), item.shape)[idx]
    sex, lo, hi = _birth_window(ctx, rng, item[idx], day)
    u = rng.random(len(idx))
    cty = county[idx]
    for key in {(int(c), int(s)) for c, s in zip(cty.tolist(), sex.tolist())}:
        sel = (cty == key[0]) & (sex == key[1])
        pids, births = el.people[key]
        a = np.searchsorted(births, lo[sel], "left")
        b = np.searchsorted(births, hi[sel], "right")
        ok = b > a
        pick = a + (u[sel] * np.maximum(b - a, 1)).astype(np.int64)
        # Nobody of the county and sex fits exactly (a small synthetic pool): the person nearest in
        # birth date (the next younger one, else the oldest), not anyone at all — a retirement claim
        # by a 19-year-old came from that fallback.
        near = pids[np.clip(a, 0, len(pids) - 1)] if len(pids) else out[idx[sel]]
        chosen = np.where(ok, pids[np.minimum(pick, len(pids) - 1)], near)
        if used is not None and el.once[item[idx[sel]]].any():
            chosen = _once(el, item[idx[sel]], chosen, pids, a, b, ok, used)
        out[idx[sel]] = chosen
    return out


def _once(el: Eligibility, item: np.ndarray, chosen: np.ndarray, pids, a, b, ok, used: set) -> np.ndarray:
    """Once-only items (a first ID card, a pension claim): the next fitting person if already drawn."""
    for j in np.flatnonzero(el.once[item] & ok).tolist():
        it, p = int(item[j]), int(chosen[j])
        width, start = int(b[j] - a[j]), int(chosen[j])
        k = 0
        while (it, p) in used and k < min(width, 8):  # a few tries: an exhausted pool repeats
            k += 1
            p = int(pids[int(a[j]) + (start + k) % width])
        used.add((it, p))
        chosen[j] = p
    return chosen
