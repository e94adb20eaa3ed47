"""Assignments under the real nbgrader, graded as data by their checkers: a trainee's own cases reach
the notebook, answers entered through the widgets survive submit → collect, the checker grades the
collected answers, and the release carries no answer key and no hidden test."""
from __future__ import annotations

import json

import nbformat
import pytest

from course_helpers import ASSIGNMENTS, COURSES_DIR, errors, execute
from grading.checks import Context, load_checker

pytestmark = pytest.mark.timeout(900)
CHECKERS = {"guides": "grader/review.py", "walkthrough": "grader/walk.py"}
SEED = 20261201


@pytest.fixture(scope="module", params=sorted(ASSIGNMENTS))
def run(request, course_root, tmp_path_factory):
    """One trainee per course: their cases beside the notebook (as coursekit.cases.my_cases reads
    them until coursekit.answers.my_cases lands), the worked solution typed into the widgets,
    submitted through the exchange, collected, autograded (the hand-graded cells wait)."""
    cid = request.param
    root = course_root(cid)
    spec = load_checker(COURSES_DIR / cid / CHECKERS[cid])
    release = nbformat.read(root.release_dir / f"{root.notebook}.ipynb", as_version=4)
    work = root.workspace("trainee")
    (work / "cases.json").write_text(json.dumps(spec.cases(SEED), ensure_ascii=False), encoding="utf-8")
    key = spec.module.solution(SEED)
    drive = ("import coursekit, json\n"
             f"_key = json.loads({json.dumps(json.dumps(key, ensure_ascii=False))})\n"
             "for _q, _v in _key.items():\n"
             "    _w = coursekit.REGISTRY[_q]; _w.set(_v); _w.save()\n")
    done = execute(release, work, extra=[drive])
    assert not errors(done), errors(done)
    nbformat.write(done, work / f"{root.notebook}.ipynb")
    root.submit("trainee", work)
    collected = root.root / "submitted" / "trainee" / root.assignment / "answers.json"
    res = {"cid": cid, "root": root, "spec": spec, "key": key, "release": release,
           "collected": json.loads(collected.read_text(encoding="utf-8"))}
    res["scores"] = root.autograde(["trainee"])["trainee"]
    return res


def test_widget_answers_survive_submit_and_earn_full_marks(run):
    assert set(run["collected"]) == set(run["key"])  # every answer saved (lists in the form's order)
    items = run["spec"].check(run["collected"], Context(run["cid"], run["root"].assignment, "trainee", 1, SEED))
    auto = [i for i in items if not i.needs_manual]
    assert auto and all(i.points == i.max_points for i in auto), [(i.cell, i.points, i.reasons) for i in auto]


def test_every_graded_cell_is_graded_by_the_checker_and_waits_in_nbgrader(run):
    """nbgrader holds one task cell per checker item (the checker infra writes the points); none was
    auto-scored from code in the notebook."""
    items = run["spec"].check({}, Context(run["cid"], run["root"].assignment, "trainee", 1, SEED))
    scores = run["scores"]
    assert {i.cell for i in items} == set(scores)
    for i in items:
        score, mx = scores[i.cell]
        assert score is None and mx == i.max_points, (i.cell, score, mx)


def test_release_has_no_answer_key_and_no_hidden_test(run):
    text = nbformat.writes(run["release"])
    for marker in ("BEGIN SOLUTION", "HIDDEN TESTS", "answer_key", "solution(", "expected_", "ROLE_BANK",
                   "reference_proposal", "grader/", "grading_seeds"):
        assert marker not in text, marker
    assert not list(run["root"].release_dir.rglob("*.py"))  # no checker module travels with the release


HAND_GRADED = {"guides": "letter", "walkthrough": "improve"}


def test_hand_graded_answer_reaches_the_grader_with_its_rubric(run):
    """The saved free text is in the autograded notebook (what the formgrader shows) and the rubric
    cell carries its rubric; the checker adds the mechanical hints for the trainer."""
    cid, root = run["cid"], run["root"]
    task = HAND_GRADED[cid]
    nb = root.autograded_nb("trainee")
    shown = json.dumps([c.get("outputs", []) for c in nb.cells], ensure_ascii=False)
    assert run["key"][task][:20].replace("\n", "\\n") in shown
    rubric_cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == task)
    assert "评分要点" in rubric_cell.source and rubric_cell.metadata["academy"]["rubric"]
    item = next(i for i in run["spec"].check(run["collected"], Context(cid, root.assignment, "trainee", 1, SEED))
                if i.cell == task)
    assert item.needs_manual and all(r.startswith(("（", "✔")) for r in item.reasons), item.reasons
