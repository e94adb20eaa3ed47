"""Practice cases for the courses: acceptance review, service guides, rating batches, rectification.

The rules that decide a graded case live in the subpackage :mod:`sandbox.practice.keys` (answer keys),
which root mode makes readable by root and the grader accounts only. :func:`load_key` imports one of
them and, where they are closed (a trainee's kernel), says so in plain words instead of a bare
PermissionError.
"""
from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any, Callable

KEYS_CLOSED = ("判定规则（评分答案）只在评分端可用，学员的内核中不能调用；课程练习的反馈来自练习题库。"
               " / The rules that decide graded cases are grader-only; lessons take feedback from the practice bank.")


def load_key(name: str) -> ModuleType:
    """``sandbox.practice.keys.<name>``, or ImportError(KEYS_CLOSED) where this account cannot read it."""
    try:
        return importlib.import_module(f"{__name__}.keys.{name}")
    except (ImportError, PermissionError) as exc:
        if isinstance(exc, ImportError) and exc.name not in (f"{__name__}.keys", f"{__name__}.keys.{name}"):
            raise  # a genuine import error inside a readable key module
        raise ImportError(KEYS_CLOSED, name=f"{__name__}.keys.{name}") from exc


def forward_keys(module: str, key: str, names: frozenset[str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that serves ``names`` from ``keys.<key>`` (the rules' old names in
    ``module``), so callers that may read the keys keep working and others get :data:`KEYS_CLOSED`."""
    def __getattr__(name: str) -> Any:
        if name in names:
            return getattr(load_key(key), name)
        raise AttributeError(f"module {module!r} has no attribute {name!r}")
    return __getattr__
