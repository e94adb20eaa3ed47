"""`python -m academy status`: what runs (hub, services, user servers), what failed (from the log),
where the logs are; exit 0 running, 1 unhealthy, 3 not running."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest

from tests.hubfixture import start_hub

REPO = Path(__file__).resolve().parents[2]
PYTHON = REPO / ".venv" / "bin" / "python"
ROSTER = "account,姓名,单位,县区,role,courses,cohort,active\n" \
         "st_stu,宋婷（合成）,市政务服务中心综合受理科,乐都区,trainee,,2026年第一期,1\n"


def status(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, ACADEMY_ROOT=str(root), ACADEMY_SINGLE_USER="1")
    return subprocess.run([str(PYTHON), "-m", "academy", "status", *args], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=60)


def status_json(root: Path) -> dict:
    return json.loads(status(root, "--json").stdout)


def dead_pid() -> int:
    proc = subprocess.Popen(["/bin/true"])
    proc.wait()
    return proc.pid


def test_nothing_ever_started_exits_3(tmp_path):
    proc = status(tmp_path)
    assert proc.returncode == 3
    assert "未运行 / not running" in proc.stdout
    assert f"{tmp_path}/logs" in proc.stdout


def test_crashed_hub_exits_1_and_says_so(tmp_path):
    (tmp_path / "hub").mkdir()
    pid = dead_pid()
    (tmp_path / "hub" / "running.json").write_text(json.dumps(
        {"pid": pid, "hub_pid": pid, "url": "http://127.0.0.1:1/", "api_url": "http://127.0.0.1:1/hub/api"}))
    proc = status(tmp_path)
    assert proc.returncode == 1
    assert "异常退出" in proc.stdout and "crashed" in proc.stdout


def test_errors_from_the_log_are_shown(tmp_path):
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "academy.log").write_text(
        "2026-12-01T10:00:00+0800 [I 2026-12-01 10:00:00.000 AcademyHub app:1] fine\n"
        "2026-12-01T10:00:01+0800 [E 2026-12-01 10:00:01.000 AcademyHub service:511] "
        "Service grade-on-submit exited with status -9\n", encoding="utf-8")
    out = status_json(tmp_path)
    assert out["exit_code"] == 3
    assert len(out["problems"]) == 1 and "grade-on-submit exited" in out["problems"][0]
    assert out["log_files"] == [str(tmp_path / "logs" / "academy.log")]


def wait_for(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.hub
@pytest.mark.slow
@pytest.mark.timeout(900)
def test_a_running_academy(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    hub = start_hub(tmp_path / "root", roster=roster, extra_env={"ACADEMY_COURSES": "none"})
    root = hub.root
    try:
        # what runs: the hub, its services (grade-on-submit starts after the hub answers)
        def services_up():
            s = status_json(root)
            alive = {svc["name"] for svc in s["services"] if svc["alive"]}
            return s if {"dashboards", "grade-on-submit"} <= alive else None
        s = wait_for(services_up, 120, "the services")
        assert s["exit_code"] == 0 and s["api_ok"] and s["hub_alive"]
        assert s["user_servers"] == 0
        text = status(root)
        assert text.returncode == 0
        assert f"pid {s['running']['hub_pid']}" in text.stdout and hub.url in text.stdout
        assert "服务 / service grade-on-submit: 运行中 / running" in text.stdout

        # a user server is counted
        assert hub.api("POST", "/users/st_stu/server").status_code in (201, 202)
        wait_for(lambda: status_json(root)["user_servers"] == 1, 180, "the user server")

        # what failed: the grading service killed → the hub's error line is shown, the service is back
        grader = next(svc for svc in s["services"] if svc["name"] == "grade-on-submit")
        os.kill(grader["pid"], signal.SIGKILL)
        after = wait_for(lambda: (lambda x: x if any("grade-on-submit" in p for p in x["problems"]) else None)(
            status_json(root)), 120, "the failure in the log")
        assert status(root).returncode == 0  # history, not the present: still healthy
        wait_for(lambda: any(v["name"] == "grade-on-submit" and v["alive"] and v["pid"] != grader["pid"]
                             for v in status_json(root)["services"]), 120, "grade-on-submit restarted")
        assert "最近的错误" in status(root).stdout and after["problems"]

        # where the logs are: one file with the lines of the hub, the proxy, the services' own processes
        # (dashboards; the idle culler and grade-on-submit go the same way, but the culler says nothing
        # on a quiet first look, so it is not asked for), the user server and `up` itself
        log = (root / "logs" / "academy.log").read_text(encoding="utf-8")
        for source in ("AcademyHub", "[ConfigProxy]", "[DashboardsApp]", "JupyterHubSingleUser",
                       "hub ready in", "Service grade-on-submit exited"):
            assert source in log, source
    finally:
        hub.stop()
    assert status(root).returncode == 3
    assert not psutil.pid_exists(hub.proc.pid)
