"""runtime.settings: the mode is decided once from the environment, every setting documented, and
settings survive the trip to a child process unchanged."""
from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from runtime.settings import Settings, SettingsError

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.timeout(120)


@pytest.mark.parametrize("env, euid, root_mode", [
    ({}, 0, True),
    ({"ACADEMY_SINGLE_USER": "1"}, 0, False),
    ({"ACADEMY_SINGLE_USER": "0"}, 0, True),
    ({}, 1000, False),
])
def test_mode_is_decided_from_euid_and_single_user(env, euid, root_mode):
    s = Settings.from_env(env, euid=euid)
    assert s.root_mode is root_mode
    assert s.root == (Path("/srv/academy") if root_mode else REPO / "var")


def test_every_setting_has_a_variable_a_default_and_help():
    for f in dataclasses.fields(Settings):
        assert f.metadata.get("help"), f.name
        assert f.name == "root_mode" or f.metadata["env"].startswith("ACADEMY_"), f.name


@pytest.mark.parametrize("euid", [0, 1000])
def test_child_env_rebuilds_the_same_settings(tmp_path, euid):
    s = Settings.from_env({"ACADEMY_ROOT": str(tmp_path), "ACADEMY_PORT": "18000", "ACADEMY_COURSES": "demo,guides",
                           "ACADEMY_OAUTH_SCOPES": "openid email", "ACADEMY_GRADE_ON_SUBMIT": "0"}, euid=euid)
    again = Settings.from_env(s.child_env(), euid=euid)
    assert again.root_mode == s.root_mode
    # a child of a non-root process is told single-account mode outright; nothing else differs
    assert again.replace(single_user=s.single_user) == s
    single = Settings.single_account(tmp_path)
    assert Settings.from_env(single.child_env(), euid=0) == single.replace(root_dir=str(tmp_path.resolve()))


def test_bad_variable_is_a_clear_error_without_traceback():
    with pytest.raises(SettingsError, match="ACADEMY_PORT"):
        Settings.from_env({"ACADEMY_PORT": "八千"})
    proc = subprocess.run([sys.executable, "-m", "academy", "up"], cwd=REPO, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "ACADEMY_PORT": "八千", "ACADEMY_SINGLE_USER": "1",
                               "ACADEMY_ROOT": "/nonexistent/academy-test"}, timeout=100)
    assert proc.returncode == 2 and "环境变量 ACADEMY_PORT" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("rounds", ["3", "17", "十二"])
def test_password_rounds_outside_bcrypts_range_are_refused(rounds):
    with pytest.raises(SettingsError, match="ACADEMY_PASSWORD_ROUNDS"):
        Settings.from_env({"ACADEMY_PASSWORD_ROUNDS": rounds})


def test_new_passwords_are_hashed_at_the_set_cost_and_verify(monkeypatch):
    import bcrypt

    from academy import hubsync
    from runtime import settings as settings_mod

    monkeypatch.setenv("ACADEMY_PASSWORD_ROUNDS", "5")
    settings_mod.current.cache_clear()
    try:
        words = [f"口令-{i}" for i in range(5)]
        hashes = hubsync.hash_passwords(words)
    finally:
        monkeypatch.undo()
        settings_mod.current.cache_clear()
    assert [h[:7] for h in hashes] == [b"$2b$05$"] * 5  # in the order given, at the set cost
    assert all(bcrypt.checkpw(w.encode(), h) for w, h in zip(words, hashes))
    assert Settings().password_rounds == 12  # the product's default
