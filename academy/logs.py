"""The academy's log: one file under ``$ACADEMY_ROOT/logs/``, rotated daily, kept ≥ six months.

网络安全法 第二十一条 asks that network logs be kept for no less than six months. Everything the
hub's process tree prints — JupyterHub, configurable-http-proxy, the managed services
(grade-on-submit, the formgraders, the dashboards) and the user servers, which all inherit the
hub's stdout/stderr — reaches `academy up` through one pipe; `up` adds a timestamp to each line and
writes it to ``logs/academy.log`` (and still echoes it unchanged to its own stdout: the terminal,
or the journal under systemd). `up`'s own messages (preparation, roster, "hub did not start") go
to the same file through a tee on ``sys.stdout``/``sys.stderr``.

Why Python's ``TimedRotatingFileHandler`` in `up` rather than logrotate: `up` is the only writer of
the file, so it can rotate without ``copytruncate`` (which loses the lines written between copy
and truncate), without a cron job or timer, and the same way under `make up` and under systemd.
At local midnight the file becomes ``academy.log.YYYY-MM-DD.gz``; the newest ``keep_days`` of them
are kept (default 200; less than 184 — the longest six calendar months — is refused).

Interfaces:
    log_dir(paths) -> Path
    keep_days(env) -> int                         # ValueError for a bad ACADEMY_LOG_KEEP_DAYS
    settings_error(env) -> str | None             # the same as a message (callers exit 2)
    rotating_handler(path, keep) -> TimedRotatingFileHandler   # gzip on rotation
    start(paths, env=None) -> Logbook | None      # `up`: open the log, tee stdio
    pump(stream) -> threading.Thread              # `up`: copy the hub's output to the log
    log_files(paths) -> list[Path]                # current file first, then rotated, newest first
    recent_problems(paths, limit) -> list[str]    # last error lines (for `academy status`)
"""
from __future__ import annotations

import atexit
import gzip
import logging
import logging.handlers
import os
import re
import shutil
import sys
import threading
from pathlib import Path
from typing import IO, Iterable, Mapping

from academy.tls import settings_for
from runtime.paths import Paths

LOG_NAME = "academy.log"
DEFAULT_KEEP_DAYS = 200
# The longest run of six calendar months (e.g. 1 July – 31 December) has 184 days.
MIN_KEEP_DAYS = 184
_LINE_FORMAT = "%(asctime)s %(message)s"
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"

# Colour codes (the proxy colours its level names even into a pipe): kept out of the file.
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

_current: "Logbook | None" = None
_pumps: list[threading.Thread] = []


def log_dir(paths: Paths) -> Path:
    return paths.root / "logs"


def keep_days(env: Mapping[str, str] | None = None) -> int:
    from runtime.settings import SettingsError

    try:
        days = settings_for(env).log_keep_days
    except SettingsError as exc:
        raise ValueError(str(exc)) from None
    if days < MIN_KEEP_DAYS:
        raise ValueError(f"ACADEMY_LOG_KEEP_DAYS={days}：日志至少保存六个月（{MIN_KEEP_DAYS} 天，网络安全法 第二十一条）"
                         f" / logs must be kept at least six months ({MIN_KEEP_DAYS} days)")
    return days


def settings_error(env: Mapping[str, str] | None = None) -> str | None:
    try:
        keep_days(env)
    except ValueError as exc:
        return str(exc)
    return None


def _gzip_rotator(source: str, dest: str) -> None:
    with open(source, "rb") as src, gzip.open(dest, "wb") as out:
        shutil.copyfileobj(src, out)
    os.remove(source)


def rotating_handler(path: Path, keep: int) -> logging.handlers.TimedRotatingFileHandler:
    """Daily at local midnight; ``academy.log.YYYY-MM-DD.gz``; the newest ``keep`` rotated files kept."""
    handler = logging.handlers.TimedRotatingFileHandler(path, when="midnight", backupCount=keep,
                                                        encoding="utf-8")
    handler.namer = lambda name: name + ".gz"
    handler.rotator = _gzip_rotator
    handler.setFormatter(logging.Formatter(_LINE_FORMAT, _DATE_FORMAT))
    return handler


class Logbook:
    """The open log of one `up` process: whole lines in, one timestamped record per line."""

    def __init__(self, path: Path, keep: int):
        self.path = path
        self.handler = rotating_handler(path, keep)

    def line(self, text: str) -> None:
        text = _ANSI.sub("", text.rstrip("\r\n"))
        record = logging.LogRecord("academy", logging.INFO, __file__, 0, text, None, None)
        self.handler.handle(record)  # handle(): takes the handler's lock; rotates when due

    def close(self) -> None:
        self.handler.close()


class _Tee:
    """Wraps sys.stdout / sys.stderr: writes go through unchanged, whole lines also to the log."""

    def __init__(self, stream: IO[str], book: Logbook):
        self._stream = stream
        self._book = book
        self._partial = ""
        self._lock = threading.Lock()

    def write(self, text: str) -> int:
        n = self._stream.write(text)
        with self._lock:
            self._partial += text
            *lines, self._partial = self._partial.split("\n")
        for line in lines:
            self._book.line(line)
        return n

    def flush(self) -> None:
        self._stream.flush()

    def __getattr__(self, name: str):  # isatty, fileno, encoding, … of the real stream
        return getattr(self._stream, name)


def start(paths: Paths, env: Mapping[str, str] | None = None) -> Logbook:
    """Open ``logs/academy.log`` (0700 directory) and tee this process's stdout and stderr into it."""
    global _current
    keep = keep_days(env)
    directory = log_dir(paths)
    directory.mkdir(parents=True, exist_ok=True)
    # Logs name people and addresses: readable by the hub's account (root in root mode) only.
    os.chmod(directory, 0o700)
    _current = Logbook(directory / LOG_NAME, keep)
    if not isinstance(sys.stdout, _Tee):
        sys.stdout = _Tee(sys.stdout, _current)
        sys.stderr = _Tee(sys.stderr, _current)
    return _current


def _copy(stream: IO[bytes], book: Logbook | None, echo: IO[str]) -> None:
    for raw in iter(stream.readline, b""):
        text = raw.decode("utf-8", errors="replace")
        try:
            echo.write(text)
            echo.flush()
        except (OSError, ValueError):  # the terminal went away: the file still gets the line
            pass
        if book is not None:
            book.line(text)
    stream.close()


def pump(stream: IO[bytes]) -> threading.Thread:
    """Copy the hub's output (a pipe) line by line to the log and to the real stdout, until EOF."""
    echo = sys.__stdout__
    thread = threading.Thread(target=_copy, args=(stream, _current, echo), name="academy-log-pump", daemon=True)
    thread.start()
    _pumps.append(thread)
    return thread


@atexit.register
def _drain() -> None:
    """At exit the hub has stopped: let the pumps write what is left in the pipe (bounded wait)."""
    for thread in _pumps:
        thread.join(timeout=5)


# ---------------------------------------------------------------------------------------------
# Reading (academy status)

# JupyterHub/tornado "[E 2026-…", "[C …"; Python logging "ERROR"/"CRITICAL"; the proxy's "error:";
# tracebacks; and `up`'s own failure lines.
_PROBLEM = re.compile(r"\[[EC] \d{4}-|\b(?:ERROR|CRITICAL)\b|\berror:|^Traceback|启动失败|exited with|检查未通过")


def log_files(paths: Paths) -> list[Path]:
    """``academy.log`` (if there) then the rotated files, newest first."""
    directory = log_dir(paths)
    if not directory.is_dir():
        return []
    rotated = sorted(directory.glob(LOG_NAME + ".*"), reverse=True)
    current = directory / LOG_NAME
    return ([current] if current.exists() else []) + rotated


def _lines(path: Path) -> list[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as f:
        return f.read().splitlines()


def problem_lines(lines: Iterable[str]) -> list[str]:
    return [line for line in lines if _PROBLEM.search(line.split(" ", 1)[-1])]


def recent_problems(paths: Paths, limit: int = 10) -> list[str]:
    """The last ``limit`` error lines of the current and the previous log file."""
    found: list[str] = []
    for path in reversed(log_files(paths)[:2]):  # older file first, so the newest lines end up last
        try:
            found += problem_lines(_lines(path))
        except OSError:
            continue
    return found[-limit:]
