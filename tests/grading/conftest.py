"""One graded cohort of the demo course, shared by the grading tests (session fixtures).

Single-account variant (always runs): ACADEMY_SINGLE_USER=1 in a temporary ACADEMY_ROOT. Trainees
fetch and submit through nbgrader's exchange classes (student ids given explicitly, since every
trainee is the same Unix user here); the trainer collects, autogrades with 2 workers and
releases feedback. The root variant with real Unix accounts is test_grading_root.py.
(No __init__.py here: a package named `grading` would shadow the real one.)
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from grading_helpers import DEMO, EXPECTED, TIMEOUT, _add_people, _person, answer_like, trainee_fetch, trainee_submit


@pytest.fixture(scope="session")
def academy_env(tmp_path_factory):
    """ACADEMY_ROOT in a temporary directory, single-account mode, for the whole session."""
    root = tmp_path_factory.mktemp("academy")
    saved = {k: os.environ.get(k) for k in ("ACADEMY_ROOT", "ACADEMY_SINGLE_USER", "PATH")}
    os.environ["ACADEMY_ROOT"] = str(root)
    os.environ["ACADEMY_SINGLE_USER"] = "1"
    os.environ["PATH"] = str(Path(os.sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
    (root / "data").mkdir()
    yield root
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture(scope="session")
def course(academy_env):
    from grading import api
    from grading.course_root import prepare

    root = academy_env / "courses" / "demo"
    prepare(DEMO, root, academy_env / "exchange", cell_timeout=TIMEOUT)
    _add_people(f"sqlite:///{academy_env / 'data' / 'academy.sqlite'}", EXPECTED)
    api.sync_students("demo", [_person(a) for a in EXPECTED], root=root)
    api.release("demo", "ps1", root=root)
    return root


@pytest.fixture(scope="session")
def cohort(academy_env, course):
    """Every scenario fetched, answered and submitted through the exchange, then collected,
    autograded (2 workers) and given feedback. Returns the autograde report by student."""
    from grading import api

    for scenario in EXPECTED:
        folder = trainee_fetch(academy_env, scenario)
        answer_like(folder, scenario)
        trainee_submit(academy_env, scenario, folder)
    collected = api.collect("demo", "ps1", root=course)
    assert sorted(collected["students"]) == sorted(EXPECTED)
    report = api.autograde("demo", "ps1", workers=2, root=course, course_src=DEMO)
    fb = api.feedback("demo", "ps1", root=course)
    assert not fb["failed"], fb
    return {r["student"]: r for r in report["submissions"]} | {"_report": report}
