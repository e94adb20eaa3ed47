"""`python -m academy backup DIR` while a real academy runs (single-account mode), and `restore DIR`
into a new ACADEMY_ROOT that then starts and shows the same people, grades, certificates and
submissions; the passwords of before still log in. Planted links and a FIFO in a home are not
followed; a damaged backup, a non-empty target and a non-empty backup folder are refused (exit 2)."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from runtime.paths import Paths
from tests.backup_helpers import academy, snapshot, work
from tests.hubfixture import read_passwords, start_hub

# A backup of a running academy restored into a new one: a durability round trip, `make test-long`
# (tests/ops/test_backup_root.py and the crash matrix's backup points are the other backup tests).
pytestmark = [pytest.mark.long, pytest.mark.slow, pytest.mark.timeout(1200)]


@pytest.fixture(scope="module")
def backed_up(tmp_path_factory):
    base = tmp_path_factory.mktemp("backup")
    root = base / "old"
    hub = start_hub(root, single_user=True, extra_env={"ACADEMY_GRADE_ON_SUBMIT": "0"})
    try:
        good, wrong = work(Paths(root, False))
        home = root / "homes" / wrong / "demo"
        os.symlink("/etc/shadow", home / "shadow-link")          # a trainee's planted links
        os.symlink(str(root / "data"), home / "data-link")
        os.mkfifo(home / "pipe")                                    # would hang a naive copy
        t0 = time.monotonic()
        proc = academy(root, "backup", str(base / "bk"))             # while the hub runs
        took = time.monotonic() - t0
        assert proc.returncode == 0, proc.stderr
        before = snapshot(Paths(root, False))
    finally:
        hub.stop()
    manifest = json.loads((base / "bk" / "manifest.json").read_text(encoding="utf-8"))
    print(f"\nbackup of the demo academy: {took:.1f} s, {manifest['total_bytes'] / 1e6:.2f} MB, "
          f"{len(manifest['files'])} entries; {proc.stdout}")
    return {"base": base, "root": root, "bk": base / "bk", "manifest": manifest, "before": before,
            "good": good, "wrong": wrong}


def test_manifest_records_what_and_flags_synthetic(backed_up):
    m = backed_up["manifest"]
    assert m["synthetic"] is True and m["notice"].startswith("合成数据")
    from academy import migrations

    assert m["schema_revision"] == migrations.head() and m["database"] == "sqlite"
    assert {d["name"] for d in m["databases"]} == {"hub", "academy", "gb_demo"}
    assert m["counts"]["submissions"] == 2 and m["counts"]["certificates"] == 1
    paths = {e["path"]: e for e in m["files"]}
    assert "hub/jupyterhub_cookie_secret" in paths and "hub/running.json" not in paths
    link = paths[f"homes/{backed_up['wrong']}/demo/shadow-link"]
    assert link["kind"] == "symlink" and link["target"] == "/etc/shadow" and "sha256" not in link
    assert f"homes/{backed_up['wrong']}/demo/pipe" not in paths
    planted = f"homes/{backed_up['wrong']}/demo/data-link"
    assert paths[planted]["kind"] == "symlink" and (backed_up["bk"] / "files" / planted).is_symlink()
    assert not [p for p in paths if p.startswith(planted + "/")]  # not followed into data/
    assert oct((backed_up["bk"]).stat().st_mode & 0o777) == "0o700"


def test_restore_brings_up_the_same_academy(backed_up, tmp_path):
    new = tmp_path / "new"
    proc = academy(new, "restore", str(backed_up["bk"]))
    assert proc.returncode == 0, proc.stderr
    after, before = snapshot(Paths(new, False)), backed_up["before"]
    assert sorted(after["files"]) == sorted(before["files"])
    assert [k for k in before["files"] if after["files"][k] != before["files"][k]] == []
    assert after == before
    assert str(new / "courses" / "demo") in (new / "courses" / "demo" / "nbgrader_config.py").read_text()
    assert os.readlink(new / "homes" / backed_up["wrong"] / "demo" / "shadow-link") == "/etc/shadow"
    roster = tmp_path / "empty.csv"
    roster.write_text("account,姓名,单位,县区,role,courses,cohort,active\n", encoding="utf-8")
    hub = start_hub(new, single_user=True, roster=roster, extra_env={"ACADEMY_GRADE_ON_SUBMIT": "0"})
    try:
        old_passwords = read_passwords(backed_up["root"])
        s = hub.login(backed_up["good"], old_passwords[backed_up["good"]])
        assert s.login_status == 302, "the password of before does not log in after the restore"
        assert hub.login(backed_up["good"], "wrong-password").login_status != 302
        assert snapshot(Paths(new, False))["certificates"] == backed_up["before"]["certificates"]
    finally:
        hub.stop()


def test_restore_refuses_a_non_empty_root(backed_up, tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "x").write_text("")
    proc = academy(tmp_path / "taken", "restore", str(backed_up["bk"]))
    assert proc.returncode == 2 and "不为空" in proc.stderr and "Traceback" not in proc.stderr
    assert sorted(os.listdir(tmp_path / "taken")) == ["x"]


def test_restore_refuses_a_damaged_backup(backed_up, tmp_path):
    import shutil

    bk = tmp_path / "bk"
    shutil.copytree(backed_up["bk"], bk, symlinks=True)
    victim = next(p for p in (bk / "files" / "courses" / "demo" / "submitted").rglob("*.ipynb"))
    victim.write_bytes(victim.read_bytes().replace(b"}", b" }", 1))
    proc = academy(tmp_path / "new", "restore", str(bk))
    assert proc.returncode == 2 and "备份已损坏" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "new").exists()


def test_backup_refuses_a_non_empty_folder(backed_up, tmp_path):
    (tmp_path / "x").write_text("")
    proc = academy(backed_up["root"], "backup", str(tmp_path))
    assert proc.returncode == 2 and "不为空" in proc.stderr and "Traceback" not in proc.stderr
