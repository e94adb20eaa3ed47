"""The trainee's portal (/services/academy/portal): courses, lessons and assignments as app pages,
submit, grades with a notice, feedback in Chinese, progress, 结业证明 and the training record.

Reads the academy's records (hubext.web.portal_data); fetches and submits as the person in their
own server with their own token (hubext.web.portal_server). Lessons and assignments open as Voila
pages of the person's server (/user/<name>/voila/render/…): text, forms and charts, no code.
"""
from __future__ import annotations

import asyncio
import logging
import os
import time
import urllib.parse

from tornado import web

from hubext.web import portal_data as data
from hubext.web.app import AcademyPage, register
from hubext.web.portal_feedback import answer_text, feedback_items
from hubext.web.portal_server import ActionFailed, PersonServer, ServerNotRunning

log = logging.getLogger("hubext.web.portal")
SEEN_COOKIE = "academy-seen-grades"  # which grades' notices the person has opened (no other state)
LEARNERS = ("trainee", "trainer", "admin")


class PortalPage(AcademyPage):
    roles = LEARNERS

    @property
    def account(self) -> str:
        return self.person.get("name", "")

    def courses(self) -> list[data.Course]:
        return data.my_courses(self.account, self.person.get("groups", []))

    def mine(self, course: str, assignment: str | None = None):
        try:
            return data.find(self.courses(), course, assignment)
        except KeyError:
            raise web.HTTPError(404) from None

    def spawn_then(self, target: str) -> str:
        """The hub's spawn page for the person's server, going on to ``target`` once it runs
        (at once when it already runs)."""
        base = os.environ.get("JUPYTERHUB_BASE_URL", "/")
        return f"{base}hub/spawn/{urllib.parse.quote(self.account)}?next={urllib.parse.quote(target)}"

    def in_server(self, path: str) -> str:
        """A link into the person's server that starts it first when needed."""
        base = os.environ.get("JUPYTERHUB_BASE_URL", "/")
        return self.spawn_then(f"{base}user/{urllib.parse.quote(self.account)}/{path}")

    def voila(self, notebook: str) -> str:
        return self.in_server("voila/render/" + urllib.parse.quote(notebook))

    def server(self) -> PersonServer:
        token = self.hub_auth.get_token(self)
        if not token:
            raise web.HTTPError(403)
        return PersonServer(self.account, token)

    def seen(self) -> set[str]:
        raw = self.get_secure_cookie(SEEN_COOKIE, max_age_days=60)
        return set(raw.decode().split("|")) if raw else set()

    def mark_seen(self, key: str) -> None:
        keys = sorted(self.seen() | {key})[-200:]
        self.set_secure_cookie(SEEN_COOKIE, "|".join(keys), expires_days=60, httponly=True, samesite="Lax",
                               path=self.prefix)


def grade_key(course: str, a: data.Assignment) -> str:
    return f"{course}/{a.id}@{a.graded_at}"


class Portal(PortalPage):
    @web.authenticated
    def get(self) -> None:
        courses = self.courses()
        seen = self.seen()
        notices = [(c, a) for c in courses for a in c.assignments
                   if a.graded and not a.grading_now and grade_key(c.id, a) not in seen]
        self.render_page("portal/index.html", title="我的课程", courses=courses, notices=notices,
                         message=self.get_argument("msg", ""), lab_url=self.in_server("lab?reset"),  # no layout kept from a phone visit
                         local_time=data.local_time, xsrf_token=self.xsrf_token.decode(),
                         waiting=any(a.grading_now for c in courses for a in c.assignments))


class Status(PortalPage):
    """What the portal page polls while a grade is on its way."""

    @web.authenticated
    def get(self) -> None:
        self.finish({"assignments": [
            {"course": c.id, "assignment": a.id, "grading": a.grading_now, "graded_at": a.graded_at}
            for c in self.courses() for a in c.assignments]})


class Lesson(PortalPage):
    @web.authenticated
    def get(self, course: str, lesson: str) -> None:
        c, _ = self.mine(course)
        found = [x for x in c.lessons if x.id == lesson]
        if not found:
            raise web.HTTPError(404)
        self.render_page("portal/app.html", title=found[0].title, course=c, lesson=found[0], assignment=None,
                         app_url=self.voila(found[0].path), local_time=data.local_time)


class Start(PortalPage):
    """开始作业: fetch the assignment into the person's home (as them), then open its page."""

    @web.authenticated
    async def get(self, course: str, assignment: str) -> None:
        c, a = self.mine(course, assignment)
        if not a.released:
            self.redirect(self.prefix + "portal?msg=not-released")
            return
        if not a.fetched:
            try:
                await self.server().act("fetch", course, assignment)
            except ServerNotRunning:
                self.redirect(self.spawn_then(self.prefix + f"portal/start/{course}/{assignment}"))
                return
            except ActionFailed as e:
                log.warning("fetch %s/%s for %s: %s", course, assignment, self.account, e)
                self.redirect(self.prefix + "portal?msg=fetch-failed")
                return
        if a.checker:
            await self.cases_ready(course, assignment)
        self.redirect(self.prefix + f"portal/work/{course}/{assignment}")

    async def cases_ready(self, course: str, assignment: str, wait_s: float = 12) -> None:
        """A checker assignment's page reads the person's own cases.json, which the grade-on-submit
        service writes at its next round after the fetch: wait for it a little (the page says so
        in Chinese if it is still missing)."""
        cases = data.paths().homes / self.account / course / assignment / "cases.json"
        deadline = time.monotonic() + wait_s
        while not cases.exists() and time.monotonic() < deadline:
            await asyncio.sleep(0.5)


class Work(PortalPage):
    @web.authenticated
    def get(self, course: str, assignment: str) -> None:
        c, a = self.mine(course, assignment)
        if not a.notebook:
            self.redirect(self.prefix + f"portal/start/{course}/{assignment}")
            return
        if a.writes_code:  # the data track writes code: JupyterLab, submitted from the portal
            self.redirect(self.in_server("lab/tree/" + urllib.parse.quote(a.notebook)))
            return
        self.render_page("portal/app.html", title=a.title, course=c, lesson=None, assignment=a,
                         app_url=self.voila(a.notebook), local_time=data.local_time)


class Submit(PortalPage):
    """提交: nbgrader submit inside the person's server; grade-on-submit picks it up."""

    @web.authenticated
    async def post(self, course: str, assignment: str) -> None:
        c, a = self.mine(course, assignment)
        if a.window == "closed":
            self.redirect(self.prefix + "portal?msg=closed")
            return
        try:
            await self.server().act("submit", course, assignment)
        except ServerNotRunning:
            self.redirect(self.prefix + "portal?msg=no-server")
            return
        except ActionFailed as e:
            log.warning("submit %s/%s for %s: %s", course, assignment, self.account, e)
            self.redirect(self.prefix + "portal?msg=submit-failed")
            return
        self.redirect(self.prefix + "portal?msg=submitted")


class Feedback(PortalPage):
    @web.authenticated
    def get(self, course: str, assignment: str) -> None:
        c, a = self.mine(course, assignment)
        if not a.graded:
            raise web.HTTPError(404)
        items = feedback_items(course, assignment, self.account)
        self.mark_seen(grade_key(course, a))
        self.render_page("portal/feedback.html", title=f"反馈：{a.title}", course=c, assignment=a,
                         items=items, answer_text=answer_text, local_time=data.local_time)


class Progress(PortalPage):
    @web.authenticated
    def get(self) -> None:
        from grading.profile import profiles

        profile = profiles(data.paths().academy_db_url).get(self.account, {})
        self.render_page("portal/progress.html", title="我的学习进度", courses=self.courses(), profile=profile,
                         local_time=data.local_time)


def _routes() -> None:
    seg = r"([A-Za-z0-9_-]+)"
    register("portal", Portal)
    register("portal/status", Status)
    register("portal/progress", Progress)
    register(rf"portal/lesson/{seg}/{seg}", Lesson)
    register(rf"portal/start/{seg}/{seg}", Start)
    register(rf"portal/work/{seg}/{seg}", Work)
    register(rf"portal/submit/{seg}/{seg}", Submit)
    register(rf"portal/feedback/{seg}/{seg}", Feedback)


_routes()
