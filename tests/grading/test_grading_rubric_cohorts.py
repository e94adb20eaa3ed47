"""Per-criterion rubric scores and per-cohort rules without a hub (the hub tests drive the pages)."""
from __future__ import annotations

import datetime as dt

import pytest

from grading import cohorts, rubric
from grading.course import AssignmentSpec

pytestmark = pytest.mark.timeout(60)
BJ = dt.timezone(dt.timedelta(hours=8))
CRITERIA = [{"criterion": "列明材料", "points": 2.0}, {"criterion": "书面告知", "points": 2.0},
            {"criterion": "服务意识", "points": 1.0}]
SPEC = AssignmentSpec(id="ps1", title="练习一", due=dt.datetime(2026, 12, 31, 18, tzinfo=BJ),
                      resubmit_until=dt.datetime(2027, 1, 15, 18, tzinfo=BJ))


@pytest.fixture
def db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'academy.sqlite'}"


def test_criteria_scores_are_checked_and_summed_into_the_comment():
    marks = rubric.check_scores(CRITERIA, [2, 1.5, 0])
    assert sum(m["score"] for m in marks) == 3.5
    assert rubric.comment_text(marks, "再具体些。") == "再具体些。\n列明材料：2 / 2\n书面告知：1.5 / 2\n服务意识：0 / 1"
    for bad, message in [([3, 0, 0], "“列明材料”的得分应在 0 到 2 之间"), ([0.3, 0, 0], "以 0.5 分为单位"),
                         ([1, 1], "每个评分要点都需要给分"), ([-1, 0, 0], "0 到 2")]:
        with pytest.raises(ValueError, match=message):
            rubric.check_scores(CRITERIA, bad)
    with pytest.raises(ValueError, match="没有评分要点"):
        rubric.check_scores([], [1])


def test_a_cohort_rule_overrides_course_toml_for_that_cohort_only(db):
    assert cohorts.effective(db, "demo", SPEC, "一期") == cohorts.Rule(SPEC.due, SPEC.resubmit_until, None)
    moved = dt.datetime(2026, 12, 15, 10, tzinfo=BJ)
    rule = cohorts.set_rule(db, "demo", SPEC, "一期", moved, None, 2, "tr_demo")
    assert rule.due == moved and rule.due.tzinfo is not None and rule.resubmit_until == SPEC.resubmit_until
    assert rule.max_attempts == 2 and rule.from_cohort
    assert not cohorts.effective(db, "demo", SPEC, "二期").from_cohort
    cohorts.clear_rule(db, "demo", "ps1", "一期")
    assert not cohorts.effective(db, "demo", SPEC, "一期").from_cohort


@pytest.mark.parametrize("due, until, cap, message", [
    (dt.datetime(2027, 2, 1, tzinfo=BJ), None, None, "补考截止时间不能早于截止时间"),
    (None, dt.datetime(2026, 12, 1, tzinfo=BJ), None, "补考截止时间不能早于截止时间"),
    (None, None, 0, "评分次数上限至少为 1"),
])
def test_inconsistent_rules_are_refused_in_chinese(db, due, until, cap, message):
    with pytest.raises(ValueError, match=message):
        cohorts.set_rule(db, "demo", SPEC, "一期", due, until, cap, "tr_demo")


def test_attempts_count_distinct_submissions_and_the_cap_refuses_a_new_one(db):
    caps = {"a": 2, "b": None}
    graded = [{"student": "a", "status": "graded", "score": 1, "max_score": 5},
              {"student": "b", "status": "graded", "score": 1, "max_score": 5}]
    cohorts.record(db, "demo", "ps1", {"a": "t1", "b": "t1"}, graded)
    cohorts.record(db, "demo", "ps1", {"a": "t1"}, graded[:1])          # re-grading the same submission
    from grading import store

    assert store.graded_attempts(db, "demo", "ps1", "a") == 1
    cohorts.record(db, "demo", "ps1", {"a": "t2"}, graded[:1])
    cohorts.record(db, "demo", "ps1", {"a": "t9"}, [graded[0] | {"status": "rejected"}])  # too late: no attempt
    assert store.graded_attempts(db, "demo", "ps1", "a") == 2
    assert cohorts.over_cap(db, "demo", "ps1", caps, {"a": "t2", "b": "t9"}) == []   # same one again: free
    assert cohorts.over_cap(db, "demo", "ps1", caps, {"a": "t3", "b": "t9"}) == ["a"]  # b has no cap
