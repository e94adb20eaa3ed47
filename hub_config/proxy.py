"""configurable-http-proxy pinned by hub_config/proxy/package-lock.json (npm ci by the Makefile)."""
import os

from academy.paths import Paths

c = get_config()  # noqa: F821
P = Paths.from_env()

c.ConfigurableHTTPProxy.command = [str(P.proxy_command)]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{int(os.environ.get('ACADEMY_PROXY_API_PORT', '8001'))}"
c.ConfigurableHTTPProxy.pid_file = str(P.hub_dir / "jupyterhub-proxy.pid")
c.ConfigurableHTTPProxy.should_start = True
c.ConfigurableHTTPProxy.debug = False
