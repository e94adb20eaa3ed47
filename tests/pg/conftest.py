"""The PostgreSQL server of the `pg` tests: started once per session by the fixture itself.

Skips (with the reason) only when PostgreSQL's programs are missing: `apt-get install postgresql`.
"""
from __future__ import annotations

import pytest

from tests.postgres import PgServer, find_bindir, start_server


@pytest.fixture(scope="session")
def pg_server() -> PgServer:
    bindir = find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL programs (initdb, pg_ctl) not installed: apt-get install postgresql")
    server = start_server(bindir)
    try:
        yield server
    finally:
        server.stop()
