"""Shared test configuration. Each area keeps its own fixtures in tests/<area>/conftest.py."""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
_SESSION_ROOT: str | None = None


def pytest_configure(config: pytest.Config) -> None:
    """Tests never use the machine's real runtime (/srv/academy, ./var): without this, a runtime left
    by `make up` (its venv, its databases) would change how the grading code runs under test. Tests
    that need a runtime of their own set ACADEMY_ROOT themselves."""
    global _SESSION_ROOT
    _SESSION_ROOT = tempfile.mkdtemp(prefix="academy-tests-")
    os.environ["ACADEMY_ROOT"] = _SESSION_ROOT
    # bcrypt at the product's cost 12 is 0.3 s of CPU per new account; test hubs create dozens at
    # every start (13 s for the demo roster). Logins still check real bcrypt hashes; the load tests
    # set the product's cost again (tests/load/harness.py).
    os.environ.setdefault("ACADEMY_PASSWORD_ROUNDS", "4")


def pytest_unconfigure(config: pytest.Config) -> None:
    if _SESSION_ROOT:
        shutil.rmtree(_SESSION_ROOT, ignore_errors=True)


# `make test` runs on several pytest-xdist workers with --dist loadgroup. Every test gets a group:
# the costly session fixture it uses (a hub, a city, a graded cohort, a PostgreSQL server), else its
# file. So one worker sets each of those up once and keeps its module fixtures, while independent
# files spread over the workers. Root-mode academies go in one group: they share the machine's
# grader-<course> accounts, which two running at once would fight over.
# In order: a test is grouped by the first it uses (dash_hub is built on city_root, so both go by
# city_root: one synthetic city per run, not one per group).
SHARED_SETUPS = ("iso_env", "academy_hub", "portal_hub", "city_root", "cohort", "pg_server")
ROOT_ACADEMY_FILES = ("tests/isolation/test_isolation_up.py", "tests/dashboards/test_root_mode.py",
                      "tests/pg/test_pg_hub.py")


def xdist_group_of(item: pytest.Item) -> str:
    path = item.nodeid.split("::", 1)[0]
    if path in ROOT_ACADEMY_FILES:
        return "root-academy"
    shared = next((name for name in SHARED_SETUPS if name in item.fixturenames), None)
    return shared or path.removeprefix("tests/").removesuffix(".py")  # short: it ends every node id


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the marks into the node ids
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(xdist_group_of(item)))


def pytest_collection_finish(session: pytest.Session) -> None:
    """A worker whose tests lost their groups would set every shared hub up again and run the
    root-mode academies side by side: stop at once instead (pytest-dev/pytest-xdist#1386: with
    pytest 9.2 xdist's group suffix silently does not reach the node ids)."""
    if os.environ.get("PYTEST_XDIST_WORKER") and session.config.getvalue("loadgroup"):
        lost = [item.nodeid for item in session.items if "@" not in item.nodeid]
        if lost:
            raise pytest.UsageError(f"--dist loadgroup is not grouping ({len(lost)} tests without a group, "
                                    f"e.g. {lost[0]}): see pytest-dev/pytest-xdist#1386")


# Set-up time of each fixture on its own (its dependencies are set up before the hook runs), so the
# summary names what a slow test "setup" is made of: --durations shows the sum per test only.
_FIXTURE_SECONDS: dict[str, float] = {}


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef: pytest.FixtureDef, request: pytest.FixtureRequest):
    t0 = time.perf_counter()
    yield
    key = f"{fixturedef.baseid or '.'}::{fixturedef.argname} ({fixturedef.scope})"
    _FIXTURE_SECONDS[key] = _FIXTURE_SECONDS.get(key, 0.0) + time.perf_counter() - t0


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    slow = sorted(((s, k) for k, s in _FIXTURE_SECONDS.items() if s >= 5.0), reverse=True)[:20]
    if slow:
        terminalreporter.write_sep("=", "slowest fixture set-ups (own time, summed over their set-ups)")
        for seconds, key in slow:
            terminalreporter.write_line(f"{seconds:8.1f}s {key}")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


def is_root() -> bool:
    return os.geteuid() == 0
