"""Resource limits of user servers (hubext.limits enforces them; docs/isolation.md explains why).

Sets ``c.Spawner.mem_limit`` (``ACADEMY_MEM_LIMIT``, default 2G), ``c.MemoryLimitMixin.nproc_limit``
(``ACADEMY_NPROC_LIMIT``, root mode only), MALLOC_ARENA_MAX=2 for user servers, and wraps a spawner
class chosen before this fragment that lacks the limits.
"""
from traitlets.utils.importstring import import_item

from hubext.limits import with_limits
from runtime.settings import current

c = get_config()  # noqa: F821
S = current()
c.Spawner.mem_limit = S.mem_limit
c.MemoryLimitMixin.nproc_limit = S.nproc_limit
# glibc reserves 64 MiB of address space per thread arena: without the cap a threaded kernel hits
# the address-space limit long before it uses the memory
c.Spawner.environment.update({"MALLOC_ARENA_MAX": "2"})
_cls = c.JupyterHub.get("spawner_class") if "spawner_class" in c.JupyterHub else None
if isinstance(_cls, str) and "." in _cls:
    _cls = import_item(_cls)
if isinstance(_cls, type) and _cls is not with_limits(_cls):
    c.JupyterHub.spawner_class = with_limits(_cls)
