"""The academy's own database (`$ACADEMY_ROOT/data/academy.sqlite`): people and enrolments.

nbgrader's student record has no unit or county, and the hub has no display names, so the roster's
display data live here. Other parts read people through `people(db_url)`, which returns plain frozen
records (no open session), e.g. `grading.api.sync_students(course_id, people(url, course=course_id))`.

SQLAlchemy 2 so that moving to PostgreSQL is a URL change.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, create_engine, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

ROLES = ("trainee", "trainer", "leader", "admin")
# The roster may give the role in Chinese too.
ROLE_ALIASES = {"学员": "trainee", "培训师": "trainer", "讲师": "trainer", "领导": "leader", "管理员": "admin"}
ROLE_LABELS = {"trainee": "学员", "trainer": "培训师", "leader": "领导", "admin": "管理员"}


class Base(DeclarativeBase):
    pass


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Person(Base):
    __tablename__ = "people"

    account: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))  # 姓名
    unit: Mapped[str] = mapped_column(String(128), default="")  # 单位
    county: Mapped[str] = mapped_column(String(64), default="")  # 县区
    role: Mapped[str] = mapped_column(String(16))
    cohort: Mapped[str] = mapped_column(String(64), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)
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


class Course(Base):
    """A course known to the hub: one formgrader service each, on its own fixed port."""

    __tablename__ = "courses"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(128))
    source: Mapped[str] = mapped_column(String(512), default="")
    port: Mapped[int] = mapped_column(Integer, unique=True)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


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


@dataclass(frozen=True)
class CourseRecord:
    id: str
    title: str
    source: str
    port: int


_engines: dict[str, Engine] = {}


def engine(db_url: str) -> Engine:
    """One engine per URL, tables created on first use."""
    eng = _engines.get(db_url)
    if eng is None:
        eng = create_engine(db_url, future=True)
        Base.metadata.create_all(eng)
        _engines[db_url] = eng
    return eng


def session(db_url: str) -> Session:
    return Session(engine(db_url), expire_on_commit=False)


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


def courses(db_url: str) -> list[CourseRecord]:
    with session(db_url) as s:
        return [
            CourseRecord(c.id, c.title, c.source, c.port)
            for c in s.scalars(select(Course).order_by(Course.id))
        ]


def register_course(db_url: str, course_id: str, title: str, source: str, port: int | None) -> CourseRecord:
    """Add or update a course; keeps its port once given (the hub's service URL must not move)."""
    with session(db_url) as s:
        c = s.get(Course, course_id)
        if c is None:
            used = set(s.scalars(select(Course.port)))
            if port is None or port in used:
                port = _free_port(used)
            c = Course(id=course_id, title=title, source=source, port=port)
            s.add(c)
        else:
            c.title, c.source = title, source
        s.commit()
        return CourseRecord(c.id, c.title, c.source, c.port)


def move_busy_ports(db_url: str, is_free) -> list[str]:
    """Give a course a new port if its own is taken by someone else (checked before the hub
    starts, when none of our services runs). Returns the ids of the courses moved."""
    moved = []
    with session(db_url) as s:
        used = set(s.scalars(select(Course.port)))
        for c in s.scalars(select(Course).order_by(Course.id)):
            if not is_free(c.port):
                c.port = _free_port(used)
                used.add(c.port)
                moved.append(c.id)
        s.commit()
    return moved


def _free_port(avoid: Iterable[int]) -> int:
    import socket

    avoid = set(avoid)
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in avoid:
            return port
