"""Unix helpers shared by academy, grading and the hub plug-ins: a file lock, chown of a tree, the
one ``setpriv`` command line, and running a Python function as another account.

Interfaces:
    file_lock(path)                         # exclusive flock across processes (context manager)
    chown_tree(top, uid, gid)               # lchown everything below top that is not uid:gid yet
    setpriv_argv(pw, *, groups, caps)       # ["setpriv", ..., "--"] to run as pw
    run_as(pw, fn, *args, python, settings, extra_caps, **kwargs)   # fn in a fresh interpreter as pw
    own_cgroup(controller) / cgroup_make / cgroup_kill / cgroup_remove   # cgroup v1 jobs (root)
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import pickle
import pwd
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable, Iterator, Literal

from .settings import Settings, current


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive flock on path, across processes (released if the process dies)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def chown_tree(top: Path | str, uid: int, gid: int) -> None:
    """Give ``top`` and everything below it to uid:gid (symlinks themselves, never their targets)."""
    for dirpath, dirnames, filenames in os.walk(top):
        for entry in [dirpath, *(os.path.join(dirpath, n) for n in dirnames + filenames)]:
            st = os.lstat(entry)
            if (st.st_uid, st.st_gid) != (uid, gid):
                os.lchown(entry, uid, gid)


def setpriv_argv(pw: pwd.struct_passwd, *, groups: Literal["init", "clear"] = "init",
                 caps: str | None = None) -> list[str]:
    """``setpriv`` up to and including ``--``: become ``pw``.

    ``groups``: "init" keeps the account's supplementary groups, "clear" drops them all.
    ``caps``: None leaves capabilities as setpriv does (dropped with the uid change); "" drops the
    inheritable and ambient sets explicitly; "setuid,setgid" keeps exactly these in the ambient set
    (a grading worker starts kernels as another account)."""
    argv = ["setpriv", f"--reuid={pw.pw_uid}", f"--regid={pw.pw_gid}",
            "--init-groups" if groups == "init" else "--clear-groups"]
    if caps == "":
        argv += ["--inh-caps=-all", "--ambient-caps=-all"]
    elif caps:
        plus = ",".join("+" + c for c in caps.split(","))
        argv += [f"--inh-caps={plus}", f"--ambient-caps={plus}"]
    return argv + ["--"]


def as_account_env(pw: pwd.struct_passwd, python: str, settings: Settings | None = None) -> dict[str, str]:
    """The environment of a child that runs as ``pw`` with ``python``: this process's environment
    minus PYTHONPATH/VIRTUAL_ENV, the account's HOME/USER, and the settings handed on."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update((settings or current()).child_env())
    env.update(HOME=pw.pw_dir, USER=pw.pw_name, LOGNAME=pw.pw_name,
               PATH=str(os.path.dirname(python)) + os.pathsep + env.get("PATH", "/usr/bin:/bin"))
    return env


def run_as(pw: pwd.struct_passwd, fn: Callable[..., Any], *args: Any, python: str | None = None,
           settings: Settings | None = None, extra_caps: str = "", **kwargs: Any) -> Any:
    """Run ``fn(*args, **kwargs)`` (a module-level function) in a fresh interpreter as ``pw``.

    The child (``python -m runtime.runas``) imports ``fn`` by name, so ``python`` must have it
    installed; arguments and result cross pickled. ``extra_caps`` stays in the ambient set."""
    python = python or sys.executable
    argv = setpriv_argv(pw, caps=extra_caps or None) + [python, "-m", "runtime.runas"]
    payload = pickle.dumps((fn.__module__, fn.__qualname__, args, kwargs))
    proc = subprocess.run(argv, input=payload, capture_output=True, env=as_account_env(pw, python, settings),
                          cwd=pw.pw_dir if os.path.isdir(pw.pw_dir) else "/")
    try:
        kind, value = pickle.loads(proc.stdout)
    except Exception:
        raise RuntimeError(f"as {pw.pw_name}: {fn.__name__} failed (exit {proc.returncode}):\n"
                           f"{proc.stderr.decode(errors='replace')[-4000:]}") from None
    if kind == "error":
        raise RuntimeError(f"as {pw.pw_name}: {value[0]}\n{value[1]}")
    return value


# -- cgroup v1 (root only): one group per job, limits, kill all, remove --------------------------------
CGROUP_V1 = Path("/sys/fs/cgroup")


def own_cgroup(controller: str) -> Path | None:
    """This process's cgroup directory of a v1 ``controller`` ("pids", "memory"), or None when the
    controller is not mounted as v1 here. Jobs are made *below* it, so whatever limits the
    machine already puts on us (a container, a systemd slice) still hold for them."""
    mount = CGROUP_V1 / controller
    if not (mount / "cgroup.procs").exists():
        return None
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, names, rel = line.split(":", 2)
        if controller in names.split(","):
            return mount / rel.lstrip("/")
    return None


def cgroup_make(parent: Path, name: str, limits: dict[str, int]) -> Path:
    """Create ``parent/name`` (parents too) and write its limits (file name → value, in order)."""
    group = parent / name
    group.mkdir(parents=True, exist_ok=True)
    for key, value in limits.items():
        (group / key).write_text(str(value))
    return group


def cgroup_kill(group: Path, tries: int = 50) -> int:
    """SIGKILL every process in ``group`` until it is empty (a fork in flight may add one); returns
    how many were still there at the first look (0: the job had already gone as a whole)."""
    import signal
    import time

    first = None
    for _ in range(tries):
        try:
            pids = [int(p) for p in (group / "cgroup.procs").read_text().split()]
        except OSError:
            return first or 0
        first = len(pids) if first is None else first
        if not pids:
            return first
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.02)
    return first or 0


def cgroup_remove(group: Path) -> None:
    """Remove an (empty) cgroup directory; a group that is already gone is fine."""
    with contextlib.suppress(FileNotFoundError):
        os.rmdir(group)
