"""Idle culling: jupyterhub-idle-culler as a hub-managed service.

The service entry and its role; the fragment hub_config/culler.py appends them to the config.

Settings (runtime.settings):
- ``ACADEMY_CULL_TIMEOUT`` = 3600 s: a server with no activity for an hour is stopped (work is
  kept: the person's home stays; the next login starts a fresh server). ``0`` disables the culler.
- ``ACADEMY_CULL_EVERY`` = 300 s: how often the culler looks.
- ``ACADEMY_CULL_MAX_AGE`` = 0: no cap on a busy server's age.
Users themselves are never deleted (no ``--cull-users``), admin servers are culled like others.

RBAC (JupyterHub ≥ 2): the service gets exactly the scopes the culler's README lists —
``list:users``, ``read:users:activity``, ``read:servers``, ``delete:servers`` — no admin.
"""
from __future__ import annotations

import sys

from runtime.settings import Settings, current

SERVICE_NAME = "idle-culler"
SCOPES = ["list:users", "read:users:activity", "read:servers", "delete:servers"]


def culler_service(settings: Settings | None = None, python: str = sys.executable) -> dict | None:
    """The service entry for ``c.JupyterHub.services`` (None when disabled)."""
    s = settings or current()
    timeout, every, max_age = s.cull_timeout, s.cull_every, s.cull_max_age
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
