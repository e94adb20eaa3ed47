"""Shared test configuration. Each area keeps its own fixtures in tests/<area>/conftest.py."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


def is_root() -> bool:
    return os.geteuid() == 0
