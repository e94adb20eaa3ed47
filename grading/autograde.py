"""Parallel, safe autograding of one assignment of one course.

Design (grading/README.md):
1. *Precheck* every submission (as the grader): notebooks present, valid JSON, test cells
   unchanged (nbgrader checksums), too late. Reasons are recorded; nbgrader itself restores
   edited test cells from the gradebook, so an edited test never earns points.
2. *Grade* in N worker processes (``grading.worker``), each with a share of the students,
   through nbgrader's own API into the course's one gradebook (SQLite in WAL mode, 60 s busy
   timeout, retries). Kernels run in ``grading.preprocessors.SafeExecute``'s sandbox.
3. *Settle* (one writer, after the workers): submissions nbgrader could not grade get 0 on every
   cell, test cells that were deleted get 0, too-late submissions get 0, and a result row per
   submission (score, status, reasons) is returned and stored in the academy DB.
Because every submission is graded by the same code with a fresh kernel, the gradebook equals
the one a sequential run (``workers=1``) produces.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field, asdict
from pathlib import Path
from typing import Callable

from runtime.settings import Settings, current
from runtime.unix import setpriv_argv

from . import privileges
from .cohorts import apply_cohort_due, utc_naive

from .reasons import REASONS_ZH  # noqa: E402 - re-exported: api, cli and tests read it here


@dataclass
class SubmissionResult:
    student: str
    status: str = "graded"  # graded | failed | rejected
    score: float = 0.0
    max_score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    late: bool = False
    seconds: float = 0.0
    isolation: str = ""

    def reasons_zh(self) -> list[str]:
        return [REASONS_ZH.get(r.split(":", 1)[0], r) for r in self.reasons]


# -- 1. precheck (as grader) -----------------------------------------------------------------------
def precheck(root: Path, assignment: str, students: list[str] | None) -> dict[str, list[str]]:
    import nbformat
    from nbgrader.utils import compute_checksum, is_grade, is_locked

    from .nbgrader_env import gradebook

    submitted = root / "submitted"
    if students is None:
        students = sorted(p.name for p in submitted.iterdir() if (p / assignment).is_dir()) if submitted.exists() else []
    reasons: dict[str, list[str]] = {}
    with gradebook(root) as gb:
        a = gb.find_assignment(assignment)
        expected = {}
        for nb in a.notebooks:
            expected[nb.name] = {c.name: c.checksum for c in nb.source_cells if c.locked or True}
            expected[nb.name + ":tests"] = {c.name for c in nb.grade_cells if c.cell_type == "code" and not _is_solution(gb, c)}
        for student in students:
            found: list[str] = []
            for nb in a.notebooks:
                path = submitted / student / assignment / f"{nb.name}.ipynb"
                if not path.exists():
                    found.append(f"missing-notebook:{nb.name}")
                    continue
                try:
                    sub = nbformat.read(path, as_version=4)
                    nbformat.validate(sub)
                except Exception:
                    found.append(f"invalid-notebook:{nb.name}")
                    continue
                cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in sub.cells
                         if c.metadata.get("nbgrader", {}).get("grade_id")}
                tests = expected[nb.name + ":tests"]
                if any(t not in cells for t in tests):
                    found.append(f"tests-deleted:{nb.name}")
                for cell_id in tests & cells.keys():
                    cell = cells[cell_id]
                    if is_locked(cell) or is_grade(cell):
                        # the released cell carries its checksum (what `nbgrader validate` checks)
                        stored = cell.metadata.get("nbgrader", {}).get("checksum")
                        if stored is None or compute_checksum(cell) != stored:
                            found.append(f"tests-modified:{nb.name}")
                            break
            reasons[student] = found
    return reasons


def _is_solution(gb, grade_cell) -> bool:
    try:
        return bool(gb.find_solution_cell(grade_cell.name, grade_cell.notebook.name, grade_cell.notebook.assignment.name))
    except Exception:
        return False


# -- 2. workers --------------------------------------------------------------------------------------
def worker_command(course_id: str, settings: Settings | None = None) -> list[str]:
    """The worker runs as grader-<course> with no capabilities at all: submissions' kernels are
    started for it by the root launcher (grading.jail) this process serves. Without root it runs
    as the current user."""
    if privileges.is_root(settings):
        pw = privileges.ensure_grader(course_id, settings)
        py = privileges.grader_python(settings)
        if pw is not None and py is not None:
            return setpriv_argv(pw, caps="") + [py, "-m", "grading.worker"]
    return [sys.executable, "-m", "grading.worker"]


def _launcher(course_id: str, settings: Settings | None) -> tuple[Callable | None, str | None]:
    """Root mode: a factory of per-worker launcher sockets (grading.jail.serve_in_thread) and the
    kernel interpreter; None when this process cannot launch jobs (not root, no util-linux)."""
    from . import jail

    if not privileges.is_root(settings) or not jail.available():
        return None, None
    py = privileges.grader_python(settings) or jail.kernel_python()
    pw = privileges.ensure_grader(course_id, settings)
    if py is None or pw is None:
        return None, None
    return (lambda: jail.serve_in_thread(py, pw.pw_gid)), py


def _worker_env(course_id: str, settings: Settings | None = None) -> dict:
    env = {**os.environ, **(settings or current()).child_env()}  # the worker builds the same settings
    cmd = worker_command(course_id, settings)
    env["PATH"] = str(Path(cmd[cmd.index("--") + 1] if "--" in cmd else cmd[0]).parent) + os.pathsep + env.get("PATH", "")
    if privileges.is_root(settings) and "--" in cmd:
        pw = privileges.ensure_grader(course_id, settings)
        env.update(HOME=pw.pw_dir, USER=pw.pw_name, LOGNAME=pw.pw_name)
        env.pop("PYTHONPATH", None)
    return env


def run_workers(course_id: str, root: Path, assignment: str, students: list[str], workers: int,
                on_result: Callable[[dict], None] | None = None, settings: Settings | None = None,
                payload: Callable[[list[str]], dict] | None = None) -> dict[str, dict]:
    """``payload``: extra fields of each worker's job for its share (a code assignment's jobs)."""
    shares = [students[i::workers] for i in range(workers)]
    procs = []
    cmd = worker_command(course_id, settings)
    env = _worker_env(course_id, settings)
    launcher, _ = _launcher(course_id, settings)
    for share in shares:
        if not share:
            continue
        fds: tuple[int, ...] = ()
        if launcher is not None:  # one root launcher per worker; it ends the worker's jobs when it exits
            theirs, _thread = launcher()
            fds = (theirs.fileno(),)
            env = {**env, "ACADEMY_JAIL_FD": str(theirs.fileno())}
        p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             env=env, text=True, cwd=str(root), pass_fds=fds)
        if launcher is not None:
            theirs.close()
        job = {"root": str(root), "assignment": assignment, "students": share, **(payload(share) if payload else {})}
        p.stdin.write(json.dumps(job))
        p.stdin.close()
        procs.append((p, share))
    results: dict[str, dict] = {}
    import selectors

    sel = selectors.DefaultSelector()
    for p, _ in procs:
        sel.register(p.stdout, selectors.EVENT_READ, p)
    open_streams = len(procs)
    while open_streams:
        for key, _ in sel.select():
            line = key.fileobj.readline()
            if not line:
                sel.unregister(key.fileobj)
                open_streams -= 1
                continue
            line = line.strip()
            if not line.startswith("{"):
                continue
            try:
                res = json.loads(line)
            except ValueError:
                continue
            if "student" in res:
                results[res["student"]] = res
                if on_result:
                    on_result(res)
    for p, share in procs:
        p.wait()
        for s in share:  # a worker that died takes nobody else down: its rest is reported failed
            if s not in results:
                res = {"student": s, "success": False, "error": f"worker exited {p.returncode}", "notes": [],
                       "isolation": "", "seconds": 0}
                results[s] = res
                if on_result:
                    on_result(res)
    return results


# -- 3. settle (as grader, one writer) ----------------------------------------------------------------
def settle(root: Path, assignment: str, prechecks: dict[str, list[str]], worker_results: dict[str, dict],
           resubmit_until: str | None, per_student: dict[str, dict] | None = None) -> list[dict]:
    """``per_student``: student -> {"due", "resubmit_until"} of their cohort (grading.cohorts),
    overriding the assignment's due date and ``resubmit_until`` for them."""
    from .nbgrader_env import gradebook

    per_student = per_student or {}
    out: list[dict] = []
    with gradebook(root) as gb:
        for student in sorted(set(prechecks) | set(worker_results)):
            res = SubmissionResult(student=student)
            wr = worker_results.get(student, {})
            res.reasons = list(prechecks.get(student, []))
            res.seconds = float(wr.get("seconds", 0))
            res.isolation = wr.get("isolation", "")
            for note in wr.get("notes", []):
                tag = note.split(":", 1)[0]
                if tag not in [r.split(":", 1)[0] for r in res.reasons]:
                    res.reasons.append(tag)
            try:
                sub = gb.find_submission(assignment, student)
            except Exception:
                gb.update_or_create_student(student)
                gb.update_or_create_submission(assignment, student)
                sub = gb.find_submission(assignment, student)
            zero_all = not wr.get("success", False)
            if zero_all and not any(r.startswith(("invalid-notebook", "missing-notebook")) for r in res.reasons):
                res.reasons.append("not-graded")
            rule = per_student.get(student)
            if rule is not None:
                apply_cohort_due(sub, rule.get("due"))
            deadline = utc_naive(rule.get("resubmit_until") if rule is not None else resubmit_until)
            res.late = (sub.total_seconds_late or 0) > 0
            if res.late:
                res.reasons.append("late")
                if deadline and sub.timestamp and sub.timestamp > deadline:
                    res.reasons.append("too-late")
                    zero_all = True
                    res.status = "rejected"
            invalid_nbs = {r.split(":", 1)[1] for r in res.reasons if r.startswith(("invalid-notebook", "missing-notebook"))}
            for nb in sub.notebooks:
                for grade in nb.grades:
                    if zero_all or nb.name in invalid_nbs:
                        grade.auto_score = 0
                        grade.manual_score = None
                        grade.needs_manual_grade = False
                    elif grade.auto_score is None and grade.cell_type == "code" and _is_test(gb, grade):
                        grade.auto_score = 0  # a test cell that never ran (deleted, kernel gone)
                        grade.needs_manual_grade = False
            gb.db.commit()
            sub = gb.find_submission(assignment, student)
            res.score = float(sub.score or 0)
            res.max_score = float(sub.max_score or 0)
            if zero_all and res.status != "rejected":
                res.status = "failed"
            out.append(asdict(res) | {"reasons_zh": res.reasons_zh(), "needs_manual_grade": bool(sub.needs_manual_grade)})
    return out


def _is_test(gb, grade) -> bool:
    """A code grade cell that is not also a solution cell: an autograded test."""
    nb = grade.notebook
    try:
        gb.find_solution_cell(grade.name, nb.notebook.name, nb.assignment.assignment.name)
        return False
    except Exception:
        return True


def submitted_students(root: Path, assignment: str) -> list[str]:
    sub = root / "submitted"
    if not sub.exists():
        return []
    return sorted(p.name for p in sub.iterdir() if (p / assignment).is_dir())


def autograde(course_id: str, assignment: str, root: Path, workers: int | None = None,
              students: list[str] | None = None, resubmit_until: str | None = None,
              on_result: Callable[[dict], None] | None = None, settings: Settings | None = None,
              db_url: str | None = None, per_student: dict[str, dict] | None = None) -> dict:
    """Grade ``students`` (default: every submission) of one assignment; ``settings`` default to
    this process's (runtime.settings). An assignment with a checker (course.toml ``checker``) is
    graded as data by the trusted checker (grading.checker_run), its notebook never executed."""
    started = time.perf_counter()
    workers = max(1, workers or os.cpu_count() or 1)
    if students is None:
        students = privileges.run_as_grader(course_id, submitted_students, root, assignment, settings=settings)
    from . import checker_run

    entry = checker_run.manifest(course_id, root, settings).get(assignment)
    if entry is not None:
        rows = checker_run.autograde(course_id, assignment, root, entry, students, resubmit_until, on_result,
                                     settings=settings, db_url=db_url, per_student=per_student, workers=workers,
                                     runner=run_workers)
        return {"course": course_id, "assignment": assignment, "workers": 1, "graded_by": "checker",
                "seconds": round(time.perf_counter() - started, 3), "submissions": rows}
    prechecks = privileges.run_as_grader(course_id, precheck, root, assignment, students, settings=settings)
    graded = run_workers(course_id, root, assignment, students, min(workers, max(1, len(students))), on_result,
                         settings)
    rows = privileges.run_as_grader(course_id, settle, root, assignment, prechecks, graded, resubmit_until,
                                    per_student, settings=settings)
    return {
        "course": course_id,
        "assignment": assignment,
        "workers": workers,
        "seconds": round(time.perf_counter() - started, 3),
        "submissions": rows,
    }
