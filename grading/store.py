"""Grading's tables in the academy database (SQLite through SQLAlchemy; separate from the
gradebooks). Base, engine and clock: ``runtime.db``; the people table (``runtime.people``) is
academy's, grading only reads it."""
from __future__ import annotations

import datetime as dt
import json
from typing import Iterable

from sqlalchemy import Boolean, DateTime, Float, Index, String, Text, delete, select, text
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
    with session(db_url) as s:
        for r in rows:
            obj = s.get(GradingResult, (course, assignment, r["student"])) or GradingResult(
                course=course, assignment=assignment, account=r["student"])
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


def people_index(db_url: str) -> dict[str, PersonRecord]:
    """account -> person record (name, unit, county, cohort) from the roster's people table."""
    return {p.account: p for p in people(db_url)}
