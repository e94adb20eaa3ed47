"""Spawners: one per mode.

- Root mode: `AcademySpawner` — JupyterHub's LocalProcessSpawner (the server runs as the person's
  own Unix account, made by runtime.accounts), plus lessons copied into the home at spawn.
  Both take the memory limit of hubext.limits.MemoryLimitMixin.
- Single-account mode: `SingleAccountSpawner` — every server runs as the hub's own account, each
  in `$ACADEMY_ROOT/homes/<name>`. It keeps nobody apart: demos and tests only.

Both give each start a fresh port of the servers' band below the ephemeral range
(academy.ports.server_ports), never the bind(0) port LocalProcessSpawner would take.
"""
from __future__ import annotations

import asyncio
import pwd
import shutil
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner, SimpleLocalProcessSpawner

from academy.ports import server_ports
from academy.runtime import copy_tree_as_user
from runtime.settings import current

from .limits import MemoryLimitMixin


def _course_ids(user) -> list[str]:
    return sorted(g.name[len("course-"):] for g in user.groups if g.name.startswith("course-"))


def copy_lessons(courses: list[str], home: Path, user: str | None, log, lessons: Path | None = None) -> None:
    """Copy each course's rendered lessons (default: the runtime's) into `home/<course>/` — only
    files not there yet, so a trainee's own edits are never overwritten. `user`: copy as that
    account (root mode); None: as this process (single-account mode).

    Blocking (files, a subprocess): the spawners run it in a worker thread, never in the hub's event
    loop, where a burst of logins would otherwise queue every request behind the copies."""
    lessons = lessons or current().paths.lessons
    for course in courses:
        src = lessons / course
        if not src.is_dir():
            continue
        if user:
            # root mode: copy AS the person — root following a symlink they planted in their
            # home would write into (and chown) anything (academy.runtime.copy_tree_as_user)
            try:
                copy_tree_as_user(src, home / course, user)
            except RuntimeError as e:  # their own home's problem: start the server anyway
                log.warning("lessons of %s not copied for %s: %s", course, user, e)
            continue
        for path in sorted(src.rglob("*")):
            target = home / course / path.relative_to(src)
            if target.exists():
                continue
            if path.is_dir():
                target.mkdir(parents=True, exist_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)


class AcademySpawner(MemoryLimitMixin, LocalProcessSpawner):
    async def start(self):
        home = Path(pwd.getpwnam(self.user.name).pw_dir)
        # the user's groups are read here: the hub's database session belongs to the event loop
        courses = _course_ids(self.user.orm_user)
        await asyncio.to_thread(copy_lessons, courses, home, self.user.name, self.log)
        self.port = server_ports.take()
        return await super().start()


class SingleAccountSpawner(MemoryLimitMixin, SimpleLocalProcessSpawner):
    """Set `home_dir_template` to `$ACADEMY_ROOT/homes/{username}` (hub_config/spawner.py)."""

    async def start(self):
        home = Path(self.home_dir)
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
        courses = _course_ids(self.user.orm_user)
        await asyncio.to_thread(copy_lessons, courses, home, None, self.log)
        self.notebook_dir = str(home)
        self.port = server_ports.take()
        return await super().start()
