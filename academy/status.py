"""`python -m academy status`: what runs, what failed, where the logs are.

Reads only: ``hub/running.json`` (written by `up`/`serve` while the hub runs), the process table,
the hub's REST API with the `academy-ops` token when the hub answers (services, user servers), the
systemd unit if one is installed, and ``logs/`` (academy.logs).

Exit codes (for monitoring scripts):
    0  the hub runs and its API answers
    1  not healthy: running.json names a process that is gone (a crash), or the hub does not answer
    2  bad usage
    3  not running (no running.json: stopped, or never started) — as LSB `status` uses 3
Recent errors in the log do not change the code: they are history, shown for the operator.
"""
from __future__ import annotations

import json
import os
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil
import requests

from academy import logs
from runtime.paths import Paths

SYSTEMD_UNIT = Path("/etc/systemd/system/academy.service")

EXIT_OK, EXIT_UNHEALTHY, EXIT_NOT_RUNNING = 0, 1, 3


@dataclass
class Status:
    root: str
    mode: str
    running: dict | None = None       # running.json
    up_alive: bool = False
    hub_alive: bool = False
    api_ok: bool = False
    api_note: str = ""
    services: list[dict] = field(default_factory=list)   # name, pid, alive, managed, url
    user_servers: int | None = None
    hub_children: int = 0
    unit: str | None = None
    unit_state: str | None = None
    log_dir: str = ""
    log_files: list[str] = field(default_factory=list)
    log_keep_days: int = logs.DEFAULT_KEEP_DAYS
    problems: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if self.running is None:
            return EXIT_NOT_RUNNING
        return EXIT_OK if (self.hub_alive and self.api_ok) else EXIT_UNHEALTHY


def _alive(pid) -> bool:
    try:
        return psutil.pid_exists(int(pid))
    except (TypeError, ValueError):
        return False


def _api(status: Status, paths: Paths) -> None:
    """Services and user servers from the hub, with the ops token."""
    api = status.running.get("api_url", "")
    try:
        requests.get(api + "/", timeout=3).raise_for_status()
        status.api_ok = True
        token = paths.ops_token_file.read_text().strip()
    except requests.RequestException as exc:
        status.api_note = f"hub API 无响应 / does not answer: {exc.__class__.__name__}"
        return
    except OSError as exc:
        status.api_note = f"无法读取 ops token（请以 root 运行）/ cannot read the ops token: {exc.strerror}"
        return
    http = requests.Session()
    http.headers["Authorization"] = f"token {token}"
    try:
        for name, model in sorted(http.get(api + "/services", timeout=10).json().items()):
            pid = model.get("pid") or 0
            status.services.append({"name": name, "pid": pid, "alive": bool(pid) and _alive(pid),
                                    "managed": bool(model.get("command")), "url": model.get("url") or ""})
        page = http.get(api + "/users?state=active&limit=1", timeout=10,
                        headers={"Accept": "application/jupyterhub-pagination+json"}).json()
        status.user_servers = int(page["_pagination"]["total"])
    except (requests.RequestException, ValueError, KeyError, AttributeError) as exc:
        status.api_note = f"hub API 查询失败 / query failed: {exc}"


def _unit(status: Status) -> None:
    if not SYSTEMD_UNIT.exists():
        return
    status.unit = str(SYSTEMD_UNIT)
    if Path("/run/systemd/system").is_dir():  # systemd is the init: ask it
        proc = subprocess.run(["systemctl", "is-active", SYSTEMD_UNIT.name], capture_output=True,
                              text=True, timeout=10)
        status.unit_state = proc.stdout.strip() or proc.stderr.strip()


def collect(paths: Paths) -> Status:
    status = Status(root=str(paths.root), mode="root" if paths.root_mode else "single-account")
    try:
        status.running = json.loads(paths.running_file.read_text())
    except FileNotFoundError:
        status.running = None
    except (OSError, ValueError) as exc:
        status.running = {"error": str(exc)}
    if status.running is not None:
        status.up_alive = _alive(status.running.get("pid"))
        status.hub_alive = _alive(status.running.get("hub_pid"))
        if status.hub_alive:
            try:
                status.hub_children = len(psutil.Process(int(status.running["hub_pid"])).children(recursive=True))
            except psutil.Error:
                pass
            _api(status, paths)
    _unit(status)
    status.log_dir = str(logs.log_dir(paths))
    status.log_files = [str(p) for p in logs.log_files(paths)]
    try:
        status.log_keep_days = logs.keep_days()
    except ValueError:
        pass
    status.problems = logs.recent_problems(paths)
    return status


def _size(path: str) -> str:
    try:
        n = os.path.getsize(path)
    except OSError:
        return "?"
    return f"{n / 1e6:.1f} MB" if n >= 1e5 else f"{n / 1e3:.1f} kB"


def _hub_lines(s: Status) -> list[str]:
    r = s.running
    if r is None:
        return ["  hub: 未运行 / not running"]
    if "error" in r:
        return [f"  hub: running.json 无法读取 / unreadable: {r['error']}"]
    if not s.hub_alive:
        return [f"  hub: 未运行，但 running.json 仍指向进程 {r.get('hub_pid')}（异常退出？）/ not running, "
                f"yet running.json names pid {r.get('hub_pid')} (crashed?)"
                + ("" if s.up_alive else f"; up/serve pid {r.get('pid')} 也已不在 / is gone too")]
    lines = [f"  hub: 运行中 / running — pid {r.get('hub_pid')}（up/serve pid {r.get('pid')}），{r.get('url')}",
             f"  hub 的子进程 / processes under the hub: {s.hub_children}"]
    if s.api_ok:
        lines.append(f"  API: 可访问 / answers — {r.get('api_url')}")
    if s.api_note:
        lines.append(f"  API: {s.api_note}")
    for svc in s.services:
        if not svc["managed"]:
            state = "仅令牌，无进程 / token only, no process"
        elif svc["alive"]:
            state = "运行中 / running"
        else:
            state = "未运行 / not running" + ("" if svc["pid"] else "（启动中？/ still starting?）")
        lines.append(f"  服务 / service {svc['name']}: {state}" + (f", pid {svc['pid']}" if svc["pid"] else ""))
    if s.user_servers is not None:
        lines.append(f"  用户服务器 / user servers: {s.user_servers} 个运行中 / running")
    return lines


def render(s: Status) -> str:
    mode = "root 模式 / root mode" if s.mode == "root" else "单账号演示模式 / single-account demo mode"
    lines = ["海东政务服务效能学院 运行状态 / academy status", f"  运行目录 / root: {s.root}（{mode}）"]
    lines += _hub_lines(s)
    if s.unit:
        lines.append(f"  systemd: {s.unit}" + (f" — {s.unit_state}" if s.unit_state else ""))
    if s.log_files:
        current, rotated = s.log_files[0], s.log_files[1:]
        lines.append(f"  日志 / logs: {current} ({_size(current)})；已轮转 {len(rotated)} 个，保留 {s.log_keep_days} 天"
                     f" / {len(rotated)} rotated, kept {s.log_keep_days} days")
    else:
        lines.append(f"  日志 / logs: {s.log_dir}（尚无日志 / none yet）")
    if s.problems:
        lines.append(f"  最近的错误 / recent errors ({len(s.problems)}):")
        lines += [f"    {p[:300]}" for p in s.problems]
    else:
        lines.append("  最近的错误 / recent errors: 无 / none")
    return "\n".join(lines)


def main(paths: Paths, as_json: bool = False) -> int:
    status = collect(paths)
    if as_json:
        print(json.dumps(dict(asdict(status), exit_code=status.exit_code), ensure_ascii=False, indent=2))
    else:
        print(render(status))
    return status.exit_code
