"""The hub stops its own services (the portal, the dashboards' refresher) with SIGINT: that is their
normal end — exit 0 and no KeyboardInterrupt traceback in academy.log (a 60-trainee load run's log
ended with two of them, which an operator reading the log would take for crashes)."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from tests.hubfixture import REPO, free_port

pytestmark = pytest.mark.timeout(120)


def _wait_until_serving(proc: subprocess.Popen, module: str, port: int) -> None:
    """Past start-up (a SIGINT during imports is another matter): the refresher has logged its first
    round; the portal accepts connections."""
    if module == "academy.dashpages":
        assert proc.stdout.readline(), proc.communicate()
        return
    for _ in range(600):
        assert proc.poll() is None, proc.communicate()
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the portal never listened")


@pytest.mark.parametrize("module,args", [("academy.dashpages", ["--every", "30"]), ("hubext.web", [])])
def test_a_service_stopped_by_the_hub_ends_quietly(module, args, tmp_path):
    port = free_port()
    env = {**os.environ, "ACADEMY_ROOT": str(tmp_path), "ACADEMY_SINGLE_USER": "1",
           "JUPYTERHUB_SERVICE_URL": f"http://127.0.0.1:{port}", "JUPYTERHUB_API_TOKEN": "x" * 32,
           "JUPYTERHUB_CLIENT_ID": "service-academy", "JUPYTERHUB_API_URL": "http://127.0.0.1:1/hub/api",
           "JUPYTERHUB_SERVICE_PREFIX": "/services/academy/"}
    proc = subprocess.Popen([sys.executable, "-m", module, *args], env=env, cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_until_serving(proc, module, port)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err[-2000:]
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err[-2000:]
