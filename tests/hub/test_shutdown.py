"""`academy up` stops everything on SIGINT (Ctrl-C) and SIGTERM; a second start reuses the state."""
from __future__ import annotations

import signal
import socket
import time

import psutil
import pytest

from tests.hub.conftest import HEADER
from tests.hub.helpers import start_own_server
from tests.hubfixture import start_hub

# Stops, kill -9 of the hub and restarts on the same state: with the crash matrix in `make test-long`.
pytestmark = [pytest.mark.long, pytest.mark.hub, pytest.mark.slow, pytest.mark.timeout(500)]

ROSTER = HEADER + """\
sd_stu,孙德（合成）,市政务服务中心综合受理科,乐都区,trainee,demo,2026年第一期,1
sd_boss,白雪（合成）,市政务服务监督管理局,乐都区,leader,,,1
"""


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def names(procs: list[psutil.Process]) -> list[str]:
    out = []
    for p in procs:
        try:
            out.append(f"{p.pid} {' '.join(p.cmdline())[:120]}")
        except psutil.Error:
            pass
    return out


def test_stop_leaves_no_process_and_restart_reuses_state(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    hub = start_hub(tmp_path / "root", single_user=True, roster=roster,
                    extra_env={"ACADEMY_GRADE_ON_SUBMIT": "0"})
    try:
        s = hub.login("sd_stu")
        spawn_seconds = start_own_server(hub, s, "sd_stu")
        boss = hub.login("sd_boss")
        assert boss.get(hub.url + "services/dashboards/", timeout=60).status_code == 200
        tree = hub.descendants()
        cmdlines = " ".join(names(tree))
        # hub, proxy, a formgrader, the dashboards and the user server are all there
        for part in ("jupyterhub", "configurable-http-proxy", "hubext.dashboards",
                     "jupyterhub-singleuser"):
            assert part in cmdlines, (part, cmdlines)
        cookie_secret = (hub.root / "hub" / "jupyterhub_cookie_secret").read_bytes()
        password = hub.password("sd_stu")
    finally:
        code = hub.stop(sig=signal.SIGINT)  # as Ctrl-C in `make up`
    assert code == 0, hub.log()[-3000:]
    time.sleep(0.5)
    alive = [p for p in tree if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert not alive, names(alive)
    assert not port_open(int(hub.url.rsplit(":", 1)[1].strip("/")))
    assert not (hub.root / "hub" / "running.json").exists()
    print(f"spawn took {spawn_seconds:.1f} s")

    # A second start: same state (cookie secret, passwords, people), nothing re-created.
    again = start_hub(tmp_path / "root", single_user=True, roster=roster,
                      extra_env={"ACADEMY_GRADE_ON_SUBMIT": "0"})
    try:
        assert "新建 0" in again.log() and "未变 2" in again.log()
        assert (again.root / "hub" / "jupyterhub_cookie_secret").read_bytes() == cookie_secret
        assert again.password("sd_stu") == password
        assert again.login("sd_stu", password).login_status == 302
        print(f"first start {hub.started_in:.1f} s, second start {again.started_in:.1f} s")
    finally:
        assert again.stop(sig=signal.SIGTERM) == 0


def test_a_hub_that_dies_leaves_nothing_behind(tmp_path):
    """If the hub process itself is killed (no clean-up of its own), `up` still ends the proxy and
    the services it had started, and exits with an error."""
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    hub = start_hub(tmp_path / "root", single_user=True, roster=roster,
                    extra_env={"ACADEMY_GRADE_ON_SUBMIT": "0", "ACADEMY_CULL_TIMEOUT": "0"})
    try:
        tree = hub.descendants()
        hub_proc = psutil.Process(hub.hub_pid())
        assert any("configurable-http-proxy" in " ".join(p.cmdline()) for p in tree)
        hub_proc.kill()  # SIGKILL: the hub cannot stop anything itself
        hub.proc.wait(120)
    finally:
        hub.stop()
    assert hub.proc.returncode != 0
    time.sleep(0.5)
    alive = [p for p in tree if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert not alive, names(alive)
