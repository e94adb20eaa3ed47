"""The one switch for where per-question feedback comes from.

Preferred: the checker contract's ``grading.api.feedback_items`` (forms graded as data by
grader-only checkers: reasons and the rule behind them). Until a course is graded that way, or on a
checkout without it: ``grading.api.trainee_feedback`` (autograded notebook + gradebook). Both give
dicts with cell, title, points, max_points, reasons, answer, expected, pending. The page shows
only these fields, so nothing else (code, tracebacks, hidden tests) can reach the trainee.
"""
from __future__ import annotations

import logging
from typing import Any

from grading import api as grading_api

log = logging.getLogger("hubext.web.portal")


def feedback_items(course: str, assignment: str, account: str) -> list[dict]:
    checker = getattr(grading_api, "feedback_items", None)
    if checker is not None:
        try:
            found = checker(course, assignment, account)
            if found:
                return [_clean(i) for i in found]
        except Exception:  # noqa: BLE001 — fall back to the gradebook's view, log the cause
            log.exception("feedback_items %s/%s/%s failed", course, assignment, account)
    return [_clean(i) for i in grading_api.trainee_feedback(course, assignment, account)]


def _clean(item: dict) -> dict:
    return {"cell": str(item.get("cell", "")), "title": _plain_title(str(item.get("title", "") or item.get("cell", ""))),
            "points": float(item.get("points") or 0), "max_points": float(item.get("max_points") or 0),
            "reasons": [str(r) for r in item.get("reasons") or []],
            "answer": item.get("answer"), "expected": item.get("expected"), "pending": bool(item.get("pending"))}


def _plain_title(title: str) -> str:
    """A question title without markdown marks: "**第二题（3 分）** 说明……" → "第二题（3 分）"."""
    cleaned = title.strip().strip("#").strip()
    if cleaned.startswith("**"):
        cleaned = cleaned[2:]
    return cleaned.split("**", 1)[0].strip() or title


def answer_text(value: Any) -> str:
    """A saved answer as plain Chinese text (no JSON punctuation)."""
    if value is None or value == "":
        return "（未作答）"
    if isinstance(value, dict):
        return "；".join(f"{k}：{answer_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(answer_text(v) for v in value) if value else "（一项也没选）"
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)
