"""Memory limit per user server (RLIMIT_AS at spawn) and the idle culler."""
from __future__ import annotations

import time

import pytest

from hubext import culler
from runtime.settings import Settings
from tests.hubfixture import cleanup, make_test_root, new_name, start_bare_hub

pytestmark = [pytest.mark.root, pytest.mark.hub]

GiB = 1024 ** 3


@pytest.mark.timeout(300)
def test_kernel_past_the_limit_fails_alone(iso_env):
    env = iso_env
    k = env.kernel(env.a)
    limits = k.json("import resource, json; print(json.dumps(resource.getrlimit(resource.RLIMIT_AS)))")
    assert limits == [2 * GiB, 2 * GiB], "default limit is 2 GiB, soft and hard"
    nproc = k.json("import resource, json; print(json.dumps(resource.getrlimit(resource.RLIMIT_NPROC)))")
    assert nproc == [512, 512], "a fork bomb stops at 512 tasks of this account"
    # room for real work under the limit: the course stack imports and runs
    out, err = k.run("import pandas, matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt\n"
                     "print(pandas.DataFrame({'x': range(1000)}).x.sum())")
    assert err is None and out.strip() == "499500", (out, err)
    # past the limit: MemoryError in this kernel (the machine itself has far more memory)
    out, err = k.run("blob = bytearray(3 * 1024 ** 3)")
    assert err is not None and err["ename"] == "MemoryError", (out, err)
    # a person cannot lift their own hard limit
    out, err = k.run("import resource; resource.setrlimit(resource.RLIMIT_AS, (8 * 1024 ** 3, 8 * 1024 ** 3))")
    assert err is not None and err["ename"] == "ValueError", (out, err)
    # the kernel itself, the hub and the other person's kernel are fine
    assert k.run("print(6 * 7)") == ("42\n", None)
    assert env.hub.alive()
    assert env.kernel(env.b).run("print('B ok')") == ("B ok\n", None)


def test_culler_config_has_least_privilege():
    svc = culler.culler_service(Settings())
    assert svc and "--timeout=3600" in svc["command"] and "--cull-every=300" in svc["command"]
    assert culler.culler_service(Settings.from_env({"ACADEMY_CULL_TIMEOUT": "0"})) is None
    role = culler.culler_role()
    assert set(role["scopes"]) == {"list:users", "read:users:activity", "read:servers", "delete:servers"}
    assert role["services"] == [svc["name"]]


@pytest.mark.timeout(180)
def test_idle_server_is_culled():
    """A separate hub with a short timeout: an idle server is stopped by the culler service."""
    paths = make_test_root()
    hub = None
    try:
        from academy import runtime
        runtime.prepare_runtime(paths, root_mode=True, checkout=None)
        hub = start_bare_hub(paths, extra_env={"ACADEMY_CULL_TIMEOUT": "4", "ACADEMY_CULL_EVERY": "2"})
        name = new_name("i")
        hub.add_user(name)
        hub.start_server(name)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if not hub.api("GET", f"/users/{name}").json().get("servers"):
                break
            time.sleep(1)
        else:
            raise AssertionError(f"idle server not culled within 60 s:\n{hub.tail_log()}")
        assert "idle-culler" in hub.tail_log(400)
    finally:
        cleanup(hub, paths, [])
