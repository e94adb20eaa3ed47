"""Grader-only checker of demo/ps1 (a code assignment graded as data; grading.code_export).

The trainee's kernel runs their notebook and then exports the calls below as JSON; ``check`` runs
in the trusted grader process on that JSON. Inputs here may be seen by the kernel (they travel in
the export step); the expected results exist only in ``check``. The same checks as the notebook's
visible ones plus the hidden ones that used to run inside the trainee's kernel.
"""
from __future__ import annotations

# the notebook's sample data (合成数据), as JSON lists
RECORDS = [["HD2026-0001", 5, 3], ["HD2026-0002", 5, 6], ["HD2026-0003", 1, 1],
           ["HD2026-0004", 10, 12], ["HD2026-0005", 3, 2]]

EXPORTS = {
    "q1_sample": {"call": "on_time_rate", "args": [RECORDS]},
    "q1_empty": {"call": "on_time_rate", "args": [[]]},
    "q1_equal": {"call": "on_time_rate", "args": [[["X", 2, 2], ["Y", 2, 3]]]},
    "q2_sample": {"call": "overdue_ids", "args": [RECORDS]},
    "q2_empty": {"call": "overdue_ids", "args": [[]]},
    "q2_order": {"call": "overdue_ids", "args": [[["A", 1, 1], ["B", 1, 2], ["C", 3, 9]]]},
}


def cases(seed: int) -> dict:
    return {}  # every trainee works on the notebook's own data


def _value(values: dict, name: str, reasons: list[str]):
    """(ok, value) of one exported call; a call that raised is a reason, not a value."""
    entry = values.get(name)
    if not isinstance(entry, dict) or "value" not in entry:
        error = entry.get("error") if isinstance(entry, dict) else None
        reasons.append(f"函数运行出错：{error}" if error else "函数没有运行（未定义或代码中途出错）")
        return False, None
    return True, entry["value"]


def _is_rate(value, want: float) -> bool:
    return type(value) is float and abs(value - want) < 1e-9


def _q1(values: dict) -> tuple[bool, list[str], object]:
    reasons: list[str] = []
    ok, sample = _value(values, "q1_sample", reasons)
    if not ok:
        return False, reasons, None
    if type(sample) is not float:
        reasons.append("结果应当是小数（float）")
    elif not _is_rate(sample, 0.6):
        reasons.append("示例数据的按时办结率应为 0.6")
    ok_e, empty = _value(values, "q1_empty", reasons)
    if ok_e and not (type(empty) is float and empty == 0.0):
        reasons.append("没有办件时应返回 0.0")
    ok_q, equal = _value(values, "q1_equal", reasons)
    if ok_q and not _is_rate(equal, 0.5):
        reasons.append("实际用时等于承诺时限算按时")
    return not reasons, reasons, sample


def _q2(values: dict) -> tuple[bool, list[str], object]:
    reasons: list[str] = []
    ok, sample = _value(values, "q2_sample", reasons)
    if not ok:
        return False, reasons, None
    if type(sample) is not list:
        reasons.append("结果应当是列表（list）")
    elif any(type(x) is not str for x in sample):
        reasons.append("列表里应当是办件编号（文字）")
    elif sample != ["HD2026-0002", "HD2026-0004"]:
        reasons.append("示例数据中应有两件超期")
    ok_e, empty = _value(values, "q2_empty", reasons)
    if ok_e and empty != []:
        reasons.append("没有办件时应返回空列表")
    ok_o, order = _value(values, "q2_order", reasons)
    if ok_o and order != ["B", "C"]:
        reasons.append("应保持原有顺序")
    return not reasons, reasons, sample


def check(values: dict, ctx) -> list[dict]:
    items = []
    for cell, points, judge in (("q1-check", 2.0, _q1), ("q2-check", 3.0, _q2)):
        passed, reasons, shown = judge(values)
        items.append({"cell": cell, "points": points if passed else 0.0, "max_points": points,
                      "reasons": ["检查通过"] if passed else reasons,
                      "answer": None if shown is None else repr(shown)[:200]})
    items.append({"cell": "q3-answer", "points": 0.0, "max_points": 5.0, "needs_manual": True})
    return items
