"""Load: a small wave of simulated trainees against the real hub (tests/load/harness.py).

5 trainees log in within 10 s, start servers, open and run a lesson over the kernel websocket,
save answers, submit and wait for the grade-on-submit feedback. Root mode (one Unix account per
trainee, as production on one machine). The 30 and 60 trainee runs are `make test-long`
(tests/load/test_load.py); the measured curve is in docs/capacity.md.
"""
from __future__ import annotations

import os


def run() -> dict:
    if os.geteuid() != 0:
        return {"skipped_not_root": 1}
    from tests.load.harness import run_load

    out = run_load(5, ramp_s=10.0, deadline_s=600.0)
    out.pop("failed", None)
    return {k: v for k, v in out.items() if isinstance(v, (int, float)) or v is None}
