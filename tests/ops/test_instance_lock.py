"""academy.instance_lock on its own: real processes hold it, are killed with SIGKILL, hand it to a child."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from academy import instance_lock

HOLDER = textwrap.dedent("""
    import subprocess, sys, time
    from academy import instance_lock
    lock = instance_lock.acquire(sys.argv[1], "http://127.0.0.1:18999/")
    if len(sys.argv) > 2:  # hand the lock to a child, as up hands it to the hub
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"],
                                 pass_fds=lock.fds, start_new_session=True)
        print(child.pid, flush=True)
    else:
        print("held", flush=True)
    time.sleep(300)
""")


def hold(hub_dir: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(hub_dir), *extra], stdout=subprocess.PIPE,
                            text=True, cwd=Path(__file__).resolve().parents[2])
    line = proc.stdout.readline().strip()
    assert line, "the holder did not start"
    return proc, line


def kill9(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)


def test_second_acquire_is_refused_with_pid_and_url_and_writes_nothing(tmp_path):
    proc, _ = hold(tmp_path / "hub")
    try:
        before = (tmp_path / "hub" / "up.lock").read_bytes()
        with pytest.raises(instance_lock.AlreadyRunning) as err:
            instance_lock.acquire(tmp_path / "hub", "http://127.0.0.1:1/")
        msg = str(err.value)
        assert f"进程 {proc.pid}" in msg and f"pid {proc.pid}" in msg
        assert "http://127.0.0.1:18999/" in msg and "已在运行" in msg and "already running" in msg
        assert (tmp_path / "hub" / "up.lock").read_bytes() == before
        assert json.loads(before) == {"pid": proc.pid, "url": "http://127.0.0.1:18999/"}
    finally:
        kill9(proc)


def test_lock_of_a_killed_holder_is_free(tmp_path):
    proc, _ = hold(tmp_path / "hub")
    kill9(proc)
    lock = instance_lock.acquire(tmp_path / "hub", "http://127.0.0.1:2/")
    try:
        assert json.loads((tmp_path / "hub" / "up.lock").read_text())["pid"] == os.getpid()
    finally:
        lock.release()


def test_a_child_given_the_lock_keeps_it_after_its_parent_is_killed(tmp_path):
    """`up` killed alone leaves its hub running on the state: that hub still holds the lock."""
    proc, child = hold(tmp_path / "hub", "with-child")
    child_pid = int(child)
    try:
        kill9(proc)
        with pytest.raises(instance_lock.AlreadyRunning) as err:
            instance_lock.acquire(tmp_path / "hub", "http://127.0.0.1:3/")
        assert "hub 仍在运行" in str(err.value)
    finally:
        os.kill(child_pid, signal.SIGKILL)
    for _ in range(100):  # the orphan is reaped by init; its lock goes with it
        try:
            instance_lock.acquire(tmp_path / "hub", "http://127.0.0.1:3/").release()
            break
        except instance_lock.AlreadyRunning:
            time.sleep(0.1)
    else:
        pytest.fail("the lock outlived the child")


def test_lock_file_is_private(tmp_path):
    lock = instance_lock.acquire(tmp_path / "hub", "http://127.0.0.1:4/")
    try:
        assert (tmp_path / "hub" / "up.lock").stat().st_mode & 0o777 == 0o600
        assert (tmp_path / "hub").stat().st_mode & 0o777 == 0o700
    finally:
        lock.release()
