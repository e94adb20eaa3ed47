"""What grader-side checkers share (widget-free): results as mappings with grading's Item fields.

A checker is loaded by grading, never by a trainee's kernel. Courses sit on the sandbox only, so
checkers import nothing from grading: each result is a mapping that ``grading.checks.as_item`` turns
into an Item, and the context is read through the small protocol below.
"""
from __future__ import annotations

from typing import Any, Protocol


class CheckContext(Protocol):
    """What a checker reads of grading's Context."""

    seed: int


def result(cell: str, points: float, max_points: float, reasons: tuple[str, ...] | list[str] = (), *,
           expected: str | None = None, needs_manual: bool = False, answer: str | None = None,
           title: str | None = None) -> dict[str, Any]:
    """One graded cell as a mapping with the fields of grading's Item (grading.checks.as_item)."""
    return {"cell": cell, "points": points, "max_points": max_points, "reasons": tuple(reasons),
            "expected": expected, "needs_manual": needs_manual, "answer": answer, "title": title}
