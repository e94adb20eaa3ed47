"""People's servers get ports from their own band below the ephemeral range, one per start.

JupyterHub's LocalProcessSpawner takes a bind(0) port and closes it; the server binds it seconds
later, and in between a kernel's ZMQ socket or an outgoing connection (both drawn from the same
ephemeral range) can take it. A CI load wave of 30 lost one start that way: "port 52957 is not
available", then a 500 from the hub's spawn API.
"""
from __future__ import annotations

import socket

import pytest

from academy.ports import SERVER_PORTS, PortLedger, port_is_free

pytestmark = pytest.mark.timeout(60)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def quiet_band(size: int) -> range:
    """`size` consecutive ports of the servers' band that nobody on this machine listens on."""
    for start in range(SERVER_PORTS.start + 3000, SERVER_PORTS.stop - size, 97):
        band = range(start, start + size)
        if all(port_is_free(p) for p in band):
            return band
    pytest.skip("no quiet ports in the servers' band")


def test_the_band_is_below_the_ephemeral_range():
    low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
    assert SERVER_PORTS.stop <= low, (SERVER_PORTS, low)


def test_a_port_is_not_handed_out_again_while_a_server_may_be_starting_on_it():
    clock = Clock()
    band = quiet_band(3)
    ledger = PortLedger(band, hold_s=300, clock=clock)
    taken = {ledger.take() for _ in band}
    assert taken == set(band)  # three starts at once: three different ports
    with pytest.raises(RuntimeError):
        ledger.take()  # none left while all three may still be starting
    clock.now += 301
    assert ledger.take() in band  # after the hold the bind test alone decides


def test_a_port_someone_listens_on_is_skipped():
    band = quiet_band(2)
    with socket.socket() as held:
        held.bind(("127.0.0.1", band[0]))
        held.listen()
        ledger = PortLedger(band, hold_s=300, clock=Clock())
        assert ledger.take() == band[1]
        with pytest.raises(RuntimeError):
            ledger.take()
