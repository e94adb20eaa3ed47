"""The `academy` hub service: a tornado app behind JupyterHub OAuth serving the academy's pages.

Why a hub service of our own rather than hub templates or Voila: the pages need server-side logic
as the logged-in person (their courses, grades, the roster) with role checks, and must show no
upstream UI; a small tornado app with JupyterHub's `HubOAuthenticated` gives exactly that.

    python -m hubext.web        (the hub starts it as a managed service; env from the hub)

Audience modules (portal, staff, …) add routes with :func:`register`; each handler subclasses
:class:`AcademyPage` and names the roles it admits in ``roles``.
"""
from __future__ import annotations

import importlib
import os
import secrets
from pathlib import Path
from typing import Any, Iterable

import jinja2
from jupyterhub.services.auth import HubOAuthCallbackHandler, HubOAuthenticated
from jupyterhub.utils import url_path_join
from tornado import ioloop, web

HERE = Path(__file__).resolve().parent
ROLES = ("admin", "leader", "trainer", "trainee")  # strongest first: a person's role is the first held
ROLE_NAMES = {"admin": "管理员", "leader": "领导", "trainer": "培训师", "trainee": "学员"}
# Modules whose import registers their routes (each calls register()).
AUDIENCES: list[str] = ["hubext.web.home", "hubext.web.portal", "hubext.web.portal_records", "hubext.web.staff"]

_routes: list[tuple[str, type, dict]] = []
_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(HERE / "templates")),
    autoescape=jinja2.select_autoescape(["html"]),
)


def register(path: str, handler: type, **kwargs: Any) -> None:
    """Add a route under the service prefix (path without leading slash, e.g. "portal")."""
    _routes.append((path, handler, kwargs))


def role_of(groups: Iterable[str]) -> str:
    """The academy role from hub groups ("" when none, "disabled" wins over everything)."""
    held = set(groups)
    if "disabled" in held:
        return "disabled"
    for role in ROLES:
        if f"{role}s" in held:
            return role
    return ""


class AcademyPage(HubOAuthenticated, web.RequestHandler):
    """A page for logged-in people holding one of ``roles``; everyone else gets 403 in Chinese."""

    roles: tuple[str, ...] = ROLES

    @property
    def person(self) -> dict:
        return self.current_user or {}

    @property
    def role(self) -> str:
        return role_of(self.person.get("groups", []))

    @property
    def prefix(self) -> str:
        return os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/academy/")

    def prepare(self) -> None:
        # Page-level role check; `web.authenticated` on get/post sends strangers to the hub login.
        if self.current_user and self.role not in self.roles:
            raise web.HTTPError(403)

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "same-origin")

    def render_page(self, template: str, **context: Any) -> None:
        context.setdefault("title", "")
        self.finish(_env.get_template(template).render(
            prefix=self.prefix, hub_prefix=os.environ.get("JUPYTERHUB_BASE_URL", "/") + "hub/",
            person=self.person, role=self.role, role_name=ROLE_NAMES.get(self.role, ""),
            xsrf_form_html=self.xsrf_form_html, **context))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        # Chinese errors, never a traceback.
        messages = {403: "您没有访问此页面的权限。", 404: "页面不存在。"}
        self.finish(_env.get_template("error.html").render(
            prefix=self.prefix, hub_prefix=os.environ.get("JUPYTERHUB_BASE_URL", "/") + "hub/",
            person=self.current_user or {}, role="", role_name="", title="出错了",
            status=status_code, message=messages.get(status_code, "服务暂时出现问题，请稍后再试。")))


class NotFound(AcademyPage):
    def prepare(self) -> None:
        raise web.HTTPError(404)


def make_app() -> web.Application:
    for module in AUDIENCES:
        importlib.import_module(module)
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/academy/")
    handlers: list = [(url_path_join(prefix, "oauth_callback"), HubOAuthCallbackHandler)]
    handlers += [(url_path_join(prefix, path), handler, kwargs) for path, handler, kwargs in _routes]
    handlers.append((r".*", NotFound))
    return web.Application(
        handlers,
        cookie_secret=secrets.token_bytes(32),  # sessions end with the service: people log in again via the hub
        xsrf_cookies=True,
        static_path=str(HERE / "static"),
        static_url_prefix=url_path_join(prefix, "static/"),
    )


def main() -> None:
    url = os.environ.get("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:8092")
    port = int(url.rsplit(":", 1)[-1].split("/")[0])
    make_app().listen(port, address="127.0.0.1", xheaders=True)
    try:
        ioloop.IOLoop.current().start()
    except KeyboardInterrupt:  # the hub stops its services with SIGINT: a normal end, not a crash
        pass
