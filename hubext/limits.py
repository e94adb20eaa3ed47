"""Resource limits for user servers: an address-space (RLIMIT_AS) limit applied at spawn.

The spawner mixin and classes; the config fragment hub_config/limits.py sets the values:
- ``c.Spawner.mem_limit`` from ``ACADEMY_MEM_LIMIT`` (runtime.settings) (default ``2G``; ``0`` = no limit). This is
  JupyterHub's own trait: the local spawner does not enforce it by itself, our mixin does (and
  on Kubernetes, z2jh/KubeSpawner enforces the same trait as a cgroup limit).
- ``c.Spawner.environment`` MALLOC_ARENA_MAX=2 (glibc reserves 64 MiB of address space per
  thread arena; without the cap a threaded kernel hits an AS limit long before it uses memory).
- the spawner class only if it lacks the limits: the classes should inherit ``MemoryLimitMixin``
  first (``hubext.spawner.AcademySpawner`` and ``SingleAccountSpawner`` do); a class configured
  before the fragment without it is wrapped by ``with_limits``.
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

DEFAULT_NPROC_LIMIT = 512  # the default of runtime.settings.Settings.nproc_limit


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
    if issubclass(cls, MemoryLimitMixin):
        return cls
    if cls not in _WRAPPED:
        _WRAPPED[cls] = type(f"Limited{cls.__name__}", (MemoryLimitMixin, cls), {"__module__": __name__})
    return _WRAPPED[cls]
