"""Fetch and submit as the person: their own server's nbgrader assignment-list API, their own token.

The portal never acts as its own account. The hub gives the `academy` service, at the person's
OAuth login, a token limited to the person's own server (oauth_client_allowed_scopes
``access:servers!user``, hub_config/services.py); this module calls
``/user/<name>/assignments/{fetch,submit}`` through the public proxy with that token, so nbgrader's
exchange code runs inside the person's server, as them (their Unix account in root mode).
"""
from __future__ import annotations

import json
import os
import urllib.parse
from dataclasses import dataclass

from tornado.httpclient import AsyncHTTPClient, HTTPClientError

from runtime.settings import current

ACTIONS = ("fetch", "submit")


class ServerNotRunning(RuntimeError):
    """The person's server is not up: the page offers to start it."""


class ActionFailed(RuntimeError):
    """nbgrader refused (message for the log only; the person sees a Chinese sentence)."""


@dataclass(frozen=True)
class PersonServer:
    name: str
    token: str

    @property
    def base(self) -> str:
        return f"{public_url()}user/{urllib.parse.quote(self.name)}/"

    async def call(self, method: str, path: str, body: dict | None = None, timeout: float = 120) -> object:
        client = AsyncHTTPClient()
        try:
            resp = await client.fetch(
                self.base + path, method=method, follow_redirects=False, request_timeout=timeout,
                headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
                body=json.dumps(body) if body is not None else None, validate_cert=False)
        except HTTPClientError as e:
            if e.code in (302, 303, 404, 424, 503):  # sent to the hub: no server behind the route
                raise ServerNotRunning(self.name) from e
            raise ActionFailed(f"{method} {path}: HTTP {e.code}") from e
        return json.loads(resp.body or b"null")

    async def running(self) -> bool:
        """Whether the person's default server is up, asked of the hub with their token
        (read:servers!user): a request to a stopped server's URL would reach the hub itself."""
        api = os.environ.get("JUPYTERHUB_API_URL", "http://127.0.0.1:8081/hub/api").rstrip("/")
        try:
            resp = await AsyncHTTPClient().fetch(f"{api}/user", headers={"Authorization": f"token {self.token}"},
                                                 request_timeout=30)
        except HTTPClientError:
            return False
        server = (json.loads(resp.body).get("servers") or {}).get("")
        return bool(server and server.get("ready"))

    async def assignments(self, course: str) -> list[dict]:
        return _listed(await self.call("GET", f"assignments?course_id={urllib.parse.quote(course)}"))

    async def act(self, action: str, course: str, assignment: str) -> list[dict]:
        """Run ``fetch`` or ``submit``; returns nbgrader's new list, or raises ActionFailed."""
        if action not in ACTIONS:
            raise ValueError(action)
        if not await self.running():
            raise ServerNotRunning(self.name)
        out = await self.call("POST", f"assignments/{action}", {"course_id": course, "assignment_id": assignment})
        if isinstance(out, dict) and not out.get("success", True):
            raise ActionFailed(str(out.get("value", ""))[-2000:])
        listed = _listed(out)
        wanted = {"fetch": "fetched", "submit": "submitted"}[action]
        states = {a.get("status") for a in listed if a.get("assignment_id") == assignment}
        if action == "fetch" and wanted not in states and "submitted" not in states:
            raise ActionFailed(f"fetch {course}/{assignment}: state {states}")
        return listed


def _listed(out: object) -> list[dict]:
    """nbgrader answers {"success": true, "value": [...]} (older versions: the bare list)."""
    if isinstance(out, dict):
        out = out.get("value")
    return [a for a in out if isinstance(a, dict)] if isinstance(out, list) else []


def public_url() -> str:
    """The hub's public address as seen from this machine (the proxy; TLS when configured)."""
    s = current()
    host = s.bind_ip if s.bind_ip not in ("", "0.0.0.0", "::") else "127.0.0.1"
    scheme = "https" if s.tls_cert else "http"
    return f"{scheme}://{host}:{s.port}/"

