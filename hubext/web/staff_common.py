"""What the trainers' and admins' pages share: the runtime paths, the hub's side for roster
changes (the academy service's own token), the audit log, and blocking work off the event loop."""
from __future__ import annotations

import functools
import logging
import os
import sys
from typing import Any, Callable

from tornado import ioloop

from runtime.paths import Paths
from runtime.settings import current


def audit_log() -> logging.Logger:
    """Who changed what, by account only (no names, no passwords): the service's stderr reaches
    logs/academy.log, kept ≥ six months (academy.logs; docs/privacy.md)."""
    log = logging.getLogger("academy.audit")
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("[academy.audit %(asctime)s] %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
    return log


def paths() -> Paths:
    return current().paths


def hub():
    """The hub's side of a roster change through the REST API with this service's own token
    (role `academy-service`, hub_config/roles.py), so a disabled person's server and sessions end
    at once."""
    from academy.hubsync import ApiHub

    return ApiHub(os.environ["JUPYTERHUB_API_URL"], os.environ["JUPYTERHUB_API_TOKEN"], paths().hub_db_url)


async def blocking(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run slow work (database, nbgrader, hub API) in a thread: other people's pages keep answering."""
    return await ioloop.IOLoop.current().run_in_executor(None, functools.partial(fn, *args, **kwargs))


def taught_courses(groups: list[str], role: str) -> list[str]:
    """Courses a person may grade: formgrade-<course> groups; an admin every registered course."""
    from academy.db import registered_courses

    known = [c.id for c in registered_courses(paths())]
    if role == "admin":
        return known
    return [c for c in known if f"formgrade-{c}" in groups]


def shorten_login_cache(seconds: int | None = None) -> None:
    """The service caches the hub's answer about a login for five minutes (HubAuth.cache_max_age):
    a person disabled by the CLI, or a trainer taken off a course, would keep these pages that
    long. Cache no longer than the hub re-checks a login itself (ACADEMY_AUTH_REFRESH_AGE, 30 s).
    Belongs in hubext.web.app; here so as not to edit the shared base while it is being built on."""
    from jupyterhub.services.auth import HubOAuth

    age = seconds or current().auth_refresh_age or 30
    auth = HubOAuth.instance()
    auth.cache_max_age = age
    auth.cache.max_age = auth.cache.purge_interval = age
