"""The trusted checker run: form answers graded as data, the trainee's notebook never executed.

Runs as ``grader-<course>`` (``grading.privileges.run_as_grader``: in root mode a fresh interpreter
of the runtime venv started in the grader's 0700 course root, without capabilities). The process
imports grading, nbgrader's gradebook and the course's checker module from the grader-only
``<course root>/grader/`` — never anything a trainee wrote: the submission contributes one data
file, ``answers.json``, read by :mod:`grading.answers_in`.

For each submission: the receipt time (``timestamp.txt``, rewritten by collect) → nbgrader
``Gradebook`` submission; answers → ``check(answers, ctx)`` with the seed of the trainee's attempt
(``grading.checks.case_seed`` keyed with the course key) → each grade's ``auto_score`` (or
``needs_manual_grade`` for hand-graded cells) and each comment's ``auto_comment`` (Chinese reasons)
→ the autograded notebook (:mod:`grading.form_notebook`) → one result row with per-item results.
"""
from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

from .checks import CheckerSpec, Context, case_seed, load_checker
from .course_root import CHECKERS_FILE
from .secret import course_key


def load_manifest(root: Path) -> dict[str, dict]:
    """assignment → {checker, max_attempts, cohort_max_attempts, due, resubmit_until}."""
    path = Path(root) / CHECKERS_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def checker_for(root: Path, assignment: str) -> CheckerSpec:
    return load_checker(Path(root) / load_manifest(root)[assignment]["checker"])


def _read_stamp(folder: Path) -> str | None:
    from .answers_in import read_small

    data = read_small(folder, "timestamp.txt")
    return None if data is None else data.decode("utf-8", "replace").strip()[:64] or None


def submission_stamps(root: Path, assignment: str, students: list[str]) -> dict[str, str | None]:
    """Receipt time (as collect wrote it) of each collected submission; None without one."""
    return {s: _read_stamp(Path(root) / "submitted" / s / assignment) for s in students}


def public_cases(root: Path, course_id: str, assignment: str,
                 requests: list[tuple[str, int]]) -> dict[str, dict]:
    """account → ``cases(seed)`` of that account's attempt (the public material of cases.json)."""
    spec = checker_for(root, assignment)
    key = course_key(root)
    out: dict[str, dict] = {}
    for account, attempt in requests:
        cases = spec.cases(case_seed(key, course_id, assignment, account, attempt))
        out[account] = json.loads(json.dumps(cases, ensure_ascii=False))  # JSON values only
    return out


def grade_submissions(root: Path, course_id: str, assignment: str, jobs: list[dict],
                      resubmit_until: str | None = None) -> list[dict]:
    """Grade ``jobs`` ({student, attempt, new_attempt, reuse_cases}) with the assignment's checker;
    one row per job. A job that fails (even a checker bug) scores 0 with a reason; the others go on."""
    from .form_items import cell_layout
    from .form_record import grade_one
    from .nbgrader_env import gradebook

    root = Path(root)
    spec = checker_for(root, assignment)
    key = course_key(root)
    deadline = None
    if resubmit_until:
        deadline = dt.datetime.fromisoformat(resubmit_until).astimezone(dt.timezone.utc).replace(tzinfo=None)
    rows = []
    with gradebook(root) as gb:
        layout = cell_layout(gb, assignment)
        for job in jobs:
            started = time.perf_counter()
            ctx = Context(course=course_id, assignment=assignment, account=job["student"],
                          attempt=int(job["attempt"]),
                          seed=case_seed(key, course_id, assignment, job["student"], int(job["attempt"])),
                          reuse_cases=bool(job.get("reuse_cases", True)))
            try:
                row = grade_one(gb, root, spec, ctx, layout, job, deadline)
            except Exception as exc:  # noqa: BLE001 - e.g. a gradebook error: this one fails, the rest go on
                gb.db.rollback()
                row = _failed(job, ctx, exc)
            row["seconds"] = round(time.perf_counter() - started, 4)
            rows.append(row)
    return rows


def _failed(job: dict, ctx: Context, exc: Exception) -> dict:
    from .reasons import REASONS_ZH

    return {"student": job["student"], "status": "failed", "score": 0.0, "max_score": 0.0,
            "reasons": ["not-graded"], "reasons_zh": [REASONS_ZH["not-graded"]], "late": False,
            "isolation": "checker", "needs_manual_grade": False, "attempt": ctx.attempt, "items": [],
            "submitted_at": "", "error": repr(exc)[:500]}


__all__ = ["load_manifest", "checker_for", "submission_stamps", "public_cases", "grade_submissions"]
