"""Hand grading for trainers in Chinese (issue 16, point 1): the academy's own page over nbgrader's
gradebook, not nbgrader's formgrader.

Why our own page rather than the formgrader with translated templates: the formgrader's strings
live in its Jinja templates *and* its Backbone scripts (buttons, "Full credit", placeholders), it
shows test cells with their source and tracebacks, has one score box per cell, and has no way back
to the academy; a page of ours reads the same gradebook through `grading.api` (as the course's
grader account), shows what the trainee answered and each check's points only, scores a rubric
per criterion and refreshes the trainee's progress. The formgrader stays reachable for course
authors (/services/<course>/formgrader).

Only courses the trainer teaches (hub group formgrade-<course>); admins see every course.
"""
from __future__ import annotations

import logging

from tornado import web

from hubext.web.app import AcademyPage, register
from hubext.web.staff_common import audit_log, blocking, paths, taught_courses

COURSE = r"([a-z][a-z0-9_-]{0,63})"
ACCOUNT = r"([a-z_][a-z0-9_-]{0,31})"
log = logging.getLogger("hubext.web.staff_grading")


def _people() -> dict:
    from runtime.people import people

    return {p.account: p for p in people(paths().academy_db_url)}


def _queues(courses: list[str]) -> list[dict]:
    from grading import api

    return [{"course": c, "rows": api.manual_queue(c)} for c in courses]


class GradingQueue(AcademyPage):
    roles = ("trainer", "admin")

    @web.authenticated
    async def get(self) -> None:
        courses = taught_courses(self.person.get("groups", []), self.role)
        queues = await blocking(_queues, courses)
        self.render_page("staff/grading.html", title="评分", queues=queues, people=await blocking(_people))


class GradeSubmission(AcademyPage):
    roles = ("trainer", "admin")

    def _check(self, course: str) -> None:
        if course not in taught_courses(self.person.get("groups", []), self.role):
            raise web.HTTPError(403)

    async def _show(self, course: str, assignment: str, account: str, **extra) -> None:
        from grading import api

        try:
            view = await blocking(api.grading_view, course, assignment, account)
        except Exception:  # no such submission (nbgrader's MissingEntry, also across run_as_grader)
            log.info("no submission %s/%s/%s", course, assignment, account, exc_info=True)
            raise web.HTTPError(404)
        person = (await blocking(_people)).get(account)
        self.render_page("staff/grade.html", title=f"评分：{assignment}", course=course, view=view,
                         trainee=person, **extra)

    @web.authenticated
    async def get(self, course: str, assignment: str, account: str) -> None:
        self._check(course)
        await self._show(course, assignment, account)

    @web.authenticated
    async def post(self, course: str, assignment: str, account: str) -> None:
        from grading import api

        self._check(course)
        notebook, cell = self.get_body_argument("notebook"), self.get_body_argument("cell")
        try:
            scores = [float(x) for x in self.get_body_arguments("score")]
        except ValueError:
            return await self._show(course, assignment, account, error="得分须为数字。")
        comment = self.get_body_argument("comment", "")[:4000]
        try:
            result = await blocking(api.grade_by_rubric, course, assignment, account, notebook, cell, scores,
                                    comment, self.person.get("name", ""))
        except ValueError as exc:
            return await self._show(course, assignment, account, error=str(exc))
        audit_log().info("grade %s/%s/%s %s=%s by %s", course, assignment, account, cell, result["cell_score"],
                         self.person.get("name"))
        await self._show(course, assignment, account,
                         message=f"已保存：本题 {result['cell_score']:g} 分，作业总分 {result['score']:g} / "
                                 f"{result['max_score']:g}。学员的学习进度已更新。")


register("staff/grading", GradingQueue)
register(rf"staff/grading/{COURSE}/{COURSE}/{ACCOUNT}", GradeSubmission)
