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


def write_into_home(home: Path, name: str, data: bytes, mode: int = 0o644) -> Path:
    """Atomically put ``data`` at ``home/name`` (root-owned when run as root, ``mode``)."""
    if "/" in name or name in ("", ".", ".."):
        raise ValueError(f"not a plain file name: {name!r}")
    dfd = os.open(home, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
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
    finally:
        os.close(dfd)
    return home / name
