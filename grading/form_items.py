"""Graded cells of an assignment and the per-item results of one checker-graded submission
(shared by grading.formgrade and grading.form_record)."""
from __future__ import annotations

import datetime as dt

from .checks import Item


# -- the gradebook's cells ------------------------------------------------------------------------
def cell_layout(gb, assignment: str) -> dict[str, dict]:
    """grade_id → {notebook, max_score, manual} of every graded cell (grade cells and task cells)."""
    layout: dict[str, dict] = {}
    a = gb.find_assignment(assignment)
    for nb in a.notebooks:
        for gc in nb.grade_cells:  # a markdown grade cell is a written answer: the trainer grades it
            layout[gc.name] = {"notebook": nb.name, "max_score": float(gc.max_score or 0),
                               "manual": gc.cell_type == "markdown"}
        for tc in nb.task_cells:
            layout[tc.name] = {"notebook": nb.name, "max_score": float(tc.max_score or 0), "manual": True}
    return layout


def item_rows(items: list[Item], layout: dict[str, dict], reuse_cases: bool,
              titles: dict[str, str]) -> dict[str, dict]:
    """Checker items as result dicts by cell, points scaled to the gradebook's maximum; cells the
    checker said nothing about score 0 (autograded) or wait for the trainer (hand-graded)."""
    rows: dict[str, dict] = {}
    for it in items:
        if it.cell not in layout:
            continue  # a checker item for no graded cell: ignored (validate reports it)
        top = layout[it.cell]["max_score"]
        points = round(it.points / it.max_points * top, 4) if it.max_points else 0.0
        rows[it.cell] = {"cell": it.cell, "title": it.title or titles.get(it.cell, it.cell), "points": points,
                         "max_points": top, "reasons": list(it.reasons), "answer": it.answer,
                         "expected": None if reuse_cases else it.expected,
                         "pending": bool(it.needs_manual or layout[it.cell]["manual"])}
    for cell, info in layout.items():
        if cell not in rows:
            rows[cell] = {"cell": cell, "title": titles.get(cell, cell), "points": 0.0,
                          "max_points": info["max_score"], "answer": None, "expected": None,
                          "pending": info["manual"],
                          "reasons": [] if info["manual"] else ["评分程序没有给出这道题的结果，记 0 分"]}
    for row in rows.values():
        if row["pending"]:
            row["points"] = 0.0
    return rows


def zero_rows(layout: dict[str, dict], titles: dict[str, str], reason: str) -> dict[str, dict]:
    return {cell: {"cell": cell, "title": titles.get(cell, cell), "points": 0.0, "max_points": info["max_score"],
                   "reasons": [reason], "answer": None, "expected": None, "pending": False}
            for cell, info in layout.items()}


def parse_stamp(stamp: str | None) -> dt.datetime | None:
    if not stamp:
        return None
    from nbgrader.utils import parse_utc

    try:
        return parse_utc(stamp).replace(tzinfo=None)
    except (ValueError, TypeError):
        return None
