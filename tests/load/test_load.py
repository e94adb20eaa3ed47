"""Load tests (marker `long`, `make test-long`): 30 and then 60 simulated trainees against the real
hub on 127.0.0.1 — log in within a minute, start servers, run a lesson over the kernel websocket,
save answers, submit, get feedback (tests/load/harness.py). Figures are printed and written to
$ACADEMY_LOAD_OUT (default /tmp/academy-load-<n>.json); docs/capacity.md holds the measured curve.
Only correctness is asserted; speed is reported. A wave within this machine's capacity must lose
nobody; a wave above it (60 logins in a minute on 2 cores, where docs/capacity.md puts the capacity
at 35–40 trainees within five minutes) must degrade without breaking: no failed HTTP request and at
least 95 % of the journeys complete — a few starts or kernel connections may time out there.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

pytestmark = [pytest.mark.long, pytest.mark.root, pytest.mark.hub,
              pytest.mark.skipif(os.geteuid() != 0, reason="one Unix account per trainee needs root")]


# Both waves run by default in `make test-long` (CI included): on a quiet 2-core machine 30 and 60
# trainees completed without a failure in 3.5 and 4.8 minutes on 2026-12-01 (docs/capacity.md). On a machine
# shared with other work they fail at the burst limits (spawn timeout) — that is a finding about the
# machine, so a developer may name fewer waves: ACADEMY_LOAD_WAVES=30, or ACADEMY_LOAD_WAVES=none.
# Trainees logging in within a minute that this 2-core machine serves without losing anyone
# (docs/capacity.md: 35–40 within five minutes). The 60 wave lost 1 and 2 of 60 in two runs on
# 2026-12-02 (a start, a kernel websocket handshake) while every HTTP request succeeded.
CAPACITY = 40
WAVES = {int(x) for x in os.environ.get("ACADEMY_LOAD_WAVES", "30,60").replace(" ", "").split(",") if x.isdigit()}


@pytest.mark.parametrize("n", [pytest.param(n, marks=pytest.mark.skipif(
    n not in WAVES, reason=f"{n} trainees: left out by ACADEMY_LOAD_WAVES"))
    for n in (30, 60)])
@pytest.mark.timeout(3600)
def test_wave_of_trainees(n):
    from tests.load.harness import run_load

    out = run_load(n)
    path = Path(os.environ.get("ACADEMY_LOAD_OUT", f"/tmp/academy-load-{n}.json"))
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(out, ensure_ascii=False, indent=1))
    assert out["request_failures"] == 0, out
    if n <= CAPACITY:
        assert out["failures"] == 0 and out["completed"] == n, out["failed"]
    else:  # above capacity: slower and a few lost, but the academy holds
        assert out["completed"] >= 0.95 * n, out["failed"]
