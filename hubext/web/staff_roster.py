"""The roster for admins (issue 16, point 3): import a CSV with the CLI's own checks, the people with
name, 单位, 县区, role and status, disable / re-enable, reset a password (shown once), enrol in
courses, export training records per 单位 or 县区, delete a leaver's personal data.

Every change goes through `academy.roster.import_roster` (one-row rosters for one person, see
`academy.people_admin`), so the browser and ``python -m academy roster import`` can never differ.
JupyterHub's own admin page stays for operators.
"""
from __future__ import annotations

import urllib.parse

from tornado import web

from academy import people_admin
from academy.roster import import_roster
from academy.db import registered_courses
from hubext.web.app import AcademyPage, register
from hubext.web.staff_common import audit_log, blocking, hub, paths
from runtime.people import ROLE_LABELS, people

MAX_UPLOAD = 2 * 1024 * 1024  # a roster of a few thousand people is well below this
ACTIONS = {"disable": "停用", "enable": "恢复启用", "password": "重置密码", "courses": "调整课程", "forget": "删除个人数据"}


class RosterPage(AcademyPage):
    roles = ("admin",)

    @web.authenticated
    async def get(self) -> None:
        everyone = await blocking(people, paths().academy_db_url)
        self.render_page("staff/roster.html", title="人员名册", people=everyone, role_labels=ROLE_LABELS,
                         units=sorted({p.unit for p in everyone if p.unit}),
                         counties=sorted({p.county for p in everyone if p.county}))


class RosterImport(AcademyPage):
    roles = ("admin",)

    @web.authenticated
    async def post(self) -> None:
        files = self.request.files.get("roster") or []
        if not files or not files[0]["body"]:
            return self.render_page("staff/result.html", title="导入名册", error="请选择要导入的 CSV 文件。")
        body = files[0]["body"]
        if len(body) > MAX_UPLOAD:
            return self.render_page("staff/result.html", title="导入名册", error="文件过大（上限 2 MB）。")
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError:
            return self.render_page("staff/result.html", title="导入名册",
                                    error="文件不是 UTF-8 编码。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”。")
        if "\n" not in text:
            text += "\n"  # import_roster takes one-line text for a file name
        report = await blocking(import_roster, text, paths(), hub=hub())
        audit_log().info("roster import by %s: %s", self.person.get("name"), report.summary())
        self.render_page("staff/import_result.html", title="导入名册", report=report)


class PersonPage(AcademyPage):
    roles = ("admin",)

    async def _person(self, account: str):
        try:
            return await blocking(people_admin.find, paths(), account)
        except people_admin.NoSuchPerson:
            raise web.HTTPError(404)

    @web.authenticated
    async def get(self, account: str) -> None:
        person = await self._person(account)
        courses = await blocking(registered_courses, paths())
        self.render_page("staff/person.html", title=f"人员：{person.name}", p=person, courses=courses,
                         role_labels=ROLE_LABELS)

    @web.authenticated
    async def post(self, account: str) -> None:
        person = await self._person(account)
        action = self.get_body_argument("action", "")
        if action not in ACTIONS:
            raise web.HTTPError(400)
        result = await self._do(person, action)
        if action in ("disable", "forget"):
            # This service caches the hub's answer about a login for minutes: forget them all so a
            # disabled person's open page stops working now, not after the cache expires.
            self.hub_auth.cache.clear()
        audit_log().info("roster %s of %s by %s", action, account, self.person.get("name"))
        self.render_page("staff/result.html", title=f"{ACTIONS[action]}：{person.name}", **result)

    async def _do(self, person, action: str) -> dict:
        back = f"{self.prefix}staff/roster/person/{urllib.parse.quote(person.account)}"
        try:
            if action == "password":
                password = await blocking(people_admin.reset_password, paths(), person.account)
                return {"password": password, "account": person.account, "back": back}
            if action == "forget":
                if self.get_body_argument("confirm", "") != person.account:
                    return {"error": "请输入该人员的账号以确认删除。", "back": back}
                await blocking(people_admin.forget, paths(), person.account, hub())
                return {"message": f"已删除 {person.account} 的个人数据。", "back": f"{self.prefix}staff/roster"}
            changes = {"disable": {"active": False}, "enable": {"active": True}}.get(action) or {
                "courses": tuple(self.get_body_arguments("course"))}
            report = await blocking(people_admin.change, paths(), person.account, hub(), **changes)
        except ValueError as exc:
            return {"error": str(exc), "back": back}
        if report.errors:
            return {"error": "；".join(str(e) for e in report.errors), "back": back}
        return {"message": f"已{ACTIONS[action]}。{report.summary()}", "back": back}


class RecordsExport(AcademyPage):
    roles = ("admin",)

    @web.authenticated
    async def get(self) -> None:
        by = self.get_argument("by", "")
        value = self.get_argument(by, "") if by in ("unit", "county") else ""
        if not value:
            return self.render_page("staff/result.html", title="导出培训记录", error="请选择单位或县区。",
                                    back=f"{self.prefix}staff/roster")
        data = await blocking(people_admin.records_csv, paths(), by, value)
        audit_log().info("records export by %s: %s=%s", self.person.get("name"), by, value)
        name = urllib.parse.quote(f"培训记录-{value}-合成数据.csv")
        self.set_header("Content-Type", "text/csv; charset=utf-8")
        self.set_header("Content-Disposition", f"attachment; filename*=UTF-8''{name}")
        self.finish(data)


register("staff/roster", RosterPage)
register("staff/roster/import", RosterImport)
register(r"staff/roster/person/([a-z_][a-z0-9_-]{0,31})", PersonPage)
register("staff/roster/export", RecordsExport)
