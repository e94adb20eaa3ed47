"""Grade on submit: a new submission in the exchange is graded and its feedback released."""
from __future__ import annotations

import os

import pytest

from grading_helpers import _auth, _exchange_config, answer_like, trainee_fetch, trainee_submit

pytestmark = pytest.mark.timeout(300)


def test_new_submission_is_graded_and_fed_back(cohort, course, academy_env):
    from grading import paths, service
    from grading.progress import PAGE_NAME

    inbound = academy_env / "exchange" / "demo" / "inbound"
    state = {"demo": sorted(os.listdir(inbound))}  # the cohort was graded already
    folder = trainee_fetch(academy_env, "late-comer")
    answer_like(folder, "good")
    trainee_submit(academy_env, "late-comer", folder)
    reports = service.run_once(state)
    assert len(reports) == 1
    rows = reports[0]["submissions"]
    assert [r["student"] for r in rows] == ["late-comer"] and rows[0]["score"] == 5
    assert reports[0]["latency_s"] > 0  # the figure bench/bench_grading.py reports
    assert list((academy_env / "exchange" / "demo" / "feedback").glob("*.html"))
    assert (academy_env / "homes" / "late-comer" / PAGE_NAME).exists()
    assert service.run_once(state) == []  # nothing new: nothing graded twice
