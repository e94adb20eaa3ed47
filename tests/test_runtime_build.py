"""What the runtime venv is built from, and so what decides that it must be rebuilt.

A make test run once failed three root-mode grading tests with ``No module named
'grading.nbgrader_env'``: browser tests had written screenshots into the checkout, the project hash
changed, and a root-mode `academy up` reinstalled the project in place in the shared runtime venv
while a grader was importing from it (through a linked venv, under another lock)."""
from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

from academy import runtime

REPO = Path(__file__).resolve().parent.parent


def _checkout(tmp_path: Path) -> Path:
    co = tmp_path / "checkout"
    for rel, text in {"pyproject.toml": "[project]\n", "requirements.lock": "x==1\n",
                      "academy/__init__.py": "", "courses/coursekit/__init__.py": "",
                      "courses/guides/lessons/01.py": "# a lesson\n", "README.md": "readme\n"}.items():
        (co / rel).parent.mkdir(parents=True, exist_ok=True)
        (co / rel).write_text(text)
    return co


def test_files_a_checkout_gathers_while_used_leave_the_hash_alone(tmp_path):
    co = _checkout(tmp_path)
    before = runtime._project_hash(co)
    for rel in ("test-screenshots/portal/1440.png", "var/data/academy.sqlite", "tests/new_test.py",
                "bench.json", "notes.txt", "courses/guides/lessons/02.py", "academy/__pycache__/x.pyc",
                "haidong_academy.egg-info/PKG-INFO"):
        (co / rel).parent.mkdir(parents=True, exist_ok=True)
        (co / rel).write_text("changed")
    assert runtime._project_hash(co) == before


def test_a_change_to_what_is_installed_changes_the_hash(tmp_path):
    co = _checkout(tmp_path)
    seen = {runtime._project_hash(co)}
    for rel in ("academy/new.py", "courses/coursekit/widgets.py", "requirements.lock", "pyproject.toml"):
        (co / rel).write_text("changed")
        seen.add(runtime._project_hash(co))
    assert len(seen) == 5


def test_the_package_directories_are_the_ones_pyproject_builds():
    find = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    built = set()
    for where in find["where"]:
        base = REPO / where
        for d in base.iterdir():
            # namespace packages count too (pyproject's find keeps its default namespaces = true: hubext)
            if d.is_dir() and any(d.glob("*.py")) and any(fnmatch.fnmatch(d.name, pat) for pat in find["include"]):
                built.add(str(d.relative_to(REPO)))
    assert built == set(runtime.PACKAGE_DIRS)


def test_a_linked_venv_shares_the_lock_of_the_venv_it_links_to(tmp_path):
    shared = tmp_path / "shared" / "venv"
    shared.mkdir(parents=True)
    root = tmp_path / "root"
    root.mkdir()
    (root / "venv").symlink_to(shared)
    assert runtime.venv_lock_path(root / "venv") == runtime.venv_lock_path(shared) == tmp_path / "shared" / ".venv.lock"
