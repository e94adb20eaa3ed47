"""What a trainee's portal shows, read from the academy's own records — never from the person's server.

Courses come from the person's hub groups (course-<id>) and the academy database (the course's
source folder → course.toml); lessons from the rendered lessons; an assignment's state from the
nbgrader exchange (released: outbound; submitted: the person's inbound entries) and grading's
results table (graded: score, reasons, manual grading pending). Reading only: every action that
changes something happens as the person in their own server (hubext.web.portal_server).

Lesson metadata (政策依据, last reviewed) is course.toml's ``[[lessons]]`` table, one entry per
lesson file::

    [[lessons]]
    id = "01-guide-basics"                    # the lesson file's name without .py
    policy = ["DB63/T 1755—2019《政务服务事项办事指南编制规范》"]
    reviewed = "2026-11-20"                   # when its content was last checked against the policy
"""
from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from academy import db as adb
from grading import store
from grading.autograde import REASONS_ZH
from grading.course import AssignmentSpec, CourseSpec, load_course
from runtime.paths import Paths
from runtime.settings import current

CST = dt.timezone(dt.timedelta(hours=8))


@dataclass
class Lesson:
    id: str
    title: str
    path: str  # relative to the person's home: <course>/<id>.ipynb
    policy: list[str] = field(default_factory=list)
    reviewed: str = ""


@dataclass
class Assignment:
    id: str
    title: str
    due: dt.datetime | None
    resubmit_until: dt.datetime | None
    released: bool = False
    fetched: bool = False
    submitted_at: str = ""      # last submission's time, as nbgrader wrote it (UTC)
    graded: bool = False
    score: float = 0.0
    max_score: float = 0.0
    pending_manual: bool = False
    late: bool = False
    reasons: list[str] = field(default_factory=list)
    graded_at: str = ""
    notebook: str = ""          # relative to the person's home, once fetched
    writes_code: bool = False   # answered in code (data track): opens in JupyterLab, not as an app page
    optional: bool = False      # 选做 (course.toml ``optional``): outside the pass rule, as in grading.api.course_standing
    checker: bool = False       # graded as data by a grader-only checker: the person's cases.json comes first

    @property
    def grading_now(self) -> bool:
        """Submitted after the last grading (or never graded): the grade is on its way."""
        return bool(self.submitted_at) and (not self.graded or _stamp(self.submitted_at) > _stamp(self.graded_at))

    @property
    def window(self) -> str:
        """'open' before the due time, 'resubmit' in the 补考 window, 'closed' after both."""
        now = dt.datetime.now(CST)
        if self.due is None or now <= _aware(self.due):
            return "open"
        if self.resubmit_until is not None and now <= _aware(self.resubmit_until):
            return "resubmit"
        return "closed"


@dataclass
class Course:
    id: str
    title: str
    hours: float
    pass_score: float
    lessons: list[Lesson]
    assignments: list[Assignment]
    certificate: str = ""       # number of a valid certificate, when issued

    @property
    def required(self) -> list[Assignment]:
        """The assignments the pass rule counts (not the 选做 ones)."""
        return [a for a in self.assignments if not a.optional]

    @property
    def progress(self) -> float:
        """Share of required assignments graded (the course's work done)."""
        if not self.required:
            return 0.0
        return sum(1 for a in self.required if a.graded) / len(self.required)

    @property
    def share(self) -> float:
        maximum = sum(a.max_score for a in self.required if a.graded)
        return sum(a.score for a in self.required if a.graded) / maximum if maximum else 0.0

    @property
    def can_certify(self) -> bool:
        """Every required assignment graded, nothing pending, pass line met (grading decides in the end)."""
        return (bool(self.required) and all(a.graded and not a.pending_manual for a in self.required)
                and self.share + 1e-9 >= self.pass_score)


def _aware(when: dt.datetime) -> dt.datetime:
    return when if when.tzinfo else when.replace(tzinfo=CST)


def _stamp(text: str) -> dt.datetime:
    """nbgrader's '2026-12-01 10:00:00.123456 UTC' and ISO times, as aware datetimes."""
    if not text:
        return dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    cleaned = text.replace(" UTC", "+00:00").replace(" ", "T", 1)
    try:
        return _aware(dt.datetime.fromisoformat(cleaned)) if "+" in cleaned or cleaned.endswith("Z") \
            else dt.datetime.fromisoformat(cleaned).replace(tzinfo=dt.timezone.utc)
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.timezone.utc)


def local_time(text: str | dt.datetime | None) -> str:
    """A time as a clerk reads it: 2026年12月31日 18:00 (Beijing time), no seconds or zones."""
    if not text:
        return ""
    when = _aware(text) if isinstance(text, dt.datetime) else _stamp(text)
    when = when.astimezone(CST)
    return f"{when.year}年{when.month}月{when.day}日 {when:%H:%M}"


def paths() -> Paths:
    return current().paths


def course_ids(groups: list[str]) -> list[str]:
    return sorted(g[len("course-"):] for g in groups if g.startswith("course-"))


def _spec(record: adb.CourseRecord) -> CourseSpec | None:
    try:
        return load_course(Path(record.source))
    except (OSError, KeyError, ValueError):
        return None


def lesson_list(p: Paths, spec: CourseSpec) -> list[Lesson]:
    meta = {str(m.get("id")): m for m in spec.extra.get("lessons", []) if isinstance(m, dict)}
    out = []
    for nb in sorted((p.lessons / spec.id).glob("*.ipynb")):
        m = meta.get(nb.stem, {})
        out.append(Lesson(id=nb.stem, title=_notebook_title(nb), path=f"{spec.id}/{nb.name}",
                          policy=[str(x) for x in m.get("policy", [])], reviewed=str(m.get("reviewed", ""))))
    return out


def _notebook_title(nb: Path) -> str:
    """The first markdown heading of a notebook (lessons start with "# 第一课：…")."""
    try:
        cells = json.loads(nb.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        cells = []
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            for line in "".join(cell.get("source", "")).splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return nb.stem


def writes_code(nb: Path) -> bool:
    """An answer cell the trainee edits as code (shown, not a hidden form cell): a data-track task."""
    try:
        cells = json.loads(nb.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return False
    return any(c.get("cell_type") == "code" and c.get("metadata", {}).get("nbgrader", {}).get("solution")
               and not c.get("metadata", {}).get("jupyter", {}).get("source_hidden") for c in cells)


def _submissions(p: Paths, course: str, assignment: str, account: str) -> list[str]:
    """Timestamps of the person's submissions in the exchange's inbound folder (newest last)."""
    inbound = p.exchange / course / "inbound"
    try:
        names = os.listdir(inbound)
    except OSError:
        return []
    stamps = [n.split("+")[2] for n in names if n.count("+") >= 2 and n.split("+")[:2] == [account, assignment]]
    return sorted(stamps, key=_stamp)


def _assignment(p: Paths, course: str, a: AssignmentSpec, account: str, result) -> Assignment:
    item = Assignment(id=a.id, title=a.title, due=a.due, resubmit_until=a.resubmit_until,
                      checker=bool(getattr(a, "checker", None)), optional=bool(getattr(a, "optional", False)))
    item.released = (p.exchange / course / "outbound" / a.id).is_dir()
    work = p.homes / account / course / a.id
    item.fetched = work.is_dir()
    notebooks = sorted(work.glob("*.ipynb")) if item.fetched else []
    if notebooks:
        item.notebook = str(notebooks[0].relative_to(p.homes / account))
        item.writes_code = writes_code(notebooks[0])
    subs = _submissions(p, course, a.id, account)
    item.submitted_at = subs[-1] if subs else ""
    if result is not None:
        item.graded = True
        item.score, item.max_score = float(result.score or 0), float(result.max_score or 0)
        item.pending_manual, item.late = bool(result.needs_manual_grade), bool(result.late)
        item.reasons = [REASONS_ZH.get(r.split(":", 1)[0], "") for r in json.loads(result.reasons or "[]")]
        item.reasons = [r for r in item.reasons if r]
        item.graded_at = result.graded_at.isoformat() if result.graded_at else ""
    return item


def my_courses(account: str, groups: list[str], p: Paths | None = None) -> list[Course]:
    p = p or paths()
    wanted = set(course_ids(groups))
    records = [r for r in adb.courses(p.academy_db_url) if r.id in wanted] if p.has_academy_db() else []
    results = {(r.course, r.assignment): r for r in store.results(p.academy_db_url, account=account)} \
        if records else {}
    certs = {c.course: c.number for c in store.certificates(p.academy_db_url, account=account) if not c.revoked} \
        if records else {}
    out = []
    for record in records:
        spec = _spec(record)
        if spec is None:
            continue
        out.append(Course(
            id=spec.id, title=spec.title, hours=spec.hours, pass_score=spec.pass_score,
            lessons=lesson_list(p, spec),
            assignments=[_assignment(p, spec.id, a, account, results.get((spec.id, a.id))) for a in spec.assignments],
            certificate=certs.get(spec.id, "")))
    return out


def find(courses: list[Course], course: str, assignment: str | None = None) -> tuple[Course, Any]:
    """The course (and assignment) of this person; KeyError when it is not theirs."""
    for c in courses:
        if c.id == course:
            if assignment is None:
                return c, None
            for a in c.assignments:
                if a.id == assignment:
                    return c, a
    raise KeyError(course if assignment is None else f"{course}/{assignment}")
