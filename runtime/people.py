"""The people table of the academy database: who is on the roster and what they take or teach.

academy's roster import writes it; grading and the dashboards read it through :func:`people`, which
returns plain frozen records (no open session). nbgrader's student record has no unit or county and
the hub has no display names, so these live here.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Boolean, DateTime, ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .db import Base, now, session

ROLES = ("trainee", "trainer", "leader", "admin")
# The roster may give the role in Chinese too.
ROLE_ALIASES = {"学员": "trainee", "培训师": "trainer", "讲师": "trainer", "领导": "leader", "管理员": "admin"}
ROLE_LABELS = {"trainee": "学员", "trainer": "培训师", "leader": "领导", "admin": "管理员"}


class Person(Base):
    __tablename__ = "people"

    account: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))  # 姓名
    unit: Mapped[str] = mapped_column(String(128), default="")  # 单位
    county: Mapped[str] = mapped_column(String(64), default="")  # 县区
    role: Mapped[str] = mapped_column(String(16))
    cohort: Mapped[str] = mapped_column(String(64), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now, onupdate=now)
    enrolments: Mapped[list["Enrolment"]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="Enrolment.course"
    )


class Enrolment(Base):
    """A trainee taking a course (role 'student') or a trainer teaching it (role 'instructor')."""

    __tablename__ = "enrolments"

    account: Mapped[str] = mapped_column(ForeignKey("people.account"), primary_key=True)
    course: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))  # student | instructor
    person: Mapped[Person] = relationship(back_populates="enrolments")


# -- plain records for other parts ---------------------------------------------------------------
@dataclass(frozen=True)
class PersonRecord:
    account: str
    name: str  # 姓名
    unit: str  # 单位
    county: str  # 县区
    role: str  # trainee | trainer | leader | admin
    cohort: str
    active: bool
    courses: tuple[str, ...] = field(default=())  # taken (trainee) or taught (trainer)

    @property
    def family_name(self) -> str:
        """Chinese names put the family name first; one character covers almost all of them."""
        return self.name[:1]

    @property
    def given_name(self) -> str:
        return self.name[1:]

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


def _record(p: Person) -> PersonRecord:
    return PersonRecord(
        account=p.account, name=p.name, unit=p.unit, county=p.county, role=p.role,
        cohort=p.cohort, active=p.active, courses=tuple(e.course for e in p.enrolments),
    )


def people(
    db_url: str,
    *,
    course: str | None = None,
    role: str | None = None,
    active_only: bool = False,
) -> list[PersonRecord]:
    """Everyone in the academy DB, sorted by account; optionally those enrolled in `course`,
    with `role`, or active only."""
    with session(db_url) as s:
        q = select(Person).order_by(Person.account)
        if role:
            q = q.where(Person.role == role)
        if active_only:
            q = q.where(Person.active.is_(True))
        if course:
            q = q.join(Enrolment).where(Enrolment.course == course)
        return [_record(p) for p in s.scalars(q).unique()]
