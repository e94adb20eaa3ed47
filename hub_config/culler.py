"""Idle culling: jupyterhub-idle-culler as a hub-managed service.

Config fragment, loaded by hub_config/jupyterhub_config.py with ``load_subconfig(".../culler.py")``.
It APPENDS to ``c.JupyterHub.services`` and ``c.JupyterHub.load_roles``: load it after any plain
assignment (``c.JupyterHub.services = [...]``) of those lists, or extend them with ``+=``/append.

Defaults (environment overrides):
- ``ACADEMY_CULL_TIMEOUT`` = 3600 s: a server with no activity for an hour is stopped (work is
  kept: the person's home stays; the next login starts a fresh server). ``0`` disables the culler.
- ``ACADEMY_CULL_EVERY`` = 300 s: how often the culler looks.
- ``ACADEMY_CULL_MAX_AGE`` = 0: no cap on a busy server's age.
Users themselves are never deleted (no ``--cull-users``), admin servers are culled like others.

RBAC (JupyterHub ≥ 2): the service gets exactly the scopes the culler's README lists —
``list:users``, ``read:users:activity``, ``read:servers``, ``delete:servers`` — no admin.
"""
from __future__ import annotations

import os
import sys

SERVICE_NAME = "idle-culler"
SCOPES = ["list:users", "read:users:activity", "read:servers", "delete:servers"]
DEFAULT_TIMEOUT = 3600
DEFAULT_EVERY = 300


def culler_service(env: dict | None = None, python: str = sys.executable) -> dict | None:
    """The service entry for ``c.JupyterHub.services`` (None when disabled)."""
    env = os.environ if env is None else env
    timeout = int(env.get("ACADEMY_CULL_TIMEOUT") or DEFAULT_TIMEOUT)
    every = int(env.get("ACADEMY_CULL_EVERY") or DEFAULT_EVERY)
    max_age = int(env.get("ACADEMY_CULL_MAX_AGE") or 0)
    if timeout <= 0:
        return None
    return {
        "name": SERVICE_NAME,
        "command": [python, "-m", "jupyterhub_idle_culler",
                    f"--timeout={timeout}", f"--cull-every={min(every, timeout)}",
                    f"--max-age={max_age}", "--concurrency=5"],
    }


def culler_role() -> dict:
    return {"name": SERVICE_NAME, "scopes": list(SCOPES), "services": [SERVICE_NAME]}


if "get_config" in globals():  # loaded as a config fragment
    c = get_config()  # type: ignore[name-defined]  # noqa: F821
    _svc = culler_service()
    if _svc is not None:
        c.JupyterHub.services.append(_svc)
        c.JupyterHub.load_roles.append(culler_role())
