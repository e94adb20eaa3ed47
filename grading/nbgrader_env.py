"""Load a course root's nbgrader configuration and build nbgrader objects from it."""
from __future__ import annotations

import contextlib
import functools
import logging
import os
import sys
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

CONFIG_NAME = "nbgrader_config.py"


def ensure_venv_on_path() -> None:
    """nbgrader runs ``alembic`` from PATH when it creates a gradebook — once per process here."""
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    _alembic_head_once()


def _alembic_head_once() -> None:
    """nbgrader asks ``alembic heads`` (a subprocess, 1–4.5 s) for its own migration head every time
    it creates a gradebook; the head belongs to the installed nbgrader and cannot change within a
    process, so a process that builds several courses (``up``, the tests) asks once."""
    import nbgrader.api as nbapi

    if not hasattr(nbapi.get_alembic_version, "cache_info"):
        nbapi.get_alembic_version = functools.lru_cache(maxsize=1)(nbapi.get_alembic_version)


def load_config(course_root: Path) -> Config:
    loader = PyFileConfigLoader(CONFIG_NAME, path=str(course_root))
    return loader.load_config()


def coursedir(course_root: Path, config: Config | None = None):
    from nbgrader.coursedir import CourseDirectory

    config = config or load_config(course_root)
    return CourseDirectory(config=config, root=str(course_root))


def check_gradebook(db_url: str) -> None:
    """Refuse a gradebook file that exists but is empty: nbgrader would silently create a fresh,
    empty schema there and every grade would be gone without a word (issue 12 point 8)."""
    if db_url.startswith("sqlite:///"):
        path = Path(db_url[len("sqlite:///"):])
        if path.exists() and path.stat().st_size == 0:
            raise ValueError(f"成绩库 {path} 是空文件（0 字节），可能已损坏或被清空；请从备份恢复后再操作，"
                             f"系统不会用空白成绩库替换它 / empty gradebook file refused")


def api(course_root: Path, config: Config | None = None, quiet: bool = True):
    from nbgrader.apps import NbGraderAPI

    ensure_venv_on_path()
    config = config or load_config(course_root)
    check_gradebook(coursedir(course_root, config).db_url)
    nbapi = NbGraderAPI(coursedir=coursedir(course_root, config), config=config)
    if quiet:
        nbapi.log_level = logging.WARNING
    return nbapi


def gradebook(course_root: Path):
    from nbgrader.api import Gradebook

    ensure_venv_on_path()
    config = load_config(course_root)
    cd = coursedir(course_root, config)
    check_gradebook(cd.db_url)
    return Gradebook(cd.db_url, cd.course_id)


@contextlib.contextmanager
def chdir(path: Path):
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)
