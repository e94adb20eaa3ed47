"""The one hub test harness: real hubs on free ports, each in its own temporary runtime root.

Two knobs choose the hub; the mode (root or single account) is given explicitly, never taken from
this process's environment:

    hub = start_hub(tmp_root, single_user=True, roster=path)   # the whole academy: `academy up` -> HubHandle
    s = hub.login("xueyuan01")                                  # requests.Session, logged in by form
    hub.stop()                                                  # SIGTERM, as Ctrl-C would

    paths = make_test_root()                                    # root mode, the shared runtime venv linked in
    hub = start_bare_hub(paths, mem_limit="1G")                 # JupyterHub + the academy spawner, limits and
    hub.add_user(name); hub.start_server(name)                  # culler fragments, driven by a service token
    k = hub.kernel(name); k.run("print(1)")                     # code in that person's own kernel

tests/hub uses the first (single-account, session fixture `academy_hub`), tests/isolation both
(root mode, real Unix accounts), bench/bench_hub.py the first.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import requests
import websocket

from academy import runtime
from academy.ports import PortLedger
from runtime import accounts
from runtime.paths import Paths
from runtime.settings import current

REPO = Path(__file__).resolve().parent.parent
PYTHON = REPO / ".venv" / "bin" / "python"
XSRF_RE = re.compile(r'name="_xsrf"\s+value="([^"]+)"')


# Test hubs' public ports (and the test PostgreSQL's): a band of their own below the ephemeral range,
# never handed out twice by one test process (academy.ports says why a bind(0) port is not safe).
TEST_PORTS = PortLedger(range(30000, 32700), hold_s=24 * 3600)


def free_port() -> int:
    return TEST_PORTS.take()


def read_passwords(root: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in ("demo-passwords.txt", "initial-passwords.txt"):
        path = root / "data" / name
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line and not line.startswith("#"):
                    account, _role, password = line.split("\t")
                    out[account] = password
    return out


@dataclass
class HubHandle:
    root: Path
    url: str  # http://127.0.0.1:PORT/
    proc: subprocess.Popen
    log_path: Path
    env: dict[str, str]
    started_in: float = 0.0
    _passwords: dict[str, str] = field(default_factory=dict)
    roster_dir: Path | None = None  # the roster start_hub generated, removed at stop

    @property
    def api_url(self) -> str:
        return self.url + "hub/api"

    @property
    def ops_token(self) -> str:
        return (self.root / "hub" / "ops_token").read_text().strip()

    def password(self, account: str) -> str:
        if account not in self._passwords:
            self._passwords = read_passwords(self.root)
        return self._passwords[account]

    def api(self, method: str, path: str, token: str | None = None, **kw) -> requests.Response:
        headers = kw.pop("headers", {})
        headers["Authorization"] = f"token {token or self.ops_token}"
        return requests.request(method, self.api_url + path, headers=headers, timeout=60, **kw)

    def login(self, account: str, password: str | None = None) -> requests.Session:
        """Log in through the login form, with its _xsrf, like a browser."""
        s = requests.Session()
        page = s.get(self.url + "hub/login", timeout=30)
        page.raise_for_status()
        m = XSRF_RE.search(page.text)
        assert m, "login form has no _xsrf field"
        r = s.post(
            self.url + "hub/login?next=",
            data={"username": account, "password": password or self.password(account), "_xsrf": m.group(1)},
            allow_redirects=False, timeout=30,
        )
        s.login_status = r.status_code  # type: ignore[attr-defined]
        s.login_location = r.headers.get("Location", "")  # type: ignore[attr-defined]
        return s

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """`python -m academy ARGS` against this hub's ACADEMY_ROOT."""
        return subprocess.run([str(PYTHON), "-m", "academy", *args], env=self.env, cwd=REPO,
                              capture_output=True, text=True, timeout=300, check=check)

    def descendants(self) -> list[psutil.Process]:
        try:
            return psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.Error:
            return []

    def hub_pid(self) -> int | None:
        try:
            return int(json.loads((self.root / "hub" / "running.json").read_text())["hub_pid"])
        except (OSError, ValueError, KeyError):
            return None

    def wait_restarted(self, old_hub_pid: int | None, service: str | None = None, timeout: float = 180) -> None:
        """After `add-course`: wait for a new hub process that answers (and knows `service`)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid = self.hub_pid()
            if pid and pid != old_hub_pid:
                try:
                    r = self.api("GET", "/services")
                    if r.ok and (service is None or service in r.json()):
                        return
                except requests.RequestException:
                    pass
            time.sleep(0.3)
        raise RuntimeError(f"hub did not restart:\n{self.log()[-4000:]}")

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self, timeout: float = 90, sig: int = signal.SIGTERM) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if self.roster_dir is not None:
            shutil.rmtree(self.roster_dir, ignore_errors=True)
        return self.proc.returncode


def demo_roster_for_courses(keep: set[str]) -> str:
    """The demo roster with its courses column cut to `keep`."""
    import csv
    import io

    from academy import demo

    rows = list(csv.reader(io.StringIO(demo.generate())))
    for row in rows[1:]:
        row[5] = ";".join(c for c in row[5].split(";") if c in keep)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def start_hub(root_dir: Path, single_user: bool = True, roster: Path | None = None,
              *, extra_env: dict[str, str] | None = None, timeout: float = 600) -> HubHandle:
    """Start `python -m academy up` and wait until the hub answers. Raises with the log if not.

    `roster=None` imports the demo roster (demo passwords in data/demo-passwords.txt)."""
    root_dir = Path(root_dir)
    root_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = dict(os.environ)
    env.update(ACADEMY_ROOT=str(root_dir), ACADEMY_PORT=str(port),
               PATH=f"{PYTHON.parent}:{env.get('PATH', '/usr/bin:/bin')}",
               PYTHONDONTWRITEBYTECODE="1")
    if single_user:  # the mode is this knob's, whatever this process's environment says
        env["ACADEMY_SINGLE_USER"] = "1"
    else:
        env.pop("ACADEMY_SINGLE_USER", None)
    env.update(extra_env or {})
    # Test hubs build the demo course only (the shipped courses add builds and formgraders that
    # these tests do not look at); the demo roster is cut to that course so no row is refused.
    env.setdefault("ACADEMY_COURSES", "demo")
    # No synthetic city unless a test asks (tests/dashboards builds a small one beforehand).
    env.setdefault("ACADEMY_CITY_MONTHS", "0")
    roster_dir = None
    if roster is None and env["ACADEMY_COURSES"] == "demo":
        roster_dir = Path(tempfile.mkdtemp(prefix="zt-roster-"))
        roster = roster_dir / "roster-合成数据.csv"
        roster.write_text(demo_roster_for_courses({"demo"}), encoding="utf-8")
    args = [str(PYTHON), "-m", "academy", "up", "--port", str(port)]
    if roster is not None:
        args += ["--roster", str(roster)]
    log_path = root_dir / "up.log"
    t0 = time.monotonic()
    log = open(log_path, "wb")
    proc = subprocess.Popen(args, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    hub = HubHandle(root=root_dir, url=f"http://127.0.0.1:{port}/", proc=proc, log_path=log_path, env=env,
                    roster_dir=roster_dir)
    running = root_dir / "hub" / "running.json"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"academy up exited with {proc.returncode}:\n{hub.log()[-6000:]}")
        if running.exists():
            try:
                json.loads(running.read_text())
                if requests.get(hub.api_url + "/", timeout=2).ok:
                    hub.started_in = time.monotonic() - t0
                    return hub
            except (ValueError, requests.RequestException):
                pass
        time.sleep(0.3)
    hub.stop()
    raise RuntimeError(f"hub did not start within {timeout} s:\n{hub.log()[-6000:]}")


# ---------------------------------------------------------------------------------------------
# Bare root-mode hubs for the isolation tests: the academy's spawner and the hub_config fragments
# limits.py and culler.py, loaded as the main config loads them. Users are driven through the REST
# API with a test service token, so nothing here depends on the login form. Runtime venv: built
# once per machine at SHARED_RUNTIME (academy.runtime.ensure_runtime_venv, reused while the project
# is unchanged) and linked into each temporary root.

SHARED_RUNTIME = Path(current().test_runtime)  # ACADEMY_TEST_RUNTIME
CHP = REPO / "hub_config" / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
PREFIX = "zt"


def new_name(tag: str = "") -> str:
    """A throw-away account name: zt + tag + random (lower-case, valid Unix name)."""
    return f"{PREFIX}{tag}{secrets.token_hex(3)}"


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
class BareHub:
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

    def __init__(self, hub: "BareHub", user: str):
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
c.JupyterHub.spawner_class = "academy"  # hubext.spawner.AcademySpawner (lessons copied in at spawn)
c.Spawner.cmd = ["{venv}/bin/jupyterhub-singleuser"]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.disable_user_config = True
c.Spawner.environment = {{"PATH": "{venv}/bin:/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}}
c.Spawner.start_timeout = 180  # as hub_config/spawner.py
c.Spawner.http_timeout = 120
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


def start_bare_hub(paths: Paths, *, mem_limit: str | None = None, extra_env: dict[str, str] | None = None,
                   timeout: float = 60) -> BareHub:
    """JupyterHub with the academy's spawner and the limits/culler fragments, root mode over ``paths``."""
    port, hub_port, api_port = free_port(), free_port(), free_port()
    token = secrets.token_hex(32)
    cfg = paths.hub_dir / "zt_jupyterhub_config.py"
    cfg.write_text(HUB_CONFIG.format(
        port=port, hub_port=hub_port, api_port=api_port, chp=str(CHP), proxy_token=secrets.token_hex(32),
        hub_dir=paths.hub_dir, venv=paths.venv, token=token,
        limits=str(REPO / "hub_config" / "limits.py"), culler=str(REPO / "hub_config" / "culler.py")))
    env = {k: v for k, v in os.environ.items() if k != "ACADEMY_SINGLE_USER"}  # root mode: given here
    env.update(ACADEMY_ROOT=str(paths.root), PATH=f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}")
    if mem_limit is not None:
        env["ACADEMY_MEM_LIMIT"] = mem_limit
    env.update(extra_env or {})
    log = paths.hub_dir / "hub.log"
    with open(log, "wb") as fh:
        # cwd = the checkout, as `make up` runs it: hub_config (not installed) imports from there
        proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(cfg)], cwd=REPO,
                                env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
    hub = BareHub(paths=paths, url=f"http://127.0.0.1:{port}", token=token, proc=proc, log=log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"hub exited ({proc.returncode}):\n{hub.tail_log()}")
        if hub.alive():
            return hub
        time.sleep(0.3)
    hub.stop()
    raise RuntimeError(f"hub not up after {timeout}s:\n{hub.tail_log()}")


def cleanup(hub: BareHub | None, paths: Paths, extra_accounts: list[str]) -> None:
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
