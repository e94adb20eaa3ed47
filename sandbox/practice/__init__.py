"""Practice cases for the courses: acceptance review, service guides, rating batches, rectification.

The rules that decide a graded case live in the subpackage :mod:`sandbox.practice.keys` (answer keys),
which root mode makes readable by root and the grader accounts only. :func:`load_key` imports one of
them and, where they are closed (a trainee's kernel), says so in plain words instead of a bare
PermissionError.
"""
from __future__ import annotations

import importlib
from types import ModuleType

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
