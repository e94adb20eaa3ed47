"""`python -m academy up`: prepare state, import the roster, run the hub in the foreground.

- Internal ports (hub API, proxy API, dashboards) are picked free at each start; the public port
  is ACADEMY_PORT (default 8000).
- SIGINT / SIGTERM: the hub gets SIGTERM (it stops the proxy, the services and every user server,
  `cleanup_servers = True`); whatever of its process tree is still alive after that is killed, so
  no process outlives `make up`.
- SIGHUP (sent by `python -m academy add-course`): restart the hub to load a new course's service.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterable

import psutil
import requests

from academy import instance_lock, logs
from academy.ports import INTERNAL_PORTS
from academy.ports import free_port as _free_port
from academy.ports import port_is_free  # noqa: F401  (tests and callers import it from here)
from academy.tls import public_ready, public_url, settings_error
from runtime.paths import CHECKOUT, Paths
from runtime.settings import current

CONFIG = CHECKOUT / "hub_config" / "jupyterhub_config.py"


def free_port(avoid: Iterable[int] = ()) -> int:
    return _free_port(INTERNAL_PORTS, avoid)


def move_taken_course_ports(paths: Paths) -> None:
    """Before the hub (re)starts: a course whose formgrader port someone else holds gets a new one."""
    from academy import db as adb

    for course in adb.move_busy_ports(paths.academy_db_url, port_is_free):
        print(f"  course {course}: its formgrader port was taken, moved to a free one", flush=True)


def read_passwords(path: Path) -> dict[str, tuple[str, str]]:
    """account → (role, password) from a passwords file."""
    out: dict[str, tuple[str, str]] = {}
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        account, role, password = line.split("\t")
        out[account] = (role, password)
    return out


def banner(paths: Paths, url: str) -> str:
    from runtime.people import ROLE_LABELS

    pw = read_passwords(paths.demo_passwords)
    lines = ["", "=" * 72, f"  海东政务服务效能学院 / Haidong Service Academy：{url}", ""]
    if pw:
        lines.append("  演示账号（仅供演示，合成数据）/ demo logins (demo only):")
        shown: set[str] = set()
        for account, (role, password) in pw.items():
            if role in shown:
                continue
            shown.add(role)
            lines.append(f"    {ROLE_LABELS.get(role, role):<4} {role:<8} 账号 {account:<10} 密码 {password}")
        lines.append(f"  全部演示密码 / all demo passwords: {paths.demo_passwords} (0600)")
    lines += ["  Ctrl-C 停止（hub、代理、服务和所有用户服务器）/ Ctrl-C stops everything", "=" * 72, ""]
    return "\n".join(lines)


class HubRunner:
    def __init__(self, paths: Paths, port: int):
        self.paths = paths
        self.port = port
        self.proc: subprocess.Popen | None = None
        self.restart_requested = False
        self.stopping = False
        # Every process the hub started (proxy, services, user servers), remembered while it
        # runs: if the hub dies abruptly they are re-parented to init and no longer its children.
        self.tree: dict[int, psutil.Process] = {}
        self.pass_fds: tuple[int, ...] = ()  # the instance lock: held while the hub lives

    def remember_tree(self) -> None:
        if self.proc is None:
            return
        try:
            for p in psutil.Process(self.proc.pid).children(recursive=True):
                self.tree.setdefault(p.pid, p)
        except psutil.Error:
            pass

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        taken = {self.port}
        for name in ("ACADEMY_HUB_PORT", "ACADEMY_PROXY_API_PORT", "ACADEMY_DASHBOARDS_PORT", "ACADEMY_WEB_PORT"):
            port = free_port(taken)
            taken.add(port)
            env[name] = str(port)
        env.update(
            ACADEMY_ROOT=str(self.paths.root),
            ACADEMY_PORT=str(self.port),
            PATH=f"{Path(sys.executable).parent}:{env.get('PATH', '/usr/bin:/bin')}",
        )
        if self.paths.single_user:
            env["ACADEMY_SINGLE_USER"] = "1"
        return env

    def start(self) -> None:
        env = self.env()
        # JupyterHub itself, patient with slow services (hubext.app).
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "hubext.app", "-f", str(CONFIG)], cwd=self.paths.hub_dir, env=env,
            # Its own session: a terminal's Ctrl-C reaches only `up`, which then stops the hub
            # once, with SIGTERM (the hub's orderly shutdown), instead of every process at once.
            start_new_session=True, pass_fds=self.pass_fds,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,  # → logs/academy.log (academy.logs)
        )
        logs.pump(self.proc.stdout)
        # The hub's own API port: plain HTTP on 127.0.0.1 whether or not the public port has TLS.
        self.api_url = f"http://127.0.0.1:{env['ACADEMY_HUB_PORT']}/hub/api"
        self.hub_api_port = env["ACADEMY_HUB_PORT"]

    def wait_ready(self, timeout: float = 600) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.remember_tree()
            if self.proc.poll() is not None or self.stopping:
                return False
            try:
                if requests.get(self.api_url + "/", timeout=2).ok and public_ready(self.port):
                    return True
            except requests.RequestException:
                pass
            time.sleep(0.2)
        return False

    def write_running(self) -> None:
        info = {"pid": os.getpid(), "hub_pid": self.proc.pid, "url": public_url(self.port),
                "api_url": self.api_url}
        tmp = self.paths.running_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(info))
        os.chmod(tmp, 0o600)
        tmp.replace(self.paths.running_file)

    def stop(self, timeout: float = 60) -> None:
        """SIGTERM the hub, wait, then kill anything of its tree still alive."""
        if self.proc is None:
            return
        self.remember_tree()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        # is_running() also checks the start time, so a reused pid is never hit.
        leftovers = [p for p in self.tree.values() if p.is_running()]
        self.tree = {}
        for p in leftovers:
            try:
                p.terminate()
            except psutil.Error:
                pass
        _, alive = psutil.wait_procs(leftovers, timeout=10)
        for p in alive:
            try:
                p.kill()
            except psutil.Error:
                pass


def run(paths: Paths | None = None, *, roster: Path | None = None, port: int | None = None,
        demo: bool = True) -> int:
    from academy import demo as demo_mod
    from academy import state
    from academy.roster import import_roster

    paths = paths or current().paths
    port = port or current().port
    problem = settings_error() or logs.settings_error()
    if problem:
        print(problem, file=sys.stderr)
        return 2
    try:  # before anything is touched: one academy per runtime state
        lock = instance_lock.acquire(paths.hub_dir, public_url(port))
    except instance_lock.AlreadyRunning as exc:
        print(exc, file=sys.stderr)
        return 2
    logs.start(paths)
    if not paths.root_mode:
        from academy.runtime import single_user_warning

        print(single_user_warning(), file=sys.stderr, flush=True)
    if not port_is_free(port):
        print(f"端口 {port} 已被占用 / port {port} is in use: set ACADEMY_PORT", file=sys.stderr)
        return 2
    print(f"准备运行目录 / preparing {paths.root} ({'root' if paths.root_mode else 'single-account'} mode)",
          flush=True)
    t0 = time.monotonic()
    from academy.migrations import MigrationError

    try:
        problems = state.prepare(paths)
    except MigrationError as exc:  # rolled back: the database is as the previous release left it
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    print(f"state prepared in {time.monotonic() - t0:.1f} s", flush=True)
    if problems:
        print("运行环境检查未通过 / runtime check failed:", *problems, sep="\n  ", file=sys.stderr)
        return 3
    move_taken_course_ports(paths)
    if roster is None and demo:
        roster = demo_mod.DEMO_ROSTER
        if not roster.exists():
            demo_mod.write(roster)
    if roster is not None:
        t0 = time.monotonic()
        report = import_roster(Path(roster), paths, passwords_file=paths.demo_passwords if demo else None)
        print(f"名册 / roster {roster.name}: {report.summary()} [{time.monotonic() - t0:.1f} s]", flush=True)
        for err in report.errors:
            print(f"  拒绝 / refused: {err}", flush=True)
        for note in report.notes:
            print(f"  note: {note}", flush=True)

    runner = HubRunner(paths, port)
    runner.pass_fds = lock.fds

    def on_stop(signum, frame):
        runner.stopping = True

    def on_hup(signum, frame):
        runner.restart_requested = True

    signal.signal(signal.SIGINT, on_stop)
    signal.signal(signal.SIGTERM, on_stop)
    signal.signal(signal.SIGHUP, on_hup)
    code = 0
    try:
        while True:
            t0 = time.monotonic()
            runner.start()
            ready = runner.wait_ready()
            if runner.stopping:
                break
            if not ready:
                print("hub 启动失败 / the hub did not start", file=sys.stderr)
                code = 1
                break
            runner.write_running()
            print(f"hub ready in {time.monotonic() - t0:.1f} s", flush=True)
            print(banner(paths, public_url(port)), flush=True)
            ticks = 0
            while not runner.stopping and not runner.restart_requested and runner.proc.poll() is None:
                time.sleep(0.2)
                ticks += 1
                if ticks % 10 == 0:  # every 2 s: user servers come and go
                    runner.remember_tree()
            if runner.proc.poll() is not None and not runner.stopping and not runner.restart_requested:
                print(f"hub exited with {runner.proc.returncode}", file=sys.stderr)
                code = runner.proc.returncode or 1
                break
            runner.stop()
            if runner.stopping:
                break
            runner.restart_requested = False
            print("重启 hub 以加载新课程 / restarting the hub for a new course", flush=True)
            move_taken_course_ports(paths)
    finally:
        runner.stop()
        paths.running_file.unlink(missing_ok=True)
        lock.release()
        print("学院已停止 / academy stopped", flush=True)
    return code
