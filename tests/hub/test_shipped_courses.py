"""`make up` delivers the shipped courses (demo, 办事指南与受理审查, 我陪群众走流程) to the people the
demo roster enrols: course roots built, assignments released to the exchange, lessons rendered, hub
groups and nbgrader students set. (That a trainee's server lists exactly their courses' released
assignments is shown against the running hub in test_user_server.py.)"""
from __future__ import annotations

import json

import pytest

from academy import db as adb
from academy import demo, state
from academy.roster import import_roster
from runtime.paths import Paths
from runtime.people import people
from runtime.settings import Settings, current

pytestmark = pytest.mark.timeout(600)
COURSES = ("demo", "guides", "walkthrough", "hotline", "ratings", "bulletin")  # shipped, demo first


@pytest.fixture(scope="module")
def no_city():
    """Every `prepare` of this module (the second test's too) without the dashboards' synthetic city:
    by default `up` simulates 12 months of it (100-200 s) that nothing here looks at; its build and
    reuse are tests/dashboards' (test_citydata)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ACADEMY_CITY_MONTHS", "0")
        current.cache_clear()  # current() reads the environment once per process
        try:
            yield
        finally:
            mp.undo()
            current.cache_clear()


@pytest.fixture(scope="module")
def prepared(no_city, tmp_path_factory):
    """One preparation of every shipped course for both tests: the first only reads it, the second
    prepares again on it and checks that nothing is rebuilt (a second preparation per test gave
    no coverage the first did not)."""
    tmp_path = tmp_path_factory.mktemp("shipped")
    paths = Settings.single_account(tmp_path / "root").paths
    assert state.prepare(paths, log=lambda *a: None) == []
    roster = tmp_path / "roster.csv"
    roster.write_text(demo.generate(), encoding="utf-8")
    report = import_roster(roster, paths)
    assert not report.errors, report.errors
    return paths


def hub_groups(paths: Paths) -> dict[str, set[str]]:
    from jupyterhub import orm

    db = orm.new_session_factory(paths.hub_db_url)()
    try:
        return {g.name: {u.name for u in g.users} for g in db.query(orm.Group)}
    finally:
        db.close()


def test_shipped_courses_reach_the_enrolled(prepared):
    paths = prepared
    assert [p.name for p in state.shipped_courses()] == ["demo", *sorted(COURSES[1:])]
    assert {c.id for c in adb.courses(paths.academy_db_url)} == set(COURSES)
    for course, assignment in (("demo", "ps1"), ("guides", "review"), ("walkthrough", "walk"), ("hotline", "queue"),
                               ("ratings", "rectify"), ("bulletin", "month")):
        released = paths.exchange / course / "outbound" / assignment
        assert released.is_dir(), released
        # The released notebooks carry neither answer keys nor hidden tests.
        for nb in released.glob("*.ipynb"):
            text = nb.read_text(encoding="utf-8")
            assert "BEGIN HIDDEN TESTS" not in text and "BEGIN SOLUTION" not in text, nb
    for course in COURSES[1:]:
        lessons = sorted(p.name for p in (paths.lessons / course).rglob("*.ipynb"))
        assert len(lessons) >= 2, lessons
    groups = hub_groups(paths)
    trainees = {p.account for p in people(paths.academy_db_url) if p.role == "trainee"}
    assert len(trainees) >= 30
    for course in COURSES:
        if course != "demo":
            assert groups[f"course-{course}"] == trainees
    # The demo course asks for Python functions: the data track only, never every trainee (issue 17).
    assert groups["course-demo"] == {f"xueyuan{i:02d}" for i in range(1, demo.DATA_TRACK + 1)} < trainees
    assert groups["formgrade-guides"] == groups["formgrade-hotline"] == {"peixun01"}
    assert groups["formgrade-walkthrough"] == groups["formgrade-ratings"] == groups["formgrade-bulletin"] == {"peixun02"}
    assert groups["formgrade-demo"] == {"peixun01", "peixun02"}


def test_a_second_prepare_rebuilds_nothing(prepared):
    lines: list[str] = []
    assert state.prepare(prepared, log=lines.append) == []
    assert {f"  course {c}: unchanged" for c in COURSES} <= set(lines), lines
    assert not any("released" in line for line in lines)
