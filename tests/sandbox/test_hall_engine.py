"""The simpy core on hand-made queues: priorities, patience, lunch break, closing rule."""
from __future__ import annotations

import numpy as np

from sandbox.hall.queue import run_pools


def _run(arrive, service, priority=None, patience=None, caps=(1,), **kw):
    n = len(arrive)
    return run_pools(np.array(arrive, np.int64), np.zeros(n, np.int64),
                     np.array(priority or [2] * n, np.int64), np.array(service, np.int64),
                     np.array(patience or [-1] * n, np.int64), list(caps), **kw)


def test_green_channel_goes_first_but_does_not_preempt():
    r = _run([0, 10, 20], [100, 50, 50], priority=[2, 2, 0])
    assert r.called.tolist() == [0, 150, 100]  # the elderly person (priority 0) is called before B
    assert r.ended[0] == 100  # nobody is interrupted
    assert r.called.dtype == np.int64


def test_patience_cancels_the_number():
    r = _run([0, 0, 5], [1000, 10, 10], patience=[-1, 100, 5000])
    assert r.called[1] == -1 and r.left[1] == 100
    assert r.called[2] == 1000  # the one who stayed is served next
    assert r.ahead.tolist() == [0, 0, 1]


def test_lunch_break_closes_windows_after_the_current_customer():
    r = _run([0, 60], [100, 10], breaks=((50, 500, 1.0),))
    assert r.ended[0] == 100 and r.called[1] == 500
    r2 = _run([0, 60], [100, 10], breaks=((50, 500, 0.0),))  # 错峰: window stays open
    assert r2.called[1] == 100


def test_closing_rule():
    kept = _run([0, 10], [1000, 10], close_at=150, serve_after_close=True)
    assert kept.called[1] == 1000 and not kept.sent_home.any()
    home = _run([0, 10], [1000, 10], close_at=150, serve_after_close=False)
    assert home.called[1] == -1 and home.left[1] == 150 and home.sent_home[1]


def test_separate_pools_do_not_share_windows():
    r = run_pools(np.array([0, 0], np.int64), np.array([0, 1], np.int64), np.array([2, 2], np.int64),
                  np.array([100, 100], np.int64), np.array([-1, -1], np.int64), [1, 1])
    assert r.called.tolist() == [0, 0]
    r = run_pools(np.array([0, 0], np.int64), np.array([0, 0], np.int64), np.array([2, 2], np.int64),
                  np.array([100, 100], np.int64), np.array([-1, -1], np.int64), [1, 1])
    assert r.called.tolist() == [0, 100]
