"""Per-cohort rules of an assignment: due date, 补考 window (resubmit_until), cap on graded attempts.

course.toml gives every assignment one due date and one 补考 window; a trainer may set other ones
for a cohort (批次) from the cohorts page (hubext.web.staff_cohorts). Rules live in the academy DB
(table ``cohort_rules``) and are enforced where the course's own dates are, in `grading.api.autograde`:

- due: nbgrader's own per-submission ``extension`` (cohort due − assignment due), set in
  `grading.autograde.settle` before it reads ``total_seconds_late``, so lateness, the formgrader and
  the feedback all see the cohort's date;
- resubmit_until: the 补考 deadline `settle` applies (later → 0 points, reason ``too-late``);
- max_attempts: a submission with a new receipt time is not graded once a trainee has had that many
  graded (grading's one attempt count, ``store.GradingAttempt``, shared with checker assignments,
  whose course.toml cap a cohort rule overrides in ``grading.checker_run.plan``); re-grading the
  same submission is free; the last grade stands, reason ``attempts-exceeded``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import DateTime, Integer, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from runtime.db import Base, now, session

from .course import AssignmentSpec



class CohortRule(Base):
    __tablename__ = "cohort_rules"
    course: Mapped[str] = mapped_column(String(64), primary_key=True)
    assignment: Mapped[str] = mapped_column(String(64), primary_key=True)
    cohort: Mapped[str] = mapped_column(String(64), primary_key=True)
    due: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    resubmit_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    max_attempts: Mapped[int | None] = mapped_column(Integer, nullable=True)
    updated_by: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now, onupdate=now)


def utc_naive(when: str | None) -> dt.datetime | None:
    # the gradebook keeps naive UTC datetimes
    return dt.datetime.fromisoformat(when).astimezone(dt.timezone.utc).replace(tzinfo=None) if when else None


def apply_cohort_due(sub, due: str | None) -> None:
    """A cohort's own due date as nbgrader's per-submission extension (None: the assignment's)."""
    orig = sub.assignment.duedate
    when = utc_naive(due)
    sub.extension = (when - orig) if (when is not None and orig is not None and when != orig) else None


@dataclass(frozen=True)
class Rule:
    due: dt.datetime | None
    resubmit_until: dt.datetime | None
    max_attempts: int | None
    from_cohort: bool = False


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    # SQLite hands back naive datetimes for timezone columns: they were stored as UTC.
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value


def effective(db_url: str, course: str, spec: AssignmentSpec, cohort: str) -> Rule:
    """The rule a trainee of ``cohort`` is held to: the cohort's where set, else course.toml's."""
    # checker assignments have a cap in course.toml (grading.checker_run); notebook ones none by default
    base = Rule(spec.due, spec.resubmit_until, spec.max_attempts if spec.checker else None)
    if not cohort:
        return base
    with session(db_url) as s:
        r = s.get(CohortRule, (course, spec.id, cohort))
    if r is None:
        return base
    return Rule(_aware(r.due) or base.due, _aware(r.resubmit_until) or base.resubmit_until,
                r.max_attempts or base.max_attempts, True)


def rules(db_url: str, course: str, assignment: str) -> dict[str, CohortRule]:
    """cohort -> stored rule of one assignment."""
    with session(db_url) as s:
        q = select(CohortRule).where(CohortRule.course == course, CohortRule.assignment == assignment)
        return {r.cohort: r for r in s.scalars(q)}


def set_rule(db_url: str, course: str, spec: AssignmentSpec, cohort: str, due: dt.datetime | None,
             resubmit_until: dt.datetime | None, max_attempts: int | None, by: str) -> Rule:
    """Store a cohort's rule (None keeps course.toml's value); Chinese ValueError when inconsistent."""
    if not cohort:
        raise ValueError("请指定批次")
    if max_attempts is not None and max_attempts < 1:
        raise ValueError("评分次数上限至少为 1（留空表示不限）")
    eff_due = due or spec.due
    eff_until = resubmit_until or spec.resubmit_until
    if eff_due and eff_until and eff_until < eff_due:
        raise ValueError("补考截止时间不能早于截止时间")
    # SQLite keeps a datetime's wall time and drops its zone: store UTC, read back as UTC (_aware)
    due, resubmit_until = (w.astimezone(dt.timezone.utc) if w else None for w in (due, resubmit_until))
    with session(db_url) as s:
        r = s.get(CohortRule, (course, spec.id, cohort)) or CohortRule(course=course, assignment=spec.id, cohort=cohort)
        r.due, r.resubmit_until, r.max_attempts, r.updated_by = due, resubmit_until, max_attempts, by
        s.merge(r)
        s.commit()
    return effective(db_url, course, spec, cohort)


def clear_rule(db_url: str, course: str, assignment: str, cohort: str) -> None:
    with session(db_url) as s:
        s.execute(delete(CohortRule).where(CohortRule.course == course, CohortRule.assignment == assignment,
                                           CohortRule.cohort == cohort))
        s.commit()


def over_cap(db_url: str, course: str, assignment: str, caps: dict[str, int | None],
             stamps: dict[str, str]) -> list[str]:
    """Students whose submission is a new attempt beyond their cap (re-grading one already counted
    is free). Attempts are grading's one count (store.GradingAttempt), as for checker assignments."""
    from . import store

    out = []
    for student, cap in caps.items():
        attempt, _new = store.attempt_for(db_url, course, assignment, student, stamps.get(student, ""))
        if cap is not None and attempt > cap:
            out.append(student)
    return out


def record(db_url: str, course: str, assignment: str, stamps: dict[str, str], rows: Iterable[dict]) -> None:
    """Count each graded submission as an attempt (a too-late one is not, as for checker assignments)."""
    from . import store

    for row in rows:
        if row.get("status") == "rejected":
            continue
        stamp = stamps.get(row["student"], "")
        attempt, _new = store.attempt_for(db_url, course, assignment, row["student"], stamp)
        store.record_attempt(db_url, course, assignment, row | {"attempt": attempt, "submitted_at": stamp})


def note_refused(db_url: str, course: str, assignment: str, students: Iterable[str]) -> None:
    """Tell the trainee on their result row (and so their progress page) why a submission over
    the cap was not graded; their last score stands."""
    import json

    from .store import GradingResult

    with session(db_url) as s:
        for student in students:
            row = s.get(GradingResult, (course, assignment, student))
            if row is None:
                continue
            reasons = json.loads(row.reasons or "[]")
            if "attempts-exceeded" not in reasons:
                row.reasons = json.dumps(reasons + ["attempts-exceeded"], ensure_ascii=False)
        s.commit()
