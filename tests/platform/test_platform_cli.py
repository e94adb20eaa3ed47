"""`python -m sandbox platform`: the JSON summary, and named bad inputs (exit 2, Chinese, no traceback)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox.cli import main

KEYS = ("users", "online_applications", "online_rate", "full_online_rate", "paper_avoided", "share_calls",
        "benefits_paid")


def test_json_summary_and_storage(tmp_path, capsys):
    db = tmp_path / "runs.sqlite"
    assert main(["platform", "--days", "2", "--seed", "4", "--db", str(db), "--run-id", "p1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert all(k in out for k in KEYS) and out["data_mark"] == "合成数据" and out["run_id"] == "p1"
    assert out["online_applications"] > 0 and out["share_calls"] > 0 and out["benefits_paid"] >= 0
    from sandbox.storage.platform import list_platform_runs
    assert list(list_platform_runs(db)["run_id"]) == ["p1"]


def test_the_same_run_id_twice_is_refused_unless_replace(tmp_path, capsys):
    db = tmp_path / "runs.sqlite"
    args = ["platform", "--days", "1", "--seed", "4", "--db", str(db), "--run-id", "p1"]
    assert main(args) == 0
    capsys.readouterr()
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "已存在" in err and "--replace" in err and "Traceback" not in err
    assert main(args + ["--replace"]) == 0


@pytest.mark.parametrize("kind", ["directory", "not_sqlite"])
def test_a_db_that_is_not_a_database_file_is_refused(kind, tmp_path, capsys):
    db = tmp_path / "runs.sqlite"
    if kind == "directory":
        db.mkdir()
    else:
        db.write_text("这不是数据库", encoding="utf-8")
    assert main(["platform", "--days", "1", "--seed", "4", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert ("目录" in err if kind == "directory" else "不是 SQLite" in err) and "Traceback" not in err
    assert kind == "directory" or db.read_text(encoding="utf-8") == "这不是数据库"


def test_table_output_is_marked(tmp_path, capsys):
    assert main(["platform", "--days", "1", "--seed", "4", "--db", str(tmp_path / "r.sqlite")]) == 0
    out = capsys.readouterr().out
    assert "合成数据" in out and "网办率" in out


BAD = {
    "days_zero": (["--days", "0"], "应为正整数"),
    "days_text": (["--days", "十"], "应为正整数"),
    "seed_negative": (["--seed", "-3"], "种子应为非负整数"),
    "start_malformed": (["--start", "2024/01/01"], "日期应写成 YYYY-MM-DD"),
    "start_outside_calendar": (["--start", "2031-01-01"], "超出工作日历范围"),
    "unknown_scenario": (["--scenario", "nosuch"], "没有名为 'nosuch' 的平台场景"),
    "too_many_days": (["--days", "5000"], "最多 3660 天"),
}


def _args(tmp_path: Path, override: list[str]) -> list[str]:
    base = {"--days": "1", "--seed": "1", "--db": str(tmp_path / "x.sqlite")}
    extra = []
    it = iter(override)
    for k in it:
        v = next(it)
        if k in base:
            base[k] = v
        else:
            extra += [k, v]
    return ["platform"] + [x for kv in base.items() for x in kv] + extra


def _main(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as e:  # argparse's own exit (code 2) for malformed arguments
        return int(e.code)


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_exits_2_in_chinese(case, tmp_path, capsys):
    override, message = BAD[case]
    assert _main(_args(tmp_path, override)) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "x.sqlite").exists()


def test_a_real_process_prints_no_traceback(tmp_path):
    r = subprocess.run([sys.executable, "-m", "sandbox", *_args(tmp_path, ["--start", "2031-01-01"])],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "超出工作日历范围" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("case,toml,field", [
    ("wrong_type", 'extends = "baseline"\n[changes]\n"licences.cross_region" = "yes"\n', "licences.cross_region"),
    ("out_of_range", 'extends = "baseline"\n[changes]\n"migration.p_duplicate" = 1.5\n', "migration.p_duplicate"),
    ("unknown_key", 'extends = "baseline"\n[changes]\n"identity.colour" = 1\n', "identity.colour"),
    ("levels_not_summing", 'extends = "baseline"\n[changes]\n"identity.level_shares" = [0.5, 0.5, 0.5]\n',
     "identity.level_shares"),
    ("bad_hall_scenario", 'extends = "baseline"\nhall_scenario = "nosuch"\n', "hall_scenario"),
    ("not_toml", "this is = = not toml", "scenario"),
])
def test_bad_scenario_file_names_the_field(case, toml, field, tmp_path, capsys):
    f = tmp_path / f"{case}.toml"
    f.write_text(toml, encoding="utf-8")
    assert _main(_args(tmp_path, ["--scenario", str(f)])) == 2
    err = capsys.readouterr().err
    assert f"平台场景参数 {field}" in err and "Traceback" not in err, err
