"""The hub config loads (`jupyterhub --show-config-json`) in each mode and with each login profile."""
from __future__ import annotations

import json
import os
import subprocess
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from hubext.auth import AcademyAuthenticator, AcademyOAuthenticator
from hubext.spawner import AcademySpawner, SingleAccountSpawner

REPO = Path(__file__).resolve().parents[2]
JUPYTERHUB = REPO / ".venv" / "bin" / "jupyterhub"
CONFIG = REPO / "hub_config" / "jupyterhub_config.py"

pytestmark = pytest.mark.timeout(120)


def plugin(group: str, name: str) -> type:
    """The class a hub config names by entry point (pyproject.toml), as JupyterHub resolves it."""
    return entry_points(group=group)[name].load()


def show_config(tmp_path: Path, **env) -> dict:
    (tmp_path / "root" / "hub").mkdir(parents=True, exist_ok=True)  # the hub writes its pid file
    # Each call states its mode explicitly, whatever this process's environment says.
    base = {k: v for k, v in os.environ.items() if k != "ACADEMY_SINGLE_USER"}
    full = dict(base, ACADEMY_ROOT=str(tmp_path / "root"), **env)
    full["PATH"] = f"{JUPYTERHUB.parent}:{full['PATH']}"
    out = subprocess.run([str(JUPYTERHUB), "--show-config-json", "-f", str(CONFIG)], env=full,
                         capture_output=True, text=True, timeout=100, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout)


def test_single_account_config(tmp_path):
    cfg = show_config(tmp_path, ACADEMY_SINGLE_USER="1", ACADEMY_PORT="18123")
    hub = cfg["JupyterHub"]
    assert plugin("jupyterhub.authenticators", hub["authenticator_class"]) is AcademyAuthenticator
    assert plugin("jupyterhub.spawners", hub["spawner_class"]) is SingleAccountSpawner
    assert hub["ip"] == "127.0.0.1" and hub["port"] == 18123
    assert hub["cookie_secret_file"] == str(tmp_path / "root" / "hub" / "jupyterhub_cookie_secret")
    assert cfg["AcademyAuthenticator"]["enable_signup"] is False
    names = [s["name"] for s in hub["services"]]
    assert "dashboards" in names and "academy" in names
    roles = {r["name"]: r for r in hub["load_roles"]}
    pages = "access:services!service=academy"
    assert roles["academy-leader"]["scopes"] == ["access:services!service=dashboards", pages]
    assert roles["academy-leader"]["groups"] == ["leaders"]
    assert roles["academy-trainee"]["scopes"] == ["self", pages]
    # The default role grants nothing but one's own name and groups.
    assert set(roles["user"]["scopes"]) == {"read:users:name!user", "read:users:groups!user"}
    assert any(p.endswith("hub_config/templates") for p in hub["template_paths"])
    # Other parts' fragments are loaded too (memory limit, idle culler) without undoing ours.
    assert cfg["Spawner"]["mem_limit"]
    assert cfg["Spawner"]["environment"]["JUPYTER_CONFIG_PATH"].endswith("etc/jupyter")
    assert cfg["ConfigurableHTTPProxy"]["command"][0].endswith("configurable-http-proxy")
    # the proxy with patience for a busy machine (hubext/proxy.py)
    assert hub["proxy_class"] == "hubext.proxy.AcademyProxy"
    # A stop sends SIGTERM 2 s after SIGINT, which a Jupyter server without a terminal ignores.
    assert cfg["Spawner"]["interrupt_timeout"] == 2


def test_managed_services_get_sigterm_soon_after_sigint():
    from types import SimpleNamespace

    from hubext.app import AcademyHub

    hub = AcademyHub()
    managed = SimpleNamespace(managed=True, spawner=SimpleNamespace(interrupt_timeout=10))
    external = SimpleNamespace(managed=False, spawner=None)
    hub._quick_stop(managed)
    hub._quick_stop(external)
    assert managed.spawner.interrupt_timeout == hub.service_interrupt_timeout == 2


@pytest.mark.skipif(os.geteuid() != 0, reason="root mode needs root")
def test_root_mode_config(tmp_path):
    cfg = show_config(tmp_path)
    assert plugin("jupyterhub.spawners", cfg["JupyterHub"]["spawner_class"]) is AcademySpawner


def test_course_services_and_roles(tmp_path):
    from academy import db as adb

    root = tmp_path / "root"
    (root / "data").mkdir(parents=True)
    adb.register_course(f"sqlite:///{root / 'data' / 'academy.sqlite'}", "demo", "演示课程", "", 45678)
    cfg = show_config(tmp_path, ACADEMY_SINGLE_USER="1")
    services = {s["name"]: s for s in cfg["JupyterHub"]["services"]}
    demo = services["demo"]
    assert demo["url"] == "http://127.0.0.1:45678"
    assert demo["environment"]["JUPYTERHUB_DEFAULT_URL"] == "/formgrader"
    assert "--ServerApp.terminals_enabled=False" in demo["command"]
    roles = {r["name"]: r for r in cfg["JupyterHub"]["load_roles"]}
    assert roles["formgrade-demo"] == {
        "name": "formgrade-demo", "description": roles["formgrade-demo"]["description"],
        "scopes": ["access:services!service=demo"], "groups": ["formgrade-demo"]}
    assert "formgrade-demo" in cfg["JupyterHub"]["load_groups"]


def test_unified_identity_profile(tmp_path):
    cfg = show_config(tmp_path, ACADEMY_SINGLE_USER="1", ACADEMY_AUTH_PROFILE="unified_identity",
                      ACADEMY_OAUTH_AUTHORIZE_URL="https://idp.test/authorize")
    assert plugin("jupyterhub.authenticators", cfg["JupyterHub"]["authenticator_class"]) is AcademyOAuthenticator
    oauth = cfg["AcademyOAuthenticator"]
    assert oauth["authorize_url"] == "https://idp.test/authorize"
    assert oauth["username_claim"] == "preferred_username"
    assert oauth["allow_all"] is False
    from oauthenticator.generic import GenericOAuthenticator

    assert issubclass(AcademyOAuthenticator, GenericOAuthenticator)


def test_unknown_profile_is_a_clear_error(tmp_path):
    (tmp_path / "root" / "hub").mkdir(parents=True)
    full = dict(os.environ, ACADEMY_ROOT=str(tmp_path / "root"), ACADEMY_SINGLE_USER="1",
                ACADEMY_AUTH_PROFILE="nope")
    out = subprocess.run([str(JUPYTERHUB), "--show-config-json", "-f", str(CONFIG)], env=full,
                         capture_output=True, text=True, timeout=100)
    assert out.returncode != 0 and "profiles/nope.py" in out.stderr + out.stdout


def test_a_proxy_api_call_that_timed_out_is_tried_again_until_patience_runs_out(monkeypatch):
    """JupyterHub gives a proxy API call 30 s, then stops the freshly started server; the academy's
    proxy tries again (the wave of 60 lost three starts to one 30 s stall of the proxy)."""
    import asyncio

    from jupyterhub.proxy import ConfigurableHTTPProxy

    from hubext.proxy import AcademyProxy

    calls: list[str] = []

    async def silent_twice(self, path, method="GET", body=None, client=None):
        calls.append(path)
        if len(calls) <= 2:
            raise asyncio.TimeoutError(f'Repeated api_request to proxy path "{path}" failed.')
        return "routed"

    monkeypatch.setattr(ConfigurableHTTPProxy, "api_request", silent_twice)
    proxy = AcademyProxy(api_patience=60)
    assert asyncio.run(proxy.api_request("/user/stu_a", method="POST", body={})) == "routed"
    assert calls == ["/user/stu_a"] * 3
    calls.clear()
    impatient = AcademyProxy(api_patience=0)  # out of patience: JupyterHub's own handling takes over
    with pytest.raises(asyncio.TimeoutError):
        asyncio.run(impatient.api_request("/user/stu_b", method="POST", body={}))
    assert calls == ["/user/stu_b"]
