"""The hub process `python -m academy up` runs: JupyterHub, waiting longer for managed services.

JupyterHub 5 gives a managed service ten one-second tries to answer and otherwise aborts the whole
start. A formgrader (a full Jupyter server) can need more than that on a busy two-core machine,
so the academy waits up to `AcademyHub.service_start_timeout` seconds (default 120), still
failing at once if the service process exits.

On the way down JupyterHub sends each managed service SIGINT and waits `interrupt_timeout` (10 s)
before SIGTERM. The Jupyter-server services (a course's formgrader, the dashboards) do not end on
SIGINT without a terminal, so every stop of the academy waited those 10 s (and up to 20 s) for
nothing; they end cleanly on SIGTERM, so the academy sends it after
`AcademyHub.service_interrupt_timeout` seconds (default 2).
"""
from __future__ import annotations

import ssl
import time

from jupyterhub.app import JupyterHub
from jupyterhub.objects import Server
from jupyterhub.utils import AnyTimeoutError, make_ssl_context
from traitlets import Integer


class AcademyHub(JupyterHub):
    service_start_timeout = Integer(
        120, config=True, help="Seconds a managed service with a URL may take to answer at start."
    )
    service_interrupt_timeout = Integer(
        2, config=True, help="Seconds a managed service has to end after SIGINT before SIGTERM."
    )

    def _quick_stop(self, service) -> None:
        if service.managed and getattr(service, "spawner", None) is not None:
            service.spawner.interrupt_timeout = self.service_interrupt_timeout

    async def start_service(self, service_name, service, ssl_context=None):
        if not (service.managed and service.url):
            started = await super().start_service(service_name, service, ssl_context)
            self._quick_stop(service)
            return started
        if ssl_context is None:
            ssl_context = make_ssl_context(
                self.internal_ssl_key, self.internal_ssl_cert, cafile=self.internal_ssl_ca,
                purpose=ssl.Purpose.CLIENT_AUTH,
            )
        self.log.info("Starting managed service %s at %s", service_name, service.url)
        try:
            await service.start()
            self._quick_stop(service)
        except Exception:
            self.log.critical("Failed to start service %s", service_name, exc_info=True)
            return False
        deadline = time.monotonic() + self.service_start_timeout
        while time.monotonic() < deadline:
            try:
                await Server.from_orm(service.orm.server).wait_up(http=True, timeout=2, ssl_context=ssl_context)
                return True
            except AnyTimeoutError:
                status = await service.spawner.poll()
                if status is not None:
                    self.log.critical("Service %s exited with status %s", service_name, status)
                    return False
        self.log.critical("Cannot connect to managed service %s within %s s", service_name,
                          self.service_start_timeout)
        return False


main = AcademyHub.launch_instance

if __name__ == "__main__":
    main()
