"""The discrete-event core: one hall day (or one validation run) on simpy.

Each window kind is a pool of identical windows, a non-preemptive ``simpy.PriorityResource``:
priority 0 is the green channel (elderly, disabled), 1 an appointment, 2 a walk-in; within a
priority, first come first served. The lunch break is a process that takes windows at priority -1
(so a window closes when its current customer is done). Patience is a callback that cancels a
still-waiting request — no extra process per customer. Everything the engine needs is drawn in bulk
beforehand (arrival, pool, priority, service and patience seconds); it only decides who is called
when, and writes integer seconds into plain lists (cheaper than numpy item assignment).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import simpy


@dataclass(frozen=True)
class DayResult:
    called: np.ndarray  # int64 second of the call, -1 when the person left first
    ended: np.ndarray  # int64 end of service, -1
    left: np.ndarray  # int64 second the person gave up (or was sent home), -1
    window: np.ndarray  # int16 window number within the pool, -1
    ahead: np.ndarray  # int32 people waiting in the pool when the number was taken
    sent_home: np.ndarray  # bool: still waiting at closing time, closing rule sends them home
    events: int = 0  # simpy events processed (for the benchmark's cost per event)


def _lunch(env: simpy.Environment, r: simpy.PriorityResource, k: int, start: int, end: int):
    """The lunch break: take ``k`` windows at priority -1 from ``start`` (each as its customer leaves) to ``end``."""
    yield env.timeout(start)
    held = [r.request(priority=-1) for _ in range(k)]
    for h in held:
        if env.now >= end:
            break
        yield h
    if end > env.now:
        yield env.timeout(end - env.now)
    for h in held:
        if h.triggered:
            r.release(h)
        else:
            h.cancel()


def _closer(env: simpy.Environment, at: int, reqs: list, left: list, sent: list):
    """Closing time without serving on: everyone still waiting is sent home."""
    yield env.timeout(at)
    for i in range(len(reqs)):
        req = reqs[i]
        if req is not None and not req.triggered and left[i] < 0:
            req.cancel()
            left[i] = at
            sent[i] = True


def run_pools(arrive: np.ndarray, pool: np.ndarray, priority: np.ndarray, service: np.ndarray,
              patience: np.ndarray, capacities: list[int], *, breaks: tuple[tuple[int, int, float], ...] = (),
              close_at: int | None = None, serve_after_close: bool = True) -> DayResult:
    """Simulate queues at pools of windows.

    arrive (sorted), service, patience are integer seconds (patience < 0 means unlimited);
    ``breaks`` are (start, end, share of windows closed); with ``serve_after_close`` False everyone
    still waiting at ``close_at`` is sent home.
    """
    n = len(arrive)
    env = simpy.Environment()
    res = [simpy.PriorityResource(env, capacity=max(int(c), 1)) for c in capacities]
    free = [list(range(max(int(c), 1), 0, -1)) for c in capacities]
    called = [-1] * n
    ended = [-1] * n
    left = [-1] * n
    window = [-1] * n
    ahead = [0] * n
    reqs: list = [None] * n
    arr = arrive.tolist()
    pl = pool.tolist()
    pr = priority.tolist()
    sv = service.tolist()
    pt = patience.tolist()
    timeout = env.timeout

    def renege(ev) -> None:
        i = ev._value
        req = reqs[i]
        if not req.triggered and left[i] < 0:
            req.cancel()
            left[i] = env.now

    def customer(i: int, r: simpy.PriorityResource, p: int):
        ahead[i] = len(r.queue)
        req = r.request(priority=pr[i])
        if not req.triggered:
            reqs[i] = req
            if pt[i] >= 0:
                timeout(pt[i], i).callbacks.append(renege)
        yield req
        t = env.now
        called[i] = t
        w = free[p].pop()
        window[i] = w
        s = sv[i]
        yield timeout(s)
        ended[i] = t + s
        free[p].append(w)
        r.release(req)

    def source():
        for i in range(n):
            dt = arr[i] - env.now
            if dt > 0:
                yield timeout(dt)
            p = pl[i]
            env.process(customer(i, res[p], p))

    sent = [False] * n
    for start, end, share in breaks:
        for r, c in zip(res, capacities):
            k = int(round(max(int(c), 1) * share))
            if k > 0 and end > start:
                env.process(_lunch(env, r, k, start, end))
    if close_at is not None and not serve_after_close:
        env.process(_closer(env, close_at, reqs, left, sent))
    env.process(source())
    env.run()
    # Hall days run on integer seconds; the validation mode passes floats and gets floats back.
    tdt = np.int64 if (np.issubdtype(arrive.dtype, np.integer) and np.issubdtype(service.dtype, np.integer)) \
        else np.float64
    return DayResult(
        called=np.array(called, dtype=tdt),
        ended=np.array(ended, dtype=tdt),
        left=np.array(left, dtype=tdt),
        window=np.array(window, dtype=np.int16),
        ahead=np.array(ahead, dtype=np.int32),
        sent_home=np.array(sent, dtype=bool),
        events=next(env._eid) if hasattr(env, "_eid") else 0,
    )
