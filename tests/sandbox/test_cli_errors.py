"""CLI errors are clear and lose nothing (issue 13 §5): exit 2, a Chinese message, no traceback — for
``simulate``, ``hotline`` and ``bulletin`` alike, because they share one run-table layer
(sandbox/storage/runs.py) and one calendar (sandbox/base/calendar.py)."""
from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from sandbox import cli

HALL = ["simulate", "--days", "1", "--seed", "3", "--start", "2024-03-04"]
HOTLINE = ["hotline", "--months", "1", "--seed", "3", "--start", "2024-03", "--volume", "200"]
VERBS = {"simulate": HALL, "hotline": HOTLINE}


def _run(capsys, *args) -> tuple[int, str, str]:
    try:
        code = cli.main([str(a) for a in args])
    except SystemExit as e:  # argparse's own exit (bad arguments)
        code = e.code
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "Traceback" not in out
    return code, out, err


def _fingerprint(db: Path) -> tuple[str, tuple[str, ...]]:
    """The database's whole content (schema and every row) and its tables. Content, not file bytes:
    SQLite may checkpoint the WAL of an earlier write at any close, which moves bytes between files."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        digest = hashlib.sha256("\n".join(con.iterdump()).encode()).hexdigest()
        tables = tuple(sorted(r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")))
    finally:
        con.close()
    return digest, tables


@pytest.mark.parametrize("verb", ["simulate", "hotline", "bulletin"])
def test_db_that_is_a_directory_exits_2(verb, tmp_path, capsys):
    args = VERBS.get(verb, ["bulletin", "--month", "2024-03", "--out", tmp_path / "out"])
    code, _, err = _run(capsys, *args, "--db", tmp_path)
    assert code == 2 and "是一个目录" in err


@pytest.mark.parametrize("verb", ["simulate", "hotline", "bulletin"])
def test_db_that_is_not_sqlite_exits_2_and_is_left_alone(verb, tmp_path, capsys):
    db = tmp_path / "notes.sqlite"
    db.write_text("这不是数据库\n", encoding="utf-8")
    args = VERBS.get(verb, ["bulletin", "--month", "2024-03", "--out", tmp_path / "out"])
    code, _, err = _run(capsys, *args, "--db", db)
    assert code == 2 and "不是 SQLite 数据库文件" in err
    assert db.read_text(encoding="utf-8") == "这不是数据库\n"


@pytest.mark.parametrize("verb", ["simulate", "hotline"])
def test_db_in_a_missing_directory_is_created_by_both_verbs(verb, tmp_path, capsys):
    db = tmp_path / "new" / "deeper" / "runs.sqlite"
    code, out, err = _run(capsys, *VERBS[verb], "--db", db, "--json")
    assert code == 0, err
    assert db.exists() and json.loads(out)["run_id"]


@pytest.mark.parametrize("verb", ["simulate", "hotline"])
def test_same_run_id_twice_is_refused_unless_replace(verb, tmp_path, capsys):
    db = tmp_path / "runs.sqlite"
    code, first, err = _run(capsys, *VERBS[verb], "--db", db, "--run-id", "r1", "--json")
    assert code == 0, err
    before = _fingerprint(db)
    code, _, err = _run(capsys, *VERBS[verb], "--db", db, "--run-id", "r1", "--json", "--seed", "4")
    assert code == 2 and "r1 已存在" in err and "--replace" in err
    assert _fingerprint(db) == before  # nothing lost, nothing written
    code, again, err = _run(capsys, *VERBS[verb], "--db", db, "--run-id", "r1", "--json", "--seed", "4", "--replace")
    assert code == 0, err
    assert json.loads(again)["run_id"] == "r1"


def test_hotline_months_limit_is_stated_up_front(tmp_path, capsys):
    code, _, err = _run(capsys, "hotline", "--months", "100000", "--seed", "1", "--db", tmp_path / "a.sqlite")
    assert code == 2 and "1 到 120" in err
    assert not (tmp_path / "a.sqlite").exists()
    with pytest.raises(SystemExit):
        cli.main(["hotline", "--help"])
    assert "1–120" in capsys.readouterr().out


def test_hotline_volume_limit_is_stated_up_front(tmp_path, capsys):
    code, _, err = _run(capsys, "hotline", "--months", "1", "--volume", "1e9", "--seed", "1", "--db", tmp_path / "a.sqlite")
    assert code == 2 and "100,000" in err
    code, _, err = _run(capsys, "hotline", "--months", "120", "--volume", "90000", "--seed", "1",
                        "--db", tmp_path / "a.sqlite")
    assert code == 2 and "2,400,000" in err  # months × volume bounded as well, before anything runs
    assert not (tmp_path / "a.sqlite").exists()


def test_bulletin_on_a_hall_only_database_does_not_write_to_it(tmp_path, capsys):
    db = tmp_path / "hall.sqlite"
    code, _, err = _run(capsys, *HALL, "--db", db, "--json")
    assert code == 0, err
    before = _fingerprint(db)
    code, _, err = _run(capsys, "bulletin", "--month", "2024-03", "--db", db, "--out", tmp_path / "out")
    assert code == 2 and "没有热线模拟数据" in err
    assert _fingerprint(db) == before
    assert not any(t.startswith("hotline_") for t in before[1])  # no empty hotline tables added


@pytest.mark.parametrize("verb,start", [("simulate", "1999-12-31"), ("hotline", "1990-01")])
def test_dates_before_the_calendar_are_refused_by_both_verbs(verb, start, tmp_path, capsys):
    args = [a if a not in ("2024-03-04", "2024-03") else start for a in VERBS[verb]]
    code, _, err = _run(capsys, *args, "--db", tmp_path / "a.sqlite")
    assert code == 2 and "2004" in err
    assert not (tmp_path / "a.sqlite").exists()
