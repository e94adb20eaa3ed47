"""A real root-mode hub for the isolation tests, and a client that runs code in a person's kernel.

The hub is the real one (JupyterHub + configurable-http-proxy on free ports) with the academy's
spawner (``academy.spawner.AcademySpawner`` when present, else LocalProcessSpawner) and the
isolation fragments ``hub_config/limits.py`` and ``hub_config/culler.py`` loaded exactly as the
main config loads them. Users are driven through the REST API with a test service token (scopes
to create users, start servers and reach them), so nothing here depends on the login form.

Runtime venv: built once per machine at ``SHARED_RUNTIME`` by ``academy.runtime.ensure_runtime_venv``
(reused while the project is unchanged) and linked into each temporary ``ACADEMY_ROOT``.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests
import websocket

from academy import accounts, runtime
from academy.paths import Paths

REPO = Path(__file__).resolve().parents[2]
SHARED_RUNTIME = Path(os.environ.get("ACADEMY_TEST_RUNTIME", "/var/tmp/academy-test-runtime"))
CHP = REPO / "hub_config" / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
PREFIX = "zt"


def new_name(tag: str = "") -> str:
    """A throw-away account name: zt + tag + random (lower-case, valid Unix name)."""
    return f"{PREFIX}{tag}{secrets.token_hex(3)}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_VENV_READY: list[Path] = []


def shared_runtime_venv() -> Path:
    """The runtime venv every test root links to (built or refreshed here; ~35 s the first time).

    Refreshed once per test session only: reinstalling under servers that are running from it
    (other files changed meanwhile) would pull modules from under them.
    """
    if _VENV_READY:
        return _VENV_READY[0]
    shared = Paths(root=SHARED_RUNTIME, root_mode=True)
    SHARED_RUNTIME.mkdir(parents=True, exist_ok=True)
    os.chmod(SHARED_RUNTIME, 0o755)
    runtime.ensure_runtime_venv(shared, REPO)
    _VENV_READY.append(shared.venv)
    return shared.venv


def make_test_root() -> Paths:
    """A temporary ACADEMY_ROOT that user servers can reach (/tmp, 0755 — not pytest's 0700 tmp)."""
    root = Path(tempfile.mkdtemp(prefix="zt-academy-", dir="/tmp"))
    os.chmod(root, 0o755)
    paths = Paths(root=root, root_mode=True)
    (root / "venv").symlink_to(shared_runtime_venv())
    return paths


@dataclass
class Hub:
    paths: Paths
    url: str
    token: str
    proc: subprocess.Popen
    log: Path
    users: list[str] = field(default_factory=list)

    # -- REST -----------------------------------------------------------------------------------
    def api(self, method: str, path: str, **kw) -> requests.Response:
        headers = {"Authorization": f"token {self.token}"}
        return requests.request(method, f"{self.url}/hub/api{path}", headers=headers, timeout=30, **kw)

    def add_user(self, name: str, *, full_name: str = "") -> None:
        accounts.ensure_account(name, self.paths.home(name), full_name=full_name)
        self.users.append(name)
        r = self.api("POST", f"/users/{name}")
        assert r.status_code in (201, 409), r.text

    def start_server(self, name: str, timeout: float = 90) -> None:
        r = self.api("POST", f"/users/{name}/server")
        assert r.status_code in (201, 202, 400), r.text  # 400: already running
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            info = self.api("GET", f"/users/{name}").json()
            server = info.get("servers", {}).get("")
            if server and server.get("ready"):
                return
            if not info.get("pending") and not server:
                raise AssertionError(f"server of {name} did not start:\n{self.tail_log()}")
            time.sleep(0.3)
        raise AssertionError(f"server of {name} not ready after {timeout}s:\n{self.tail_log()}")

    def stop_server(self, name: str) -> None:
        self.api("DELETE", f"/users/{name}/server")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            info = self.api("GET", f"/users/{name}").json()
            if not info.get("servers") and not info.get("pending"):
                return
            time.sleep(0.3)

    def kernel(self, name: str) -> "Kernel":
        return Kernel(self, name)

    def alive(self) -> bool:
        try:
            return self.proc.poll() is None and self.api("GET", "/").status_code == 200
        except requests.RequestException:
            return False

    def tail_log(self, n: int = 60) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)


class Kernel:
    """A kernel in a person's own server, started and driven through the hub's proxy."""

    def __init__(self, hub: Hub, user: str):
        self.hub, self.user = hub, user
        self.base = f"{hub.url}/user/{user}/api"
        self.headers = {"Authorization": f"token {hub.token}"}
        r = requests.post(f"{self.base}/kernels", headers=self.headers, json={"name": "python3"}, timeout=60)
        assert r.status_code == 201, (r.status_code, r.text)
        self.id = r.json()["id"]
        ws_url = self.base.replace("http://", "ws://") + f"/kernels/{self.id}/channels"
        self.ws = websocket.create_connection(ws_url, header=[f"Authorization: token {hub.token}"], timeout=120)
        self.session = uuid.uuid4().hex

    def run(self, code: str, timeout: float = 120) -> tuple[str, dict | None]:
        """Execute ``code``; returns (stdout+results, error or None)."""
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": self.user, "session": self.session,
                       "msg_type": "execute_request", "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False,
                        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
        }))
        out: list[str] = []
        error = None
        got_reply = got_idle = False
        deadline = time.monotonic() + timeout
        while not (got_reply and got_idle):
            self.ws.settimeout(max(1.0, deadline - time.monotonic()))
            msg = json.loads(self.ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["header"]["msg_type"]
            if kind == "stream":
                out.append(msg["content"]["text"])
            elif kind == "execute_result":
                out.append(msg["content"]["data"].get("text/plain", ""))
            elif kind == "error":
                error = {"ename": msg["content"]["ename"], "evalue": msg["content"]["evalue"]}
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                got_idle = True
            elif kind == "execute_reply":
                got_reply = True
            if time.monotonic() > deadline:
                raise TimeoutError(f"kernel of {self.user}: no reply within {timeout}s")
        return "".join(out), error

    def json(self, code: str, timeout: float = 120):
        """Run code whose last line prints one JSON document; return it parsed."""
        out, error = self.run(code, timeout)
        assert error is None, (error, out)
        return json.loads(out.strip().splitlines()[-1])

    def close(self) -> None:
        try:
            self.ws.close()
        finally:
            requests.delete(f"{self.base}/kernels/{self.id}", headers=self.headers, timeout=30)


HUB_CONFIG = """
import os, sys
c = get_config()
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{chp!r}]
c.ConfigurableHTTPProxy.auth_token = {proxy_token!r}
c.JupyterHub.db_url = "sqlite:///{hub_dir}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{hub_dir}/jupyterhub_cookie_secret"
c.JupyterHub.pid_file = "{hub_dir}/jupyterhub.pid"
c.ConfigurableHTTPProxy.pid_file = "{hub_dir}/jupyterhub-proxy.pid"  # not in cwd: hubs would kill each other's proxy
c.JupyterHub.cleanup_servers = True
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
try:
    import academy.spawner  # the academy's own spawner (lessons copied in at spawn)
    c.JupyterHub.spawner_class = "academy.spawner.AcademySpawner"
except ImportError:
    c.JupyterHub.spawner_class = "hub_config.limits.LimitedLocalProcessSpawner"
c.Spawner.cmd = ["{venv}/bin/jupyterhub-singleuser"]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.disable_user_config = True
c.Spawner.environment = {{"PATH": "{venv}/bin:/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}}
c.Spawner.start_timeout = 90
c.Spawner.http_timeout = 60
c.JupyterHub.services = [{{"name": "zt-tests", "api_token": {token!r}}}]
c.JupyterHub.load_roles = [{{
    "name": "zt-tests",
    "scopes": ["admin:users", "admin:servers", "access:servers", "list:users", "read:users",
               "read:servers", "read:hub", "admin:groups", "read:services"],
    "services": ["zt-tests"],
}}]
load_subconfig({limits!r})
load_subconfig({culler!r})
"""


def as_grader(env, *args: str) -> subprocess.CompletedProcess:
    """Run ``nbgrader ARGS`` as the course's grader account in its course root (like its formgrader)."""
    paths = env.paths
    croot = paths.course_root(env.course_id)
    return subprocess.run(
        ["/usr/sbin/runuser", "-u", env.grader, "--", str(paths.venv / "bin" / "nbgrader"), *args],
        cwd=croot, capture_output=True, text=True, timeout=120,
        env={"PATH": f"{paths.venv / 'bin'}:/usr/bin:/bin", "HOME": str(croot), "LANG": "C.UTF-8"})


def start_hub(paths: Paths, *, mem_limit: str | None = None, timeout: float = 60) -> Hub:
    port, hub_port, api_port = free_port(), free_port(), free_port()
    token = secrets.token_hex(32)
    cfg = paths.hub_dir / "zt_jupyterhub_config.py"
    cfg.write_text(HUB_CONFIG.format(
        port=port, hub_port=hub_port, api_port=api_port, chp=str(CHP), proxy_token=secrets.token_hex(32),
        hub_dir=paths.hub_dir, venv=paths.venv, token=token,
        limits=str(REPO / "hub_config" / "limits.py"), culler=str(REPO / "hub_config" / "culler.py")))
    env = dict(os.environ, ACADEMY_ROOT=str(paths.root),
               PATH=f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}")
    if mem_limit is not None:
        env["ACADEMY_MEM_LIMIT"] = mem_limit
    log = paths.hub_dir / "hub.log"
    with open(log, "wb") as fh:
        # cwd = the checkout, as `make up` runs it: hub_config (not installed) imports from there
        proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(cfg)], cwd=REPO,
                                env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
    hub = Hub(paths=paths, url=f"http://127.0.0.1:{port}", token=token, proc=proc, log=log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"hub exited ({proc.returncode}):\n{hub.tail_log()}")
        if hub.alive():
            return hub
        time.sleep(0.3)
    hub.stop()
    raise RuntimeError(f"hub not up after {timeout}s:\n{hub.tail_log()}")


def cleanup(hub: Hub | None, paths: Paths, extra_accounts: list[str]) -> None:
    """Stop the hub (and with it every user server), then remove accounts and the temp root."""
    if hub is not None:
        hub.stop()
    for name in [*(hub.users if hub else []), *extra_accounts]:
        for _ in range(20):  # processes of the account may take a moment to go
            try:
                accounts.remove_account(name)
                break
            except RuntimeError:
                subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
                time.sleep(0.25)
    if paths.root.is_relative_to("/tmp") and paths.root.name.startswith("zt-academy-"):
        shutil.rmtree(paths.root, ignore_errors=True)
