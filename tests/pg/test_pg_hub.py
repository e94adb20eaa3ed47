"""`python -m academy up` on PostgreSQL (ACADEMY_DB_URL), in root mode as `make up` runs it:
the hub's and the academy's databases are made on the server, a trainee logs in, and the
trainee's own kernel cannot reach the database (no password anywhere it can read).
"""
from __future__ import annotations

import json
import os
import pwd
import shutil
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests
from sqlalchemy import create_engine, text

from runtime import accounts
from runtime.paths import Paths
from tests.hubfixture import Kernel, new_name, shared_runtime_venv, start_hub

# The hub and grading end to end on PostgreSQL: `make test-long` (CI's time); test_pg_migrations and
# test_pg_server keep a real PostgreSQL server in `make test`.
pytestmark = [pytest.mark.long, pytest.mark.pg, pytest.mark.root, pytest.mark.hub, pytest.mark.slow, pytest.mark.timeout(900)]

ROSTER_HEAD = "account,姓名,单位,县区,role,courses,cohort,active\n"


@pytest.fixture(scope="module")
def up_pg(pg_server):
    if os.geteuid() != 0:
        pytest.skip("needs root (trainees' own Unix accounts)")
    before = {p.pw_name for p in pwd.getpwall()}
    root = Path(tempfile.mkdtemp(prefix="zt-academy-", dir="/tmp"))
    os.chmod(root, 0o755)
    private = Path(tempfile.mkdtemp(prefix="zt-roster-"))
    (root / "venv").symlink_to(shared_runtime_venv())
    a = new_name("p")
    roster = private / "roster.csv"
    roster.write_text(ROSTER_HEAD + f"{a},测试甲,海东市政务服务中心综合窗口,乐都区,trainee,demo,2026年第一期,1\n",
                      encoding="utf-8")
    url = pg_server.server_url("t_hub")
    hub = None
    kernels: list[Kernel] = []
    try:
        hub = start_hub(root, single_user=False, roster=roster, extra_env={"ACADEMY_DB_URL": url})
        yield SimpleNamespace(hub=hub, root=root, paths=Paths(root, True, url), a=a, kernels=kernels,
                              server=pg_server)
    finally:
        for k in kernels:
            try:
                k.close()
            except Exception:  # noqa: BLE001
                pass
        if hub is not None:
            hub.stop()
        mine = {a} | {p.pw_name for p in pwd.getpwall()
                      if p.pw_name.startswith("grader-") and p.pw_dir.startswith(str(root) + "/")}
        for name in sorted(({p.pw_name for p in pwd.getpwall()} - before) & mine):
            try:
                accounts.remove_account(name)
            except (ValueError, RuntimeError):
                pass
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(private, ignore_errors=True)


def _rows(url: str, sql: str) -> list:
    eng = create_engine(url)
    try:
        with eng.connect() as con:
            return [tuple(r) for r in con.execute(text(sql))]
    finally:
        eng.dispose()


def _no_sqlite_gradebook(paths: Paths) -> None:
    gb = paths.course_root("demo") / "gradebook.db"
    if gb.exists():
        st = gb.stat()
        raise AssertionError(f"a SQLite gradebook appeared: uid={st.st_uid} size={st.st_size} mtime={st.st_mtime}")


def test_hub_login_and_roster_on_pg(up_pg):
    paths, a = up_pg.paths, up_pg.a
    s = up_pg.hub.login(a)
    assert s.login_status == 302, up_pg.hub.log()[-3000:]
    assert s.get(up_pg.hub.url + "hub/home", timeout=30).ok
    # the hub, the academy DB and the gradebook are PostgreSQL databases, not files
    assert (a,) in _rows(paths.hub_db_url, "SELECT name FROM users")
    assert (a, "trainee") in _rows(paths.academy_db_url, "SELECT account, role FROM people")
    assert ("ps1",) in _rows(paths.gradebook_db_url("demo", Path("-")), "SELECT name FROM assignment")
    assert not paths.hub_db.exists() and not paths.academy_db.exists()
    _no_sqlite_gradebook(paths)
    assert up_pg.server.password not in up_pg.hub.log()


def test_trainee_kernel_cannot_reach_the_database(up_pg):
    hub, a, server = up_pg.hub, up_pg.a, up_pg.server
    r = hub.api("POST", f"/users/{a}/tokens", json={"note": "pg test", "expires_in": 3600})
    assert r.status_code == 201, r.text
    token = r.json()["token"]
    headers = {"Authorization": f"token {token}"}
    r = requests.post(f"{hub.api_url}/users/{a}/server", headers=headers, timeout=60)
    assert r.status_code in (201, 202), r.text
    import time

    deadline = time.monotonic() + 120
    while not (requests.get(f"{hub.api_url}/users/{a}", headers=headers, timeout=30).json()
               .get("servers") or {}).get("", {}).get("ready"):
        assert time.monotonic() < deadline, hub.log()[-4000:]
        time.sleep(0.5)
    k = Kernel(SimpleNamespace(url=hub.url.rstrip("/"), token=token), a)
    up_pg.kernels.append(k)
    config = up_pg.paths.course_root("demo") / "nbgrader_config.py"
    code = f"""
import glob, json, os
res = {{"uid": os.getuid(), "env": sorted(k for k, v in os.environ.items() if {server.password!r} in v or k.startswith("ACADEMY_DB"))}}
found = []  # the password in any process environment or file this account can read
for p in glob.glob("/proc/[0-9]*/environ") + [{str(config)!r}]:
    try:
        if {server.password!r}.encode() in open(p, "rb").read():
            found.append(p)
    except OSError:
        pass
res["found"] = found
import psycopg
tries = {{}}
for user, pw in [("academy", ""), ("academy", "academy"), ("pgadmin", ""), ("postgres", "")]:
    try:
        psycopg.connect(host="127.0.0.1", port={server.port}, user=user, password=pw, dbname="postgres",
                        connect_timeout=10).close()
        tries[user + ":" + pw] = "CONNECTED"
    except psycopg.OperationalError as exc:
        tries[user + ":" + pw] = "refused" if "password" in str(exc) else str(exc)[:200]
res["tries"] = tries
print(json.dumps(res))
"""
    res = k.json(code)
    assert res["uid"] == pwd.getpwnam(a).pw_uid
    assert res["env"] == [] and res["found"] == [], res
    assert set(res["tries"].values()) == {"refused"}, res["tries"]
    # and the test is able to see a leak: the same search as root finds the hub's environment
    hub_env = Path(f"/proc/{hub.hub_pid()}/environ").read_bytes()
    assert server.password.encode() in hub_env
    _no_sqlite_gradebook(up_pg.paths)
