"""Read a submission's ``answers.json`` as data (the trusted checker's only input from a trainee).

Opened relative to the submission folder's descriptor with ``O_NOFOLLOW`` (a link is refused, never
followed — not even inside the grader's own course root), regular files only, at most
:data:`MAX_BYTES`, strict UTF-8 JSON whose top level is an object, then checked against the
checker's ``SCHEMA``: an answer of the wrong type is dropped (``check`` sees it as absent and gives 0
with its own reason) and the finding is recorded. Every refusal is a reason tag with Chinese text
in ``grading.autograde.REASONS_ZH``; nothing here raises on bad input.
"""
from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any, Mapping

ANSWERS_NAME = "answers.json"
MAX_BYTES = 256 * 1024
MAX_DEPTH = 20  # json nesting: deeper is not an answer a form produces

_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,), "number": (int, float), "int": (int,), "list": (list,), "dict": (dict,),
    "bool": (bool,), "any": (object,),
}


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max([_depth(v, level + 1) for v in value.values()] or [level])
    if isinstance(value, list):
        return max([_depth(v, level + 1) for v in value] or [level])
    return level


def read_small(folder: Path, name: str, cap: int = 4096) -> bytes | None:
    """A small grader-side file of a submission (timestamp.txt, submission_secret.txt), no-follow."""
    data, problem = _read_bytes(folder, name, cap)
    return None if problem else data


def _read_bytes(folder: Path, name: str, cap: int = MAX_BYTES) -> tuple[bytes | None, str | None]:
    try:
        dfd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None, "answers-missing"
    try:
        try:
            st = os.stat(name, dir_fd=dfd, follow_symlinks=False)
        except FileNotFoundError:
            return None, "answers-missing"
        if stat.S_ISLNK(st.st_mode):
            return None, "answers-link"
        if not stat.S_ISREG(st.st_mode):
            return None, "answers-not-file"
        try:
            fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=dfd)
        except OSError:  # swapped for a link between stat and open
            return None, "answers-link"
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return None, "answers-not-file"
            data = fh.read(cap + 1)
        if len(data) > cap:
            return None, "answers-too-large"
        return data, None
    finally:
        os.close(dfd)


def _bool_is_not_number(value: Any, kind: str) -> bool:
    return kind in ("number", "int") and isinstance(value, bool)


def apply_schema(answers: dict[str, Any], schema: Mapping[str, str]) -> tuple[dict[str, Any], list[str]]:
    """Drop answers whose type is not the schema's; returns (kept answers, reason tags)."""
    kept: dict[str, Any] = {}
    reasons: list[str] = []
    for qid, value in answers.items():
        kind = schema.get(qid)
        if kind is None or value is None:
            kept[qid] = value
            continue
        types = _TYPES.get(kind, (object,))
        if isinstance(value, types) and not _bool_is_not_number(value, kind):
            kept[qid] = value
        else:
            reasons.append(f"answers-type:{qid}")
    return kept, reasons


def read_answers(folder: Path, schema: Mapping[str, str] | None = None,
                 name: str = ANSWERS_NAME) -> tuple[dict[str, Any] | None, list[str]]:
    """(answers or None, reason tags). None means the file is refused as a whole (scores 0)."""
    data, problem = _read_bytes(Path(folder), name)
    if problem:
        return None, [problem]
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None, ["answers-invalid"]
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        return None, ["answers-invalid"]
    if _depth(value) > MAX_DEPTH:
        return None, ["answers-invalid"]
    return apply_schema(value, schema or {})
