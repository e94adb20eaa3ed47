"""The grader secret behind every trainee's graded cases (issue 12, docs/isolation.md trust model).

Two levels, so that each identity holds only what it needs:

* the **master secret** (``runtime.paths.Paths.grader_secret``, ``$ACADEMY_ROOT/secrets/grader-secret``):
  32 random bytes, created once with ``O_EXCL`` (0600 in a 0700 directory), owned by root in root
  mode (by the one account in single-account mode). Only ``prepare`` reads it;
* a **course key** derived from it (HMAC of the course id), written by ``prepare`` into the course
  root as :data:`COURSE_KEY_NAME` (0600, ``grader-<course>``'s, inside the 0700 course root). The
  grader process that writes cases and runs the checker reads this file only; a leaked course key
  exposes that course's cases, never another's.

A trainee (or the ``academy-grade`` kernel account) can read neither, and a seed cannot be derived
from the account name alone: ``grading.checks.case_seed`` is an HMAC keyed with the course key.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from runtime.settings import Settings, current

COURSE_KEY_NAME = ".academy-grader-key"  # nbgrader ignores ".academy*" (never released or collected)
SECRET_BYTES = 32


class SecretError(RuntimeError):
    """The secret exists but cannot be used (wrong size or mode): never silently replaced."""


def master_secret(settings: Settings | None = None) -> bytes:
    """The master secret, created on first use (0600 in a 0700 directory)."""
    path = (settings or current()).paths.grader_secret
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except FileExistsError:
        return _read_key(path)
    with os.fdopen(fd, "wb") as fh:
        fh.write(secrets.token_bytes(SECRET_BYTES))
        fh.flush()
        os.fsync(fh.fileno())
    return _read_key(path)


def _read_key(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        st = os.fstat(fd)
        if st.st_mode & 0o077:
            raise SecretError(f"{path}: readable by others (mode {st.st_mode & 0o777:o}); expected 0600")
        data = os.read(fd, SECRET_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) != SECRET_BYTES:
        raise SecretError(f"{path}: {len(data)} bytes, expected {SECRET_BYTES}; restore it from backup")
    return data


def derive_course_key(master: bytes, course_id: str) -> bytes:
    return hmac.new(master, b"academy-course-key\x1f" + course_id.encode("utf-8"), hashlib.sha256).digest()


def install_course_key(course_root: Path, course_id: str, settings: Settings | None = None) -> Path:
    """Write the course key into the course root (0600; prepare hands the tree to the grader)."""
    key = derive_course_key(master_secret(settings), course_id)
    path = Path(course_root) / COURSE_KEY_NAME
    tmp = path.with_name(f"{COURSE_KEY_NAME}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    os.replace(tmp, path)
    return path


def course_key(course_root: Path) -> bytes:
    """The course key (read by the grader account inside its own course root)."""
    return _read_key(Path(course_root) / COURSE_KEY_NAME)
