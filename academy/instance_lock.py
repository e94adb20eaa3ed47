"""One academy per runtime state: `python -m academy up` holds an exclusive flock on
``$ACADEMY_ROOT/hub/up.lock`` for as long as it (or the hub it started) runs.

Two hubs on one state share the hub database: the second adopts the first one's user servers and
kills them when it stops. A second `up` therefore refuses at once, before it touches anything.

Why flock: the kernel drops the lock when the last process holding the open file ends, so a crash
(kill -9, power cut) can never leave a stale lock behind — there is no pid file to clean up. The
file's content (pid, URL) is only for the refusal message. The hub inherits the descriptor
(`fds`): if `up` alone is killed, its orphaned hub still holds the lock and still runs on this
state, so a new start is refused until it is gone.
"""
from __future__ import annotations

import fcntl
import json
import os
from dataclasses import dataclass
from pathlib import Path

LOCK_NAME = "up.lock"


class AlreadyRunning(Exception):
    """Another academy holds the lock on this runtime state; str() is the message for the operator."""


@dataclass
class InstanceLock:
    path: Path
    fd: int

    @property
    def fds(self) -> tuple[int, ...]:
        """Descriptors a child must inherit (subprocess ``pass_fds``) to keep the lock while it lives."""
        return (self.fd,)

    def release(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)  # closing our descriptor drops the lock unless a child still has it
            self.fd = -1


def lock_path(hub_dir: Path) -> Path:
    return Path(hub_dir) / LOCK_NAME


def acquire(hub_dir: Path, url: str) -> InstanceLock:
    """Take the lock for this runtime state or raise AlreadyRunning naming the holder's pid and URL.

    Creates ``hub_dir`` (0700) and the lock file (0600) if missing; on refusal nothing is written."""
    hub_dir = Path(hub_dir)
    hub_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = lock_path(hub_dir)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = _read_holder(fd)
        os.close(fd)
        raise AlreadyRunning(_refusal(path, holder)) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps({"pid": os.getpid(), "url": url}).encode(), 0)
    return InstanceLock(path=path, fd=fd)


def _read_holder(fd: int) -> dict:
    try:
        data = json.loads(os.pread(fd, 4096, 0).decode() or "{}")
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _refusal(path: Path, holder: dict) -> str:
    pid, url = holder.get("pid", "?"), holder.get("url", "?")
    lines = [f"学院已在运行（进程 {pid}，{url}），同一运行目录不能再启动第二个。",
             f"The academy is already running on this runtime state (pid {pid}, {url}); "
             "a second one is refused.",
             f"  锁文件 / lock: {path}"]
    if not _alive(holder.get("pid")):
        lines.append("  该进程已退出，但它启动的 hub 仍在运行并持有锁；请先停止它 / "
                     "that process is gone but the hub it started still runs and holds the lock: stop it first")
    else:
        lines.append(f"  先停止它（Ctrl-C 或 kill {pid}）/ stop it first (Ctrl-C or kill {pid})")
    return "\n".join(lines)
