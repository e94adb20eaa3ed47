"""The leaders' dashboards: standalone Voila behind JupyterHub OAuth, as the `dashboards` hub service.

Why standalone Voila rather than Voila inside a Jupyter server: the standalone app has no Lab, no
terminals, no contents API and no `POST /api/kernels`; it only starts the kernels of the notebooks
it renders, and its kernel websocket passes only comm / kernel-info / shutdown messages, so nobody
can run code of their own. JupyterHub's identity provider (`JupyterHubIdentityProvider`) admits only
holders of `access:services!service=dashboards` (leaders and admins, hub_config/roles.py);
everything outside Voila's own routes answers 403.

    python -m hubext.dashboards DASHBOARDS_DIR     (the hub starts it; env from the hub)
"""
from __future__ import annotations

import os
import sys

from jupyterhub.utils import url_path_join
from tornado import web
from voila.app import Voila


class Forbidden(web.RequestHandler):
    def prepare(self):
        raise web.HTTPError(403)


class DashboardsApp(Voila):
    def init_handlers(self):
        handlers = super().init_handlers()
        prefix = self.base_url
        fixed = []
        for spec in handlers:
            pattern = spec[0]
            # The identity provider's /oauth_callback and /logout come without the service prefix.
            if isinstance(pattern, str) and not pattern.startswith(prefix.rstrip("/")):
                spec = (url_path_join(prefix, pattern),) + tuple(spec[1:])
            fixed.append(spec)
        fixed.append((r".*", Forbidden))
        return fixed


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/dashboards/")
    url = os.environ.get("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:8090")
    port = url.rsplit(":", 1)[-1].split("/")[0]
    args = [
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        f"--Voila.base_url={prefix}",
        f"--Voila.server_url={prefix}",
        "--Voila.identity_provider_class=jupyterhub.singleuser.extension.JupyterHubIdentityProvider",
        "--Voila.authorizer_class=jupyterhub.singleuser.extension.JupyterHubAuthorizer",
        "--VoilaConfiguration.show_tracebacks=False",
        r"--VoilaConfiguration.file_allowlist=.*\.(png|jpg|gif|svg|css)",
        # Each page view starts a kernel: end idle ones.
        "--MappingKernelManager.cull_idle_timeout=600",
        "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_connected=False",
    ]
    DashboardsApp.launch_instance(args + argv)


if __name__ == "__main__":
    main()
