"""Ports the academy binds on 127.0.0.1, drawn from bands below Linux's ephemeral range (32768-60999).

A port from bind(0) is itself ephemeral: an outgoing connection or a kernel's ZMQ socket can hold it
by the time a service binds it (seen: a formgrader exiting, a restart's proxy API EADDRINUSE). Each
band is scanned from a random place, so two academies starting at once on one machine (parallel test
hubs, a chroot beside the host) rarely pick the same port before either binds it.
"""
from __future__ import annotations

import random
import socket
from typing import Iterable


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
