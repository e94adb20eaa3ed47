"""Put each trainee's own cases (``cases.json``) into their assignment folder.

The cases are computed by the grader account (course key + checker, both grader-only); the file is
written **as the person** (root mode: a forked child drops to the trainee's uid/gid before it opens
anything in the home) through descriptors with no-follow (``grading.homefile``), so root never
writes through a path the trainee controls and reads nothing back from them. The folder must
already exist (the trainee fetched the assignment): creating it first would make ``nbgrader fetch``
refuse ("you already have a copy"); the grade-on-submit service writes the missing ones each round,
and ``api.autograde`` the next attempt's for everyone it graded.
"""
from __future__ import annotations

import os
import pwd
import stat
from pathlib import Path

from runtime.settings import Settings

from . import paths, privileges
from .checker_run import CASES_NAME, _cohorts, cap_for, cases_document, next_attempts
from .formgrade import public_cases
from .homefile import write_as_person, write_into_folder


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except OSError:
        return None


def fetched(home: Path, course_id: str, assignment: str) -> bool:
    """The assignment folder exists as real directories (a link anywhere on the way: no)."""
    cur = home
    for part in ("", course_id, assignment):
        cur = cur / part if part else cur
        st = _lstat(cur)
        if st is None or not stat.S_ISDIR(st.st_mode):
            return False
    return True


def candidates(course_id: str, assignment: str, accounts: list[str] | None, only_missing: bool,
               settings: Settings | None) -> tuple[list[str], dict[str, str]]:
    homes = paths.homes_dir(settings)
    if accounts is None:
        accounts = sorted(p.name for p in homes.iterdir()) if homes.is_dir() else []
    ready, skipped = [], {}
    for account in accounts:
        home = homes / account
        if not fetched(home, course_id, assignment):
            skipped[account] = "尚未获取该作业（没有作业文件夹）"
        elif only_missing and _lstat(home / course_id / assignment / CASES_NAME) is not None:
            continue
        else:
            ready.append(account)
    return ready, skipped


def _write(account: str, home: Path, parts: tuple[str, str], data: bytes, root_mode: bool) -> bool:
    if not root_mode:
        write_into_folder(home, parts, CASES_NAME, data)
        return True
    try:
        pw = pwd.getpwnam(account)
    except KeyError:
        return False
    if pw.pw_uid == 0:
        return False
    return write_as_person(pw.pw_uid, pw.pw_gid, home, parts, CASES_NAME, data)


def write_cases(course_id: str, assignment: str, root: Path, entry: dict, accounts: list[str] | None,
                db_url: str, only_missing: bool, settings: Settings | None) -> dict:
    ready, skipped = candidates(course_id, assignment, accounts, only_missing, settings)
    attempts = next_attempts(course_id, assignment, entry, ready, db_url)
    for account in ready:
        if account not in attempts:
            skipped[account] = "评分次数已用完，不再生成新案例"
    if not attempts:
        return {"written": [], "skipped": skipped}
    cases = privileges.run_as_grader(course_id, public_cases, root, course_id, assignment,
                                     sorted(attempts.items()), settings=settings)
    cohorts = _cohorts(db_url)
    written = []
    root_mode = privileges.is_root(settings)
    for account, attempt in sorted(attempts.items()):
        data = cases_document(course_id, assignment, account, attempt, cap_for(entry, cohorts.get(account)),
                              cases[account])
        try:
            ok = _write(account, paths.homes_dir(settings) / account, (course_id, assignment), data, root_mode)
        except OSError as exc:
            ok = False
            skipped[account] = f"无法写入（{exc.strerror}）"
        if ok:
            written.append(account)
        else:
            skipped.setdefault(account, "无法以本人身份写入（文件夹可能是链接或不属于本人）")
    return {"written": written, "skipped": skipped}
