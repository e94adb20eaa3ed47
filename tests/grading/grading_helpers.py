"""Shared constants and trainee actions of the grading tests (imported by conftest and tests).

Single-account variant (always runs): single-account settings over a temporary root. Trainees
fetch and submit through nbgrader's exchange classes (student ids given explicitly, since every
trainee is the same Unix user here); the trainer collects, autogrades with 2 workers and
releases feedback. The root variant with real Unix accounts is tests/grading/test_root_accounts.py.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path


HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
FIXTURES = HERE / "fixtures"
# The notebook-path course (id "demo", the template's ps1 with hidden tests run by nbgrader in the
# jailed kernel): what the cohort scenarios below grade. The real courses/demo is a code assignment
# graded as data (grading.code_grade; tests/grading/test_grading_code*.py) since issue 12.
DEMO = FIXTURES / "notebookcourse"
CODE_DEMO = REPO / "courses" / "demo"

# scenario -> (expected autograded points out of 5, reason tag that must be recorded or None)
EXPECTED = {
    "good": (5, None),
    "wrong": (0, None),
    "hardcoded": (0, None),          # visible checks pass, hidden ones fail
    "infinite-loop": (3, "timeout"),
    "os-exit": (2, "kernel-died"),
    "segfault": (0, "kernel-died"),
    "tests-edited": (3, "tests-modified"),
    "tests-deleted": (3, "tests-deleted"),
    "invalid-json": (0, "invalid-notebook"),
    "missing-notebook": (0, "missing-notebook"),
    "huge-output": (5, "huge-output"),
    "memory-hog": (2, None),
    "always-equal": (0, None),
    "redefine-names": (0, None),
    "builtins-patched": (3, "tampered"),   # q2 right, but tampering zeroes every check → 0
    "errors-silenced": (0, "tampered"),
}
EXPECTED["builtins-patched"] = (0, "tampered")

PEOPLE = {  # synthetic trainees (合成数据)
    "good": ("马晓燕", "平安区政务服务中心", "平安区", "2026-一期"),
    "wrong": ("李建国", "乐都区政务服务中心", "乐都区", "2026-一期"),
    "hardcoded": ("韩国栋", "乐都区政务服务中心", "乐都区", "2026-二期"),
}

TIMEOUT = 5  # per-cell timeout of the test course (the infinite loop costs this much)


def _person(account: str):
    name, unit, county, cohort = PEOPLE.get(account, (f"学员{account}", "互助县政务服务中心", "互助土族自治县", "2026-二期"))
    return {"account": account, "姓名": name, "单位": unit, "县区": county, "cohort": cohort}


def _add_people(db_url: str, accounts) -> None:
    from runtime.db import session
    from runtime.people import Person

    with session(db_url) as s:
        for acc in accounts:
            p = _person(acc)
            s.merge(Person(account=acc, name=p["姓名"], unit=p["单位"], county=p["县区"], role="trainee",
                           cohort=p["cohort"], active=True))
        s.commit()


def _exchange_config(root: Path, course: str = "demo"):
    from traitlets.config import Config

    cfg = Config()
    cfg.CourseDirectory.course_id = course
    cfg.Exchange.root = str(root / "exchange")
    cfg.Exchange.path_includes_course = True
    return cfg


def _auth(cfg):
    from nbgrader.auth import Authenticator

    return Authenticator(config=cfg)


def released_course(env: Path, src: Path, course: str, assignment: str, accounts, cell_timeout: float):
    """A single-account academy in ``env`` with course ``src`` prepared, ``accounts`` enrolled and
    ``assignment`` released: (settings, course root)."""
    from runtime.settings import Settings

    from grading import api
    from grading.course_root import prepare

    (env / "data").mkdir(exist_ok=True)
    settings = Settings.single_account(env)
    root = env / "courses" / course
    prepare(src, root, env / "exchange", cell_timeout=cell_timeout, settings=settings)
    _add_people(f"sqlite:///{env / 'data' / 'academy.sqlite'}", accounts)
    api.sync_students(course, [_person(a) for a in accounts], root=root, settings=settings)
    api.release(course, assignment, root=root, settings=settings)
    return settings, root


def trainee_fetch(root: Path, account: str, course: str = "demo", assignment: str = "ps1") -> Path:
    """A trainee fetches an assignment (demo/ps1 unless named) into their home through the exchange."""
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeFetchAssignment

    home = root / "homes" / account
    home.mkdir(parents=True, exist_ok=True)
    cfg = _exchange_config(root, course)
    cd = CourseDirectory(config=cfg)
    cd.assignment_id = assignment
    cwd = os.getcwd()
    os.chdir(home)
    try:
        ExchangeFetchAssignment(coursedir=cd, config=cfg, authenticator=_auth(cfg)).start()
    finally:
        os.chdir(cwd)
    return home / course / assignment  # Exchange.path_includes_course: <home>/<course>/<assignment>


def trainee_submit(root: Path, account: str, folder: Path, course: str = "demo", assignment: str = "ps1") -> None:
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeSubmit

    cfg = _exchange_config(root, course)
    cd = CourseDirectory(config=cfg)
    cd.assignment_id = assignment
    cd.student_id = account
    cwd = os.getcwd()
    os.chdir(folder.parent.parent)  # the home: submit looks in <cwd>/<course>/<assignment>
    try:
        ExchangeSubmit(coursedir=cd, config=cfg, authenticator=_auth(cfg)).start()
    finally:
        os.chdir(cwd)


def answer_like(folder: Path, scenario: str) -> None:
    """The trainee's answers: the fixture named after the scenario replaces the fetched notebook."""
    target = folder / "ps1.ipynb"
    if scenario == "missing-notebook":
        target.rename(folder / "草稿-ps1.ipynb.bak")
        return
    shutil.copy(FIXTURES / f"submitted-{scenario}.ipynb", target)


