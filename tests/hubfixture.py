"""A real academy hub for tests: `python -m academy up` in a temporary ACADEMY_ROOT, on free ports.

    from tests.hubfixture import start_hub
    hub = start_hub(tmp_root, single_user=True, roster=path)   # -> HubHandle
    s = hub.login("xueyuan01")                                  # requests.Session, logged in by form
    hub.stop()                                                  # SIGTERM, as Ctrl-C would

Shared by tests/hub (single-account mode, session fixture `academy_hub` in tests/hub/conftest.py) and
the isolation tests (root mode: `start_hub(root, single_user=False, roster=...)`).
"""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import requests

REPO = Path(__file__).resolve().parent.parent
PYTHON = REPO / ".venv" / "bin" / "python"
XSRF_RE = re.compile(r'name="_xsrf"\s+value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    if single_user:
        env["ACADEMY_SINGLE_USER"] = "1"
    else:
        env.pop("ACADEMY_SINGLE_USER", None)
    env.update(extra_env or {})
    # Test hubs build the demo course only (the shipped courses add builds and formgraders that
    # these tests do not look at); the demo roster is cut to that course so no row is refused.
    env.setdefault("ACADEMY_COURSES", "demo")
    if roster is None and env["ACADEMY_COURSES"] == "demo":
        roster = Path(tempfile.mkdtemp(prefix="zt-roster-")) / "roster-合成数据.csv"
        roster.write_text(demo_roster_for_courses({"demo"}), encoding="utf-8")
    args = [str(PYTHON), "-m", "academy", "up", "--port", str(port)]
    if roster is not None:
        args += ["--roster", str(roster)]
    log_path = root_dir / "up.log"
    t0 = time.monotonic()
    log = open(log_path, "wb")
    proc = subprocess.Popen(args, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    hub = HubHandle(root=root_dir, url=f"http://127.0.0.1:{port}/", proc=proc, log_path=log_path, env=env)
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
