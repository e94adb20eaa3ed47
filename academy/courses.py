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
from runtime.people import people
from runtime.settings import current
from runtime.paths import Paths

log = logging.getLogger("academy.courses")


def render_notebooks(sources: list[Path], dest: Path) -> list[Path]:
    """Text notebooks (jupytext percent, `name.py`) → `dest/name.ipynb`, readable by all (0644)."""
    import jupytext

    out: list[Path] = []
    for path in sources:
        target = dest / (path.stem + ".ipynb")
        jupytext.write(jupytext.read(path), target, fmt="ipynb")
        target.chmod(0o644)
        out.append(target)
    return out


def render_lessons(paths: Paths, course_id: str, src: Path) -> list[Path]:
    """`lessons/NN-name.py` (jupytext percent) → `$ACADEMY_ROOT/lessons/<id>/NN-name.ipynb`."""
    out: list[Path] = []
    lesson_src = src / "lessons"
    if not lesson_src.is_dir():
        return out
    dest = paths.lessons / course_id
    dest.mkdir(parents=True, exist_ok=True)
    out = render_notebooks(sorted(lesson_src.glob("*.py")), dest)
    for path in sorted(lesson_src.iterdir()):  # data files lessons read
        if path.is_file() and path.suffix not in (".py", ".pyc"):
            (dest / path.name).write_bytes(path.read_bytes())
            (dest / path.name).chmod(0o644)
    return out


def source_stamp(src: Path) -> str:
    """Cheap fingerprint of a course source tree (paths, sizes, mtimes)."""
    import hashlib

    h = hashlib.sha256()
    for path in sorted(Path(src).rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            st = path.stat()
            h.update(f"{path.relative_to(src)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _stamp_file(paths: Paths, course_id: str) -> Path:
    return paths.data_dir / f"course-{course_id}.stamp"


def course_is_current(paths: Paths, src: Path) -> bool:
    """True if `src` was added before, unchanged since, and its course root is still there —
    then `make up` need not rebuild it (saves the nbgrader work on every start)."""
    import tomllib

    try:
        course_id = tomllib.loads((Path(src) / "course.toml").read_text(encoding="utf-8"))["id"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return False
    known = {c.id for c in adb.courses(paths.academy_db_url)} if paths.has_academy_db() else set()
    stamp = _stamp_file(paths, course_id)
    return (
        course_id in known
        # built once: its gradebook file, or on PostgreSQL its nbgrader_config.py (the database is a server's)
        and (paths.course_root(course_id) / ("nbgrader_config.py" if paths.db_server else "gradebook.db")).exists()
        and stamp.exists()
        and stamp.read_text() == source_stamp(Path(src).resolve())
    )


def add_course(paths: Paths, src: Path, *, sync_students: bool = True) -> adb.CourseRecord:
    """Idempotent: re-running it updates the course root from its sources."""
    from academy import runtime
    from grading import api as grading_api
    from grading.course import load_course

    src = Path(src).resolve()
    spec = load_course(src)
    record = adb.register_course(paths.academy_db_url, spec.id, spec.title, str(src), None)
    settings = current().at(paths)
    runtime.prepare_course_root(paths, spec.id, root_mode=paths.root_mode)
    # grading builds the course root as the grader account (root mode) and owns what it writes
    grading_api.prepare(spec.id, src, root=paths.course_root(spec.id), exchange=paths.exchange, settings=settings)
    render_lessons(paths, spec.id, src)
    _stamp_file(paths, spec.id).write_text(source_stamp(src))
    if sync_students:
        students = [p for p in people(paths.academy_db_url, course=spec.id) if p.role == "trainee"]
        if students:
            grading_api.sync_students(spec.id, students, root=paths.course_root(spec.id), settings=settings)
    return record
