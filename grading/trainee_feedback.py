"""Per-question feedback for the trainee, read from the autograded notebook and the gradebook.

Read-only; runs as the course's grader account (grading.api.trainee_feedback). One dict per
graded cell: its title, the trainee's saved answer (forms; code answers are not shown), the points,
"what was wrong" (the Chinese message of the failed check — never code, a traceback or a hidden
test's source), and ``pending`` for hand-graded parts not yet graded. Keys follow the checker
contract's ``feedback_items`` (cell, title, points, max_points, reasons, answer, expected, pending).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from .nbgrader_env import gradebook

SAVED_RE = re.compile(r"""(?:saved|require|load)\(\s*["']([A-Za-z0-9_-]+)["']""")
HEADING_RE = re.compile(r"^#{1,4}\s*(.+)$", re.M)
BOLD_RE = re.compile(r"^\*\*(.+?)\*\*")
# Messages a trainee may read: the assertion's own sentence, or coursekit's NotSaved.
SHOWN_ERRORS = {"AssertionError", "NotSaved"}


def _title(cell, previous_heading: str) -> str:
    """"# 检查：…" of a check cell; the bold lead of a hand-graded task cell; else the heading above."""
    first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
    if first.startswith("# 检查："):
        return first[len("# 检查："):].strip()
    bold = BOLD_RE.match(first)
    if cell.cell_type == "markdown" and bold:
        return bold.group(1).strip()
    return previous_heading or cell.metadata.get("nbgrader", {}).get("grade_id", "")


def _wrong(cell) -> list[str]:
    out = []
    for o in cell.get("outputs", []):
        if o.get("output_type") == "error":
            name, value = o.get("ename", ""), str(o.get("evalue", "")).strip()
            if name in SHOWN_ERRORS and value and re.search(r"[\u4e00-\u9fff]", value):
                out.append(value.splitlines()[0][:300])
            else:
                out.append("未通过自动检查")
    return out


def _answer(cell, answers: dict) -> str | list | dict | None:
    meta = cell.metadata.get("nbgrader", {})
    if cell.cell_type == "markdown" and meta.get("solution"):
        return cell.source.split("=== BEGIN MARK SCHEME ===")[0].strip()
    m = SAVED_RE.search(cell.source)
    if m:
        return answers.get(m.group(1))
    return answers.get(meta.get("grade_id", "")) if meta.get("task") else None  # task cell id = form id


def items(root: Path, assignment: str, account: str) -> list[dict]:
    """Feedback items of ``account``'s graded submission of ``assignment`` ([] before grading)."""
    import nbformat

    folder = Path(root) / "autograded" / account / assignment
    if not folder.is_dir():
        return []
    try:
        answers = json.loads((folder / "answers.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        answers = {}
    out: list[dict] = []
    with gradebook(root) as gb:
        for path in sorted(folder.glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            heading = ""
            for cell in nb.cells:
                if cell.cell_type == "markdown":
                    found = HEADING_RE.findall(cell.source)
                    heading = found[0].strip() if found else heading
                meta = cell.metadata.get("nbgrader", {})
                if not (meta.get("grade") or meta.get("task")):
                    continue
                out.append(_item(gb, cell, heading, path.stem, assignment, account, answers))
    return out


def _item(gb, cell, heading: str, notebook: str, assignment: str, account: str, answers: dict) -> dict:
    meta = cell.metadata.get("nbgrader", {})
    gid = meta.get("grade_id", "")
    points, pending = 0.0, False
    try:
        grade = gb.find_grade(gid, notebook, assignment, account)
        points = float(grade.score or 0)
        pending = bool(grade.needs_manual_grade)
    except Exception:  # noqa: BLE001 — a cell without a grade row counts 0
        pass
    manual = cell.cell_type == "markdown" or meta.get("task")
    return {"cell": gid, "title": _title(cell, heading), "points": points,
            "max_points": float(meta.get("points", 0) or 0),
            "reasons": [] if manual else _wrong(cell), "answer": _answer(cell, answers),
            "expected": None, "pending": pending}
