"""Adding a course: register it (fixed formgrader port), build its nbgrader course root, render its
lessons, give its gradebook the enrolled trainees.

    python -m academy add-course courses/<id>

The hub's services are fixed at start-up, so a new course needs a hub restart: when a hub of this
ACADEMY_ROOT runs under `python -m academy up`, add-course asks it to restart (SIGHUP to `up`);
user servers stop with the restart (work on disk is kept) and start again on the next visit.
"""
from __future__ import annotations

import logging
from pathlib import Path

from academy import db as adb
from academy.paths import Paths

log = logging.getLogger("academy.courses")


def render_lessons(paths: Paths, course_id: str, src: Path) -> list[Path]:
    """`lessons/NN-name.py` (jupytext percent) → `$ACADEMY_ROOT/lessons/<id>/NN-name.ipynb`."""
    import jupytext

    out: list[Path] = []
    lesson_src = src / "lessons"
    if not lesson_src.is_dir():
        return out
    dest = paths.lessons / course_id
    dest.mkdir(parents=True, exist_ok=True)
    for path in sorted(lesson_src.glob("*.py")):
        nb = jupytext.read(path)
        target = dest / (path.stem + ".ipynb")
        jupytext.write(nb, target, fmt="ipynb")
        target.chmod(0o644)
        out.append(target)
    for path in sorted(lesson_src.iterdir()):  # data files lessons read
        if path.is_file() and path.suffix not in (".py", ".pyc"):
            (dest / path.name).write_bytes(path.read_bytes())
            (dest / path.name).chmod(0o644)
    return out


def add_course(paths: Paths, src: Path, *, sync_students: bool = True) -> adb.CourseRecord:
    """Idempotent: re-running it updates the course root from its sources."""
    from academy import runtime
    from grading import api as grading_api
    from grading.course import load_course

    src = Path(src).resolve()
    spec = load_course(src)
    record = adb.register_course(paths.academy_db_url, spec.id, spec.title, str(src), None)
    runtime.prepare_course_root(paths, spec.id, root_mode=paths.root_mode)
    grading_api.prepare(spec.id, src, root=paths.course_root(spec.id), exchange=paths.exchange)
    # The root-mode helper chowns files written as root to the grader again.
    runtime.prepare_course_root(paths, spec.id, root_mode=paths.root_mode)
    render_lessons(paths, spec.id, src)
    if sync_students:
        students = [p for p in adb.people(paths.academy_db_url, course=spec.id) if p.role == "trainee"]
        if students:
            grading_api.sync_students(spec.id, students, root=paths.course_root(spec.id))
    return record
