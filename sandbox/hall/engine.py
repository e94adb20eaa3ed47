"""The hall engine: scenario + seed → :class:`sandbox.hall.records.Records`.

Streams: one per hall (queues on simpy, day by day) and one per county for the no-queue channels
(bulk numpy). Streams are independent (own random numbers per stream and month), so a long run can
be split over processes and gives the same records as a single process.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import queue
import warnings
from datetime import date, timedelta
from typing import Callable

import numpy as np

from ..base.calendar import CalendarWarning, span_warning
from ..base.geography import COUNTIES
from .context import Context, build_context
from .day import simulate_hall
from .online import simulate_online
from .records import CASE_COLUMNS, POOL_COLUMNS, Records
from .scenario import Scenario, to_dict

__all__ = ["simulate", "assemble"]


def _compact(cols: dict) -> dict:
    """Final dtypes as soon as a stream is done: a year of cases stays a few hundred MB."""
    return {k: (v.astype(CASE_COLUMNS[k][0], copy=False) if k in CASE_COLUMNS else v) for k, v in cols.items()}


def _stream(ctx: Context, task: tuple[str, int]):
    """One stream: ("大厅", hall index) → (cases, pools); ("网办", county index) → cases."""
    kind, i = task
    if kind == "大厅":
        cases, pools = simulate_hall(ctx, i)
        return _compact(cases), pools
    return _compact(simulate_online(ctx, i))


def _worker(ctx: Context, tasks, results) -> None:
    """A forked worker: takes task numbers until the None sentinel. ``ctx`` comes with the fork (no pickling)."""
    for k, task in iter(tasks.get, None):
        try:
            results.put((k, _stream(ctx, task)))
        except BaseException as exc:  # reported to the parent, which raises it there
            results.put((k, RuntimeError(f"模拟进程出错：{exc!r}")))
            return


def _run_streams(ctx: Context, tasks: list[tuple[str, int]], workers: int,
                 progress: Callable[[str, int, int], None] | None) -> list:
    """Results of every stream in task order; forked workers when asked for and available."""
    out: list = [None] * len(tasks)

    def report(done: int, k: int) -> None:
        if progress:
            progress(tasks[k][0], done, len(tasks))

    if workers <= 1 or "fork" not in mp.get_all_start_methods():
        for k, task in enumerate(tasks):
            out[k] = _stream(ctx, task)
            report(k + 1, k)
        return out
    fork = mp.get_context("fork")
    todo, results = fork.SimpleQueue(), fork.Queue()
    procs = [fork.Process(target=_worker, args=(ctx, todo, results), daemon=True) for _ in range(workers)]
    for p in procs:
        p.start()
    try:
        for k, task in enumerate(tasks):
            todo.put((k, task))
        for _ in procs:
            todo.put(None)
        done = 0
        while done < len(tasks):
            try:
                k, value = results.get(timeout=2)
            except queue.Empty:
                if not any(p.is_alive() for p in procs):
                    raise RuntimeError("模拟进程异常退出") from None
                continue
            if isinstance(value, RuntimeError):
                raise value
            out[k] = value
            done += 1
            report(done, k)
    finally:
        for p in procs:
            p.join(timeout=5)
            if p.is_alive():  # a failed stream must not leave processes behind
                p.terminate()
    return out


def simulate(scenario: Scenario, days: int, seed: int, start: date | None = None, *, catalog=None,
             workers: int | None = None, progress: Callable[[str, int, int], None] | None = None,
             online: bool = True) -> Records:
    """Simulate ``days`` calendar days from ``start`` (default: the scenario's start_date).

    ``online=False`` skips the no-queue channels (online, terminals) — a hall-only what-if is then
    about twice as fast; hall metrics are unchanged. ``workers``: processes for the streams (default: 1 for short runs, up to the CPU count for long
    ones; the records are identical either way). ``progress(label, done, total)`` is called as
    streams finish (the CLI draws a progress bar with it).
    """
    if scenario.mode != "hall":
        raise ValueError("验证模式（mode = \"mmc\"）请用 sandbox.hall.validation.run_mmc")
    if days < 1:
        raise ValueError("days must be >= 1")
    start = start or scenario.start_date
    ctx = build_context(scenario, seed, start, days, catalog)
    note = span_warning(start, start + timedelta(days=days - 1))
    if note:
        warnings.warn(note, CalendarWarning, stacklevel=2)
    tasks = [("大厅", i) for i in range(len(scenario.halls))]
    if online:
        tasks += [("网办", c) for c in range(len(COUNTIES))]
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if days * len(scenario.halls) >= 400 else 1
    results = _run_streams(ctx, tasks, workers, progress)
    hall_parts = [r for (kind, _), r in zip(tasks, results) if kind == "大厅"]
    online_parts = [r for (kind, _), r in zip(tasks, results) if kind == "网办"]
    return assemble(ctx, [p[0] for p in hall_parts] + online_parts, [p[1] for p in hall_parts])


def assemble(ctx: Context, parts: list[dict], pools: list[dict]) -> Records:
    """One Records from the streams' columns: sorted by arrival, case ids, matters, events and tickets."""
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
