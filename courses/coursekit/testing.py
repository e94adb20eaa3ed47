"""Test hooks: drive every widget of a notebook headless (used by tests/courses and the bench).

Interactive components register themselves with :func:`register`; each offers ``_selftest()``, which
sets plausible values and calls the same click handlers a trainee's click would.
"""
from __future__ import annotations

from typing import Any, Protocol

_COMPONENTS: list[Any] = []


class SelfTesting(Protocol):
    def _selftest(self) -> Any: ...


def register(component: Any) -> Any:
    _COMPONENTS.append(component)
    return component


def components() -> list[Any]:
    return list(_COMPONENTS)


def exercise_all() -> list[str]:
    """Run every registered component's self-test; returns a line per component for the test log."""
    done = []
    for c in list(_COMPONENTS):
        result = c._selftest()
        done.append(f"{type(c).__name__}: {result}")
    return done
