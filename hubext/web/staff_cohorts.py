"""Cohorts and deadlines for trainers (issue 16, point 2): per course, assignment and cohort (批次)
the due date, the 补考 window and the cap on graded attempts. Stored by `grading.cohorts` and
enforced by `grading.api.autograde` (the CLI and grade-on-submit alike); course.toml's dates stay
the default. Times are entered and shown in Beijing time (Asia/Shanghai)."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from tornado import web

from hubext.web.app import AcademyPage, register
from hubext.web.staff_common import audit_log, blocking, paths, taught_courses

BEIJING = ZoneInfo("Asia/Shanghai")


def local(when: dt.datetime | None) -> str:
    """For the form and display: Beijing time to the minute (text, not datetime-local, whose
    widget follows the browser's locale and may show English)."""
    if when is None:
        return ""
    if when.tzinfo is None:  # SQLite returns the stored UTC without its zone
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def parse_local(text: str) -> dt.datetime | None:
    text = text.strip()
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text).replace(tzinfo=BEIJING)
    except ValueError:
        raise ValueError(f"时间“{text}”格式不正确（应为 年-月-日 时:分）") from None


def overview(courses: list[str]) -> list[dict]:
    """Per course: its assignments, the cohorts of its trainees and each cohort's effective rule."""
    from grading import api, cohorts
    from runtime.people import people

    db = paths().academy_db_url
    out = []
    for course in courses:
        spec = api.course_spec(course)
        if spec is None:
            continue
        names = sorted({p.cohort for p in people(db, course=course, role="trainee") if p.cohort})
        rows = []
        for a in spec.assignments:
            stored = cohorts.rules(db, course, a.id)
            for cohort in sorted(set(names) | set(stored)):
                r = cohorts.effective(db, course, a, cohort)
                rows.append({"assignment": a, "cohort": cohort, "rule": r, "stored": stored.get(cohort)})
        out.append({"course": course, "title": spec.title, "rows": rows, "spec": spec})
    return out


def save(course: str, assignment: str, cohort: str, due: str, until: str, cap: str, by: str, clear: bool) -> None:
    from grading import api, cohorts

    spec = api.course_spec(course)
    if spec is None:
        raise ValueError("找不到该课程的设置")
    try:
        a = spec.assignment(assignment)
    except KeyError:
        raise ValueError("找不到该作业") from None
    db = paths().academy_db_url
    if clear:
        return cohorts.clear_rule(db, course, assignment, cohort)
    if cap.strip() and not cap.strip().isdigit():
        raise ValueError("评分次数上限应为正整数（留空表示不限）")
    cohorts.set_rule(db, course, a, cohort, parse_local(due), parse_local(until),
                     int(cap) if cap.strip() else None, by)


class CohortsPage(AcademyPage):
    roles = ("trainer", "admin")

    async def _show(self, **extra) -> None:
        courses = taught_courses(self.person.get("groups", []), self.role)
        self.render_page("staff/cohorts.html", title="批次与期限", courses=await blocking(overview, courses),
                         local=local, **extra)

    @web.authenticated
    async def get(self) -> None:
        await self._show()

    @web.authenticated
    async def post(self) -> None:
        arg = self.get_body_argument
        course = arg("course")
        if course not in taught_courses(self.person.get("groups", []), self.role):
            raise web.HTTPError(403)
        try:
            await blocking(save, course, arg("assignment"), arg("cohort"), arg("due", ""), arg("resubmit_until", ""),
                           arg("max_attempts", ""), self.person.get("name", ""), arg("action", "") == "clear")
        except ValueError as exc:
            return await self._show(error=str(exc))
        audit_log().info("cohort rule %s/%s/%s by %s: due=%s until=%s cap=%s", course, arg("assignment"),
                         arg("cohort"), self.person.get("name"), arg("due", ""), arg("resubmit_until", ""),
                         arg("max_attempts", ""))
        await self._show(message=f"已保存 {arg('cohort')} 的 {arg('assignment')} 期限，之后的评分按新规则执行。")


register("staff/cohorts", CohortsPage)
