"""Grade a checker assignment (the caller's side of :mod:`grading.formgrade`) and write cases.

``grading.autograde.autograde`` dispatches here when the course root's manifest names a checker
for the assignment. The steps alternate between the caller (academy DB: attempts) and the grader
account (course root: receipt times, gradebook, checker):

1. as grader: the receipt time of each collected submission;
2. here: its attempt number (same receipt time → same attempt, so regrading costs nothing; a new
   one → the next). Over the cap (``max_attempts``, per cohort in ``[grading.max_attempts_by_cohort]``)
   it is not graded: the previous result stands, with the reason ``attempts-exceeded``;
3. as grader: :func:`grading.formgrade.grade_submissions`;
4. here: attempts recorded (too-late submissions are not attempts).

``reuse_cases`` is False — the checker may show what was expected — only when these cases can never
be graded again for this trainee: their last allowed attempt, or the last window (``resubmit_until``,
else ``due``) has closed.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Callable

from runtime.settings import Settings

from . import formgrade, paths, privileges, store

CASES_NAME = "cases.json"


def manifest(course_id: str, root: Path, settings: Settings | None = None) -> dict[str, dict]:
    """The course root's checker manifest: read directly when this process may (root, the one
    account), else as the grader account."""
    try:
        return formgrade.load_manifest(root)
    except PermissionError:
        return privileges.run_as_grader(course_id, formgrade.load_manifest, root, settings=settings)


def cap_for(entry: dict, cohort: str | None) -> int:
    by_cohort = entry.get("cohort_max_attempts") or {}
    return int(by_cohort.get(cohort, entry.get("max_attempts", 3))) if cohort else int(entry.get("max_attempts", 3))


def _cohorts(db_url: str) -> dict[str, str]:
    try:
        return {acc: getattr(p, "cohort", "") for acc, p in store.people_index(db_url).items()}
    except Exception:  # noqa: BLE001 - no roster yet (tests, a fresh runtime): default caps
        return {}


def windows_closed(entry: dict, now: dt.datetime | None = None) -> bool:
    last = entry.get("resubmit_until") or entry.get("due")
    if not last:
        return False
    now = now or dt.datetime.now(dt.timezone.utc)
    return now > dt.datetime.fromisoformat(last).astimezone(dt.timezone.utc)


def plan(course_id: str, assignment: str, entry: dict, stamps: dict[str, str | None],
         db_url: str, per_student: dict[str, dict] | None = None) -> tuple[list[dict], list[dict]]:
    """(jobs to grade, rows refused for the attempt cap). ``per_student``: a cohort's own rule
    (grading.cohorts: due, resubmit_until, max_attempts) set by a trainer, over course.toml's."""
    cohorts = _cohorts(db_url)
    closed = windows_closed(entry)
    jobs, refused = [], []
    for student, stamp in sorted(stamps.items()):
        attempt, new = store.attempt_for(db_url, course_id, assignment, student, stamp or "")
        rule = (per_student or {}).get(student) or {}
        cap = rule.get("max_attempts") or cap_for(entry, cohorts.get(student))
        if attempt > cap:
            refused.append({"student": student, "status": "rejected", "score": 0.0, "max_score": 0.0,
                            "reasons": ["attempts-exceeded"], "late": False, "isolation": "checker",
                            "needs_manual_grade": False, "attempt": attempt, "keep_previous": True,
                            "seconds": 0.0, "items": []})
            continue
        jobs.append({"student": student, "timestamp": stamp, "attempt": attempt, "new_attempt": new,
                     "reuse_cases": not (attempt >= cap or closed), "cap": cap,
                     **({"cohort_rule": rule} if rule else {})})
    return jobs, refused


def autograde(course_id: str, assignment: str, root: Path, entry: dict, students: list[str],
              resubmit_until: str | None, on_result: Callable[[dict], None] | None = None,
              settings: Settings | None = None, db_url: str | None = None,
              per_student: dict[str, dict] | None = None, workers: int = 1,
              runner: Callable[..., dict[str, dict]] | None = None) -> list[dict]:
    """``runner``: grading.autograde.run_workers, for a code assignment (passed in, not imported:
    autograde dispatches here)."""
    from .reasons import REASONS_ZH

    db_url = db_url or paths.academy_db_url(settings)
    stamps = privileges.run_as_grader(course_id, formgrade.submission_stamps, root, assignment, students,
                                      settings=settings)
    jobs, refused = plan(course_id, assignment, entry, stamps, db_url, per_student)
    until = resubmit_until or entry.get("resubmit_until")
    if not jobs:
        rows = []
    elif entry.get("kind") == "code":
        if runner is None:
            raise ValueError("a code assignment needs grading.autograde.run_workers as runner")
        rows = code_rows(course_id, assignment, root, jobs, until, workers, settings, runner)
    else:
        rows = privileges.run_as_grader(course_id, formgrade.grade_submissions, root, course_id, assignment, jobs,
                                        until, settings=settings)
    for row in rows:
        if row["status"] != "rejected":  # a too-late submission is not an attempt
            store.record_attempt(db_url, course_id, assignment, row | {"submitted_at": stamps.get(row["student"]) or ""})
    for row in refused:
        row["reasons_zh"] = [REASONS_ZH["attempts-exceeded"]]
    out = sorted(rows + refused, key=lambda r: r["student"])
    for row in out:
        row["success"] = row["status"] == "graded"
        if on_result:
            on_result(row)
    return out


def code_rows(course_id: str, assignment: str, root: Path, jobs: list[dict], until: str | None, workers: int,
              settings: Settings | None, run_workers: Callable[..., dict[str, dict]]) -> list[dict]:
    """A code assignment: N workers (grader account; each submission's kernel a jail job of its own)
    export each submission's values and grade them with the checker (grading.code_grade)."""
    from .reasons import REASONS_ZH

    by_student = {j["student"]: j for j in jobs}

    def payload(share: list[str]) -> dict:
        return {"mode": "code", "course": course_id, "resubmit_until": until,
                "jobs": [by_student[s] for s in share]}

    found = run_workers(course_id, root, assignment, sorted(by_student), max(1, min(workers, len(jobs))),
                        settings=settings, payload=payload)
    rows = []
    for student, job in sorted(by_student.items()):
        row = found.get(student, {})
        if "status" not in row:  # the worker died before it answered for this one
            row = {"student": student, "status": "failed", "score": 0.0, "max_score": 0.0,
                   "reasons": ["not-graded"], "reasons_zh": [REASONS_ZH["not-graded"]], "late": False,
                   "isolation": "", "needs_manual_grade": False, "attempt": job["attempt"], "items": [],
                   "submitted_at": "", "error": str(row.get("error", ""))[:500]}
        rows.append(row)
    return rows


# -- cases.json: each trainee's own cases -------------------------------------------------------------
def next_attempts(course_id: str, assignment: str, entry: dict, accounts: list[str],
                  db_url: str) -> dict[str, int]:
    """account → the attempt their next submission will be (accounts with no attempt left are left out)."""
    cohorts = _cohorts(db_url)
    out = {}
    for account in accounts:
        nxt = store.graded_attempts(db_url, course_id, assignment, account) + 1
        if nxt <= cap_for(entry, cohorts.get(account)):
            out[account] = nxt
    return out


def cases_document(course_id: str, assignment: str, account: str, attempt: int, cap: int, cases: dict) -> bytes:
    doc = {"说明": "合成数据：本次作答的案例，仅供本人使用", "course": course_id, "assignment": assignment,
           "account": account, "attempt": attempt, "max_attempts": cap, "cases": cases}
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
