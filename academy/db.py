"""The academy's own tables in the academy database: the courses the hub knows (one formgrader
service each, on its own fixed port). The people table is runtime.people; the base, engine and
clock are runtime.db.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import DateTime, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

from academy.ports import COURSE_PORTS, free_port
from runtime import people as _people  # noqa: F401  (registers the people tables with the base)
from runtime.db import Base, now, session
from runtime.paths import Paths


class Course(Base):
    """A course known to the hub: one formgrader service each, on its own fixed port."""

    __tablename__ = "courses"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(128))
    source: Mapped[str] = mapped_column(String(512), default="")
    port: Mapped[int] = mapped_column(Integer, unique=True)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)


@dataclass(frozen=True)
class CourseRecord:
    id: str
    title: str
    source: str
    port: int


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
    """A formgrader port (academy.ports.COURSE_PORTS)."""
    return free_port(COURSE_PORTS, avoid)


def registered_courses(paths: Paths) -> list[CourseRecord]:
    """The courses of the academy DB at ``paths`` ([] before the first ``up``): the hub config's
    formgrader services and roles."""
    if not paths.has_academy_db():
        return []
    return courses(paths.academy_db_url)
