"""The behaviour-graded proposal (course 2, 第五题) is judged by its effect on unseen seeds."""
from __future__ import annotations

import re

import pytest

from course_helpers import COURSES_DIR

pytestmark = pytest.mark.timeout(300)


def _hidden_seeds() -> tuple[int, ...]:
    text = (COURSES_DIR / "walkthrough/assignments/walk/walk.py").read_text(encoding="utf-8")
    hidden = text.split("### BEGIN HIDDEN TESTS")
    found = [re.search(r"seeds=\(([\d, ]+)\)", h) for h in hidden[1:]]
    return tuple(int(x) for m in found if m for x in m.group(1).split(","))


@pytest.fixture(scope="module")
def jr():
    import sandbox
    if not hasattr(sandbox, "simulate"):
        pytest.skip("sandbox.simulate not available yet")
    from coursekit import journeys
    return journeys


def test_grading_seeds_are_unseen(jr):
    seeds = _hidden_seeds()
    assert len(seeds) >= 3
    assert not set(seeds) & set(jr.PRACTICE_SEEDS)  # 试一试 never runs the grading days
    assert jr.EXERCISE["seed"] not in seeds


def test_good_proposal_passes_and_bad_one_fails_on_unseen_seeds(jr):
    seeds = _hidden_seeds()
    good = jr.evaluate_proposal(jr.proposal_levers(jr.reference_proposal()), seeds)
    assert good["passed"] and good["reduction"] >= 0.30, good
    # Two windows where there is no queue, nothing else: allowed, but no effect.
    quiet = min(jr.pool_p90(jr.simulate(jr.proposal_scenario(), seed=jr.PRACTICE_SEEDS[0], days=jr.PROPOSAL_DAYS)).items(),
                key=lambda kv: kv[1])[0]
    bad = jr.evaluate_proposal(jr.proposal_levers({"增加窗口": {quiet: 2}}), seeds)
    assert not bad["passed"] and bad["reduction"] < 0.30, bad


def test_more_than_two_windows_is_refused(jr, tmp_path, monkeypatch):
    from coursekit import answers
    monkeypatch.setenv(answers.ENV_DIR, str(tmp_path))
    levers = jr.proposal_levers({"增加窗口": {"社会保障": 3}})
    assert jr.windows_added(levers) == 3
    form = jr.proposal_form("proposal")
    form.set({"增加窗口": {"社会保障": 3}})
    form.save()
    assert answers.load("proposal") is None and "超过两个" in form.status.value
    with pytest.raises(ValueError, match="没有"):
        jr.proposal_levers({"增加窗口": {"不存在的窗口": 1}})
