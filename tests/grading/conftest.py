"""One graded cohort of the demo course, shared by the grading tests (session fixtures).

Single-account variant (always runs): ACADEMY_SINGLE_USER=1 in a temporary ACADEMY_ROOT. Trainees
fetch and submit through nbgrader's exchange classes (student ids given explicitly, since every
trainee is the same Unix user here); the trainer collects, autogrades with 2 workers and
releases feedback. The root variant with real Unix accounts is tests/grading/test_root_accounts.py.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
FIXTURES = HERE / "fixtures"
DEMO = REPO / "courses" / "demo"

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


def _add_people(db_url: str, accounts) -> None:
    from academy import db as adb

    with adb.session(db_url) as s:
        for acc in accounts:
            p = _person(acc)
            s.merge(adb.Person(account=acc, name=p["姓名"], unit=p["单位"], county=p["县区"], role="trainee",
                               cohort=p["cohort"], active=True))
        s.commit()


def _exchange_config(root: Path):
    from traitlets.config import Config

    cfg = Config()
    cfg.CourseDirectory.course_id = "demo"
    cfg.Exchange.root = str(root / "exchange")
    cfg.Exchange.path_includes_course = True
    return cfg


def _auth(cfg):
    from nbgrader.auth import Authenticator

    return Authenticator(config=cfg)


def trainee_fetch(root: Path, account: str) -> Path:
    """A trainee fetches ps1 into their home through the exchange."""
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeFetchAssignment

    home = root / "homes" / account
    home.mkdir(parents=True, exist_ok=True)
    cfg = _exchange_config(root)
    cd = CourseDirectory(config=cfg)
    cd.assignment_id = "ps1"
    cwd = os.getcwd()
    os.chdir(home)
    try:
        ExchangeFetchAssignment(coursedir=cd, config=cfg, authenticator=_auth(cfg)).start()
    finally:
        os.chdir(cwd)
    return home / "demo" / "ps1"  # Exchange.path_includes_course: <home>/<course>/<assignment>


def trainee_submit(root: Path, account: str, folder: Path) -> None:
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeSubmit

    cfg = _exchange_config(root)
    cd = CourseDirectory(config=cfg)
    cd.assignment_id = "ps1"
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
