"""Fixtures for the course tests: one throwaway nbgrader course root per course, shared by the whole
session (kernels cost seconds each). Helpers live in course_helpers.py."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from course_helpers import CourseRoot


@pytest.fixture(scope="session")
def course_base(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("academy")
    os.chmod(base, 0o755)
    return base


_ROOTS: dict[str, CourseRoot] = {}


@pytest.fixture(scope="session")
def course_root(course_base):
    """course_root(course_id) -> CourseRoot, built once per session."""
    def get(course_id: str) -> CourseRoot:
        if course_id not in _ROOTS:
            _ROOTS[course_id] = CourseRoot(course_id, course_base)
        return _ROOTS[course_id]
    return get
