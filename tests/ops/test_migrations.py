"""Schema migrations of the academy database (Alembic, academy/migrations): a database of the release
before migrations is upgraded with every row kept; a failed upgrade changes nothing and exits 2 in
Chinese; the revisions build exactly the models' schema (so a model change without its revision fails
here); the CLI will not upgrade under a running academy."""
from __future__ import annotations

import http.server
import json
import os
import sqlite3
import subprocess
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert
from sqlalchemy.exc import IntegrityError

from tests.fixtures.release0 import LATER_DUPLICATE, expected_after_upgrade, load_sqlite, table_rows

REPO = Path(__file__).resolve().parents[2]
PYTHON = REPO / ".venv" / "bin" / "python"


def academy(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, ACADEMY_ROOT=str(root), ACADEMY_SINGLE_USER="1")
    env.pop("ACADEMY_DB_URL", None)
    return subprocess.run([str(PYTHON), "-m", "academy", *args], env=env, cwd=REPO, capture_output=True,
                          text=True, timeout=120)


def _names(db: Path) -> set[str]:
    with sqlite3.connect(db) as con:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master")}


@pytest.fixture
def release0_root(tmp_path) -> Path:
    load_sqlite(tmp_path / "data" / "academy.sqlite")
    return tmp_path


def test_release0_database_upgrades_with_every_row_kept(release0_root):
    from academy import migrations

    db = release0_root / "data" / "academy.sqlite"
    url = f"sqlite:///{db}"
    assert migrations.current(url) is None  # the old release knew no Alembic
    proc = academy(release0_root, "migrate")
    assert proc.returncode == 0, proc.stderr
    assert migrations.current(url) == migrations.head()
    assert table_rows(url) == expected_after_upgrade()
    with sqlite3.connect(db) as con:  # 0003: the old rows get the checker columns' defaults
        assert con.execute("SELECT DISTINCT attempt, items FROM grading_results").fetchall() == [(0, "[]")]
    # the new rule holds in the database itself: a second valid certificate is refused
    eng = create_engine(url)
    with pytest.raises(IntegrityError), eng.begin() as con:
        con.execute(insert(migrations.models.metadata().tables["certificates"]).values(
            number="HDXY-2026-DEMO-FFFFFFFF", account="r0trainee1", course="demo", name="马建国", unit="",
            course_title="", hours=8, level="优秀", share=0.9, issued_on="2026-11-30", revoked=False))
    eng.dispose()
    again = academy(release0_root, "migrate")  # idempotent
    assert again.returncode == 0 and table_rows(url) == expected_after_upgrade()


def test_failed_upgrade_changes_nothing_and_exits_2_in_chinese(release0_root):
    db = release0_root / "data" / "academy.sqlite"
    with sqlite3.connect(db) as con:  # an object in the way of revision 0002: its CREATE INDEX fails
        con.execute("CREATE INDEX uq_certificates_valid ON people (name)")
    before = db.read_bytes()
    proc = academy(release0_root, "migrate")
    assert proc.returncode == 2
    assert "学院数据库结构升级失败，数据库未作改动" in proc.stderr and "Traceback" not in proc.stderr
    assert db.read_bytes() == before  # not even the stamp of the baseline
    assert "alembic_version" not in _names(db)
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT revoked FROM certificates WHERE number = ?", (LATER_DUPLICATE,)).fetchone() == (0,)


def test_columns_added_before_migrations_existed_are_kept(release0_root):
    """main between the checker's merge and Alembic: grading.store._ready added the columns by ALTER
    and create_all the grading_attempts table; 0003 adds only what is missing."""
    from academy import migrations
    from runtime.db import engine

    db = release0_root / "data" / "academy.sqlite"
    with sqlite3.connect(db) as con:
        con.execute("ALTER TABLE grading_results ADD COLUMN attempt INTEGER DEFAULT 0")
        con.execute("ALTER TABLE grading_results ADD COLUMN items TEXT DEFAULT '[]'")
    engine(f"sqlite:///{db}")  # create_all: grading_attempts
    assert academy(release0_root, "migrate").returncode == 0
    assert migrations.current(f"sqlite:///{db}") == migrations.head()
    assert table_rows(f"sqlite:///{db}") == expected_after_upgrade()


def test_every_revision_id_fits_alembic_version_on_postgresql():
    """alembic_version.version_num is VARCHAR(32) on PostgreSQL: a longer id passes on SQLite (which
    ignores lengths) and fails the upgrade on PostgreSQL (CI failed this way on 0004)."""
    from alembic.script import ScriptDirectory

    from academy import migrations

    ids = [s.revision for s in ScriptDirectory.from_config(migrations.config("")).walk_revisions()]
    assert ids and all(len(i) <= 32 for i in ids), [i for i in ids if len(i) > 32]


def test_revisions_build_exactly_the_models(tmp_path):
    """Every schema change needs its revision: a column added to a model without one fails here."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from academy import migrations

    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    assert migrations.upgrade(url) == migrations.head()
    eng = create_engine(url)
    with eng.connect() as con:
        diff = compare_metadata(MigrationContext.configure(con, opts={"compare_type": True}),
                                migrations.models.metadata())
    eng.dispose()
    assert diff == [], f"models differ from the migrations' schema: add a revision (docs/operations.md): {diff}"


def test_database_made_by_create_all_at_head_is_stamped_not_migrated(tmp_path):
    from academy import migrations
    from runtime.db import engine

    url = f"sqlite:///{tmp_path / 'made.sqlite'}"
    engine(url)  # what a tool run before `up` does: create_all with today's models
    assert migrations.upgrade(url) == migrations.head()


class _Api(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 — the hub API's root answers 200
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def test_cli_refuses_to_upgrade_under_a_running_academy(release0_root):
    server = http.server.HTTPServer(("127.0.0.1", 0), _Api)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        (release0_root / "hub").mkdir()
        (release0_root / "hub" / "running.json").write_text(json.dumps(
            {"pid": os.getpid(), "api_url": f"http://127.0.0.1:{server.server_port}/hub/api"}))
        proc = academy(release0_root, "migrate")
    finally:
        server.shutdown()
    assert proc.returncode == 2 and "学院正在运行" in proc.stderr
    assert "alembic_version" not in _names(release0_root / "data" / "academy.sqlite")
