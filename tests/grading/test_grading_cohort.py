"""A cohort of good and bad submissions graded together (the shared `cohort` fixture)."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from grading_helpers import EXPECTED

pytestmark = pytest.mark.timeout(600)


def test_release_has_no_solutions_hidden_tests_or_mark_scheme(course):
    text = (course / "release" / "ps1" / "ps1.ipynb").read_text(encoding="utf-8")
    for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "on_time_rate([])", "BEGIN MARK SCHEME", "参考要点"):
        assert marker not in text
    # the source still has them: the release really removed something
    assert "BEGIN HIDDEN TESTS" in (course / "source" / "ps1" / "ps1.ipynb").read_text(encoding="utf-8")


@pytest.mark.parametrize("scenario", sorted(EXPECTED))
def test_each_submission_scores_what_it_deserves(cohort, scenario):
    points, reason = EXPECTED[scenario]
    row = cohort[scenario]
    autograded = row["score"]  # the hand-graded answer is not graded yet: score = autograded points
    assert autograded == points, (scenario, row)
    tags = [r.split(":", 1)[0] for r in row["reasons"]]
    if reason:
        assert reason in tags, (scenario, row)
        assert row["reasons_zh"], "a reason a trainer can read"
    else:
        assert not {"tampered", "not-graded", "kernel-died"} & set(tags), (scenario, row)
    assert row["max_score"] == 10


def test_bad_submissions_did_not_stop_the_good_one(cohort):
    assert cohort["good"]["status"] == "graded"
    assert cohort["good"]["needs_manual_grade"]  # the 一次性告知 answer waits for a trainer
    assert cohort["invalid-json"]["status"] == "failed"
    assert len([k for k in cohort if not k.startswith("_")]) == len(EXPECTED)


def test_huge_output_was_capped(cohort, course):
    nb = course / "autograded" / "huge-output" / "ps1" / "ps1.ipynb"
    assert nb.stat().st_size < 400_000


def test_feedback_has_no_hidden_tests(cohort, course):
    from grading.api import hidden_test_lines, html_text, leaked_hidden_lines

    hidden = hidden_test_lines(course, "ps1")
    assert hidden, "the demo course has hidden tests"
    files = sorted((course / "feedback").glob("*/ps1/ps1.html"))
    assert len(files) >= len(EXPECTED) - 2  # invalid / missing notebooks have no feedback notebook
    for f in files:
        html = f.read_text(encoding="utf-8")
        assert leaked_hidden_lines(html, hidden) == [], f
        assert "BEGIN HIDDEN TESTS" not in html
    hardcoded = html_text((course / "feedback" / "hardcoded" / "ps1" / "ps1.html").read_text(encoding="utf-8"))
    assert "隐藏检查未通过" in hardcoded and "没有办件时应返回 0.0" in hardcoded  # names the failed check
    good = html_text((course / "feedback" / "good" / "ps1" / "ps1.html").read_text(encoding="utf-8"))
    assert "隐藏检查未通过" not in good and "评分说明" not in good
    died = html_text((course / "feedback" / "os-exit" / "ps1" / "ps1.html").read_text(encoding="utf-8"))
    assert "评分说明" in died and "内核意外退出" in died  # the trainee is told why


def test_trainee_fetches_feedback_through_exchange(cohort, academy_env):
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeFetchFeedback

    from grading_helpers import _auth, _exchange_config

    import os

    home = academy_env / "homes" / "wrong"
    cfg = _exchange_config(academy_env)
    cd = CourseDirectory(config=cfg)
    cd.assignment_id = "ps1"
    cd.student_id = "wrong"
    cwd = os.getcwd()
    os.chdir(home)  # path_includes_course: feedback lands in <home>/demo/ps1/feedback/
    try:
        ExchangeFetchFeedback(coursedir=cd, config=cfg, authenticator=_auth(cfg)).start()
    finally:
        os.chdir(cwd)
    got = list((home / "demo" / "ps1" / "feedback").glob("*/ps1.html"))
    assert got, "feedback fetched into the trainee's home"


def test_results_recorded_in_academy_db(cohort, academy_env):
    from grading import store

    rows = {r.account: r for r in store.results(f"sqlite:///{academy_env / 'data' / 'academy.sqlite'}", course="demo")}
    assert set(rows) == set(EXPECTED)
    assert "invalid-notebook:ps1" in json.loads(rows["invalid-json"].reasons)
