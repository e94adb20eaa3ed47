"""The academy's hub: this file only loads the fragments, one concern each.

Run through `python -m academy up` (which prepares ACADEMY_ROOT and picks free internal ports), or
check it with `jupyterhub --show-config-json -f hub_config/jupyterhub_config.py`.
Fragments of other parts (limits.py, culler.py: isolation; grading_service.py: grading) load last
when present, so they may refine what the earlier ones set.
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The fragments import `academy` and `hub_config` from this checkout, installed or not.
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))
c = get_config()  # noqa: F821

FRAGMENTS = [
    "base.py",          # addresses, ports, state files, landing page per role
    "auth.py",          # NativeAuthenticator with accounts from the roster
    "roles.py",         # RBAC: roles for trainees, trainers, leaders, admins, services
    "services.py",      # formgrader per course, dashboards (Voila), academy-ops token
    "proxy.py",         # configurable-http-proxy from hub_config/proxy
    "templates.py",     # Chinese hub pages
    "limits.py",        # (isolation) memory limits
    "culler.py",        # (isolation) idle culler
    # After limits.py: each fragment gets a fresh `c`, so limits.py cannot see a spawner class set
    # earlier; ours (with its MemoryLimitMixin) must come last to win.
    "spawner.py",       # user servers: single-account or one Unix user each
    "grading_service.py",  # (grading)
]
for name in FRAGMENTS:
    if (HERE / name).exists():
        load_subconfig(str(HERE / name))  # noqa: F821
