"""Copying runtime trees for backup and restore without ever following a link.

Trainees write into homes, the exchange and (through submissions) course roots, and may plant
symbolic links, FIFOs or swap a file for a link between two looks. So the walk works on open
directory descriptors (``O_NOFOLLOW``, ``dir_fd``): a symbolic link is recorded as a link (its
text, never its target's content), a FIFO, socket or device is skipped (reading a FIFO would hang
the backup), and a file is opened ``O_NOFOLLOW | O_NONBLOCK`` and checked to be regular after
opening. Owners are recorded by *name*: a restore on another machine recreates the accounts with
other uids.

Interfaces:
    Entry                                          # one manifest line (path relative to the root)
    copy_out(root, rel, dest, entries, skip)       # root/rel -> dest/rel, appending Entries
    copy_in(src, root, entries, *, chown)          # the reverse, for restore: modes, owners by name
    owner_names(stat) -> (owner, group)
    sha256_file(path) -> (size, hex)
"""
from __future__ import annotations

import grp
import hashlib
import os
import pwd
import stat
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterable

CHUNK = 1 << 20
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK


@dataclass
class Entry:
    path: str                 # relative to ACADEMY_ROOT, '/'-separated
    kind: str                 # dir | file | symlink
    mode: int
    owner: str
    group: str
    size: int = 0
    sha256: str = ""
    target: str = ""          # symlink text

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in ("", None) or k in ("owner", "group")}


def _name(getter, ident: int) -> str:
    try:
        return getter(ident)[0]
    except KeyError:
        return str(ident)


def owner_names(st: os.stat_result) -> tuple[str, str]:
    return _name(pwd.getpwuid, st.st_uid), _name(grp.getgrgid, st.st_gid)


def sha256_file(path: Path) -> tuple[int, str]:
    h, size = hashlib.sha256(), 0
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
            size += len(chunk)
    return size, h.hexdigest()


def _copy_fd(src_fd: int, dst: Path) -> tuple[int, str]:
    """Copy an open file to a new 0600 file ``dst``; (size, sha256) of what was copied."""
    h, size = hashlib.sha256(), 0
    out = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        while chunk := os.read(src_fd, CHUNK):
            os.write(out, chunk)
            h.update(chunk)
            size += len(chunk)
    finally:
        os.close(out)
    return size, h.hexdigest()


def _entry(rel: str, kind: str, st: os.stat_result, **more) -> Entry:
    owner, group = owner_names(st)
    return Entry(rel, kind, stat.S_IMODE(st.st_mode), owner, group, **more)


def _walk(dir_fd: int, rel: str, dest: Path, entries: list[Entry], skip: Callable[[str], bool]) -> None:
    with os.scandir(dir_fd) as it:
        names = sorted(e.name for e in it)
    for name in names:
        child = f"{rel}/{name}"
        if skip(child):
            continue
        try:
            st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
            if stat.S_ISLNK(st.st_mode):
                target = os.readlink(name, dir_fd=dir_fd)
                os.symlink(target, dest / child)
                entries.append(_entry(child, "symlink", st, target=target))
            elif stat.S_ISDIR(st.st_mode):
                fd = os.open(name, _DIR_FLAGS, dir_fd=dir_fd)
                try:
                    (dest / child).mkdir(mode=0o700)
                    entries.append(_entry(child, "dir", os.fstat(fd)))
                    _walk(fd, child, dest, entries, skip)
                finally:
                    os.close(fd)
            elif stat.S_ISREG(st.st_mode):
                fd = os.open(name, _FILE_FLAGS, dir_fd=dir_fd)
                try:
                    st = os.fstat(fd)
                    if not stat.S_ISREG(st.st_mode):  # swapped for a FIFO after the first look
                        continue
                    size, digest = _copy_fd(fd, dest / child)
                    entries.append(_entry(child, "file", st, size=size, sha256=digest))
                finally:
                    os.close(fd)
            # FIFOs, sockets, devices: nothing a course needs, and reading a FIFO would block
        except (FileNotFoundError, NotADirectoryError):
            continue  # removed or replaced while we looked (a running academy)
        except OSError as exc:
            if exc.errno == 40:  # ELOOP: became a link between stat and open — not followed
                continue
            raise


def copy_out(root: Path, rel: str, dest: Path, entries: list[Entry],
             skip: Callable[[str], bool] = lambda rel: False) -> None:
    """Copy ``root/rel`` (a directory) to ``dest/rel`` with every parent below ``root`` recorded."""
    parts = rel.split("/")
    try:
        fd = os.open(root, _DIR_FLAGS)
        for i, part in enumerate(parts):
            nxt = os.open(part, _DIR_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = nxt
            here = "/".join(parts[: i + 1])
            if not (dest / here).exists():
                (dest / here).mkdir(mode=0o700)
                entries.append(_entry(here, "dir", os.fstat(fd)))
    except (FileNotFoundError, NotADirectoryError):
        return  # missing (e.g. no logs yet)
    except OSError as exc:
        if exc.errno == 40:  # the folder itself is a planted link: recorded nowhere, not followed
            return
        raise
    try:
        _walk(fd, rel, dest, entries, skip)
    finally:
        os.close(fd)


def ids_by_name(owner: str, group: str) -> tuple[int, int]:
    """uid, gid by name on this machine; root for names it does not know (e.g. a removed person)."""
    try:
        uid = pwd.getpwnam(owner).pw_uid
    except KeyError:
        uid = 0
    try:
        gid = grp.getgrnam(group).gr_gid
    except KeyError:
        gid = 0
    return uid, gid


def copy_in(src: Path, root: Path, entries: Iterable[Entry], *, chown: bool) -> None:
    """Recreate ``entries`` (from ``src/<path>``) under ``root``: contents, then owners by name,
    then modes (directories last, deepest first, so a read-only folder does not block its files)."""
    entries = list(entries)
    for e in entries:
        target = root / e.path
        if e.kind == "dir":
            target.mkdir(mode=0o700, exist_ok=True)
        elif e.kind == "symlink":
            os.symlink(e.target, target)
        else:
            with open(src / e.path, "rb") as f:
                _copy_fd(f.fileno(), target)
        if chown:
            os.chown(target, *ids_by_name(e.owner, e.group), follow_symlinks=False)
        if e.kind == "file":
            os.chmod(target, e.mode)
    for e in sorted((e for e in entries if e.kind == "dir"), key=lambda e: -e.path.count("/")):
        os.chmod(root / e.path, e.mode)
