"""The academy's log: daily rotation kept ≥ six months (网络安全法 第二十一条), the hub's output and
`up`'s own messages in one file, errors found for `academy status`."""
from __future__ import annotations

import gzip
import subprocess
import textwrap
import time
from pathlib import Path

import pytest

from academy import logs
from runtime.paths import Paths

REPO = Path(__file__).resolve().parents[2]
PYTHON = REPO / ".venv" / "bin" / "python"
DAY = 86400


def test_keep_days_default_and_floor():
    assert logs.keep_days({}) == logs.DEFAULT_KEEP_DAYS >= logs.MIN_KEEP_DAYS == 184
    assert logs.keep_days({"ACADEMY_LOG_KEEP_DAYS": "366"}) == 366
    for bad in ("90", "183", "half a year"):
        with pytest.raises(ValueError):
            logs.keep_days({"ACADEMY_LOG_KEEP_DAYS": bad})
    assert "六个月" in logs.settings_error({"ACADEMY_LOG_KEEP_DAYS": "30"})


def test_250_days_of_rotation_keep_the_newest_200_compressed(tmp_path):
    """Drive the real handler through 250 midnights (its rollover time set to each past midnight)."""
    handler = logs.rotating_handler(tmp_path / logs.LOG_NAME, logs.DEFAULT_KEEP_DAYS)
    book = logs.Logbook.__new__(logs.Logbook)
    book.path, book.handler = tmp_path / logs.LOG_NAME, handler
    start = (int(time.time()) // DAY - 300) * DAY  # a midnight (UTC) 300 days ago
    days = 250
    for i in range(days):
        handler.rolloverAt = start + (i + 1) * DAY - time.localtime(start).tm_gmtoff
        book.line(f"line of day {i}")
    handler.close()
    rotated = sorted(tmp_path.glob(logs.LOG_NAME + ".*.gz"))
    assert len(rotated) == logs.DEFAULT_KEEP_DAYS
    # The oldest kept file is ≥ 184 days before the newest: six months are always there.
    first = time.strptime(rotated[0].name.split(".")[2], "%Y-%m-%d")
    last = time.strptime(rotated[-1].name.split(".")[2], "%Y-%m-%d")
    assert (time.mktime(last) - time.mktime(first)) / DAY + 1 >= logs.MIN_KEEP_DAYS
    newest = gzip.open(rotated[-1], "rt", encoding="utf-8").read()
    assert newest.rstrip().endswith(f"line of day {days - 2}")  # the current file holds the last day
    assert (tmp_path / logs.LOG_NAME).read_text(encoding="utf-8").rstrip().endswith(f"line of day {days - 1}")


SCRIPT = textwrap.dedent("""
    import subprocess, sys
    from academy import logs
    from runtime.settings import current
    logs.start(current().paths)
    print("up: preparing")
    print("up: bad things", file=sys.stderr)
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    logs.pump(child.stdout)
    child.wait()  # and exit at once: the lines still in the pipe must reach the file (atexit drain)
""")
CHILD = ("import sys, os; sys.stdout.write('[I 2026-01-01 hub] hello\\n\\x1b[31merror\\x1b[39m: proxy down\\n');"
         "sys.stdout.flush(); os.write(1, b'bytes \\xff not utf-8\\n'); sys.stderr.write('last words\\n');"
         "sys.stderr.flush(); sys.stdout.write(''.join(f'n {i}\\n' for i in range(3000)))")


def test_hub_output_and_own_messages_reach_one_file(tmp_path):
    env = {"ACADEMY_ROOT": str(tmp_path), "PATH": "/usr/bin:/bin", "ACADEMY_SINGLE_USER": "1"}
    proc = subprocess.run([str(PYTHON), "-c", f"CHILD = {CHILD!r}\n" + SCRIPT], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "hello" in proc.stdout and "last words" in proc.stdout  # still echoed to the terminal
    lines = (tmp_path / "logs" / logs.LOG_NAME).read_text(encoding="utf-8").splitlines()
    bodies = [line.split(" ", 1)[1] for line in lines]
    assert bodies == ["up: preparing", "up: bad things", "[I 2026-01-01 hub] hello", "error: proxy down",
                      "bytes \ufffd not utf-8", "last words"] + [f"n {i}" for i in range(3000)]
    assert all(time.strptime(line.split(" ", 1)[0], "%Y-%m-%dT%H:%M:%S%z") for line in lines)
    assert oct((tmp_path / "logs").stat().st_mode & 0o777) == "0o700"


def test_recent_problems_pick_errors_from_current_and_previous_file(tmp_path):
    paths = Paths(root=tmp_path, root_mode=False)
    d = logs.log_dir(paths)
    d.mkdir()
    ts = "2026-12-01T10:00:00+0800"
    with gzip.open(d / "academy.log.2026-11-30.gz", "wt", encoding="utf-8") as f:
        f.write(f"{ts} [E 2026-11-30 09:00:00.000 AcademyHub app:1] yesterday's failure\n")
    with gzip.open(d / "academy.log.2026-11-29.gz", "wt", encoding="utf-8") as f:
        f.write(f"{ts} [E 2026-11-29 09:00:00.000 AcademyHub app:1] too old to show\n")
    (d / logs.LOG_NAME).write_text("\n".join([
        f"{ts} [I 2026-12-01 10:00:00.000 AcademyHub app:1] fine",
        f"{ts} [W 2026-12-01 10:00:00.000 AcademyHub log:1] 403 GET /hub/admin",
        f"{ts} 2026-12-01 10:00:01 grading-service ERROR grading demo/ps1 failed",
        f"{ts} Traceback (most recent call last):",
        f"{ts} [C 2026-12-01 10:00:02.000 AcademyHub app:1] Service grade-on-submit exited with status -9",
        f"{ts} 10:00:03.000 [ConfigProxy] error: 503 GET /user/x",
        f"{ts} hub 启动失败 / the hub did not start",
    ]) + "\n", encoding="utf-8")
    found = logs.recent_problems(paths)
    assert [f.split(" ", 1)[1][:40] for f in found] == [
        "[E 2026-11-30 09:00:00.000 AcademyHub ap",
        "2026-12-01 10:00:01 grading-service ERRO",
        "Traceback (most recent call last):",
        "[C 2026-12-01 10:00:02.000 AcademyHub ap",
        "10:00:03.000 [ConfigProxy] error: 503 GE",
        "hub 启动失败 / the hub did not start",
    ]
    assert logs.recent_problems(paths, limit=2) == found[-2:]
    assert logs.log_files(paths)[0] == d / logs.LOG_NAME
