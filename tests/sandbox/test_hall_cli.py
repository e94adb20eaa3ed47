"""`python -m sandbox simulate`: exit codes, JSON, the summary table, pluggable command modules."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from sandbox import cli

ARGS = ["simulate", "--days", "3", "--seed", "2", "--start", "2024-03-04"]


def test_json_output_and_storage(tmp_path, capsys):
    db = tmp_path / "cli.sqlite"
    assert cli.main([*ARGS, "--db", str(db), "--json", "--run-id", "r1"]) == 0
    out = json.loads(capsys.readouterr().out)
    for k in ("cases", "mean_wait_min", "p90_wait_min", "one_visit_rate", "on_time_rate", "satisfaction_rate"):
        assert k in out
    assert out["run_id"] == "r1" and out["cases"] > 10_000 and out["data_mark"] == "合成数据"
    import sandbox as sb
    assert len(sb.load_records(db, "r1")) == out["cases"]


def test_bad_scenario_exits_2_naming_the_field(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('extends = "baseline"\n[changes]\n"halls.0.windows.税务" = -3\n', encoding="utf-8")
    assert cli.main([*ARGS, "--db", str(tmp_path / "x.sqlite"), "--scenario", str(bad)]) == 2
    assert "halls[0].windows.税务" in capsys.readouterr().err


def test_bad_arguments_exit_2(tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        cli.main(["simulate", "--days", "0", "--seed", "1", "--db", str(tmp_path / "x.sqlite")])
    assert e.value.code == 2
    assert cli.main(["simulate", "--days", "2", "--seed", "1", "--db", str(tmp_path / "x.sqlite"),
                     "--start", "2003-12-30"]) == 2
    assert "2003-12-30" in capsys.readouterr().err


def test_other_failures_exit_1(tmp_path, capsys, monkeypatch):
    import sandbox.hall

    def broken(*_a, **_k):
        raise RuntimeError("磁盘坏了")

    monkeypatch.setattr(sandbox.hall, "simulate", broken)
    assert cli.main([*ARGS, "--db", str(tmp_path / "x.sqlite")]) == 1
    assert "运行失败" in capsys.readouterr().err


def test_every_part_has_its_verb():
    text = cli.build_parser().format_help()
    assert all(verb in text for verb in ("simulate", "hotline", "bulletin", "platform"))


def test_real_entry_point_prints_a_table(tmp_path):
    p = subprocess.run([sys.executable, "-m", "sandbox", *ARGS, "--db", str(tmp_path / "t.sqlite"), "--scenario",
                        "stressed"], capture_output=True, text=True, timeout=240)
    assert p.returncode == 0, p.stderr
    assert "平均等候" in p.stdout and "合成数据" in p.stdout and "一次办成率" in p.stdout
