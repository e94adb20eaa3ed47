"""One academy per runtime state, with the real `python -m academy up` (single-account mode, a
temporary ACADEMY_ROOT, free ports): a second start is refused and touches nothing; a crash leaves
no lock behind."""
from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import psutil
import pytest

from tests.hubfixture import PYTHON, REPO, HubHandle, free_port, start_hub

# Two hubs on one state and a start after kill -9: with the crash matrix in `make test-long`;
# tests/ops/test_instance_lock.py keeps the lock's rules in `make test`.
pytestmark = [pytest.mark.long, pytest.mark.hub, pytest.mark.timeout(900)]


def second_up(hub: HubHandle, timeout: float = 180) -> subprocess.CompletedProcess:
    """`academy up` again on the first hub's runtime state, on another free port."""
    port = free_port()
    env = {**hub.env, "ACADEMY_PORT": str(port)}
    proc = subprocess.Popen([str(PYTHON), "-m", "academy", "up", "--port", str(port)], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:  # it started a second academy: stop all of it
        os.killpg(proc.pid, signal.SIGTERM)
        out, err = proc.communicate(timeout=120)
        pytest.fail(f"a second `academy up` on the same state kept running:\n{out[-3000:]}{err[-3000:]}")
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def snapshot(root: Path) -> dict[str, tuple[int, int] | None]:
    """Every path of the runtime state with (mtime_ns, size) for files an `up` writes before the hub.

    The running hub itself keeps writing its database and log, so those only count by name."""
    busy = {"up.log", "academy.log", "jupyterhub.sqlite", "jupyterhub.sqlite-journal", "jupyterhub.sqlite-wal",
            "jupyterhub.sqlite-shm"}  # academy.log: the running academy's one log (academy.logs)
    # Written by the running academy's own services at any time: people's homes, the dashboards'
    # read model and pages (dashboards-data refreshes them; its first round may end during the test,
    # as it did in CI) and Voila's runtime files.
    live = ("homes/", "dashboards-data/", "dashboards-home/")
    out: dict[str, tuple[int, int] | None] = {}
    for p in sorted(root.rglob("*")):
        rel = str(p.relative_to(root))
        if rel.startswith(live):
            continue
        if p.is_file() and p.name not in busy:
            st = p.stat()
            out[rel] = (st.st_mtime_ns, st.st_size)
        else:
            out[rel] = None
    return out


def tree(hub: HubHandle) -> list[psutil.Process]:
    return [psutil.Process(hub.proc.pid), *hub.descendants()]


def kill9(procs: list[psutil.Process]) -> None:
    for p in procs:
        try:
            p.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(procs, timeout=30)


@pytest.fixture(scope="module")
def first(tmp_path_factory) -> HubHandle:
    """The first academy (a hub start costs a minute or two on 2 busy cores: one for both tests;
    the kill test ends it, so it runs last)."""
    hub = start_hub(tmp_path_factory.mktemp("single") / "root")
    yield hub
    hub.stop()


def test_second_up_on_a_running_state_is_refused_and_touches_nothing(first):
    hub = first
    before = snapshot(hub.root)
    hub_pid = hub.hub_pid()
    r = second_up(hub)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "已在运行" in r.stderr and "already running" in r.stderr
    assert str(hub.proc.pid) in r.stderr and hub.url in r.stderr
    assert "Traceback" not in r.stderr + r.stdout
    assert snapshot(hub.root) == before
    # the first academy is unharmed: same hub, still answering
    assert hub.hub_pid() == hub_pid and hub.proc.poll() is None
    assert hub.api("GET", "/").ok


def test_after_kill_9_the_next_start_works(first):
    hub = first
    procs = tree(hub)
    hub_pid = hub.hub_pid()
    try:
        # `up` alone killed: its hub runs on, orphaned, on this state, so a start is still refused
        kill9(procs[:1])
        assert hub_pid and psutil.pid_exists(hub_pid)
        r = second_up(hub)
        assert r.returncode == 2 and "hub 仍在运行" in r.stderr, r.stdout + r.stderr
    finally:
        kill9(procs)  # and now everything, as a crash of the machine would
    again = start_hub(hub.root)
    try:
        assert again.api("GET", "/").ok
        assert again.login("xueyuan01").login_status == 302
    finally:
        assert again.stop() == 0
