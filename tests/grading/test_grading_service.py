"""Grade on submit: a new submission in the exchange is graded and its feedback released."""
from __future__ import annotations

import os

import pytest

from grading_helpers import _auth, _exchange_config, answer_like, trainee_fetch, trainee_submit

pytestmark = pytest.mark.timeout(300)


def test_new_submission_is_graded_and_fed_back(cohort, course, academy_env, settings):
    from grading import service
    from grading.progress import PAGE_NAME

    inbound = academy_env / "exchange" / "demo" / "inbound"
    state = {"demo": sorted(os.listdir(inbound))}  # the cohort was graded already
    folder = trainee_fetch(academy_env, "late-comer")
    answer_like(folder, "good")
    trainee_submit(academy_env, "late-comer", folder)
    reports = service.run_once(state, settings)
    assert len(reports) == 1
    rows = reports[0]["submissions"]
    assert [r["student"] for r in rows] == ["late-comer"] and rows[0]["score"] == 5
    assert reports[0]["latency_s"] > 0  # the figure bench/bench_grading.py reports
    assert list((academy_env / "exchange" / "demo" / "feedback").glob("*.html"))
    assert (academy_env / "homes" / "late-comer" / PAGE_NAME).exists()
    assert service.run_once(state, settings) == []  # nothing new: nothing graded twice


def test_cli_autograde_json(cohort, capsys, settings):
    import json

    from grading.cli import main

    assert main(["autograde", "demo", "ps1", "--student", "wrong", "--workers", "1", "--json"], settings) == 0
    report = json.loads(capsys.readouterr().out)
    assert [r["student"] for r in report["submissions"]] == ["wrong"] and report["submissions"][0]["score"] == 0


def test_late_and_too_late_submissions(cohort, course, tmp_path, settings):
    """Due 2026-12-31 18:00 +08:00, 补考 until 2027-01-15 18:00 +08:00 (courses/demo/course.toml)."""
    import shutil

    from grading import api
    from grading.course_root import prepare
    from grading_helpers import DEMO, FIXTURES

    copy = tmp_path / "courses" / "demo"
    shutil.copytree(course, copy)
    prepare(DEMO, copy, tmp_path / "exchange", cell_timeout=5, settings=settings)
    for student, stamp in (("in-time", "2026-12-31 09:00:00.000000 UTC"), ("resit", "2027-01-05 10:00:00.000000 UTC"),
                           ("too-late", "2027-02-01 10:00:00.000000 UTC")):
        d = copy / "submitted" / student / "ps1"
        d.mkdir(parents=True)
        shutil.copy(FIXTURES / "submitted-good.ipynb", d / "ps1.ipynb")
        (d / "timestamp.txt").write_text(stamp)
    report = api.autograde("demo", "ps1", workers=2, students=["in-time", "resit", "too-late"], root=copy,
                           course_src=DEMO, progress_pages=False, settings=settings)
    rows = {r["student"]: r for r in report["submissions"]}
    assert not rows["in-time"]["late"] and rows["in-time"]["score"] == 5
    assert rows["resit"]["late"] and "late" in rows["resit"]["reasons"] and rows["resit"]["score"] == 5
    assert rows["too-late"]["status"] == "rejected" and rows["too-late"]["score"] == 0
    assert "超过补考截止时间，不予评分" in rows["too-late"]["reasons_zh"]


def test_hub_fragment_registers_the_service(tmp_path):
    """Run as jupyterhub_config.py runs fragments: on the one shared `c`, after services.py. The
    settings come from the environment of a child process (runtime.settings reads it once)."""
    import json
    import subprocess
    import sys

    from grading_helpers import REPO

    probe = (
        "import json, sys\n"
        "from traitlets.config import Config\n"
        "c = Config()\n"
        "c.JupyterHub.services = [{'name': 'demo'}, {'name': 'dashboards'}]\n"
        "exec(compile(open(sys.argv[1], encoding='utf-8').read(), sys.argv[1], 'exec'), {'get_config': lambda: c})\n"
        "print(json.dumps(c.JupyterHub.services))\n")

    def load(**env: str) -> list[dict]:
        full = {**os.environ, "ACADEMY_ROOT": str(tmp_path), "ACADEMY_SINGLE_USER": "1", **env}
        out = subprocess.run([sys.executable, "-c", probe, str(REPO / "hub_config" / "grading_service.py")],
                             env=full, cwd=REPO, capture_output=True, text=True, check=True).stdout
        return json.loads(out)

    services = load()
    names = [s["name"] for s in services]
    assert names == ["demo", "dashboards", "grade-on-submit"]  # appended, nothing replaced
    assert services[2]["command"][1:4] == ["-m", "grading", "service"]
    assert services[2]["environment"]["ACADEMY_SINGLE_USER"] == "1"  # the service builds the same settings
    assert [s["name"] for s in load(ACADEMY_GRADE_ON_SUBMIT="0")] == ["demo", "dashboards"]


def test_between_rounds_only_new_submissions_end_the_wait(tmp_path):
    """The service's wait ends for a submission it has not seen, never for one already graded
    (or one that failed this round, which waits the full interval): grading.service.unseen."""
    from grading import service
    from runtime.settings import Settings

    settings = Settings.single_account(tmp_path)
    (tmp_path / "courses" / "c1").mkdir(parents=True)
    (tmp_path / "courses" / "c1" / "nbgrader_config.py").write_text("")
    inbound = tmp_path / "exchange" / "c1" / "inbound"
    inbound.mkdir(parents=True)
    old = "stu_a+quiz+2026-12-01 10:00:00.000000 UTC+abc"
    (inbound / old).mkdir()
    state = {"c1": [old]}
    assert service.unseen(state, settings) == set()
    new = "stu_b+quiz+2026-12-01 10:00:05.000000 UTC+def"
    (inbound / new).mkdir()
    assert service.unseen(state, settings) == {("c1", new)}
