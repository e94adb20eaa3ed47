"""What happens to a case after (or instead of) the queue, decided in bulk for many cases at once.

Materials → decision (即办 / 受理 / 容缺受理 / 告知承诺 / 补正 with a one-time list / 不予受理) → back
office and completion in working days → rating. The decision follows the rules of DOMAIN.md §5 (the
same rules as ``sandbox.practice.acceptance.decide``, vectorised): a 告知承诺 the applicant chooses (where
the item allows it) covers the materials a pledge may replace; 容缺 when everything still outstanding is
a secondary material marked 可容缺 (never core); otherwise 补正 with a 一次性告知 and the applicant comes
back (行政许可法 第三十二条 (四)). 不予受理 only when the matter is outside the hall's competence or not
subject to licensing (第三十二条 (一)(二); ``behaviour.p_not_competent`` of first contacts), or when a 补正
is still incomplete after ``behaviour.max_corrections`` rounds (the application then fails).
"""
from __future__ import annotations

import numpy as np

from .records import OUTCOME
from .context import DAY, Context
from .items import popcount

O_INSTANT, O_ACCEPT, O_RONGQUE, O_PLEDGE, O_CORRECT, O_LEFT, O_HOME, O_REFUSE, O_FIXED = range(9)
assert OUTCOME["补正"] == O_CORRECT and OUTCOME["不予受理"] == O_REFUSE and OUTCOME["当场更正"] == O_FIXED
GAVE_UP = (O_LEFT, O_HOME)
ACCEPTED = (O_INSTANT, O_ACCEPT, O_RONGQUE, O_PLEDGE, O_FIXED)


def correctable_flaws(ctx: Context, rng: np.random.Generator, missing: np.ndarray,
                      share: float) -> tuple[np.ndarray, np.ndarray]:
    """Split the problems found at a window into (still missing, corrected on the spot).

    行政许可法 第三十二条 (三): errors that can be corrected on the spot — a missing signature, an
    incomplete form, an unclear copy, too few copies — are corrected there (the window makes the copy,
    the applicant signs); ``share`` of the problems drawn are of that kind. Online there is nobody to
    correct them, so the no-queue channels never call this.
    """
    n = len(missing)
    fixed = np.zeros(n, dtype=np.int64)
    if share <= 0 or n == 0 or not missing.any():
        return missing, fixed
    t = ctx.items
    width = max(int(t.n_materials.max()), int(t.bundle_materials.max()) if len(t.bundle_materials) else 0)
    u = rng.random((n, max(width, 1)))
    for j in range(width):
        bit = np.int64(1) << j
        fixed |= np.where((missing & bit) != 0, (u[:, j] < share) * bit, 0)
    return missing & ~fixed, fixed


def mark_fixed(outcome: np.ndarray, fixed: np.ndarray) -> np.ndarray:
    """Accepted (即办/受理) after an on-the-spot correction is recorded as 当场更正."""
    return np.where((fixed != 0) & np.isin(outcome, (O_INSTANT, O_ACCEPT)), O_FIXED, outcome).astype(np.int8)


def draw_materials(ctx: Context, rng: np.random.Generator, item: np.ndarray, bundle: np.ndarray,
                   p_missing: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(missing bit mask, materials replaced by e-licences, materials handed in) per case."""
    t = ctx.items
    n = len(item)
    req = t.required[item]
    has_elic = rng.random(n) < ctx.scenario.policy.elicence_coverage
    replaced = np.where(has_elic, t.elicence[item], 0)
    need = req & ~replaced
    missing = np.zeros(n, dtype=np.int64)
    width = int(t.n_materials.max()) if len(t) else 0
    u = rng.random((n, max(width, 1)))
    for j in range(width):
        bit = np.int64(1) << j
        missing |= np.where((need & bit) != 0, (u[:, j] < p_missing) * bit, 0)
    elic = popcount(replaced)
    handed = popcount(need & ~missing)
    # A bundle collects each shared material once: draw over its distinct materials instead.
    b = bundle >= 0
    if b.any():
        # Bits over the bundle's distinct materials (items.bundle_materials: by meaning, products left out).
        bm = t.bundle_materials[bundle[b]]
        width = int(bm.max())
        ub = rng.random((len(bm), max(width, 1)))
        mb = np.zeros(len(bm), dtype=np.int64)
        for j in range(width):
            mb |= np.where(j < bm, (ub[:, j] < p_missing[b]) * (np.int64(1) << j), 0)
        missing[b] = mb
        k = popcount(mb)
        e = rng.binomial(bm, ctx.scenario.policy.elicence_coverage * 0.5)
        elic[b] = e
        handed[b] = np.maximum(bm - k - e, 0)
    return missing, elic, handed


def decide(ctx: Context, rng: np.random.Generator, item: np.ndarray, bundle: np.ndarray,
           missing: np.ndarray, visit: np.ndarray | None = None) -> np.ndarray:
    """Outcome code per case; ``visit`` (contact number of the matter) ends a failing 补正 in 不予受理."""
    t = ctx.items
    p = ctx.scenario.policy
    n = len(item)
    out = np.where(t.instant[item], O_INSTANT, O_ACCEPT).astype(np.int8)
    miss = missing != 0
    # Same order as acceptance.decide: a pledge the applicant chooses covers what it may replace;
    # what is still outstanding may be 容缺 (secondary materials only), else 一次性告知.
    # 失信 (serious bad credit or an earlier false pledge) excludes an applicant from 告知承诺 and 容缺
    # only (国办发〔2020〕42号; DOMAIN §5): what they lack goes on a 补正 list, never to 不予受理.
    honest = rng.random(n) >= ctx.scenario.behaviour.p_dishonest
    chosen = p.pledge & t.pledge_ok[item] & honest & (rng.random(n) < ctx.scenario.behaviour.pledge_uptake)
    covered = np.where(chosen, missing & t.pledge[item], 0)
    rest = missing & ~covered
    rongque = (rest != 0) & p.rongque & t.rongque_ok[item] & honest & ((rest & ~t.rongque[item]) == 0)
    pledge = miss & (rest == 0)
    out[miss] = O_CORRECT
    out[rongque] = O_RONGQUE
    out[pledge] = O_PLEDGE
    # 一件事 bundles accept with the missing secondary materials pledged (容缺) when 容缺 is on
    # (国发〔2024〕3号); a missing core material is never 容缺 (DOMAIN §5): 补正.
    b = (bundle >= 0) & miss
    if b.any():
        core_missing = (missing[b] & t.bundle_core[bundle[b]]) != 0
        out[b] = np.where(honest[b] & p.rongque & ~core_missing, O_RONGQUE, O_CORRECT)
    beh = ctx.scenario.behaviour
    if visit is not None:
        # 补正 still incomplete after the last round: the application fails (不予受理, final).
        out[(out == O_CORRECT) & (visit > beh.max_corrections)] = O_REFUSE
        # Outside the hall's competence or not subject to licensing: 不予受理 at the first contact.
        out[(visit == 1) & (rng.random(n) < beh.p_not_competent)] = O_REFUSE
    return out


def _time_in_day(rng: np.random.Generator, day: np.ndarray) -> np.ndarray:
    """A back-office moment on a working day: 09:00–17:00."""
    return (day - 719163) * DAY + 9 * 3600 + rng.integers(0, 8 * 3600, size=len(day))


def complete(ctx: Context, rng: np.random.Generator, outcome: np.ndarray, t_end: np.ndarray,
             promised: np.ndarray, instant: np.ndarray) -> dict[str, np.ndarray]:
    """Back office: completion time, on-time flag, 容缺 deadline, pledge check."""
    b = ctx.scenario.behaviour
    w = ctx.work
    n = len(outcome)
    t_done = np.full(n, -1, dtype=np.int64)
    on_time = np.full(n, -1, dtype=np.int8)
    t_due = np.full(n, -1, dtype=np.int64)
    t_check = np.full(n, -1, dtype=np.int64)
    false = np.zeros(n, dtype=bool)
    if n == 0:
        return dict(t_done=t_done, on_time=on_time, t_due=t_due, t_check=t_check, pledge_false=false)
    day = t_end // DAY + 719163
    accept = w.on_or_after(day)
    prom = np.maximum(promised.astype(np.int64), 1)
    u = rng.random(n)
    back = np.ceil(prom * (0.3 + 0.7 * rng.random(n))).astype(np.int64)
    late = rng.random(n) < b.p_overdue
    back = np.where(late, prom + rng.integers(1, 5, n), back)
    done_day = w.add(accept, back)
    limit = prom.copy()
    # 即办 on the spot; a pledge or an on-the-spot correction on an 即办件 is also done on the spot.
    spot = (outcome == O_INSTANT) | (np.isin(outcome, (O_PLEDGE, O_FIXED)) & instant)
    # 容缺: supplement within the deadline (late with p_supplement_late); result once complete.
    rq = outcome == O_RONGQUE
    if rq.any():
        due_days = np.minimum(b.rongque_supplement_days, prom[rq])
        t_due[rq] = (w.add(accept[rq], due_days) - 719163) * DAY + 17 * 3600 + 1800
        sup = rng.integers(1, due_days + 1)
        sup = np.where(rng.random(rq.sum()) < b.p_supplement_late, due_days + rng.integers(1, 6, rq.sum()), sup)
        sup_day = w.add(accept[rq], sup)
        done_day[rq] = np.where(instant[rq], sup_day, np.maximum(done_day[rq], sup_day))
        limit[rq] = np.where(instant[rq], due_days, prom[rq])
    pl = outcome == O_PLEDGE
    if pl.any():
        quick = np.ceil(prom[pl] * (0.2 + 0.4 * u[pl])).astype(np.int64)
        done_day[pl] = np.where(late[pl], done_day[pl], w.add(accept[pl], quick))
        t_check[pl] = _time_in_day(rng, w.add(accept[pl], np.full(pl.sum(), b.pledge_check_days)))
        false[pl] = rng.random(pl.sum()) < b.p_false_pledge
    ok = np.isin(outcome, ACCEPTED)
    t_done[ok] = _time_in_day(rng, done_day[ok])
    t_done[spot] = t_end[spot]
    # Completion never precedes the window service (same-day back office after hours).
    t_done[ok] = np.maximum(t_done[ok], t_end[ok] + 60)
    on_time[ok] = (w.between(accept[ok], done_day[ok]) <= limit[ok]).astype(np.int8)
    on_time[spot] = 1
    return dict(t_done=t_done, on_time=on_time, t_due=t_due, t_check=t_check, pledge_false=false)


def rate(ctx: Context, rng: np.random.Generator, p_rate: float, wait_min: np.ndarray, visit_no: np.ndarray,
         outcome: np.ndarray, on_time: np.ndarray | None, t_at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Five-level ratings (1 非常满意 … 5 非常不满意; 0 none), skewed as real ones, worse after long waits,
    repeat visits, refusals, giving up and (online, rated after completion) overdue results."""
    r = ctx.scenario.ratings
    n = len(outcome)
    rating = np.zeros(n, dtype=np.int8)
    t_rating = np.full(n, -1, dtype=np.int64)
    if n == 0:
        return rating, t_rating
    gave_up = np.isin(outcome, GAVE_UP)
    p = np.where(gave_up, p_rate * 0.3, p_rate)
    rated = rng.random(n) < p
    tilt = (r.per_30min_wait * np.maximum(np.nan_to_num(wait_min) - r.wait_free_min, 0) / 30
            + r.repeat_visit * (visit_no > 1) + r.refused * ((outcome == O_CORRECT) | (outcome == O_REFUSE)) + r.abandoned * gave_up)
    if on_time is not None:
        tilt = tilt + r.overdue * (on_time == 0)
    tilt = tilt * r.scale
    base = np.asarray(r.base, dtype=float)
    base = base / base.sum()
    with np.errstate(over="ignore"):
        pk = base[None, :] * np.exp(np.minimum(tilt, 50)[:, None] * np.arange(5)[None, :])
    cum = np.cumsum(pk, axis=1)
    cum /= cum[:, -1:]
    level = (rng.random(n)[:, None] > cum).sum(axis=1) + 1
    rating[rated] = np.minimum(level[rated], 5)
    t_rating[rated] = t_at[rated] + rng.integers(10, 300, rated.sum())
    return rating, t_rating
