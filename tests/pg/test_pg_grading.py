"""Grading on PostgreSQL: one gradebook database written by parallel autograde workers, the
academy database's results, competence and a certificate — the same answers as on SQLite.

Single-account settings with ``db_url`` (ACADEMY_DB_URL) over a temporary root, passed explicitly
(the grading tests' pattern, tests/grading/conftest.py).
"""
from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from runtime.dburl import ensure_database
from runtime.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "grading"))  # the cohort's helpers
from grading_helpers import DEMO, EXPECTED, TIMEOUT, _add_people, _person, answer_like, trainee_fetch, trainee_submit  # noqa: E402

# The hub and grading end to end on PostgreSQL: `make test-long` (CI's time); test_pg_migrations and
# test_pg_server keep a real PostgreSQL server in `make test`.
pytestmark = [pytest.mark.long, pytest.mark.pg, pytest.mark.slow, pytest.mark.timeout(600)]

# Scenarios whose gradebook rows differ in kind: full marks, none, hidden checks failing, a dead
# kernel, deleted tests, tampering, no notebook at all (EXPECTED is what SQLite gives them).
SCENARIOS = ["good", "wrong", "hardcoded", "os-exit", "tests-deleted", "builtins-patched",
             "invalid-json", "missing-notebook"]
PEEK = "envpeek"  # answers like `good`, plus a cell that looks for the database password


def _peek_cell(folder: Path) -> None:
    import nbformat

    path = folder / "ps1.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(
        "import os\nprint('PEEK', sorted(k for k, v in os.environ.items()\n"
        "    if k.startswith(('ACADEMY_DB', 'PG')) or 'postgresql' in v))"))
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def pg_cohort(pg_server, tmp_path_factory):
    from grading import api
    from grading.course_root import prepare

    root = tmp_path_factory.mktemp("academy-pg")
    settings = Settings.single_account(root, db_url=pg_server.server_url("t_grading"))
    ensure_database(settings.paths.academy_db_url)  # what `up` does (academy.state.prepare)
    course = root / "courses" / "demo"
    prepare(DEMO, course, root / "exchange", cell_timeout=TIMEOUT, settings=settings)
    _add_people(settings.paths.academy_db_url, SCENARIOS + [PEEK])
    api.sync_students("demo", [_person(a) for a in SCENARIOS + [PEEK]], root=course, settings=settings)
    api.release("demo", "ps1", root=course, settings=settings)
    for scenario in SCENARIOS:
        folder = trainee_fetch(root, scenario)
        answer_like(folder, scenario)
        trainee_submit(root, scenario, folder)
    folder = trainee_fetch(root, PEEK)
    answer_like(folder, "good")
    _peek_cell(folder)
    trainee_submit(root, PEEK, folder)
    api.collect("demo", "ps1", root=course, settings=settings)
    report = api.autograde("demo", "ps1", workers=3, root=course, course_src=DEMO, settings=settings)
    return {"root": root, "course": course, "settings": settings,
            "rows": {r["student"]: r for r in report["submissions"]}}


def _count(url: str, sql: str) -> int:
    eng = create_engine(url)
    try:
        with eng.connect() as con:
            return con.execute(text(sql)).scalar_one()
    finally:
        eng.dispose()


def test_parallel_autograde_on_pg_scores_as_on_sqlite(pg_cohort, pg_server):
    rows = pg_cohort["rows"]
    assert {s: rows[s]["score"] for s in SCENARIOS} == {s: EXPECTED[s][0] for s in SCENARIOS}
    assert rows[PEEK]["score"] == EXPECTED["good"][0]
    course = pg_cohort["course"]
    assert not (course / "gradebook.db").exists(), "the gradebook is the PostgreSQL database, no SQLite file"
    url = pg_cohort["settings"].paths.gradebook_db_url("demo", course / "gradebook.db")
    assert url.endswith("/t_grading_gb_demo")
    # the three workers' grades are in that one database
    graded = _count(url, "SELECT count(DISTINCT s.student_id) FROM submitted_assignment s "
                         "JOIN submitted_notebook n ON n.assignment_id = s.id")
    assert graded >= len(SCENARIOS) - 2  # invalid / missing notebooks have no notebook row
    config = course / "nbgrader_config.py"
    assert pg_server.password in config.read_text()  # nbgrader needs it …
    assert stat.S_IMODE(config.stat().st_mode) == 0o600  # … so only the grader account reads the file


def test_results_competence_and_certificate_on_pg(pg_cohort):
    from grading import api, store
    from grading.certificate import verify
    from grading.nbgrader_env import gradebook

    settings, course, root = pg_cohort["settings"], pg_cohort["course"], pg_cohort["root"]
    db = settings.paths.academy_db_url
    assert not (root / "data" / "academy.sqlite").exists()
    assert {r.account for r in store.results(db, course="demo")} == set(SCENARIOS) | {PEEK}
    with gradebook(course) as gb:  # the trainer's manual grade, as in the formgrader
        g = gb.find_grade("q3-answer", "ps1", "ps1", "good")
        g.manual_score, g.needs_manual_grade = 4, False
        gb.db.commit()
    profiles = api.competence("demo", root=course, settings=settings)["profiles"]
    assert profiles["good"]["数据分析与技术应用"]["level"] == "优秀"  # as tests/grading on SQLite
    assert profiles["wrong"]["业务办理"]["level"] == "未达标"
    out = api.certificate("demo", "good", out_dir=root / "certs", root=course, course_src=DEMO, settings=settings)
    assert out["issued"], out
    assert Path(out["path"]).read_bytes().startswith(b"%PDF")
    assert verify(db, out["number"])["valid"]
    again = api.certificate("demo", "good", out_dir=root / "certs", root=course, course_src=DEMO, settings=settings)
    assert again["number"] == out["number"]
    assert not api.certificate("demo", "wrong", out_dir=root / "certs", root=course, course_src=DEMO,
                               settings=settings)["issued"]


def test_submission_kernel_sees_no_database_url(pg_cohort, pg_server):
    """The grader has ACADEMY_DB_URL (and the password in its nbgrader_config.py); the kernel that
    runs a trainee's submission for it must not inherit it."""
    text = (pg_cohort["course"] / "autograded" / PEEK / "ps1" / "ps1.ipynb").read_text(encoding="utf-8")
    assert "PEEK []" in text, "the peek cell ran and found nothing"
    assert pg_server.password not in text
