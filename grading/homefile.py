"""Write a file into a person's home as root without ever following a path they control.

The home belongs to the trainee: any name in it may be a symlink they planted (e.g.
``~/.学习进度.html.tmp -> /etc/shadow``), and ``fs.protected_symlinks`` is off on this kind of
machine, so the kernel does not stop root from following it. Everything here goes through a file
descriptor of the home itself: the temporary file gets a random name and is created with
``O_CREAT|O_EXCL|O_NOFOLLOW`` (an existing name or link fails instead of being followed), it is
chowned/chmodded through its own descriptor, and ``rename`` within the same directory descriptor
replaces the final name's directory entry (a link there is replaced, not followed).
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_at(dfd: int, name: str, data: bytes, mode: int = 0o644) -> None:
    """Atomically put ``data`` at ``name`` in the directory open as ``dfd`` (random O_EXCL|O_NOFOLLOW
    temporary, chown/chmod through its descriptor, rename within the directory)."""
    if "/" in name or name in ("", ".", ".."):
        raise ValueError(f"not a plain file name: {name!r}")
    tmp = f".{name}.{secrets.token_hex(8)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600, dir_fd=dfd)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if os.geteuid() == 0:
                os.fchown(fh.fileno(), 0, 0)
            os.fchmod(fh.fileno(), mode)
            fh.flush()
            os.fsync(fh.fileno())
        os.rename(tmp, name, src_dir_fd=dfd, dst_dir_fd=dfd)
    except BaseException:
        try:
            os.unlink(tmp, dir_fd=dfd)
        except OSError:
            pass
        raise


def write_into_home(home: Path, name: str, data: bytes, mode: int = 0o644) -> Path:
    """Atomically put ``data`` at ``home/name`` (root-owned when run as root, ``mode``)."""
    if "/" in name or name in ("", ".", ".."):
        raise ValueError(f"not a plain file name: {name!r}")
    dfd = os.open(home, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        write_at(dfd, name, data, mode)
    finally:
        os.close(dfd)
    return home / name


def _open_dir_chain(home: Path, parts: tuple[str, ...]) -> int:
    """A descriptor of ``home/parts…`` reached without following any link (ELOOP/ENOTDIR on one)."""
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
    fd = os.open(home, flags)
    try:
        for part in parts:
            if "/" in part or part in ("", ".", ".."):
                raise ValueError(f"not a plain folder name: {part!r}")
            nxt = os.open(part, flags, dir_fd=fd)
            os.close(fd)
            fd = nxt
    except BaseException:
        os.close(fd)
        raise
    return fd


def write_into_folder(home: Path, parts: tuple[str, ...], name: str, data: bytes, mode: int = 0o644) -> Path:
    """``write_into_home`` into an existing folder below the home (e.g. ``<course>/<assignment>``),
    every component opened with no-follow. The folder must exist: creating an assignment folder
    before the trainee fetched it would make ``nbgrader fetch`` refuse."""
    fd = _open_dir_chain(home, parts)
    try:
        write_at(fd, name, data, mode)
    finally:
        os.close(fd)
    return Path(home, *parts, name)


def write_as_person(uid: int, gid: int, home: Path, parts: tuple[str, ...], name: str, data: bytes) -> bool:
    """Write as the person (fork, drop to uid/gid, :func:`write_into_folder`): root never writes
    through a path the trainee controls, and nothing the trainee wrote is read back (only the exit
    status). Returns whether the file was written."""
    pid = os.fork()
    if pid == 0:  # child: only this module's code runs, then _exit
        code = 1
        try:
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)
            write_into_folder(home, parts, name, data)
            code = 0
        except BaseException:  # noqa: BLE001 - the parent only needs "not written"
            code = 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0
