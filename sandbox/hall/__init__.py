"""The hall part: scenario → engine → records → metrics (see sandbox/README.md for the shape).

``simulate`` is the engine's entry point; the modules are ``scenario``, ``engine``, ``records``,
``metrics`` (and the engine's parts: ``context``, ``items``, ``day``, ``online``, ``queue``, ``outcomes``).
"""
from __future__ import annotations

from .engine import simulate

__all__ = ["simulate"]
