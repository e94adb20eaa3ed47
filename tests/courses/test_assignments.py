"""Assignments under the real nbgrader, graded as data by their checkers through grading's own dispatch:
a trainee's own cases (from the course key, as the grader makes them) reach the notebook, answers entered
through the widgets survive submit → collect → autograde (the checker, the notebook never executed),
and the release carries no answer key and no hidden test."""
from __future__ import annotations

import json

import nbformat
import pytest

from course_helpers import ASSIGNMENTS, COURSES_DIR, WITHOUT_KEYS, errors, execute
from grading.checks import Context, load_checker

pytestmark = pytest.mark.timeout(900)
CHECKERS = {"guides": "grader/review.py", "walkthrough": "grader/walk.py"}


@pytest.fixture(scope="module", params=sorted(ASSIGNMENTS))
def run(request, course_root, tmp_path_factory):
    """One trainee per course: their cases.json as the grader writes it (seed from the course key,
    account and attempt 1), the worked solution typed into the widgets, submitted through the
    exchange, collected, autograded (the hand-graded cells wait)."""
    from grading.checker_run import cases_document
    from grading.checks import case_seed
    from grading.secret import course_key

    cid = request.param
    root = course_root(cid)
    spec = load_checker(COURSES_DIR / cid / CHECKERS[cid])
    release = nbformat.read(root.release_dir / f"{root.notebook}.ipynb", as_version=4)
    work = root.workspace("trainee")
    seed = case_seed(course_key(root.root), cid, root.assignment, "trainee", 1)
    (work / "cases.json").write_bytes(cases_document(cid, root.assignment, "trainee", 1, 3, spec.cases(seed)))
    key = spec.module.solution(seed)
    drive = ("import coursekit, json\n"
             f"_key = json.loads({json.dumps(json.dumps(key, ensure_ascii=False))})\n"
             "for _q, _v in _key.items():\n"
             "    _w = coursekit.REGISTRY[_q]; _w.set(_v); _w.save()\n")
    done = execute(release, work, before=[WITHOUT_KEYS], extra=[drive])  # as a trainee's kernel
    assert not errors(done), errors(done)
    nbformat.write(done, work / f"{root.notebook}.ipynb")
    root.submit("trainee", work)
    collected = root.root / "submitted" / "trainee" / root.assignment / "answers.json"
    res = {"cid": cid, "root": root, "spec": spec, "key": key, "release": release, "seed": seed,
           "collected": json.loads(collected.read_text(encoding="utf-8"))}
    res["scores"] = root.autograde(["trainee"])["trainee"]
    res["report"] = root.last_report
    return res


def test_widget_answers_survive_submit_and_earn_full_marks(run):
    assert set(run["collected"]) == set(run["key"])  # every answer saved (lists in the form's order)
    items = run["spec"].check(run["collected"], Context(run["cid"], run["root"].assignment, "trainee", 1, run["seed"]))
    auto = [i for i in items if not i.needs_manual]
    assert auto and all(i.points == i.max_points for i in auto), [(i.cell, i.points, i.reasons) for i in auto]


def test_grading_dispatches_to_the_checker_full_marks_and_the_rubric_waits(run):
    """grading.autograde grades the collected answers with the checker: every automatic cell earns
    full marks in the gradebook, the hand-graded one waits for the trainer."""
    items = run["spec"].check({}, Context(run["cid"], run["root"].assignment, "trainee", 1, run["seed"]))
    scores = run["scores"]
    rows = run["report"]["submissions"]
    assert rows and all(r.get("items") for r in rows), rows  # the checker path, not nbgrader's execution
    assert {i.cell for i in items} == set(scores)
    for i in items:
        score, mx = scores[i.cell]
        if i.needs_manual:
            assert score is None, (i.cell, score)
        else:
            assert score == mx == i.max_points, (i.cell, score, mx)


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
    shown = nbformat.writes(nb)
    probe = max(run["key"][task].splitlines(), key=len)[:20]
    assert probe in shown, probe
    rubric_cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == task)
    assert "评分要点" in rubric_cell.source and rubric_cell.metadata["academy"]["rubric"]
    item = next(i for i in run["spec"].check(run["collected"], Context(cid, root.assignment, "trainee", 1, run["seed"]))
                if i.cell == task)
    assert item.needs_manual and all(r.startswith(("（", "✔")) for r in item.reasons), item.reasons
