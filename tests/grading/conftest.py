"""One graded cohort of the demo course, shared by the grading tests (session fixtures).

Single-account variant (always runs): single-account settings (runtime.settings) over a temporary
root, passed explicitly to every grading call — nothing in os.environ changes. Trainees
fetch and submit through nbgrader's exchange classes (student ids given explicitly, since every
trainee is the same Unix user here); the trainer collects, autogrades with 2 workers and
releases feedback. The root variant with real Unix accounts is test_grading_root.py.
(No __init__.py here: a package named `grading` would shadow the real one.)
"""
from __future__ import annotations

from pathlib import Path

import pytest

from runtime.settings import Settings

from grading_helpers import DEMO, EXPECTED, TIMEOUT, _add_people, _person, answer_like, trainee_fetch, trainee_submit


@pytest.fixture(scope="session")
def academy_env(tmp_path_factory) -> Path:
    """The runtime root of the grading session (a temporary directory)."""
    root = tmp_path_factory.mktemp("academy")
    (root / "data").mkdir()
    return root


@pytest.fixture(scope="session")
def settings(academy_env) -> Settings:
    """Single-account settings over ``academy_env``: the knob every grading call here is given."""
    return Settings.single_account(academy_env)


@pytest.fixture(scope="session")
def course(academy_env, settings):
    from grading import api
    from grading.course_root import prepare

    root = academy_env / "courses" / "demo"
    prepare(DEMO, root, academy_env / "exchange", cell_timeout=TIMEOUT, settings=settings)
    _add_people(f"sqlite:///{academy_env / 'data' / 'academy.sqlite'}", EXPECTED)
    api.sync_students("demo", [_person(a) for a in EXPECTED], root=root, settings=settings)
    api.release("demo", "ps1", root=root, settings=settings)
    return root


@pytest.fixture(scope="session")
def cohort(academy_env, course, settings):
    """Every scenario fetched, answered and submitted through the exchange, then collected,
    autograded (2 workers) and given feedback. Returns the autograde report by student."""
    from grading import api

    for scenario in EXPECTED:
        folder = trainee_fetch(academy_env, scenario)
        answer_like(folder, scenario)
        trainee_submit(academy_env, scenario, folder)
    collected = api.collect("demo", "ps1", root=course, settings=settings)
    assert sorted(collected["students"]) == sorted(EXPECTED)
    report = api.autograde("demo", "ps1", workers=2, root=course, course_src=DEMO, settings=settings)
    fb = api.feedback("demo", "ps1", root=course, settings=settings)
    assert not fb["failed"], fb
    return {r["student"]: r for r in report["submissions"]} | {"_report": report}
