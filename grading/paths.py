"""Runtime paths used by grading: those of the settings passed in, else of this process's settings
(``runtime.settings.current()``). Course sources are the checkout's ``courses/`` (authoring only)."""
from __future__ import annotations

from pathlib import Path

from runtime.paths import CHECKOUT, Paths
from runtime.settings import Settings, current


def _paths(settings: Settings | None = None) -> Paths:
    return (settings or current()).paths


def academy_root(settings: Settings | None = None) -> Path:
    return _paths(settings).root


def data_dir(settings: Settings | None = None) -> Path:
    return _paths(settings).data_dir


def academy_db_url(settings: Settings | None = None) -> str:
    return _paths(settings).academy_db_url


def exchange_dir(settings: Settings | None = None) -> Path:
    return _paths(settings).exchange


def course_root(course_id: str, settings: Settings | None = None) -> Path:
    return _paths(settings).course_root(course_id)


def homes_dir(settings: Settings | None = None) -> Path:
    return _paths(settings).homes


def course_sources() -> Path:
    return CHECKOUT / "courses"


def course_src(course_id: str) -> Path:
    return course_sources() / course_id
