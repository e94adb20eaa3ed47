"""validate on an assignment graded as data (course.toml ``checker = …``): the checker's reference
must earn full marks and empty answers nothing on every autograded item, with one item per graded
cell (grading.validate.checker_checks)."""
from __future__ import annotations

import shutil
from pathlib import Path

from grading.course import load_course
from grading.validate import checker_checks

HOTLINE = Path(__file__).resolve().parents[2] / "courses" / "hotline"


def _copy(tmp_path: Path) -> Path:
    dst = tmp_path / "hotline"
    shutil.copytree(HOTLINE, dst)
    return dst


def test_shipped_checker_passes(tmp_path):
    course = load_course(_copy(tmp_path))
    assert checker_checks(course, course.assignment("queue")) == []


def test_reference_short_of_full_marks_is_reported(tmp_path):
    src = _copy(tmp_path)
    p = src / "grader" / "queue.py"
    p.write_text(p.read_text(encoding="utf-8").replace(
        'return {"queue": reference_decisions(make_queue(seed)), "reply": "（参考答复见评分要点）"}',
        'return {"queue": {}, "reply": ""}'), encoding="utf-8")
    course = load_course(src)
    problems = [str(x) for x in checker_checks(course, course.assignment("queue"))]
    assert any("参考答案只得" in x and "route-check" in x for x in problems), problems


def test_blank_that_scores_and_missing_cells_are_reported(tmp_path):
    src = _copy(tmp_path)
    p = src / "grader" / "queue.py"
    text = p.read_text(encoding="utf-8")
    text = text.replace('"merge-check": 2,', '')  # the notebook's merge-check cell gets no item
    text = text.replace("    queue = make_queue(ctx.seed)\n", "    queue = make_queue(ctx.seed)\n"
                        "    answers = answers or {'queue': reference_decisions(queue)}\n")
    p.write_text(text, encoding="utf-8")
    course = load_course(src)
    problems = [str(x) for x in checker_checks(course, course.assignment("queue"))]
    assert any("空白答案也得了" in x for x in problems), problems
    assert any("不一致" in x for x in problems), problems


def test_missing_reference_is_reported(tmp_path):
    src = _copy(tmp_path)
    p = src / "grader" / "queue.py"
    p.write_text(p.read_text(encoding="utf-8").replace("def reference(", "def _reference("), encoding="utf-8")
    course = load_course(src)
    assert any("reference" in str(x) for x in checker_checks(course, course.assignment("queue")))
