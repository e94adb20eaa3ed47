"""Fixtures for the isolation tests: a temporary root-mode ACADEMY_ROOT and one real hub per session.

Everything created here (Unix accounts named zt…, grader-zt…, the /tmp/zt-academy-* root, the
hub and its user servers) is removed by the session finalizer.
"""
from __future__ import annotations

import os

import nbformat
import pytest

from academy import runtime
from runtime import accounts

from tests.hubfixture import REPO, as_grader, cleanup, make_test_root, new_name, start_bare_hub

ROOT_REASON = "isolation tests need root (real Unix accounts, servers run as each person); CI runs them as root"


def pytest_collection_modifyitems(config, items):
    if os.geteuid() == 0:
        return
    skip = pytest.mark.skip(reason=ROOT_REASON)
    for item in items:
        if "tests/isolation/" in str(item.fspath):
            item.add_marker(skip)


class Env:
    """What the isolation session built: paths, the hub, two trainees and one course."""

    def __init__(self, paths, course_id):
        self.paths = paths
        self.course_id = course_id
        self.grader = accounts.grader_account_name(course_id)
        self.hub = None
        self.a = new_name("a")
        self.b = new_name("b")
        self.kernels = {}

    def kernel(self, user):
        if user not in self.kernels:
            self.kernels[user] = self.hub.kernel(user)
        return self.kernels[user]


def _write_course(paths, course_id: str) -> None:
    """A tiny nbgrader course root (config + one released notebook), owned by its grader."""
    croot = paths.course_root(course_id)
    croot.mkdir(parents=True, exist_ok=True)
    (croot / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(croot)!r}\n"
        f"c.CourseDirectory.course_id = {course_id!r}\n"
        f"c.Exchange.root = {str(paths.exchange)!r}\n"
        "c.Exchange.path_includes_course = True\n"
        'c.ExchangeFactory.collect = "grading.exchange_guard.OwnerCheckedCollect"\n')
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 练习\n合成数据"), nbformat.v4.new_code_cell("answer = None")]
    release = croot / "release" / "ps1"
    release.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, release / "ps1.ipynb")
    # a stand-in for the sources grading keeps there (solutions): out of trainees' reach
    src = croot / "source" / "ps1"
    src.mkdir(parents=True, exist_ok=True)
    (src / "ps1.ipynb").write_text('{"solution": "### BEGIN SOLUTION"}')
    lessons = paths.lessons / course_id
    lessons.mkdir(parents=True, exist_ok=True)
    nbformat.write(nbformat.v4.new_notebook(), lessons / "01-intro.ipynb")


@pytest.fixture(scope="session")
def iso_env():
    if os.geteuid() != 0:
        pytest.skip(ROOT_REASON)
    paths = make_test_root()
    env = Env(paths, new_name("c"))
    try:
        runtime.prepare_runtime(paths, root_mode=True, checkout=REPO)
        _write_course(paths, env.course_id)
        runtime.prepare_course_root(paths, env.course_id, root_mode=True)
        made = as_grader(env, "db", "assignment", "add", "ps1")  # a real gradebook.db, as the grader
        assert made.returncode == 0, made.stdout + made.stderr
        paths.academy_db.write_bytes(b"SQLite format 3\0 academy stand-in")
        os.chmod(paths.academy_db, 0o600)
        env.hub = start_bare_hub(paths)
        for user in (env.a, env.b):
            env.hub.add_user(user)
        for user in (env.a, env.b):
            env.hub.start_server(user)
        yield env
    finally:
        for k in env.kernels.values():
            try:
                k.close()
            except Exception:  # noqa: BLE001 — best effort, the hub goes next
                pass
        cleanup(env.hub, paths, [env.grader])
