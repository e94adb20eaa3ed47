"""Shared by tests/ops/test_backup.py (SQLite) and tests/pg/test_pg_backup.py: an academy with work
in it (submissions, grades, a manual grade, competence, a certificate) and a snapshot of what a
restore must bring back."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from runtime.paths import Paths
from runtime.settings import Settings

REPO = Path(__file__).resolve().parents[1]
PYTHON = REPO / ".venv" / "bin" / "python"
GRADING_TESTS = REPO / "tests" / "grading"


def academy(root: Path, *args: str, db_url: str = "") -> subprocess.CompletedProcess:
    """`python -m academy ARGS` in single-account mode over ``root`` (PostgreSQL when ``db_url``)."""
    env = dict(os.environ, ACADEMY_ROOT=str(root), ACADEMY_SINGLE_USER="1")
    env.pop("ACADEMY_DB_URL", None)
    if db_url:
        env["ACADEMY_DB_URL"] = db_url
    return subprocess.run([str(PYTHON), "-m", "academy", *args], env=env, cwd=REPO, capture_output=True,
                          text=True, timeout=600)


def _trainees(db_url: str) -> list[str]:
    from runtime.people import people

    return [p.account for p in people(db_url, course="demo", role="trainee")]


def work(paths: Paths) -> tuple[str, str]:
    """Two trainees submit (one right, one wrong); the trainer collects and autogrades; competence and
    a certificate for the good one — what a backup must carry."""
    import sys

    sys.path.insert(0, str(GRADING_TESTS))
    from grading_helpers import answer_like, trainee_fetch, trainee_submit

    from grading import api

    root = paths.root
    settings = Settings.single_account(root, db_url=paths.db_server)
    good, wrong = _trainees(paths.academy_db_url)[:2]
    for account, scenario in ((good, "good"), (wrong, "wrong")):
        folder = trainee_fetch(root, account)
        answer_like(folder, scenario)
        trainee_submit(root, account, folder)
    from grading.nbgrader_env import gradebook

    course, src = root / "courses" / "demo", REPO / "courses" / "demo"
    api.collect("demo", "ps1", root=course, settings=settings)
    api.autograde("demo", "ps1", workers=1, root=course, course_src=src, settings=settings)
    with gradebook(course) as gb:  # the trainer's manual grade, as the formgrader saves it
        g = gb.find_grade("q3-answer", "ps1", "ps1", good)
        g.manual_score, g.needs_manual_grade = 4, False
        gb.db.commit()
    api.competence("demo", root=course, settings=settings)
    out = api.certificate("demo", good, root=course, course_src=src, settings=settings)
    assert out.get("issued"), out
    return good, wrong


def snapshot(paths: Paths) -> dict:
    """What must be the same after a restore: people, grades, competence, certificates, gradebook
    submissions and scores, and the files of submissions and homes."""
    from grading.nbgrader_env import gradebook

    from grading import store
    from runtime.people import people

    root, url = paths.root, paths.academy_db_url
    cols = lambda rows, skip=(): sorted(tuple((k, v) for k, v in sorted(vars(r).items())  # noqa: E731
                                              if not k.startswith("_") and k not in skip) for r in rows)
    with gradebook(root / "courses" / "demo") as gb:
        subs = sorted((s.student_id, s.assignment.name, s.score, str(s.timestamp))
                      for a in gb.assignments for s in a.submissions)
    files = {}
    for top in ("courses/demo/submitted", "courses/demo/autograded", "exchange/demo/inbound", "homes"):
        for p in sorted((root / top).rglob("*")):
            if p.is_file() and not p.is_symlink():
                files[str(p.relative_to(root))] = p.read_bytes()
    return {"people": people(url), "results": cols(store.results(url)), "competence": cols(store.competence_rows(url)),
            "certificates": cols(store.certificates(url)), "gradebook": subs, "files": files}
