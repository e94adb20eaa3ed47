"""Run course operations as the course's grader account (``grader-<course>``), never as root.

In root mode (``runtime.settings``) :func:`run_as_grader` runs the function in a fresh interpreter
of the runtime venv as ``grader-<course>`` (``runtime.unix.run_as``; the account comes from
``runtime.accounts``). In single-account mode it runs in-process as the current user.
"""
from __future__ import annotations

import logging
import pwd
import subprocess
from pathlib import Path
from typing import Any, Callable

from runtime import accounts
from runtime.settings import Settings, current
from runtime.unix import chown_tree, run_as

from .preprocessors_util import world_executable

log = logging.getLogger(__name__)

KERNEL_ACCOUNT = "academy-grade"  # unprivileged account that runs submitted code
__all__ = ["KERNEL_ACCOUNT", "grader_account", "is_root", "ensure_grader", "ensure_kernel_account",
           "grader_python", "run_as_grader", "run_as"]


def grader_account(course_id: str) -> str:
    return accounts.grader_account_name(course_id)


def is_root(settings: Settings | None = None) -> bool:
    """Root mode, as runtime.settings decided it."""
    return (settings or current()).root_mode


def ensure_grader(course_id: str, settings: Settings | None = None) -> pwd.struct_passwd | None:
    """The grader account in root mode (created if missing); None in single-account mode."""
    if not is_root(settings):
        return None
    accounts.ensure_grader_account(course_id, home=(settings or current()).paths.course_root(course_id))
    return pwd.getpwnam(grader_account(course_id))


def ensure_kernel_account(settings: Settings | None = None) -> pwd.struct_passwd | None:
    """The unprivileged account that executes submissions (root mode only)."""
    if not is_root(settings):
        return None
    try:
        return pwd.getpwnam(KERNEL_ACCOUNT)
    except KeyError:
        pass
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent",
         "--shell", "/usr/sbin/nologin", "--user-group", KERNEL_ACCOUNT],
        check=False, capture_output=True,
    )
    try:
        return pwd.getpwnam(KERNEL_ACCOUNT)
    except KeyError:
        log.warning("could not create %s; submissions run as the grader account", KERNEL_ACCOUNT)
        return None


def grader_python(settings: Settings | None = None) -> str | None:
    """A Python the grader account can execute with ``grading`` importable: the runtime venv.

    The dev venv's interpreter lives under /root (pyenv) and is unreadable to other accounts.
    """
    py = (settings or current()).paths.venv / "bin" / "python"
    if py.exists() and world_executable(str(py)):
        return str(py)
    return None


def run_as_grader(course_id: str, fn: Callable[..., Any], *args: Any, settings: Settings | None = None,
                  **kwargs: Any) -> Any:
    """Run ``fn`` (a module-level function) as ``grader-<course>`` in root mode.

    Needs the runtime venv (``$ACADEMY_ROOT/venv``); without it, root mode falls back to running
    in-process as root with a warning (single-machine demo before ``make up`` built the venv).
    """
    pw = ensure_grader(course_id, settings)
    if pw is None:
        return fn(*args, **kwargs)
    py = grader_python(settings)
    if py is None:
        log.warning("no runtime venv usable by %s: running %s as root", pw.pw_name, fn.__name__)
        try:
            return fn(*args, **kwargs)
        finally:  # hand whatever root created in the course root back to the grader
            for arg in args:
                if isinstance(arg, Path) and arg.is_dir():
                    chown_tree(arg, pw.pw_uid, pw.pw_gid)
                    break
    return run_as(pw, fn, *args, python=py, settings=settings, **kwargs)
