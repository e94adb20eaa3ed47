"""The grading API. ``python -m grading VERB`` (grading/cli.py) is a thin layer over it.

Every function that touches a course root runs as the course's grader account in root mode
(``grading.privileges``); results are plain dicts/lists so they cross that boundary pickled.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Iterable

from . import paths, privileges
from .course import load_course
from .nbgrader_env import api as nb_api, gradebook

log = logging.getLogger(__name__)


def _field(person: Any, name: str, default: Any = None) -> Any:
    if isinstance(person, dict):
        return person.get(name, default)
    return getattr(person, name, default)


def course_root(course_id: str) -> Path:
    return paths.course_root(course_id)


# -- course set-up -------------------------------------------------------------------------------
def prepare(course_id: str, course_src: Path | None = None, root: Path | None = None,
            exchange: Path | None = None) -> dict:
    from .course_root import prepare as _prepare

    src = Path(course_src or paths.course_src(course_id))
    root = Path(root or course_root(course_id))
    _prepare(src, root, Path(exchange or paths.exchange_dir()))
    return {"course": course_id, "root": str(root)}


def _sync_students(root: Path, rows: list[dict]) -> dict:
    added = updated = 0
    with gradebook(root) as gb:
        for row in rows:
            try:
                gb.find_student(row["id"])
                updated += 1
            except Exception:
                added += 1
            gb.update_or_create_student(row["id"], first_name=row["first_name"],
                                        last_name=row["last_name"], email=row.get("email"))
    return {"added": added, "updated": updated}


def sync_students(course_id: str, people: Iterable[Any], root: Path | None = None) -> dict:
    """Add or update the nbgrader students of a course from roster people.

    ``people``: objects or dicts with ``account``, ``姓名``, ``单位``, ``县区``, ``cohort``. nbgrader
    keeps only the id and a name; 单位/县区/cohort stay in the academy database (people table).
    The display name is ``姓名（单位）`` so that trainers recognise people in the formgrader.
    """
    rows = []
    for p in people:
        account = _field(p, "account")
        if not account:
            continue
        name = _field(p, "姓名") or _field(p, "name") or account
        unit = _field(p, "单位") or _field(p, "unit") or ""
        rows.append({"id": str(account), "first_name": "", "last_name": f"{name}（{unit}）" if unit else str(name)})
    root = Path(root or course_root(course_id))
    return privileges.run_as_grader(course_id, _sync_students, root, rows)
