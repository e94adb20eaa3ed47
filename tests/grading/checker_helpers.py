"""Trainee actions on the checker fixture course (tests/grading/fixtures/formcourse): fetch and
submit through nbgrader's exchange classes (single-account mode: student ids given explicitly),
and the answers a trainee saves (honest, wrong, and the issue-12 cheats)."""
from __future__ import annotations

import json
import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
FORMCOURSE = HERE / "fixtures" / "formcourse"
COURSE, ASSIGNMENT = "formcourse", "quiz"


def _config(root: Path):
    from traitlets.config import Config

    cfg = Config()
    cfg.CourseDirectory.course_id = COURSE
    cfg.Exchange.root = str(root / "exchange")
    cfg.Exchange.path_includes_course = True
    return cfg


def fetch(root: Path, account: str) -> Path:
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeFetchAssignment

    home = root / "homes" / account
    home.mkdir(parents=True, exist_ok=True)
    cfg = _config(root)
    cd = CourseDirectory(config=cfg)
    cd.assignment_id = ASSIGNMENT
    cwd = os.getcwd()
    os.chdir(home)
    try:
        ExchangeFetchAssignment(coursedir=cd, config=cfg, authenticator=Authenticator(config=cfg)).start()
    finally:
        os.chdir(cwd)
    return home / COURSE / ASSIGNMENT


def submit(root: Path, account: str) -> Path:
    """Submit; returns the inbound entry created."""
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeSubmit

    inbound = root / "exchange" / COURSE / "inbound"
    before = set(os.listdir(inbound)) if inbound.is_dir() else set()
    cfg = _config(root)
    cd = CourseDirectory(config=cfg)
    cd.assignment_id = ASSIGNMENT
    cd.student_id = account
    cwd = os.getcwd()
    os.chdir(root / "homes" / account)
    try:
        ExchangeSubmit(coursedir=cd, config=cfg, authenticator=Authenticator(config=cfg)).start()
    finally:
        os.chdir(cwd)
    (new,) = set(os.listdir(inbound)) - before
    return inbound / new


def my_numbers(folder: Path) -> list[int]:
    return json.loads((folder / "cases.json").read_text(encoding="utf-8"))["cases"]["numbers"]


def save_answers(folder: Path, answers: dict) -> None:
    (folder / "answers.json").write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")


def honest(folder: Path) -> dict:
    nums = my_numbers(folder)
    return {"q1": sum(nums), "q2": sorted(nums, reverse=True), "essay": "一次性告知清单，群众少跑腿。"}


# The cheats of issue 12 point 3: code in the notebook that would patch the checks when run.
TRANSFORMER_CHEAT = '''
def _no_checks(lines):
    return ["pass\\n"] if any("require" in l for l in lines) else lines
get_ipython().input_transformers_post.append(_no_checks)
open("{marker}", "w").write("the notebook ran")
'''

FAKE_COURSEKIT = '''
class _Eq:
    def __eq__(self, other): return True
    def __ne__(self, other): return False
def require(qid): return _Eq()
def saved(qid): return _Eq()
def my_cases(): return {"numbers": []}
def save(qid, value): return {}
'''


def cheat_notebook(folder: Path, marker: Path) -> None:
    """The answer cell holds code that would disable every check (and leave a marker if run)."""
    import nbformat

    path = folder / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "answer":
            cell.source = TRANSFORMER_CHEAT.format(marker=marker)
    nbformat.write(nb, path)


def fake_coursekit(folder: Path) -> None:
    pkg = folder / "coursekit"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("from . import answers\n", encoding="utf-8")
    (pkg / "answers.py").write_text(FAKE_COURSEKIT, encoding="utf-8")
