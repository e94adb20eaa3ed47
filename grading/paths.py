"""Runtime paths used by grading (mirrors ``academy.paths`` when that module exists)."""
from __future__ import annotations

import os
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent


def academy_root() -> Path:
    """``$ACADEMY_ROOT``; defaults as in docs/architecture.md (``/srv/academy`` as root)."""
    try:  # the hub helper's module is the reference when present
        from academy.paths import Paths  # type: ignore

        return Paths.from_env().root
    except Exception:
        pass
    env = os.environ.get("ACADEMY_ROOT")
    if env:
        return Path(env)
    return Path("/srv/academy") if os.geteuid() == 0 else CHECKOUT / "var"


def data_dir() -> Path:
    return academy_root() / "data"


def academy_db_url() -> str:
    return f"sqlite:///{data_dir() / 'academy.sqlite'}"


def exchange_dir() -> Path:
    return academy_root() / "exchange"


def course_root(course_id: str) -> Path:
    return academy_root() / "courses" / course_id


def homes_dir() -> Path:
    return academy_root() / "homes"


def course_sources() -> Path:
    return CHECKOUT / "courses"


def course_src(course_id: str) -> Path:
    return course_sources() / course_id
