"""`python -m sandbox hotline …` and `python -m sandbox bulletin …` end to end (small volume)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from sandbox.practice import rectification as R
from sandbox.storage import hotline as storage


def _run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "sandbox", *args], capture_output=True, text=True, timeout=240, cwd=cwd)


@pytest.mark.timeout(240)
def test_hotline_then_bulletin(tmp_path):
    db = tmp_path / "s.sqlite"
    p = _run("hotline", "--months", "2", "--seed", "4", "--db", str(db), "--start", "2024-11", "--run-id", "r1",
             "--volume", "1500", "--json")
    assert p.returncode == 0, p.stderr
    summary = json.loads(p.stdout)
    assert summary["run_id"] == "r1" and summary["tickets"] > 2000
    # the same run id replaces the run when asked to (--replace; without it: refused, see test_cli_errors)
    p = _run("hotline", "--months", "1", "--seed", "4", "--db", str(db), "--start", "2024-11", "--run-id", "r1",
             "--volume", "1500", "--json", "--replace")
    assert p.returncode == 0 and json.loads(p.stdout)["tickets"] < summary["tickets"]
    out = tmp_path / "out"
    p = _run("bulletin", "--month", "2024-11", "--db", str(db), "--out", str(out), "--run-id", "r1")
    assert p.returncode == 0, p.stderr
    assert (out / "bulletin.html").exists() and json.loads((out / "bulletin.json").read_text())["月份"] == "2024-11"
    # a month without tickets: a clear error and exit 2
    p = _run("bulletin", "--month", "2024-12", "--db", str(db), "--out", str(out), "--run-id", "r1")
    assert p.returncode == 2 and "没有工单" in p.stderr
    # bad arguments: exit 2 naming the problem
    p = _run("hotline", "--months", "1", "--seed", "4", "--db", str(db), "--start", "2024/11")
    assert p.returncode == 2 and "YYYY-MM" in p.stderr
    p = _run("hotline", "--months", "1", "--seed", "4", "--db", str(db), "--start", "2003-12")
    assert p.returncode == 2 and "日历" in p.stderr and "Traceback" not in p.stderr
    # the hotline's ratings feed the 好差评 loop straight from the DB
    ratings = R.ratings_from_hotline(storage.load(db, "r1"))
    assert ratings and all(r.source == "hotline" for r in ratings)
