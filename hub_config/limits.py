"""Resource limits for user servers: an address-space (RLIMIT_AS) limit applied at spawn.

Config fragment, loaded by hub_config/jupyterhub_config.py with ``load_subconfig(".../limits.py")``;
also an importable module (``hub_config.limits``) holding the spawner classes.

What the fragment sets:
- ``c.Spawner.mem_limit`` from ``ACADEMY_MEM_LIMIT`` (default ``2G``; ``0`` = no limit). This is
  JupyterHub's own trait: the local spawner does not enforce it by itself, our mixin does (and
  on Kubernetes, z2jh/KubeSpawner enforces the same trait as a cgroup limit).
- ``c.Spawner.environment`` MALLOC_ARENA_MAX=2 (glibc reserves 64 MiB of address space per
  thread arena; without the cap a threaded kernel hits an AS limit long before it uses memory).
- the spawner class only if it lacks the limits: the classes should inherit ``MemoryLimitMixin``
  first (``academy.spawner.AcademySpawner`` and ``SingleAccountSpawner`` do); a class configured
  before this fragment without it is wrapped by ``with_limits`` (visible only when the fragments
  share one config, as hub_config/jupyterhub_config.py runs them — with traitlets'
  ``load_subconfig`` a fragment gets a fresh config and must not touch the class at all).
  tests/isolation checks the running hub's spawner class and the limits inside a real kernel.

Why RLIMIT_AS and not a cgroup: on this kind of machine cgroups are v1/hybrid and not delegated
(no writable cgroup v2 subtree), so a per-server cgroup scope is not available. RLIMIT_AS is set
in the spawned process before it drops to the person's uid (in ``preexec_fn``) and is inherited by
everything it starts. It is a limit PER PROCESS: the jupyter server and each kernel (and each
subprocess a kernel starts) may each map up to ``mem_limit`` of address space. A kernel that
allocates past it gets ``MemoryError`` (or dies), the hub and other people's servers are not
touched, and a non-root person cannot raise their hard limit. It limits address space, not RSS,
which is conservative (mapped-but-untouched memory counts) — hence the 2 GiB default, measured
to leave room for the server (≈0.5–1 GiB mapped) and a kernel with pandas/matplotlib loaded.

Also ``RLIMIT_NPROC`` (``ACADEMY_NPROC_LIMIT``, default 512 tasks per account; only in root mode,
where each person is their own uid): a fork bomb in one kernel cannot exhaust the machine.
"""
from __future__ import annotations

import os
import resource

from jupyterhub.spawner import LocalProcessSpawner
from traitlets import Integer
from traitlets.config import Configurable

DEFAULT_MEM_LIMIT = "2G"
DEFAULT_NPROC_LIMIT = 512


class MemoryLimitMixin(Configurable):
    """Enforce ``Spawner.mem_limit`` as RLIMIT_AS (and ``nproc_limit`` as RLIMIT_NPROC) at spawn."""

    nproc_limit = Integer(
        DEFAULT_NPROC_LIMIT,
        help="RLIMIT_NPROC of a user server (tasks of that Unix account); applied only when the "
             "hub runs as root, so a single-account demo never limits the hub's own account.",
    ).tag(config=True)

    def make_preexec_fn(self, name):  # type: ignore[override]
        inner = super().make_preexec_fn(name)  # type: ignore[misc]
        as_limit = int(self.mem_limit or 0)  # type: ignore[attr-defined]
        nproc = int(self.nproc_limit or 0) if os.geteuid() == 0 else 0

        def preexec() -> None:
            # Runs in the child between fork and exec, still as root: the limits are set before
            # the uid drop, so the person's processes cannot raise the hard limit again.
            if as_limit:
                resource.setrlimit(resource.RLIMIT_AS, (as_limit, as_limit))
            if nproc:
                resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
            if inner is not None:
                inner()

        return preexec


class LimitedLocalProcessSpawner(MemoryLimitMixin, LocalProcessSpawner):
    """LocalProcessSpawner (each person as their own Unix user) with the limits above."""


_WRAPPED: dict[type, type] = {}


def with_limits(cls: type) -> type:
    """``cls`` itself if it enforces the limits already, else a subclass with the mixin first."""
    # by name: this file is both a module and a config fragment (exec'd), so two class objects
    # named MemoryLimitMixin can exist
    if any(k.__name__ == "MemoryLimitMixin" for k in cls.__mro__):
        return cls
    if cls not in _WRAPPED:
        _WRAPPED[cls] = type(f"Limited{cls.__name__}", (MemoryLimitMixin, cls), {"__module__": __name__})
    return _WRAPPED[cls]


def mem_limit_from_env(env: dict | None = None) -> str:
    env = os.environ if env is None else env
    return (env.get("ACADEMY_MEM_LIMIT") or DEFAULT_MEM_LIMIT).strip()


if "get_config" in globals():  # loaded as a config fragment
    c = get_config()  # type: ignore[name-defined]  # noqa: F821
    c.Spawner.mem_limit = mem_limit_from_env()
    c.MemoryLimitMixin.nproc_limit = int(os.environ.get("ACADEMY_NPROC_LIMIT") or DEFAULT_NPROC_LIMIT)
    c.Spawner.environment.update({"MALLOC_ARENA_MAX": "2"})
    _cls = c.JupyterHub.get("spawner_class") if "spawner_class" in c.JupyterHub else None
    if isinstance(_cls, str) and "." in _cls:
        from traitlets.utils.importstring import import_item
        _cls = import_item(_cls)
    if isinstance(_cls, type) and _cls is not with_limits(_cls):
        c.JupyterHub.spawner_class = with_limits(_cls)
