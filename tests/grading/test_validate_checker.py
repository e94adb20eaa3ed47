"""validate on an assignment graded as data whose full-marks answers depend on the seed: the checker's
``reference(cases, seed)`` supplies them (grading.validate_checker._checker_reference) and goes through
the real dispatch; a reference short of full marks is reported."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grading.validate import validate

HOTLINE = Path(__file__).resolve().parents[2] / "courses" / "hotline"
pytestmark = pytest.mark.timeout(600)


def _copy(tmp_path: Path) -> Path:
    dst = tmp_path / "hotline"
    shutil.copytree(HOTLINE, dst)
    return dst


def test_checker_reference_earns_full_marks(tmp_path):
    assert [str(p) for p in validate(_copy(tmp_path))] == []


def test_reference_short_of_full_marks_is_reported(tmp_path):
    src = _copy(tmp_path)
    p = src / "grader" / "queue.py"
    p.write_text(p.read_text(encoding="utf-8").replace(
        'return {"queue": reference_decisions(make_queue(seed)), "reply": "（参考答复见评分要点）"}',
        'return {"queue": {}, "reply": ""}'), encoding="utf-8")
    problems = [str(x) for x in validate(src)]
    assert any("参考答案只得" in x and "route-check" in x for x in problems), problems
