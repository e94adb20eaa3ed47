"""Hand grading with per-criterion rubrics, over nbgrader's gradebook (hubext.web.staff_grading).

The criteria are the course's own: ``metadata.academy.rubric`` of the hand-graded cell in the
course source (``[{"criterion": …, "points": …}, …]``, checked by ``grading validate`` to add up to
the cell's points). A trainer scores each criterion; their sum becomes the cell's
``manual_score`` in the gradebook, and the comment plus one line per criterion becomes nbgrader's
``manual_comment`` (so nbgrader's feedback shows the breakdown too). The per-criterion scores
themselves, with who gave them and when, are kept in the academy DB (table ``rubric_marks``) so the
page can show them again and they can be audited.

Functions taking ``root`` run as the course's grader account (``grading.privileges``) and return
plain data. What the trainee sees of autograded items here is their own answer cells and the
points of each check — never a check's source (hidden tests live there).
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import DateTime, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from runtime.db import Base, now, session

from .nbgrader_env import gradebook


class RubricMark(Base):
    __tablename__ = "rubric_marks"
    course: Mapped[str] = mapped_column(String(64), primary_key=True)
    assignment: Mapped[str] = mapped_column(String(64), primary_key=True)
    account: Mapped[str] = mapped_column(String(64), primary_key=True)
    notebook: Mapped[str] = mapped_column(String(128), primary_key=True)
    cell: Mapped[str] = mapped_column(String(128), primary_key=True)
    scores: Mapped[str] = mapped_column(Text, default="[]")  # JSON: [{"criterion", "points", "score"}]
    comment: Mapped[str] = mapped_column(Text, default="")
    grader: Mapped[str] = mapped_column(String(64), default="")
    saved_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now, onupdate=now)


# -- as the grader ---------------------------------------------------------------------------------
def _meta(cell) -> tuple[dict, dict]:
    return cell.metadata.get("nbgrader", {}), cell.metadata.get("academy", {})


def rubrics(root: Path, assignment: str) -> dict[str, dict[str, list[dict]]]:
    """notebook -> cell -> criteria, from the course root's source notebooks."""
    import nbformat

    out: dict[str, dict[str, list[dict]]] = {}
    for path in sorted((root / "source" / assignment).glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            nbg, acad = _meta(cell)
            if nbg.get("grade_id") and acad.get("rubric"):
                out.setdefault(path.stem, {})[nbg["grade_id"]] = [
                    {"criterion": str(c["criterion"]), "points": float(c["points"])} for c in acad["rubric"]]
    return out


def queue(root: Path) -> list[dict]:
    """Every submission of an assignment with hand-graded cells: waiting ones first, oldest first."""
    out = []
    with gradebook(root) as gb:
        for a in gb.assignments:
            manual = any(gc.name for nb in a.notebooks for gc in nb.grade_cells
                         if _is_hand_graded(gb, gc)) or any(nb.task_cells for nb in a.notebooks)
            if not manual:
                continue
            for sub in a.submissions:
                out.append({"assignment": a.name, "account": sub.student.id,
                            "timestamp": sub.timestamp.isoformat() if sub.timestamp else "",
                            "waiting": bool(sub.needs_manual_grade), "late": (sub.total_seconds_late or 0) > 0,
                            "score": float(sub.score or 0), "max_score": float(sub.max_score or 0)})
    return sorted(out, key=lambda r: (not r["waiting"], r["timestamp"], r["account"]))


def _is_hand_graded(gb, grade_cell) -> bool:
    try:
        gb.find_solution_cell(grade_cell.name, grade_cell.notebook.name, grade_cell.notebook.assignment.name)
        return True
    except Exception:
        return False


def view(root: Path, assignment: str, account: str) -> dict:
    """The submission as a trainer grades it: per notebook, in cell order, the trainee's answers,
    each check's points (no source) and each hand-graded answer with its rubric and current grade."""
    import nbformat

    criteria = rubrics(root, assignment)
    notebooks = []
    with gradebook(root) as gb:
        sub = gb.find_submission(assignment, account)
        for snb in sorted(sub.notebooks, key=lambda n: n.name):
            path = root / "submitted" / account / assignment / f"{snb.name}.ipynb"
            cells = nbformat.read(path, as_version=4).cells if path.exists() else []
            grades = {g.name: g for g in snb.grades}
            comments = {c.name: c for c in snb.comments}
            items = [_item(cell, grades, comments, criteria.get(snb.name, {})) for cell in cells]
            notebooks.append({"name": snb.name, "items": [i for i in items if i]})
        return {"assignment": assignment, "account": account, "notebooks": notebooks,
                "timestamp": sub.timestamp.isoformat() if sub.timestamp else "",
                "late": (sub.total_seconds_late or 0) > 0, "score": float(sub.score or 0),
                "max_score": float(sub.max_score or 0), "waiting": bool(sub.needs_manual_grade)}


def _item(cell, grades: dict, comments: dict, criteria: dict) -> dict | None:
    nbg, _ = _meta(cell)
    gid = nbg.get("grade_id")
    if not gid or not (nbg.get("solution") or nbg.get("grade") or nbg.get("task")):
        return None
    g = grades.get(gid)
    base = {"cell": gid, "cell_type": cell.cell_type}
    if nbg.get("grade") and not nbg.get("solution") and not nbg.get("task"):
        # an autograded check: its points only — its source may hold hidden tests
        return base | {"kind": "auto", "points": float(g.score or 0) if g else 0.0,
                       "max_points": float(g.max_score or 0) if g else 0.0}
    if not nbg.get("grade") and not nbg.get("task"):
        return base | {"kind": "answer", "source": cell.source}
    c = comments.get(gid)
    return base | {"kind": "manual", "source": cell.source if nbg.get("solution") else "",
                   "points": None if g is None or g.score is None else float(g.score),
                   "max_points": float(g.max_score or 0) if g else 0.0,
                   "waiting": bool(g.needs_manual_grade) if g else True,
                   "criteria": criteria.get(gid, []), "comment": (c.manual_comment or "") if c else ""}


def write_manual(root: Path, assignment: str, account: str, notebook: str, cell: str, score: float,
                 comment: str) -> dict:
    """Set one hand-graded cell's manual score and comment, as nbgrader's formgrader does."""
    with gradebook(root) as gb:
        grade = gb.find_grade(cell, notebook, assignment, account)
        if not 0 <= score <= float(grade.max_score or 0) + 1e-9:
            raise ValueError(f"{cell}: {score} outside 0..{grade.max_score}")
        grade.manual_score = score
        grade.needs_manual_grade = False
        try:
            gb.find_comment(cell, notebook, assignment, account).manual_comment = comment
        except Exception:
            pass  # a task cell without a comment row: the academy DB keeps the comment
        gb.db.commit()
        sub = gb.find_submission(assignment, account)
        return {"score": float(sub.score or 0), "max_score": float(sub.max_score or 0),
                "waiting": bool(sub.needs_manual_grade)}


# -- in the caller's process -----------------------------------------------------------------------
def check_scores(criteria: list[dict], scores: list[float]) -> list[dict]:
    """Each criterion's score within 0..its points, in half points; Chinese ValueError otherwise."""
    if not criteria:
        raise ValueError("该题没有评分要点（metadata.academy.rubric），无法按要点评分")
    if len(scores) != len(criteria):
        raise ValueError("每个评分要点都需要给分")
    out = []
    for c, s in zip(criteria, scores):
        if not (0 <= s <= c["points"]) or abs(s * 2 - round(s * 2)) > 1e-9:
            raise ValueError(f"“{c['criterion']}”的得分应在 0 到 {c['points']:g} 之间（以 0.5 分为单位）")
        out.append(c | {"score": float(s)})
    return out


def comment_text(marks: list[dict], comment: str) -> str:
    lines = [comment.strip()] if comment.strip() else []
    lines += [f"{m['criterion']}：{m['score']:g} / {m['points']:g}" for m in marks]
    return "\n".join(lines)


def save_marks(db_url: str, course: str, assignment: str, account: str, notebook: str, cell: str,
               marks: list[dict], comment: str, grader: str) -> None:
    with session(db_url) as s:
        s.merge(RubricMark(course=course, assignment=assignment, account=account, notebook=notebook, cell=cell,
                           scores=json.dumps(marks, ensure_ascii=False), comment=comment, grader=grader,
                           saved_at=now()))
        s.commit()


def marks(db_url: str, course: str, assignment: str, account: str) -> dict[tuple[str, str], RubricMark]:
    with session(db_url) as s:
        q = select(RubricMark).where(RubricMark.course == course, RubricMark.assignment == assignment,
                                     RubricMark.account == account)
        return {(m.notebook, m.cell): m for m in s.scalars(q)}
