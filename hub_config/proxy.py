"""configurable-http-proxy pinned by hub_config/proxy/package-lock.json (npm ci by the Makefile)."""
from runtime.settings import current

c = get_config()  # noqa: F821
S = current()
P = S.paths

# hubext.proxy: retries a proxy API call that timed out instead of stopping a fresh server
c.JupyterHub.proxy_class = "hubext.proxy.AcademyProxy"
c.ConfigurableHTTPProxy.command = [str(P.proxy_command)]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{S.proxy_api_port}"
c.ConfigurableHTTPProxy.pid_file = str(P.hub_dir / "jupyterhub-proxy.pid")
c.ConfigurableHTTPProxy.should_start = True
c.ConfigurableHTTPProxy.debug = False
