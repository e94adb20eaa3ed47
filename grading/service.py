"""Grade on submit: a hub-managed service that watches the exchange's inbound folders.

Every ``interval`` seconds it lists ``exchange/<course>/inbound`` of each course root; for new
submissions it collects them (as ``grader-<course>``), autogrades only those students, generates
and releases their feedback (hidden tests stripped) and rewrites their 学习进度.html. Between
rounds it lists the inbound folders every ``WATCH_S`` seconds, so a new submission starts grading
within half a second rather than up to ``interval`` later (issue 15: submit to grade p95 ≤ 10 s). A trainee
sees the result of the visible checks by fetching feedback in the assignment list, and on the
progress page, within about ``interval`` + a few seconds of grading. Registered by
hub_config/grading_service.py. Runs as root in root mode (to write progress pages into homes);
course work runs as the grader account and submissions in the sandboxed kernel — except checker
assignments, graded as data and never executed (grading.formgrade). Each round it also writes the
own cases (cases.json) of trainees who fetched a checker assignment and have none yet.
"""
from __future__ import annotations

import json
import logging
import os
import signal
import time
from collections import defaultdict
from pathlib import Path

from runtime.settings import Settings

from . import api, paths

log = logging.getLogger("grading.service")
STATE_NAME = "grade-on-submit.json"
WATCH_S = 0.5  # how often the inbound folders are listed between rounds


def _state_path(settings: Settings | None = None) -> Path:
    return paths.data_dir(settings) / STATE_NAME


def load_state(settings: Settings | None = None) -> dict:
    try:
        return json.loads(_state_path(settings).read_text())
    except (OSError, ValueError):
        return {}


def save_state(state: dict, settings: Settings | None = None) -> None:
    p = _state_path(settings)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_suffix(".tmp")
    tmp.write_text(json.dumps(state))
    os.replace(tmp, p)


def courses(settings: Settings | None = None) -> list[str]:
    root = paths.academy_root(settings) / "courses"
    return sorted(p.name for p in root.glob("*") if (p / "nbgrader_config.py").exists()) if root.exists() else []


def new_submissions(course_id: str, seen: set[str],
                    settings: Settings | None = None) -> dict[str, list[tuple[str, str]]]:
    """assignment -> [(student, entry name)] of inbound entries not seen before."""
    inbound = paths.exchange_dir(settings) / course_id / "inbound"
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    if not inbound.is_dir():
        return found
    for entry in sorted(os.listdir(inbound)):
        if entry in seen or entry.count("+") < 2:
            continue
        student, assignment = entry.split("+")[:2]
        found[assignment].append((student, entry))
    return found


def unseen(state: dict, settings: Settings | None = None) -> set[tuple[str, str]]:
    """(course, inbound entry) of every submission not graded yet."""
    return {(c, entry) for c in courses(settings)
            for items in new_submissions(c, set(state.get(c, [])), settings).values() for _, entry in items}


def missing_cases(course_id: str, settings: Settings | None = None) -> dict[str, list[str]]:
    """Write cases.json for trainees who fetched a checker assignment and have none yet."""
    written: dict[str, list[str]] = {}
    try:
        for assignment in api.checker_assignments(course_id, settings=settings):
            out = api.write_cases(course_id, assignment, only_missing=True, settings=settings)
            if out["written"]:
                written[assignment] = out["written"]
    except Exception:  # keep serving; try again next round
        log.exception("writing cases for %s failed", course_id)
    return written


def run_once(state: dict | None = None, settings: Settings | None = None) -> list[dict]:
    state = load_state(settings) if state is None else state
    reports = []
    for course_id in courses(settings):
        missing_cases(course_id, settings)
        seen = set(state.get(course_id, []))
        for assignment, items in new_submissions(course_id, seen, settings).items():
            students = sorted({s for s, _ in items})
            started = time.perf_counter()
            try:
                api.collect(course_id, assignment, settings=settings)
                report = api.autograde(course_id, assignment, students=students,
                                       workers=min(len(students), os.cpu_count() or 1), settings=settings)
                api.feedback(course_id, assignment, students, settings=settings)
                report["latency_s"] = round(time.perf_counter() - started, 3)
                reports.append(report)
                log.info("graded %s/%s for %s in %.1f s", course_id, assignment, ", ".join(students),
                         report["latency_s"])
            except Exception:  # keep serving the other courses; try again next round
                log.exception("grading %s/%s failed", course_id, assignment)
                continue
            seen.update(e for _, e in items)
            state[course_id] = sorted(seen)
            save_state(state, settings)
    return reports


def main(interval: float = 5.0, once: bool = False, settings: Settings | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s grading-service %(levelname)s %(message)s")
    stop = False

    def _stop(*_):
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    state = load_state(settings)
    while True:
        before = unseen(state, settings)
        run_once(state, settings)
        if once or stop:
            return 0
        # A new submission is graded at once (a listing of each inbound folder twice a second is
        # cheap); one whose grading failed this round waits the full interval before it is retried.
        retry_later = before & unseen(state, settings)
        deadline = time.monotonic() + interval
        while time.monotonic() < deadline and not stop and not unseen(state, settings) - retry_later:
            time.sleep(WATCH_S)
        if stop:
            return 0
