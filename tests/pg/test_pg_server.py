"""The PostgreSQL fixture itself and the database names of one academy (fast)."""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest

from runtime.dburl import database_url, ensure_database
from runtime.paths import Paths
from runtime.settings import Settings, without_secrets

pytestmark = pytest.mark.pg


def test_server_asks_every_client_for_a_password(pg_server):
    lines = pg_server.hba_lines()
    assert lines and all(ln.split()[-1] == "scram-sha-256" for ln in lines), lines
    if os.geteuid() == 0:  # initdb refuses root: the cluster belongs to the unprivileged account
        assert pg_server.data.stat().st_uid == pg_server.account.pw_uid != 0
    with pytest.raises(psycopg.OperationalError, match="password"):
        psycopg.connect(host="127.0.0.1", port=pg_server.port, user="academy", password="wrong",
                        dbname="postgres", connect_timeout=10)
    with psycopg.connect(host="127.0.0.1", port=pg_server.port, user="academy", password=pg_server.password,
                         dbname="postgres") as con:
        superuser, createdb = con.execute("SELECT rolsuper, rolcreatedb FROM pg_roles WHERE rolname = current_user").fetchone()
    assert (superuser, createdb) == (False, True)


def test_one_setting_names_every_database(pg_server):
    url = pg_server.server_url("T-Names")
    p = Settings.single_account("/tmp/x", db_url=url).paths
    names = [u.rsplit("/", 1)[1] for u in (p.hub_db_url, p.academy_db_url, p.gradebook_db_url("gov-101", Path("-")))]
    assert names == ["t_names_hub", "t_names_academy", "t_names_gb_gov_101"]
    assert pg_server.password in p.academy_db_url  # the URL carries it to the process that connects
    assert pg_server.password not in repr(Settings.single_account("/tmp/x", db_url=url))
    sqlite = Paths(Path("/tmp/x"), False)
    assert sqlite.academy_db_url == "sqlite:////tmp/x/data/academy.sqlite"  # the default stays SQLite
    assert sqlite.gradebook_db_url("demo", Path("/c/gradebook.db")) == "sqlite:////c/gradebook.db"
    with pytest.raises(ValueError):
        database_url("mysql://u:p@h/x", "hub")


def test_databases_are_created_once_even_when_raced(pg_server):
    url = database_url(pg_server.server_url("t_race"), "academy")
    with ThreadPoolExecutor(4) as pool:
        created = list(pool.map(lambda _: ensure_database(url), range(4)))
    assert created.count(True) == 1
    assert ensure_database(url) is False


def test_submission_kernels_lose_the_database_setting(pg_server):
    env = dict(Settings.single_account("/tmp/x", db_url=pg_server.server_url("t_env")).child_env(),
               PGPASSWORD="x", PATH="/usr/bin")
    assert "ACADEMY_DB_URL" in env
    assert without_secrets(env) == {"ACADEMY_ROOT": "/tmp/x", "ACADEMY_SINGLE_USER": "1", "PATH": "/usr/bin"}
