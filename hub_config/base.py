"""Where the hub listens and keeps its state; where each role lands after login."""
from runtime.settings import current

c = get_config()  # noqa: F821
S = current()
P = S.paths

c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = S.port
# Internal ports: `python -m academy up` picks free ones so several hubs can share a machine.
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = S.hub_port
c.JupyterHub.db_url = P.hub_db_url
c.JupyterHub.cookie_secret_file = str(P.cookie_secret)
c.JupyterHub.pid_file = str(P.hub_dir / "jupyterhub.pid")
# Stop every user server and the proxy with the hub: nothing may outlive `make up`.
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True
c.JupyterHub.shutdown_on_logout = False
c.JupyterHub.active_server_limit = S.active_server_limit
c.JupyterHub.concurrent_spawn_limit = 20


def landing(handler):
    """Leaders go to the dashboards, admins to user management, trainees to their portal, everyone else home."""
    user = handler.current_user
    groups = {g.name for g in user.groups} if user else set()
    if "leaders" in groups:
        return handler.hub.base_url.replace("/hub/", "/services/dashboards/")
    if "admins" in groups:
        return handler.hub.base_url + "admin"
    if "trainees" in groups:
        return handler.hub.base_url.replace("/hub/", "/services/academy/portal")
    return handler.hub.base_url + "home"


c.JupyterHub.default_url = landing

# The portal shows lessons and assignments (Voila pages of the person's server) inside its own page:
# framing by the same origin only (JupyterHub's default forbids all framing, 'none').
c.JupyterHub.tornado_settings = {"headers": {
    "Content-Security-Policy": "frame-ancestors 'self'; report-uri /hub/security/csp-report"}}
