"""The academy's hub: this file only loads the fragments, one concern each.

Run through `python -m academy up` (which prepares ACADEMY_ROOT and picks free internal ports), or
check it with `jupyterhub --show-config-json -f hub_config/jupyterhub_config.py`.

The fragments share this one config object: each is executed in order with `get_config()`
returning the same `c`. (traitlets' `load_subconfig` would hand each file a fresh `c` and merge it
afterwards, so a fragment could not see or extend what an earlier one set — e.g. append a service
to `c.JupyterHub.services` or keep a spawner class chosen before it.) Every fragment only sets
`c.…`; the classes and helpers they name live in hubext/ (hub plug-ins) and runtime/ (settings).
limits.py, culler.py and grading_service.py load last, so they may extend what the earlier ones set.
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The fragments import `runtime`, `hubext` and `academy` from this checkout, installed or not
# (hub_config itself is no package: nothing imports a fragment).
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))

c = get_config()  # noqa: F821

FRAGMENTS = [
    "base.py",          # addresses, ports, state files, landing page per role
    "tls.py",           # public address, HTTPS with the operator's certificate (academy.tls)
    "auth.py",          # NativeAuthenticator with accounts from the roster
    "roles.py",         # RBAC: roles for trainees, trainers, leaders, admins, services
    "spawner.py",       # user servers: single-account or one Unix user each
    "services.py",      # formgrader per course, dashboards (Voila), academy-ops token
    "proxy.py",         # configurable-http-proxy from hub_config/proxy
    "templates.py",     # Chinese hub pages
    "limits.py",        # memory and task limits of user servers
    "culler.py",        # idle culler
    "grading_service.py",  # grade-on-submit
]


def _load(path: Path) -> None:
    namespace = {
        "get_config": lambda: c,
        "c": c,
        "load_subconfig": load_subconfig,  # noqa: F821
        "__file__": str(path),
        "__name__": f"hub_config_fragment_{path.stem}",
    }
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)  # noqa: S102


# Optional login profile (e.g. ACADEMY_AUTH_PROFILE=unified_identity), right after auth.py.
from runtime.settings import current  # noqa: E402

_profile = current().auth_profile
if _profile:
    if not (HERE / "profiles" / f"{_profile}.py").exists():
        raise SystemExit(f"ACADEMY_AUTH_PROFILE={_profile}: no hub_config/profiles/{_profile}.py")
    FRAGMENTS.insert(FRAGMENTS.index("auth.py") + 1, f"profiles/{_profile}.py")

for name in FRAGMENTS:
    _load(HERE / name)
