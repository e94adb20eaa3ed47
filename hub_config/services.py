"""Hub services: one nbgrader formgrader per course, the academy's pages, the leaders' dashboards, the ops token.

Formgraders follow nbgrader's "multiple classes" pattern: a jupyterhub-singleuser server per course,
running in the course root, reachable at /services/<course>/formgrader by the group
formgrade-<course> (roles.py). Root mode runs it as `grader-<course>`, never as root.
The dashboards are standalone Voila (hubext.dashboards): no Lab, no terminals, no kernel API,
and only comm/kernel-info messages reach its kernels.
"""
import os

from academy.db import registered_courses
from runtime.settings import current

c = get_config()  # noqa: F821
S = current()
P = S.paths
BIN = P.bin_dir
AS_ROOT_SINGLE = os.geteuid() == 0 and not P.root_mode

base_env = {
    "JUPYTER_CONFIG_PATH": str(P.etc),
    "PATH": f"{BIN}:/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "TZ": "Asia/Shanghai",
    **S.child_env(),  # the services build the same settings (runtime.settings)
}

services = []
if P.ops_token_file.exists():
    services.append({"name": "academy-ops", "api_token": P.ops_token_file.read_text().strip()})

dashboards = {
    "name": "dashboards",
    "display": True,
    "url": f"http://127.0.0.1:{S.dashboards_port}",
    "command": [str(BIN / "python"), "-m", "hubext.dashboards", str(P.root / "dashboards")],
    "cwd": str(P.root / "dashboards"),
    # Voila's runtime files and the saved 体验记录 (academy.readmodel makes it; private in root mode).
    "environment": dict(base_env, HOME=str(P.root / "dashboards-home")),
    "oauth_no_confirm": True,
}
if P.root_mode:
    # Its own unprivileged account: it reads the masked read model (group academy-dash), never the
    # academy database or the raw city runs (root-only); academy.readmodel makes both.
    dashboards["user"] = "academy-dash"
services.append(dashboards)

# The academy's own pages (hubext.web): portal, grading, cohorts, roster — everyone with a role.
services.append({
    "name": "academy",
    "url": f"http://127.0.0.1:{S.web_port}",
    "command": [str(BIN / "python"), "-m", "hubext.web"],
    "environment": dict(base_env),
    "oauth_no_confirm": True,
    # The portal fetches and submits as the person: their own OAuth token may reach their own
    # server (never anyone else's) and see whether it runs — what each person already holds.
    "oauth_client_allowed_scopes": ["access:servers!user", "read:servers!user"],
})

# Keeps the read model's training part (and the training pages) fresh from the academy database:
# runs as the hub's account, the only one that may read that database.
services.append({
    "name": "dashboards-data",
    "command": [str(BIN / "python"), "-m", "academy.dashpages", "--every", "60"],
    "environment": dict(base_env),
})

for course in registered_courses(P):
    service = {
        "name": course.id,
        "display": True,
        "url": f"http://127.0.0.1:{course.port}",
        "command": [
            str(BIN / "jupyterhub-singleuser"),
            f"--ServerApp.root_dir={P.course_root(course.id)}",
            "--ServerApp.terminals_enabled=False",
        ] + (["--allow-root"] if AS_ROOT_SINGLE else []),
        "cwd": str(P.course_root(course.id)),
        # nbgrader's exchange code insists on JUPYTERHUB_USER; the grader account stands for it.
        "environment": dict(base_env, JUPYTERHUB_DEFAULT_URL="/formgrader",
                            JUPYTERHUB_USER=f"grader-{course.id}"),
        "oauth_no_confirm": True,
    }
    if P.root_mode:
        service["user"] = f"grader-{course.id}"
        service["environment"]["HOME"] = str(P.course_root(course.id))
    services.append(service)

c.JupyterHub.services = services
