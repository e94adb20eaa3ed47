"""Grading's tables in the academy database (SQLite through SQLAlchemy; separate from the
gradebooks). Base, engine and clock: ``runtime.db``; the people table (``runtime.people``) is
academy's, grading only reads it."""
from __future__ import annotations

import datetime as dt
import json
from typing import Iterable

from sqlalchemy import Boolean, DateTime, Float, Index, Integer, String, Text, delete, func, inspect, select, text
from sqlalchemy.orm import Mapped, mapped_column

from runtime.db import Base, now, session
from runtime.people import PersonRecord, people


class GradingResult(Base):
    """One row per submission and grading run outcome (what the trainee and trainer see)."""

    __tablename__ = "grading_results"
    course: Mapped[str] = mapped_column(String(64), primary_key=True)
    assignment: Mapped[str] = mapped_column(String(64), primary_key=True)
    account: Mapped[str] = mapped_column(String(64), primary_key=True)
    score: Mapped[float] = mapped_column(Float, default=0)
    max_score: Mapped[float] = mapped_column(Float, default=0)
    status: Mapped[str] = mapped_column(String(16), default="graded")
    reasons: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of reason tags
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_manual_grade: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted_at: Mapped[str] = mapped_column(String(40), default="")
    graded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now, onupdate=now)
    # checker-graded assignments (grading.formgrade): which graded attempt this row is, and the
    # per-question results as JSON (cell, title, points, max_points, reasons, answer, expected, pending)
    attempt: Mapped[int] = mapped_column(Integer, default=0)
    items: Mapped[str] = mapped_column(Text, default="[]")


class GradingAttempt(Base):
    """One row per graded attempt of a checker-graded assignment (the cap counts these)."""

    __tablename__ = "grading_attempts"
    course: Mapped[str] = mapped_column(String(64), primary_key=True)
    assignment: Mapped[str] = mapped_column(String(64), primary_key=True)
    account: Mapped[str] = mapped_column(String(64), primary_key=True)
    attempt: Mapped[int] = mapped_column(Integer, primary_key=True)
    submitted_at: Mapped[str] = mapped_column(String(40), default="")  # receipt time collect recorded
    score: Mapped[float] = mapped_column(Float, default=0)
    max_score: Mapped[float] = mapped_column(Float, default=0)
    graded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now, onupdate=now)


_NEW_COLUMNS = {"attempt": "INTEGER DEFAULT 0", "items": "TEXT DEFAULT '[]'"}
_upgraded: set[str] = set()


def _ready(db_url: str) -> None:
    """Add this wave's columns to a grading_results table made before them (create_all adds tables,
    never columns)."""
    if db_url in _upgraded:
        return
    from runtime.db import engine

    eng = engine(db_url)
    have = {c["name"] for c in inspect(eng).get_columns("grading_results")}
    with eng.begin() as con:
        for name, ddl in _NEW_COLUMNS.items():
            if name not in have:
                con.execute(text(f"ALTER TABLE grading_results ADD COLUMN {name} {ddl}"))
    _upgraded.add(db_url)


class CompetenceScore(Base):
    """Points earned per person, course, assignment and competence dimension."""

    __tablename__ = "competence_scores"
    account: Mapped[str] = mapped_column(String(64), primary_key=True)
    course: Mapped[str] = mapped_column(String(64), primary_key=True)
    assignment: Mapped[str] = mapped_column(String(64), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(32), primary_key=True)
    points: Mapped[float] = mapped_column(Float, default=0)
    max_points: Mapped[float] = mapped_column(Float, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now, onupdate=now)


class Certificate(Base):
    """A 结业证明 issued; the number is printed on the PDF and can be verified here."""

    __tablename__ = "certificates"
    # At most one valid (not revoked) certificate per person and course, whoever issues it at once
    # (migration 0002_one_valid_certificate; every schema change is an Alembic revision).
    __table_args__ = (Index("uq_certificates_valid", "account", "course", unique=True,
                            sqlite_where=text("revoked = 0"), postgresql_where=text("revoked = false")),)
    number: Mapped[str] = mapped_column(String(40), primary_key=True)
    account: Mapped[str] = mapped_column(String(64), index=True)
    course: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(64))
    unit: Mapped[str] = mapped_column(String(128), default="")
    course_title: Mapped[str] = mapped_column(String(128), default="")
    hours: Mapped[float] = mapped_column(Float, default=0)
    level: Mapped[str] = mapped_column(String(8))
    share: Mapped[float] = mapped_column(Float, default=0)
    issued_on: Mapped[str] = mapped_column(String(10))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


def save_results(db_url: str, course: str, assignment: str, rows: Iterable[dict]) -> None:
    """Store each row; a submission over the attempt cap keeps the last graded result and only
    adds its reason."""
    _ready(db_url)
    with session(db_url) as s:
        for r in rows:
            obj = s.get(GradingResult, (course, assignment, r["student"]))
            if obj is not None and r.get("keep_previous"):
                obj.reasons = json.dumps(sorted(set(json.loads(obj.reasons or "[]")) | set(r.get("reasons", []))),
                                         ensure_ascii=False)
                s.merge(obj)
                continue
            obj = obj or GradingResult(course=course, assignment=assignment, account=r["student"])
            obj.attempt = int(r.get("attempt") or 0)
            obj.items = json.dumps(r.get("items", []), ensure_ascii=False)
            obj.score, obj.max_score, obj.status = r["score"], r["max_score"], r["status"]
            obj.reasons = json.dumps(r.get("reasons", []), ensure_ascii=False)
            obj.late = bool(r.get("late"))
            obj.needs_manual_grade = bool(r.get("needs_manual_grade"))
            obj.submitted_at = str(r.get("submitted_at") or "")
            obj.graded_at = now()
            s.merge(obj)
        s.commit()


def save_competence(db_url: str, course: str, rows: Iterable[dict]) -> int:
    """Replace the course's competence rows with ``rows`` (account, assignment, dimension, points, max_points)."""
    rows = list(rows)
    with session(db_url) as s:
        s.execute(delete(CompetenceScore).where(CompetenceScore.course == course))
        for r in rows:
            s.add(CompetenceScore(account=r["account"], course=course, assignment=r["assignment"],
                                  dimension=r["dimension"], points=r["points"], max_points=r["max_points"]))
        s.commit()
    return len(rows)


def competence_rows(db_url: str) -> list[CompetenceScore]:
    with session(db_url) as s:
        return list(s.scalars(select(CompetenceScore)))


def results(db_url: str, course: str | None = None, account: str | None = None) -> list[GradingResult]:
    _ready(db_url)
    with session(db_url) as s:
        q = select(GradingResult).order_by(GradingResult.course, GradingResult.assignment, GradingResult.account)
        if course:
            q = q.where(GradingResult.course == course)
        if account:
            q = q.where(GradingResult.account == account)
        return list(s.scalars(q))


def certificates(db_url: str, account: str | None = None) -> list[Certificate]:
    with session(db_url) as s:
        q = select(Certificate)
        if account:
            q = q.where(Certificate.account == account)
        return list(s.scalars(q))


def refresh_scores(db_url: str, course: str, totals: Iterable[dict]) -> None:
    """Bring scores up to date with the gradebook (manual grades given in the formgrader)."""
    _ready(db_url)
    with session(db_url) as s:
        for t in totals:
            if not t.get("submitted"):
                continue
            obj = s.get(GradingResult, (course, t["assignment"], t["account"]))
            if obj is None:
                obj = GradingResult(course=course, assignment=t["assignment"], account=t["account"], reasons="[]",
                                    status="graded")
                s.add(obj)
            obj.score, obj.max_score = t["score"], t["max_score"]
            obj.needs_manual_grade = bool(t["needs_manual_grade"])
            obj.late = bool(t.get("late"))
            obj.submitted_at = t.get("timestamp", "")
        s.commit()


def refresh_items(db_url: str, course: str, cells: Iterable[dict]) -> int:
    """Bring the stored per-question items up to date with the gradebook: a hand-graded answer the
    trainer scored in the formgrader stops being pending and shows its points. Returns rows changed."""
    _ready(db_url)
    by_cell = {(c["account"], c["assignment"], c["cell"]): c for c in cells}
    changed = 0
    with session(db_url) as s:
        for obj in s.scalars(select(GradingResult).where(GradingResult.course == course, GradingResult.items != "[]")):
            items = json.loads(obj.items or "[]")
            dirty = False
            for item in items:
                cell = by_cell.get((obj.account, obj.assignment, item.get("cell")))
                if cell is not None and item.get("pending") and not cell.get("pending", True):
                    item["points"], item["pending"], dirty = cell["points"], False, True
            if dirty:
                obj.items = json.dumps(items, ensure_ascii=False)
                changed += 1
        s.commit()
    return changed


def people_index(db_url: str) -> dict[str, PersonRecord]:
    """account -> person record (name, unit, county, cohort) from the roster's people table."""
    return {p.account: p for p in people(db_url)}


# -- attempts of checker-graded assignments ---------------------------------------------------------
def attempt_for(db_url: str, course: str, assignment: str, account: str, submitted_at: str) -> tuple[int, bool]:
    """(attempt number, new?) of the submission received at ``submitted_at``: grading the same
    submission again keeps its number; a newly received one is the next attempt."""
    with session(db_url) as s:
        same = s.scalars(select(GradingAttempt.attempt).where(
            GradingAttempt.course == course, GradingAttempt.assignment == assignment,
            GradingAttempt.account == account, GradingAttempt.submitted_at == submitted_at)).first()
        if same is not None and submitted_at:
            return int(same), False
    return graded_attempts(db_url, course, assignment, account) + 1, True


def graded_attempts(db_url: str, course: str, assignment: str, account: str) -> int:
    with session(db_url) as s:
        top = s.scalar(select(func.max(GradingAttempt.attempt)).where(
            GradingAttempt.course == course, GradingAttempt.assignment == assignment,
            GradingAttempt.account == account))
    return int(top or 0)


def record_attempt(db_url: str, course: str, assignment: str, row: dict) -> None:
    with session(db_url) as s:
        s.merge(GradingAttempt(course=course, assignment=assignment, account=row["student"],
                               attempt=int(row["attempt"]), submitted_at=str(row.get("submitted_at") or ""),
                               score=float(row.get("score", 0)), max_score=float(row.get("max_score", 0)),
                               graded_at=now()))
        s.commit()


def feedback_items(db_url: str, course: str, assignment: str, account: str) -> list[dict]:
    """The per-question results stored with the trainee's result row (empty when none)."""
    _ready(db_url)
    with session(db_url) as s:
        obj = s.get(GradingResult, (course, assignment, account))
    return json.loads(obj.items or "[]") if obj is not None else []
