"""Run course operations as the course's grader account (``grader-<course>``), never as root.

When the process runs as root, :func:`run_as_grader` forks, drops to the grader account
(created by the isolation helper's ``academy.accounts.ensure_grader_account``) and runs the
function there; the result comes back pickled through a pipe. Without root, or before the
isolation module exists, it runs in-process as the current user (single-account demo mode).
"""
from __future__ import annotations

import logging
import os
import pickle
import pwd
import traceback
from typing import Any, Callable

log = logging.getLogger(__name__)

KERNEL_ACCOUNT = "academy-grade"  # unprivileged account that runs submitted code


def grader_account(course_id: str) -> str:
    return f"grader-{course_id}"


def is_root() -> bool:
    """Root mode (academy.paths): euid 0 and not ACADEMY_SINGLE_USER=1."""
    if os.geteuid() != 0:
        return False
    return os.environ.get("ACADEMY_SINGLE_USER", "").strip().lower() not in {"1", "true", "yes", "on"}


def ensure_grader(course_id: str) -> pwd.struct_passwd | None:
    """Return the grader account, creating it through the isolation module when possible.

    Integration point: ``academy.accounts.ensure_grader_account(course_id)`` (isolation helper).
    """
    name = grader_account(course_id)
    if is_root():
        try:
            from academy.accounts import ensure_grader_account  # type: ignore
        except Exception:  # isolation not available yet: documented fallback
            ensure_grader_account = None
        if ensure_grader_account is not None:
            ensure_grader_account(course_id)
    try:
        return pwd.getpwnam(name)
    except KeyError:
        if is_root():
            log.warning("account %s does not exist: course operations run as root (demo mode)", name)
        return None


def ensure_kernel_account() -> pwd.struct_passwd | None:
    """The unprivileged account that executes submissions (root mode only)."""
    if not is_root():
        return None
    try:
        return pwd.getpwnam(KERNEL_ACCOUNT)
    except KeyError:
        pass
    import subprocess

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


def drop_to(pw: pwd.struct_passwd) -> None:
    os.setgroups([])
    os.setgid(pw.pw_gid)
    os.setuid(pw.pw_uid)
    os.environ.update(HOME=pw.pw_dir, USER=pw.pw_name, LOGNAME=pw.pw_name)


def grader_python() -> str | None:
    """A Python the grader account can execute with ``grading`` importable: the runtime venv.

    The dev venv's interpreter lives under /root (pyenv) and is unreadable to other accounts.
    """
    try:
        from academy.paths import Paths  # type: ignore

        venv = Paths.from_env().venv
    except Exception:
        from .paths import academy_root

        venv = academy_root() / "venv"
    py = venv / "bin" / "python"
    if py.exists() and _world_executable(str(py)):
        return str(py)
    return None


def _world_executable(path: str) -> bool:
    from .preprocessors_util import world_executable

    return world_executable(path)


def run_as_grader(course_id: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run ``fn`` (a module-level function) as ``grader-<course>`` in root mode.

    Needs the runtime venv (``$ACADEMY_ROOT/venv``); without it, root mode falls back to running
    in-process as root with a warning (single-machine demo before ``make up`` built the venv).
    """
    pw = ensure_grader(course_id) if is_root() else None
    if pw is None:
        return fn(*args, **kwargs)
    py = grader_python()
    if py is None:
        log.warning("no runtime venv usable by %s: running %s as root", pw.pw_name, fn.__name__)
        try:
            return fn(*args, **kwargs)
        finally:  # hand whatever root created in the course root back to the grader
            from pathlib import Path

            for arg in args:
                if isinstance(arg, Path) and arg.is_dir():
                    chown_tree(arg, pw)
                    break
    return run_as(pw, fn, *args, python=py, **kwargs)


def run_as(pw: pwd.struct_passwd, fn: Callable[..., Any], *args: Any, python: str | None = None,
           extra_caps: str = "", **kwargs: Any) -> Any:
    """Run ``fn(*args, **kwargs)`` in a fresh interpreter as account ``pw`` (setpriv).

    ``extra_caps`` (e.g. "setuid,setgid") stays in the ambient set so that the child can start
    kernels as the unprivileged kernel account; everything else is dropped.
    """
    import subprocess
    import sys

    python = python or grader_python() or sys.executable
    caps = []
    if extra_caps:
        plus = ",".join("+" + c for c in extra_caps.split(","))
        caps = [f"--inh-caps={plus}", f"--ambient-caps={plus}"]
    argv = ["setpriv", f"--reuid={pw.pw_uid}", f"--regid={pw.pw_gid}", "--init-groups", *caps,
            "--", python, "-m", "grading.runas"]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(HOME=pw.pw_dir, USER=pw.pw_name, LOGNAME=pw.pw_name,
               PATH=str(os.path.dirname(python)) + os.pathsep + env.get("PATH", "/usr/bin:/bin"))
    payload = pickle.dumps((fn.__module__, fn.__qualname__, args, kwargs))
    proc = subprocess.run(argv, input=payload, capture_output=True, env=env, cwd=pw.pw_dir if os.path.isdir(pw.pw_dir) else "/")
    try:
        kind, value = pickle.loads(proc.stdout)
    except Exception:
        raise RuntimeError(f"as {pw.pw_name}: {fn.__name__} failed (exit {proc.returncode}):\n"
                           f"{proc.stderr.decode(errors='replace')[-4000:]}") from None
    if kind == "error":
        raise RuntimeError(f"as {pw.pw_name}: {value[0]}\n{value[1]}")
    return value


def chown_tree(top, pw: pwd.struct_passwd) -> None:
    for dirpath, dirnames, filenames in os.walk(top):
        os.chown(dirpath, pw.pw_uid, pw.pw_gid)
        for f in filenames:
            os.lchown(os.path.join(dirpath, f), pw.pw_uid, pw.pw_gid)
