"""The proxy as the hub drives it, with patience for a busy machine.

JupyterHub gives each request to configurable-http-proxy's API 30 s in all (hard-coded in
``ConfigurableHTTPProxy.api_request``; jupyterhub/jupyterhub#3902). When a burst of logins loads
the machine, the proxy's single process can stay silent that long: the hub then cannot add a
freshly started server's route, stops the server "to avoid inconsistent state" and the trainee's
start fails. The wave of 60 trainees on 2 cores lost 3 starts that way (2026-12-02: 13 timed-out
API calls within one 30 s stall, docs/capacity.md). A trainee would rather wait: here a timed-out
request is tried again until ``api_patience`` has passed.
"""
from __future__ import annotations

import asyncio

from jupyterhub.proxy import ConfigurableHTTPProxy
from traitlets import Float


class AcademyProxy(ConfigurableHTTPProxy):
    api_patience = Float(
        150.0, config=True,
        help="Seconds to keep retrying a proxy API request that timed out (JupyterHub gives it 30).",
    )

    async def api_request(self, path, method="GET", body=None, client=None):
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.api_patience
        while True:
            try:
                return await super().api_request(path, method=method, body=body, client=client)
            except asyncio.TimeoutError:
                if loop.time() >= deadline:
                    raise
                self.log.warning("proxy API silent for 30 s on %s %r; trying again", method, path)
