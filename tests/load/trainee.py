"""One simulated trainee, as a browser would drive the academy: an asyncio HTTP + websocket client.

Why asyncio and not Locust: the journey's core is the Jupyter kernel protocol over a websocket
(execute_request → stream/execute_reply/status idle on the channels socket) and two waits that are
no request at all (server spawn, grade-on-submit feedback). Locust has no websocket client; driving
one means gevent monkey-patching the whole process, which the hub fixture (subprocess, psutil,
requests) in the same process does not survive. httpx (cookies, redirects, the hub's OAuth dance)
and websockets (the kernel channels) — both already pinned — drive hundreds of concurrent
trainees from one asyncio loop on one core, with exact per-step timings.

Journey: login form (with _xsrf) → /hub/spawn → wait until the server is ready → open a lesson
(Lab page + notebook JSON) → run its code cells over the kernel websocket → fetch the assignment,
write answers, save (contents API) → submit (nbgrader's assignment_list extension, as the
"提交" button does) → poll the assignment list until the feedback is there.
"""
from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

import httpx
from websockets.asyncio.client import connect

XSRF_RE = re.compile(r'name="_xsrf"\s+value="([^"]+)"')


@dataclass
class Recorder:
    """Everything measured, from every trainee (one asyncio loop: no locking needed)."""
    requests: list[tuple[str, float, bool]] = field(default_factory=list)
    spawn: list[float] = field(default_factory=list)
    execute: list[float] = field(default_factory=list)
    feedback: list[float] = field(default_factory=list)
    journeys: list[float] = field(default_factory=list)
    failures: list[tuple[str, str, str]] = field(default_factory=list)
    spawn_429: int = 0
    ready: int = 0


class StepFailed(Exception):
    pass


@dataclass
class Plan:
    base: str                  # http://127.0.0.1:PORT/
    lesson: str                # path in the home, e.g. guides/01-guide-basics.ipynb
    course: str                # course of the assignment submitted, e.g. demo
    assignment: str            # e.g. ps1
    answers: dict[str, str]    # grade_id -> source written into the fetched notebook
    step_timeout: float = 300.0
    feedback_timeout: float = 900.0  # grade-on-submit works in batches: a wave's last waits longest


class Trainee:
    def __init__(self, plan: Plan, account: str, password: str, rec: Recorder):
        self.p, self.account, self.password, self.rec = plan, account, password, rec
        self.user = f"{plan.base}user/{account}/"
        self.http = httpx.AsyncClient(follow_redirects=True, timeout=plan.step_timeout)

    # -- plumbing -------------------------------------------------------------------------------
    async def req(self, name: str, method: str, url: str, ok: Callable[[httpx.Response], bool] | None = None,
                  **kw) -> httpx.Response:
        t0 = time.perf_counter()
        try:
            r = await self.http.request(method, url, **kw)
        except httpx.HTTPError as exc:
            self.rec.requests.append((name, time.perf_counter() - t0, False))
            raise StepFailed(f"{name}: {exc!r}") from exc
        good = ok(r) if ok else r.status_code < 400
        self.rec.requests.append((name, time.perf_counter() - t0, good))
        if not good:
            raise StepFailed(f"{name}: HTTP {r.status_code} {r.text[:200]}")
        return r

    def xsrf(self, path: str) -> dict[str, str]:
        token = self.http.cookies.get("_xsrf", path=path) or self.http.cookies.get("_xsrf") or ""
        return {"X-XSRFToken": token}

    def user_api(self, name: str, method: str, path: str, **kw):
        return self.req(name, method, self.user + path, headers=self.xsrf(f"/user/{self.account}/"), **kw)

    # -- the journey ----------------------------------------------------------------------------
    async def run(self) -> None:
        t0 = time.perf_counter()
        step = "login"
        try:
            await self.login()
            step = "spawn"
            await self.spawn()
            step = "lesson"
            nb = await self.open_lesson()
            step = "execute"
            await self.execute(nb)
            step = "answers"
            await self.save_answers()
            step = "submit"
            await self.submit_and_wait_feedback()
            self.rec.journeys.append(time.perf_counter() - t0)
        except (StepFailed, asyncio.TimeoutError, OSError, KeyError, ValueError) as exc:
            self.rec.failures.append((self.account, step, repr(exc)[:300]))
        except asyncio.CancelledError:  # the run's deadline: say where this trainee was
            self.rec.failures.append((self.account, step, "cancelled at the run's deadline"))
            raise
        finally:
            await self.http.aclose()

    async def login(self) -> None:
        page = await self.req("GET /hub/login", "GET", self.p.base + "hub/login")
        m = XSRF_RE.search(page.text)
        if not m:
            raise StepFailed("login form without _xsrf")
        data = {"username": self.account, "password": self.password, "_xsrf": m.group(1)}
        r = await self.req("POST /hub/login", "POST", self.p.base + "hub/login?next=", data=data,
                           follow_redirects=False, ok=lambda r: r.status_code == 302)
        if "/hub/login" in r.headers.get("Location", ""):
            raise StepFailed("login refused")

    async def spawn(self) -> None:
        t0 = time.perf_counter()
        deadline = t0 + self.p.step_timeout
        api = f"{self.p.base}hub/api/users/{self.account}"
        while True:
            r = await self.req("POST /hub/api/users/:name/server", "POST", api + "/server",
                               headers=self.xsrf("/hub/"), ok=lambda r: r.status_code in (201, 202, 400, 429))
            if r.status_code != 429:
                break
            self.rec.spawn_429 += 1  # the hub's concurrent spawn limit: the page says "try again"
            if time.perf_counter() > deadline:
                raise StepFailed("spawn: still 429 at the deadline")
            await asyncio.sleep(float(r.headers.get("Retry-After", "5")))
        while time.perf_counter() < deadline:
            info = (await self.req("GET /hub/api/users/:name", "GET", api, headers=self.xsrf("/hub/"))).json()
            server = (info.get("servers") or {}).get("")
            if server and server.get("ready"):
                # through the proxy, with the OAuth dance a browser does on first visit
                await self.req("GET /user/:name/lab", "GET", self.user + "lab")
                self.rec.spawn.append(time.perf_counter() - t0)
                self.rec.ready += 1
                return
            if not info.get("pending") and not server:
                raise StepFailed("spawn failed (no server, nothing pending)")
            await asyncio.sleep(1.0)
        raise StepFailed("spawn: not ready at the deadline")

    async def open_lesson(self) -> dict[str, Any]:
        await self.req("GET /user/:name/lab/tree/<lesson>", "GET", self.user + "lab/tree/" + self.p.lesson)
        r = await self.user_api("GET /user/:name/api/contents/<lesson>", "GET", "api/contents/" + self.p.lesson)
        return r.json()["content"]

    async def execute(self, nb: dict[str, Any]) -> None:
        r = await self.user_api("POST /user/:name/api/sessions", "POST", "api/sessions", json={
            "path": self.p.lesson, "name": self.p.lesson.rsplit("/", 1)[-1], "type": "notebook",
            "kernel": {"name": "python3"}})
        kernel = r.json()["kernel"]["id"]
        ws_url = self.user.replace("http://", "ws://") + f"api/kernels/{kernel}/channels"
        cookie = "; ".join(f"{c.name}={c.value}" for c in self.http.cookies.jar)
        t0 = time.perf_counter()
        async with connect(ws_url, additional_headers={"Cookie": cookie, **self.xsrf(f"/user/{self.account}/")},
                           max_size=None, open_timeout=60) as ws:
            session = uuid.uuid4().hex
            for cell in nb["cells"]:
                if cell["cell_type"] == "code" and cell["source"].strip():
                    await asyncio.wait_for(self._run_cell(ws, session, cell["source"]), self.p.step_timeout)
        self.rec.execute.append(time.perf_counter() - t0)

    async def _run_cell(self, ws, session: str, code: str) -> None:
        msg_id = uuid.uuid4().hex
        await ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": self.account, "session": session,
                       "msg_type": "execute_request", "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        reply = idle = False
        while not (reply and idle):
            msg = json.loads(await ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["header"]["msg_type"]
            if kind == "execute_reply":
                reply = True
                if msg["content"]["status"] != "ok":
                    raise StepFailed(f"lesson cell failed: {msg['content'].get('ename')} {msg['content'].get('evalue')}")
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                idle = True

    async def save_answers(self) -> None:
        body = {"course_id": self.p.course, "assignment_id": self.p.assignment}
        await self.user_api("POST /user/:name/assignments/fetch", "POST", "assignments/fetch", data=body)
        path = f"api/contents/{self.p.course}/{self.p.assignment}/{self.p.assignment}.ipynb"
        nb = (await self.user_api("GET /user/:name/api/contents/<assignment>", "GET", path)).json()["content"]
        for cell in nb["cells"]:
            gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if gid in self.p.answers:
                cell["source"] = self.p.answers[gid]
        await self.user_api("PUT /user/:name/api/contents/<assignment>", "PUT", path,
                            json={"type": "notebook", "format": "json", "content": nb})

    async def submit_and_wait_feedback(self) -> None:
        body = {"course_id": self.p.course, "assignment_id": self.p.assignment}
        r = await self.user_api("POST /user/:name/assignments/submit", "POST", "assignments/submit", data=body)
        if not r.json().get("success", False):
            raise StepFailed(f"submit refused: {r.text[:300]}")
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < self.p.feedback_timeout:
            await asyncio.sleep(2.0)
            listing = (await self.user_api("GET /user/:name/assignments", "GET", "assignments",
                                           params={"course_id": self.p.course})).json()
            for a in listing.get("value") or []:
                if a.get("assignment_id") == self.p.assignment and a.get("status") == "submitted":
                    if any(s.get("has_exchange_feedback") for s in a.get("submissions", [])):
                        self.rec.feedback.append(time.perf_counter() - t0)
                        return
        raise StepFailed("no feedback at the deadline")
