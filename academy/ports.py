"""Ports the academy binds on 127.0.0.1, drawn from bands below Linux's ephemeral range (32768-60999).

A port from bind(0) is itself ephemeral: an outgoing connection or a kernel's ZMQ socket can hold it
by the time a service binds it (seen: a formgrader exiting, a restart's proxy API EADDRINUSE). Each
band is scanned from a random place, so two academies starting at once on one machine (parallel test
hubs, a chroot beside the host) rarely pick the same port before either binds it.

The bands, all here: people's servers, formgraders, the hub's internal ports.
"""
from __future__ import annotations

import random
import socket
import threading
import time
from typing import Iterable

# The hub's internal ports (hub API, proxy API, dashboards, the academy's pages; academy.up).
INTERNAL_PORTS = range(19000, 30000)
# Formgraders (academy.db): kept per course, so the hub's service URLs do not move.
COURSE_PORTS = range(18100, 19000)
# People's Jupyter servers (hubext.spawner). JupyterHub's LocalProcessSpawner takes a bind(0) port,
# which a kernel's ZMQ socket or an outgoing connection could take in the seconds before the server
# binds it; a load wave of 30 lost one start that way ("port 52957 is not available").
SERVER_PORTS = range(10000, 18000)
# How long a port handed to a starting server is kept from the next start: the server binds it
# within seconds, after which the bind test sees it taken; 300 s is more than Spawner.start_timeout.
SERVER_PORT_HOLD_S = 300.0


def port_is_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def free_port(band: range, avoid: Iterable[int] = ()) -> int:
    """A free port of ``band`` not in ``avoid``."""
    avoid = set(avoid)
    start = random.SystemRandom().randrange(len(band))
    for port in (*band[start:], *band[:start]):
        if port not in avoid and port_is_free(port):
            return port
    raise RuntimeError(f"no free port in {band.start}-{band.stop - 1}")


class PortLedger:
    """Hands out free ports of one band, never the same one twice while a server may still be
    starting on it (handed out less than ``hold_s`` ago). One per hub process (``server_ports``)."""

    def __init__(self, band: range, hold_s: float, clock=time.monotonic):
        self.band, self.hold_s, self.clock = band, hold_s, clock
        self._handed: dict[int, float] = {}
        self._lock = threading.Lock()

    def take(self) -> int:
        with self._lock:
            now = self.clock()
            self._handed = {p: t for p, t in self._handed.items() if now - t < self.hold_s}
            port = free_port(self.band, self._handed)
            self._handed[port] = now
            return port


server_ports = PortLedger(SERVER_PORTS, SERVER_PORT_HOLD_S)
