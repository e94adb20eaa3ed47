"""Backup and restore on PostgreSQL (ACADEMY_DB_URL): `backup` takes pg_dump snapshots of the hub,
academy and gradebook databases while the academy runs; `restore` loads them into the databases of
another prefix (refusing non-empty ones) and the restored academy has the same people, grades,
certificates and submissions, and the passwords of before log in."""
from __future__ import annotations

import json

import pytest

from runtime.paths import Paths
from tests.backup_helpers import academy, snapshot, work
from tests.hubfixture import read_passwords, start_hub

# A full backup and restore round trip on PostgreSQL: `make test-long` (issue 13); tests/pg/test_pg_hub
# and test_pg_grading keep PostgreSQL in `make test`.
pytestmark = [pytest.mark.long, pytest.mark.pg, pytest.mark.slow, pytest.mark.timeout(1500)]


def test_backup_and_restore_on_postgresql(pg_server, tmp_path):
    old_url, new_url = pg_server.server_url("t_bkold"), pg_server.server_url("t_bknew")
    old, new, bk = tmp_path / "old", tmp_path / "new", tmp_path / "bk"
    hub = start_hub(old, single_user=True, extra_env={"ACADEMY_GRADE_ON_SUBMIT": "0", "ACADEMY_DB_URL": old_url})
    try:
        good, _ = work(Paths(old, False, old_url))
        proc = academy(old, "backup", str(bk), db_url=old_url)  # while the hub runs
        assert proc.returncode == 0, proc.stderr
        before = snapshot(Paths(old, False, old_url))
    finally:
        hub.stop()
    manifest = json.loads((bk / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["database"] == "postgresql"
    assert {d["file"] for d in manifest["databases"]} == {"db/hub.pgdump", "db/academy.pgdump", "db/gb_demo.pgdump"}
    assert old_url.split("@")[0].split(":")[-1] not in (bk / "manifest.json").read_text()  # no password in it
    print(f"\nPostgreSQL backup: {proc.stdout}")

    refused = academy(tmp_path / "again", "restore", str(bk), db_url=old_url)  # databases not empty
    assert refused.returncode == 2 and "已有数据" in refused.stderr and "Traceback" not in refused.stderr
    proc = academy(new, "restore", str(bk), db_url=new_url)
    assert proc.returncode == 0, proc.stderr
    after = snapshot(Paths(new, False, new_url))
    assert sorted(after["files"]) == sorted(before["files"])
    assert after == before
    assert "t_bknew_gb_demo" in (new / "courses" / "demo" / "nbgrader_config.py").read_text()
    roster = tmp_path / "empty.csv"
    roster.write_text("account,姓名,单位,县区,role,courses,cohort,active\n", encoding="utf-8")
    hub = start_hub(new, single_user=True, roster=roster,
                    extra_env={"ACADEMY_GRADE_ON_SUBMIT": "0", "ACADEMY_DB_URL": new_url})
    try:
        assert hub.login(good, read_passwords(old)[good]).login_status == 302
    finally:
        hub.stop()
