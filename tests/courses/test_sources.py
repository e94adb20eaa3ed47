"""Course sources: metadata contract, round trip .py → .ipynb, no solution left in releases."""
from __future__ import annotations

import tomllib

import jupytext
import pytest

from course_helpers import COURSE_IDS, COURSES_DIR, assignment_paths, lesson_paths, render

COMPETENCES = {"业务办理", "平台操作", "数据分析与技术应用", "服务意识与流程优化", "信息安全"}


def test_every_course_has_a_valid_course_toml():
    for cid in COURSE_IDS:
        data = tomllib.loads((COURSES_DIR / cid / "course.toml").read_text(encoding="utf-8"))
        assert data["id"] == cid and data["title"] and data["hours"] > 0 and 0 < data["pass_score"] <= 1
        for a in data["assignments"]:
            assert (COURSES_DIR / cid / "assignments" / a["id"]).is_dir() and a["due"]
            # graded as data by a grader-only checker beside the course, never inside coursekit
            assert a["checker"].startswith("grader/") and (COURSES_DIR / cid / a["checker"]).is_file()


@pytest.mark.parametrize("path", assignment_paths(), ids=lambda p: p.stem)
def test_graded_cells_have_points_competence_and_rubrics(path):
    nb = render(path)
    ids = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if "nbgrader" in c.metadata]
    assert len(ids) == len(set(ids)), "grade ids must be unique"
    graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")
              or c.metadata.get("nbgrader", {}).get("task")]
    assert graded
    for c in graded:
        meta = c.metadata
        assert meta["nbgrader"]["points"] > 0
        assert meta["academy"]["competence"] in COMPETENCES
        # Hand-graded answers are nbgrader *task* cells: an unedited answer cell would be auto-zeroed
        # by nbgrader (checksum unchanged), and trainees answer in widgets, not in the cell.
        if meta["academy"].get("checker") and "rubric" not in meta["academy"]:
            # graded as data by the checker: a locked code cell that only says whether it is saved
            assert c.cell_type == "code" and meta["nbgrader"]["locked"] and "ck.saved(" in c.source
            assert "assert" not in c.source and "HIDDEN" not in c.source
            continue
        if meta["nbgrader"].get("task"):  # hand-graded: a rubric, also in the cell's own text
            rubric = meta["academy"]["rubric"]
            assert sum(r["points"] for r in rubric) == meta["nbgrader"]["points"]
            assert "评分要点" in c.source
    for c in nb.cells:  # trainees never need to read code
        if c.cell_type == "code":
            assert c.metadata.get("jupyter", {}).get("source_hidden") is True


def test_checks_and_hand_graded_counts():
    auto = manual = 0
    for path in assignment_paths():
        for c in render(path).cells:
            nbg = c.metadata.get("nbgrader", {})
            if nbg.get("task") and "rubric" in c.metadata.get("academy", {}):
                manual += 1
            elif nbg.get("grade") or nbg.get("task"):
                auto += 1
    assert auto >= 12 and manual >= 2


@pytest.mark.parametrize("path", assignment_paths() + lesson_paths(), ids=lambda p: p.stem)
def test_jupytext_round_trip_keeps_metadata(path):
    text = path.read_text(encoding="utf-8")
    nb = jupytext.reads(text, fmt="py:percent")
    again = jupytext.reads(jupytext.writes(nb, fmt="py:percent"), fmt="py:percent")
    assert [c.metadata.get("nbgrader") for c in nb.cells] == [c.metadata.get("nbgrader") for c in again.cells]
    assert [c.metadata.get("academy") for c in nb.cells] == [c.metadata.get("academy") for c in again.cells]
    assert [c.source for c in nb.cells] == [c.source for c in again.cells]
    rendered = render(path)
    assert [c.metadata.get("nbgrader") for c in rendered.cells] == [c.metadata.get("nbgrader") for c in nb.cells]
    assert [c.metadata.get("academy") for c in rendered.cells] == [c.metadata.get("academy") for c in nb.cells]
    # Cell ids are stable across renders (the grade_id where there is one).
    assert [c.id for c in rendered.cells] == [c.id for c in render(path).cells]
    for c in rendered.cells:
        if "nbgrader" in c.metadata:
            assert c.id == c.metadata["nbgrader"]["grade_id"]
    assert "outputs" not in text and "execution_count" not in text  # no outputs in git


def test_no_answer_key_left_in_the_shared_toolkit():
    """Issue 10/17: course answer keys live beside their course (grader/), not in coursekit nor in the
    assignment notebooks (no solution region, no hidden test: the checker's solution(seed) is the key)."""
    for path in assignment_paths():
        text = path.read_text(encoding="utf-8")
        assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text and "answer_key" not in text, path
    import coursekit
    from coursekit import casework, journeys
    for module, names in ((journeys, ("evaluate_proposal", "ROLE_PROBLEMS", "reference_proposal", "expected_blockages",
                                      "expected_delays", "bundle_saving", "sample_proposal_text", "noodle_case")),
                          (casework, ("expected_defects", "expected_decision", "expected_notice", "sample_notice_letter",
                                      "exercise_application", "KIND_ITEMS", "APPLICATION_TARGETS"))):
        for name in names:
            assert not hasattr(module, name), f"{module.__name__}.{name}"
    text = "".join(p.read_text(encoding="utf-8") for p in (COURSES_DIR / "coursekit").glob("*.py"))
    assert "whatif" not in (COURSES_DIR / "coursekit/__init__.py").read_text(encoding="utf-8")
    assert "answer_key" in dir(coursekit)  # the generic helper stays for other courses' notebooks
    assert "9103" not in text


def test_no_answers_file_in_sources():
    # nbgrader autograde overwrites submitted files with the source folder's: an answers.json there
    # would replace every trainee's answers.
    assert not list(COURSES_DIR.glob("*/assignments/**/answers.json"))


@pytest.mark.timeout(300)
def test_validate_checks_checker_assignments(tmp_path):
    """grading.validate (static part) for a checker assignment: the shipped course passes; a graded
    cell the checker does not grade, or points that differ from the notebook's, are reported."""
    import shutil

    from grading.validate import static_checks
    assert static_checks(COURSES_DIR / "guides") == []
    broken = tmp_path / "guides"
    shutil.copytree(COURSES_DIR / "guides", broken)
    nb = broken / "assignments/review/review.py"
    nb.write_text(nb.read_text(encoding="utf-8").replace('"grade_id": "kind-check"', '"grade_id": "kind2-check"'),
                  encoding="utf-8")
    checker = broken / "grader/review.py"
    checker.write_text(checker.read_text(encoding="utf-8").replace('"o2": 2, "letter": 5}', '"o2": 3, "letter": 5}'),
                       encoding="utf-8")
    text = "\n".join(str(p) for p in static_checks(broken))
    assert "不一致" in text and "kind2-check" in text
    assert "评分模块满分 3" in text and "o2-check" in text
