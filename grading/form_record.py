"""One checker-graded submission into nbgrader's gradebook and the autograded notebook
(the grader side of :mod:`grading.formgrade`; runs as ``grader-<course>``)."""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
import shutil
import signal
import threading
from pathlib import Path

import nbformat

from . import form_notebook
from .answers_in import read_answers, read_small
from .checks import CheckerSpec, Context
from .reasons import REASONS_ZH
from .form_items import item_rows, parse_stamp, zero_rows


CHECK_SECONDS = 20  # one submission's check(); answers are capped at 256 KiB, so only a checker bug gets near


class CheckTimeout(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: int):
    """SIGALRM after ``seconds`` (main thread only: elsewhere no limit is set)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(*_):
        raise CheckTimeout(f"check() took more than {seconds} s")

    old = signal.signal(signal.SIGALRM, _raise)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _zh(tag: str) -> str:
    return REASONS_ZH.get(tag.split(":", 1)[0], tag)


def release_titles(root: Path, assignment: str) -> dict[str, str]:
    """grade_id → title of every graded cell of the released notebooks (cached per release)."""
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted((root / "release" / assignment).glob("*.ipynb")))
    return _titles(root, assignment, stamp)


@functools.lru_cache(maxsize=8)
def _titles(root: Path, assignment: str, stamp: tuple) -> dict[str, str]:
    titles: dict[str, str] = {}
    for path in sorted((root / "release" / assignment).glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if gid:
                titles[gid] = form_notebook.cell_title(cell)
    return titles


def save_grades(gb, assignment: str, student: str, rows: dict[str, dict], new_attempt: bool, zero_all: bool) -> None:
    """Each grade's auto_score / needs_manual_grade and each comment's auto_comment. A new attempt
    drops the trainer's manual scores and comments of the previous one (they graded other answers)."""
    sub = gb.find_submission(assignment, student)
    for nb in sub.notebooks:
        for grade in nb.grades:
            if new_attempt or zero_all:
                grade.manual_score = None
                grade.extra_credit = None
            row = rows.get(grade.name)
            if row is None:
                continue
            if row["pending"]:
                grade.auto_score, grade.needs_manual_grade = None, True
            else:
                grade.auto_score = row["points"]
                grade.needs_manual_grade = grade.manual_score is not None
        for comment in nb.comments:
            if new_attempt:
                comment.manual_comment = None
            row = rows.get(comment.name)
            comment.auto_comment = "；".join(row["reasons"]) if row and row["reasons"] else None
    gb.db.commit()


def write_autograded(root: Path, assignment: str, student: str, rows: dict[str, dict], stamp: str | None,
                     meta: dict, sources: dict[str, dict[str, str]] | None = None) -> None:
    """autograded/<student>/<assignment>/: the released notebooks annotated, and the receipt time."""
    dest = root / "autograded" / student / assignment
    shutil.rmtree(dest, ignore_errors=True)
    for path in sorted((root / "release" / assignment).glob("*.ipynb")):
        form_notebook.write(form_notebook.build(path, rows, meta, (sources or {}).get(path.stem)), dest / path.name)
    dest.mkdir(parents=True, exist_ok=True)
    if stamp:
        (dest / "timestamp.txt").write_text(stamp, encoding="utf-8")
    # nbgrader's release_feedback keys the feedback with the submission's secret (written by submit)
    secret = read_small(root / "submitted" / student / assignment, "submission_secret.txt")
    if secret is not None:
        (dest / "submission_secret.txt").write_bytes(secret)


def _rows_for(root: Path, spec: CheckerSpec, ctx: Context, layout: dict, titles: dict,
              tags: list[str], given: tuple[dict | None, list[str]] | None = None) -> tuple[dict[str, dict], str]:
    """``given``: the answers already read as data (a code assignment's export, grading.code_grade)
    instead of the submission's answers.json."""
    if given is not None:
        answers, found = given[0], list(given[1])
    else:
        answers, found = read_answers(root / "submitted" / ctx.account / ctx.assignment, spec.schema)
    tags += found
    if answers is None:
        return zero_rows(layout, titles, _zh(found[0])), "failed"
    try:
        with time_limit(CHECK_SECONDS):
            items = spec.check(answers, ctx)
    except Exception:  # noqa: BLE001 - a checker bug (or a timeout) scores 0 here, never stops the others
        tags.append("checker-error")
        return zero_rows(layout, titles, _zh("checker-error")), "failed"
    rows = item_rows(items, layout, ctx.reuse_cases, titles)
    for tag in found:  # answers of the wrong type: say so under the cell that lost them
        qid = tag.split(":", 1)[1] if ":" in tag else ""
        for row in rows.values():
            if qid and qid in row["cell"]:
                row["reasons"].append(_zh(tag))
    return rows, "graded"


def grade_one(gb, root: Path, spec: CheckerSpec, ctx: Context, layout: dict, job: dict,
              deadline: dt.datetime | None, given: tuple[dict | None, list[str]] | None = None,
              sources: dict[str, dict[str, str]] | None = None) -> dict:
    """``given``/``sources``: a code assignment's exported values and the trainee's answer cells
    (notebook → grade_id → source), grading.code_grade."""
    student, assignment = ctx.account, ctx.assignment
    stamp = parse_stamp(job.get("timestamp"))
    try:
        gb.find_student(student)  # (one commit less per submission than update_or_create)
    except Exception:  # noqa: BLE001 - nbgrader's MissingEntry
        gb.update_or_create_student(student)
    if stamp is not None:
        gb.update_or_create_submission(assignment, student, timestamp=stamp)
    else:
        gb.update_or_create_submission(assignment, student)
    sub = gb.find_submission(assignment, student)
    if "cohort_rule" in job:  # the cohort's own due date and 补考 deadline (grading.cohorts)
        from .cohorts import apply_cohort_due, utc_naive

        apply_cohort_due(sub, job["cohort_rule"].get("due"))
        deadline = utc_naive(job["cohort_rule"].get("resubmit_until")) or deadline
    titles = release_titles(root, assignment)
    tags: list[str] = []
    late = (sub.total_seconds_late or 0) > 0
    if late:
        tags.append("late")
    if late and deadline is not None and stamp is not None and stamp > deadline:
        tags.append("too-late")
        rows, status = zero_rows(layout, titles, _zh("too-late")), "rejected"
    else:
        rows, status = _rows_for(root, spec, ctx, layout, titles, tags, given)
    save_grades(gb, assignment, student, rows, bool(job.get("new_attempt")), zero_all=status == "rejected")
    write_autograded(root, assignment, student, rows, job.get("timestamp"),
                     {"graded_by": "checker", "attempt": ctx.attempt, "grading_notes": tags}, sources)
    isolation = job.get("isolation") or "checker"
    sub = gb.find_submission(assignment, student)
    return {"student": student, "status": status, "score": float(sub.score or 0),
            "max_score": float(sub.max_score or 0), "reasons": tags, "reasons_zh": [_zh(t) for t in tags],
            "late": late, "isolation": isolation, "needs_manual_grade": bool(sub.needs_manual_grade),
            "attempt": ctx.attempt, "submitted_at": stamp.isoformat() if stamp else "",
            "items": [rows[c] for c in layout if c in rows]}
