"""Idle culling (hubext.culler): jupyterhub-idle-culler as a hub-managed service with its role.

Appends to ``c.JupyterHub.services`` and ``c.JupyterHub.load_roles``, so it loads after
services.py and roles.py (jupyterhub_config.py runs the fragments in order on one shared ``c``).
"""
from hubext.culler import culler_role, culler_service

c = get_config()  # noqa: F821
_svc = culler_service()
if _svc is not None:
    c.JupyterHub.services.append(_svc)
    c.JupyterHub.load_roles.append(culler_role())
