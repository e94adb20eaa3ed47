"""Shared test configuration. Each area keeps its own fixtures in tests/<area>/conftest.py."""
from __future__ import annotations

import os
import shutil
import tempfile
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


def pytest_unconfigure(config: pytest.Config) -> None:
    if _SESSION_ROOT:
        shutil.rmtree(_SESSION_ROOT, ignore_errors=True)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


def is_root() -> bool:
    return os.geteuid() == 0
