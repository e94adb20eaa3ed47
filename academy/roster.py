"""Roster import: one UTF-8 CSV → academy DB, hub accounts and groups, Unix accounts, nbgrader students.

Columns: ``account,姓名,单位,县区,role,courses,cohort,active`` (courses separated by ``;`` or ``|``).
The import is idempotent and never deletes: people missing from a file are left as they are, and
``active=0`` disables a person (no login, server stopped, tokens revoked, group memberships
withdrawn) while their home, submissions and grades stay. Bad rows are refused with their line
number and reason; the good rows still load.

Where the hub's side goes (see `academy.hubsync`): through the hub's REST API when a hub of this
ACADEMY_ROOT is running (so it sees the change at once), straight into the hub database otherwise.
"""
from __future__ import annotations

import csv
import io
import logging
import os
import pwd
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from academy import db as adb
from academy import hubsync
from academy.rosterrows import RosterRow
from runtime import accounts
from runtime.db import session
from runtime.paths import Paths
from runtime.settings import current
from runtime.people import ROLE_ALIASES, ROLES, Enrolment, Person, people

log = logging.getLogger("academy.roster")

COLUMNS = ("account", "姓名", "单位", "县区", "role", "courses", "cohort", "active")
# POSIX-portable user name, lowercase: the hub name is also the future Unix account.
ACCOUNT_RE = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")
COURSE_RE = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")
# Names that must never become academy accounts, whatever /etc/passwd says.
RESERVED = {
    "root", "admin", "administrator", "jupyterhub", "nobody", "daemon", "bin", "sys", "sync",
    "games", "man", "lp", "mail", "news", "uucp", "proxy", "www-data", "backup", "list", "irc",
    "gnats", "systemd-network", "systemd-resolve", "messagebus", "sshd", "postgres", "node",
    "dashboards", "academy-ops", "disabled",
}
TRUE = {"1", "true", "yes", "y", "是", "启用", ""}
FALSE = {"0", "false", "no", "n", "否", "停用"}
@dataclass(frozen=True)
class RowError:
    line: int
    account: str
    reason: str

    def __str__(self) -> str:
        who = f"（{self.account}）" if self.account else ""
        return f"第 {self.line} 行{who}：{self.reason}"


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    disabled: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    new_passwords: dict[str, str] = field(default_factory=dict)
    hub_path: str = ""  # "api" or "db"
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"新建 {len(self.created)}，更新 {len(self.updated)}，未变 {len(self.unchanged)}，"
            f"停用 {len(self.disabled)}，拒绝 {len(self.errors)} 行（hub: {self.hub_path}）"
        )


def _system_account_problem(account: str) -> str | None:
    try:
        accounts.check_account_name(account)
    except ValueError as exc:
        return str(exc).split(" / ")[0]
    if account in RESERVED or account.startswith("grader-"):
        return f"账号名 {account} 为系统保留名"
    try:
        entry = pwd.getpwnam(account)
    except KeyError:
        return None
    if entry.pw_uid < 1000 or entry.pw_uid >= 60000:
        return f"账号名 {account} 与系统账号重名"
    return None


def parse(text: str, known_courses: set[str] | None = None) -> tuple[list[RosterRow], list[RowError]]:
    """Validate a roster. Line numbers count the header as line 1."""
    rows: list[RosterRow] = []
    errors: list[RowError] = []
    text = text.lstrip("\ufeff")  # Excel writes a BOM
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return [], [RowError(1, "", "文件为空")]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [], [RowError(1, "", f"表头缺少列：{'、'.join(missing)}（应为 {','.join(COLUMNS)}）")]
    index = {name: header.index(name) for name in COLUMNS}
    seen: dict[str, int] = {}
    for line_no, raw in enumerate(reader, start=2):
        if not any(cell.strip() for cell in raw):
            continue  # blank line
        if len(raw) != len(header):
            errors.append(RowError(line_no, "", f"列数为 {len(raw)}，应为 {len(header)}"))
            continue
        cell = {name: raw[i].strip() for name, i in index.items()}
        account = cell["account"]
        problem = None
        role = ROLE_ALIASES.get(cell["role"], cell["role"].lower())
        courses = tuple(dict.fromkeys(c.strip() for c in re.split(r"[;|；]", cell["courses"]) if c.strip()))
        active_raw = cell["active"].lower()
        if not ACCOUNT_RE.match(account):
            problem = "账号须为小写英文字母、数字、_ 或 -，以字母或 _ 开头，不超过 32 个字符"
        elif account in seen:
            problem = f"账号与第 {seen[account]} 行重复"
        elif (p := _system_account_problem(account)):
            problem = p
        elif not cell["姓名"]:
            problem = "姓名为空"
        elif role not in ROLES:
            problem = f"角色 {cell['role']!r} 无效（可用 trainee/学员、trainer/培训师、leader/领导、admin/管理员）"
        elif active_raw not in TRUE | FALSE:
            problem = f"active 值 {cell['active']!r} 无效（应为 1 或 0）"
        elif bad := [c for c in courses if not COURSE_RE.match(c)]:
            problem = f"课程编号 {'、'.join(bad)} 无效（须为小写英文字母开头的 ASCII 编号）"
        elif known_courses is not None and (unknown := [c for c in courses if c not in known_courses]):
            problem = f"课程 {'、'.join(unknown)} 不存在（先用 python -m academy add-course 添加）"
        elif courses and role in ("leader", "admin"):
            problem = "领导和管理员不参加或讲授课程，courses 应为空"
        if problem:
            errors.append(RowError(line_no, account, problem))
            continue
        seen[account] = line_no
        rows.append(RosterRow(
            line=line_no, account=account, name=cell["姓名"], unit=cell["单位"], county=cell["县区"],
            role=role, courses=courses, cohort=cell["cohort"], active=active_raw in TRUE,
        ))
    return rows, errors


def _write_passwords(path: Path, passwords: dict[str, str], roles: dict[str, str]) -> None:
    """Append new initial passwords to a 0600 file (the only place they exist in clear)."""
    if not passwords:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.chmod(path, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as f:
        if f.tell() == 0:
            f.write("# account\trole\tinitial password — demo/initial only; change at /hub/change-password\n")
        for account, password in passwords.items():
            f.write(f"{account}\t{roles[account]}\t{password}\n")


def _upsert_people(db_url: str, rows: list[RosterRow], report: ImportReport) -> None:
    with session(db_url) as s:
        for row in rows:
            person = s.get(Person, row.account)
            enrol_role = "instructor" if row.role == "trainer" else "student"
            wanted = {(c, enrol_role) for c in row.courses} if row.role in ("trainee", "trainer") else set()
            if person is None:
                person = Person(account=row.account)
                s.add(person)
                report.created.append(row.account)
            else:
                have = {(e.course, e.role) for e in person.enrolments}
                same = (
                    (person.name, person.unit, person.county, person.role, person.cohort, person.active)
                    == (row.name, row.unit, row.county, row.role, row.cohort, row.active)
                    and have == wanted
                )
                (report.unchanged if same else report.updated).append(row.account)
            if person.active and not row.active or (row.account in report.created and not row.active):
                report.disabled.append(row.account)
            person.name, person.unit, person.county = row.name, row.unit, row.county
            person.role, person.cohort, person.active = row.role, row.cohort, row.active
            current = {(e.course, e.role): e for e in person.enrolments}
            for key, e in current.items():
                if key not in wanted:
                    person.enrolments.remove(e)
            for course, role in sorted(wanted - set(current)):
                person.enrolments.append(Enrolment(course=course, role=role))
        s.commit()


def _unix_accounts(paths: Paths, rows: list[RosterRow], report: ImportReport) -> None:
    """Root mode: each person gets (or keeps) their own Unix account; disabled ones are locked."""
    if not paths.root_mode:
        return
    for row in rows:
        try:
            # Locked rather than removed when disabled: files stay, login does not.
            accounts.ensure_account(
                row.account, paths.home(row.account), full_name=row.name, locked=not row.active
            )
        except Exception as exc:  # one bad account must not stop the others
            report.errors.append(RowError(row.line, row.account, f"Unix 账号处理失败：{exc}"))


def _nbgrader_students(paths: Paths, courses: set[str], report: ImportReport) -> None:
    """Give each course's gradebook its students (grading.api)."""
    from grading import api as grading_api  # here, not at the top: nbgrader takes seconds to import

    for course in sorted(courses):
        if not paths.course_root(course).exists():
            continue
        students = [p for p in people(paths.academy_db_url, course=course) if p.role == "trainee"]
        try:
            grading_api.sync_students(course, students, root=paths.course_root(course),
                                      settings=current().at(paths))
        except Exception as exc:
            report.notes.append(f"gradebook of {course}: {exc}")
            log.exception("sync_students(%s) failed", course)


def import_roster(
    source: Path | str,
    paths: Paths | None = None,
    *,
    passwords_file: Path | None = None,
    hub: "object | None" = None,
) -> ImportReport:
    """Import a roster file (or CSV text) into everything the academy keeps about people."""
    paths = paths or current().paths
    text = Path(source).read_text(encoding="utf-8") if isinstance(source, Path) or (
        isinstance(source, str) and "\n" not in source and Path(source).exists()
    ) else str(source)
    known = {c.id for c in adb.courses(paths.academy_db_url)}
    rows, errors = parse(text, known)
    report = ImportReport(errors=list(errors))

    _upsert_people(paths.academy_db_url, rows, report)
    hub = hub or hubsync.connect(paths)
    report.hub_path = hub.kind
    new_pw = hub.ensure_accounts(rows)
    report.new_passwords = new_pw
    _write_passwords(
        passwords_file or paths.data_dir / "initial-passwords.txt", new_pw, {r.account: r.role for r in rows}
    )
    _unix_accounts(paths, rows, report)
    hub.sync_groups({r.account: r.groups() for r in rows})
    for row in rows:
        if not row.active:
            hub.disable(row.account)
    # Gradebooks only for courses whose people changed (add-course syncs a new course in full).
    changed = set(report.created) | set(report.updated) | set(report.disabled)
    courses = {c for r in rows if r.account in changed for c in r.courses}
    if report.updated:  # a person may have left a course: sync the courses they were in, too
        courses |= {c.id for c in adb.courses(paths.academy_db_url)}
    _nbgrader_students(paths, courses, report)
    return report


def known_accounts(db_url: str) -> set[str]:
    with session(db_url) as s:
        return set(s.scalars(select(Person.account)))
