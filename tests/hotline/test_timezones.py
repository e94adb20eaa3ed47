"""Deadlines and displayed times do not depend on the machine's time zone (issue 13 §4): the same
run under TZ=UTC (the servers' clock) and TZ=Asia/Shanghai gives the same stored deadlines, and the
times the sandbox shows for "now" are Beijing time in both."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

SCRIPT = r"""
import json, sys, time
from datetime import date, datetime
import numpy as np
from sandbox.hotline import HotlineScenario, simulate
from sandbox.hotline.deadlines import DEFAULT_POLICY
from sandbox.storage.runs import new_run_id
import sandbox as sb

rec = simulate(HotlineScenario(start=date(2024, 9, 1), months=1, monthly_volume=300), 5)
cols = {k: np.datetime_as_string(rec[k][:200], unit="s").tolist() for k in ("received_at", "deadline", "final_deadline")}
hall = sb.simulate(sb.default_scenario().only_hall("海东市政务服务中心"), 2, 5, start=date(2024, 9, 27), online=False)
due = DEFAULT_POLICY.due(datetime(2024, 9, 27, 10, 0), "咨询", "一般", False)
from sandbox.hotline import bulletin
print(json.dumps({"tz": time.tzname, "tickets": cols, "hall_t_due": int(hall.cases["t_due"].sum()),
                  "hall_t_arrive_min": int(hall.cases["t_arrive"].min()), "due": due.isoformat(),
                  "run_id": new_run_id(), "now": bulletin.now_beijing().isoformat()}))
"""


def _run(tz: str) -> dict:
    env = {**os.environ, "TZ": tz}
    p = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=280)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout.strip().splitlines()[-1])


@pytest.mark.timeout(600)
def test_deadlines_and_displayed_times_under_utc_and_beijing():
    utc, bj = _run("UTC"), _run("Asia/Shanghai")
    assert utc["tz"] != bj["tz"]  # the two runs really had different clocks
    assert utc["tickets"] == bj["tickets"] and utc["hall_t_due"] == bj["hall_t_due"]
    assert utc["hall_t_arrive_min"] == bj["hall_t_arrive_min"]
    # 咨询 received Friday 2024-09-27 10:00: three working days skip the weekend and National Day;
    # the 9-29 Sunday and 10-12 Saturday are 调休 working days.
    assert utc["due"] == bj["due"] == "2024-10-08T18:00:00"
    first = utc["tickets"]["received_at"][0]
    assert first.startswith("2024-09-01"), first  # stored times are Beijing wall-clock in both
    now = datetime.now(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)
    for r in (utc, bj):
        shown = datetime.fromisoformat(r["now"])
        assert abs(shown - now) < timedelta(minutes=10), (r["tz"], shown, now)
        assert abs(datetime.strptime(r["run_id"][:15], "%Y%m%d-%H%M%S") - now) < timedelta(minutes=10)
