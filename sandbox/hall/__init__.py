"""The hall engine: scenario + seed → :class:`sandbox.records.Records`.

Streams: one per hall (queues on simpy, day by day) and one per county for the no-queue channels
(bulk numpy). Streams are independent (own random numbers per stream and month), so a long run can
be split over processes and gives the same records as a single process.
"""
from __future__ import annotations

import multiprocessing as mp
import os
from datetime import date
from typing import Callable

import numpy as np

from ..geography import COUNTIES
from ..records import Records
from ..scenario import Scenario, to_dict
from .context import Context, build_context
from .day import simulate_hall
from .online import simulate_online

__all__ = ["simulate", "build_context", "Context"]

_CTX: Context | None = None  # set in the parent before forking workers


def _compact(cols: dict) -> dict:
    """Final dtypes as soon as a stream is done: a year of cases stays a few hundred MB."""
    from ..records import CASE_COLUMNS

    return {k: (v.astype(CASE_COLUMNS[k][0], copy=False) if k in CASE_COLUMNS else v) for k, v in cols.items()}


def _hall_task(i: int, ctx: Context | None = None) -> tuple[dict, dict]:
    cases, pools = simulate_hall(ctx or _CTX, i)
    return _compact(cases), pools


def _online_task(c: int, ctx: Context | None = None) -> dict:
    return _compact(simulate_online(ctx or _CTX, c))


def simulate(scenario: Scenario, days: int, seed: int, start: date | None = None, *, catalog=None,
             workers: int | None = None, progress: Callable[[str, int, int], None] | None = None,
             online: bool = True) -> Records:
    """Simulate ``days`` calendar days from ``start`` (default: the scenario's start_date).

    ``online=False`` skips the no-queue channels (online, terminals) — a hall-only what-if is then
    about twice as fast; hall metrics are unchanged. ``workers``: processes for the streams (default: 1 for short runs, up to the CPU count for long
    ones; the records are identical either way). ``progress(label, done, total)`` is called as
    streams finish (the CLI draws a progress bar with it).
    """
    global _CTX
    if scenario.mode != "hall":
        raise ValueError("验证模式（mode = \"mmc\"）请用 sandbox.validation.run_mmc")
    if days < 1:
        raise ValueError("days must be >= 1")
    start = start or scenario.start_date
    ctx = build_context(scenario, seed, start, days, catalog)
    halls = list(range(len(scenario.halls)))
    counties = list(range(len(COUNTIES))) if online else []
    total = len(halls) + len(counties)
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if days * len(halls) >= 400 else 1
    hall_parts: list[tuple[dict, dict]] = []
    online_parts: list[dict] = []
    done = 0
    if workers > 1 and "fork" in mp.get_all_start_methods():
        _CTX = ctx
        try:
            with mp.get_context("fork").Pool(workers) as pool:
                h_async = [pool.apply_async(_hall_task, (i,)) for i in halls]
                o_async = [pool.apply_async(_online_task, (c,)) for c in counties]
                for a in h_async:
                    hall_parts.append(a.get())
                    done += 1
                    if progress:
                        progress("大厅", done, total)
                for a in o_async:
                    online_parts.append(a.get())
                    done += 1
                    if progress:
                        progress("网办", done, total)
        finally:
            _CTX = None
    else:
        for i in halls:
            hall_parts.append(_hall_task(i, ctx))
            done += 1
            if progress:
                progress("大厅", done, total)
        for c in counties:
            online_parts.append(_online_task(c, ctx))
            done += 1
            if progress:
                progress("网办", done, total)
    parts = [p[0] for p in hall_parts] + online_parts
    pools = [p[1] for p in hall_parts]
    return assemble(ctx, parts, pools)


def assemble(ctx: Context, parts: list[dict], pools: list[dict]) -> Records:
    from ..records import CASE_COLUMNS, POOL_COLUMNS

    parts = [p for p in parts if p and len(p["item"])]
    sizes = [len(p["item"]) for p in parts]
    n = sum(sizes)
    cols: dict[str, np.ndarray] = {}
    if n:
        for k in parts[0]:
            cols[k] = np.concatenate([p[k] for p in parts])
        src = np.repeat(np.arange(len(parts)), sizes)
        seq = np.concatenate([np.arange(s) for s in sizes])
        order = np.lexsort((seq, src, cols["t_arrive"]))
        cols = {k: v[order] for k, v in cols.items()}
    else:
        cols = {k: np.zeros(0, dtype=dt) for k, (dt, _) in CASE_COLUMNS.items()}
        cols["mkey"] = np.zeros(0, np.int64)
        cols["ekey"] = np.zeros(0, np.int64)
    case_id = np.arange(1, n + 1, dtype=np.int64)
    cols["case_id"] = case_id
    # Rows are in case-id order, so the first row of a key is its smallest case id.
    _, first, inv = np.unique(cols.pop("mkey"), return_index=True, return_inverse=True)
    cols["matter_id"] = case_id[first][inv] if n else case_id
    ekey = cols.pop("ekey")
    ev = ekey >= 0
    event = np.full(n, -1, np.int64)
    if ev.any():
        _, f2, inv2 = np.unique(ekey[ev], return_index=True, return_inverse=True)
        event[ev] = case_id[ev][f2][inv2]
    cols["event_id"] = event
    ticket = np.full(n, -1, np.int64)
    hc = np.flatnonzero(cols["channel"] == 0) if n else np.zeros(0, np.int64)
    if len(hc):
        day = cols["t_number"][hc] // 86400
        o = np.lexsort((cols["t_number"][hc], cols["pool"][hc], day, cols["hall"][hc]))
        g = np.stack([cols["hall"][hc][o], day[o], cols["pool"][hc][o]])
        new = np.r_[True, (g[:, 1:] != g[:, :-1]).any(axis=0)]
        grp_start = np.maximum.accumulate(np.where(new, np.arange(len(o)), 0))
        ticket[hc[o]] = np.arange(len(o)) - grp_start + 1
    cols["ticket"] = ticket
    pool_cols = {k: np.concatenate([p[k] for p in pools if p]) if any(p for p in pools) else
                 np.zeros(0, np.int64) for k in POOL_COLUMNS}
    s = ctx.scenario
    t = ctx.items
    return Records.build(
        cols, pool_cols, hall_names=tuple(h.name for h in s.halls), item_codes=t.codes, item_names=t.names,
        bundle_names=t.bundle_names, start=ctx.start, days=ctx.days, seed=ctx.seed, scenario_name=s.name,
        meta={"scenario": to_dict(s)})
