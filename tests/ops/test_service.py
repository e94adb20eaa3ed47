"""`python -m academy install-service`: the unit is written, passes `systemd-analyze verify`, and bad
input is refused with exit 2 and nothing written."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from academy import service

REPO = Path(__file__).resolve().parents[2]
PYTHON = REPO / ".venv" / "bin" / "python"
ANALYZE = Path(service.SYSTEMD_ANALYZE)

pytestmark = pytest.mark.skipif(not ANALYZE.exists(), reason="systemd-analyze not installed")


def unit_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(PYTHON), "-m", "academy", "install-service", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=120)


def test_unit_is_written_and_verifies(tmp_path):
    opts = service.UnitOptions(root=tmp_path / "srv", port=8443, after=("postgresql.service",))
    assert service.install(opts, tmp_path / "units") == 0
    unit = tmp_path / "units" / "academy.service"
    # The verify the command ran, again here: clean means no output at all (warnings count).
    proc = subprocess.run([str(ANALYZE), "verify", str(unit)], capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stdout + proc.stderr) == (0, "")
    lines = unit_lines(unit.read_text(encoding="utf-8"))
    assert "Restart=on-failure" in lines
    assert "After=network-online.target postgresql.service" in lines
    assert "Wants=network-online.target postgresql.service" in lines
    assert "KillMode=mixed" in lines
    assert f"ExecStart={PYTHON} -m academy serve" in lines
    assert f'Environment="ACADEMY_ROOT={tmp_path / "srv"}"' in lines
    assert 'Environment="ACADEMY_PORT=8443"' in lines
    assert oct(unit.stat().st_mode & 0o777) == "0o644"


def test_database_ordering_only_when_asked(tmp_path):
    text = service.unit_text(service.UnitOptions(root=tmp_path / "srv"))
    assert "postgresql" not in text
    assert "After=network-online.target" in unit_lines(text)


def test_tls_settings_go_into_the_unit(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.write_text("not checked here")
    key.write_text("not checked here")
    key.chmod(0o600)
    opts = service.UnitOptions(root=tmp_path / "srv", bind_ip="0.0.0.0", tls_cert=cert, tls_key=key)
    assert service.option_errors(opts) == []
    lines = unit_lines(service.unit_text(opts))
    assert f'Environment="ACADEMY_TLS_CERT={cert}"' in lines
    assert f'Environment="ACADEMY_TLS_KEY={key}"' in lines
    assert 'Environment="ACADEMY_BIND_IP=0.0.0.0"' in lines


def test_percent_in_a_path_is_escaped(tmp_path):
    """'%b' would be systemd's boot-id specifier: a literal '%' must be written '%%'."""
    opts = service.UnitOptions(root=tmp_path / "a%b")
    assert f'Environment="ACADEMY_ROOT={tmp_path}/a%%b"' in unit_lines(service.unit_text(opts))
    assert service.install(opts, tmp_path / "units") == 0


def test_verify_finds_a_broken_unit(tmp_path):
    """The check can fail: a missing ExecStart binary is an error, a bad value at least a warning."""
    good = service.unit_text(service.UnitOptions(root=tmp_path / "srv"))
    missing = tmp_path / "missing.service"
    missing.write_text(good.replace(str(PYTHON), str(tmp_path / "no-such-python")))
    assert any("no-such-python" in f for f in service.verify(missing))
    typo = tmp_path / "typo.service"
    typo.write_text(good.replace("Restart=on-failure", "Restart=on-failur"))
    assert any("on-failur" in f for f in service.verify(typo))  # only a warning: still a finding


@pytest.mark.parametrize("args, words", [
    (["--after", "postgres ql"], "systemd 单元名"),
    (["--root", str(REPO / "var")], "代码目录之内"),
    (["--root", "relative/path"], "绝对路径"),
    (["--bind", "0.0.0.0"], "HTTPS"),
    (["--tls-cert", "/etc/hostname"], "同时设置"),
    (["--port", "70000"], "端口"),
    (["--name", "a b"], "服务名"),
])
def test_bad_input_exits_2_and_writes_nothing(tmp_path, args, words):
    proc = cli("--unit-dir", str(tmp_path), "--root", str(tmp_path / "srv"), *args)
    assert proc.returncode == 2, proc.stderr
    assert words in proc.stderr
    assert "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_world_readable_key_is_refused(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.write_text("x")
    key.write_text("x")
    key.chmod(0o644)
    proc = cli("--unit-dir", str(tmp_path / "units"), "--root", str(tmp_path / "srv"),
               "--tls-cert", str(cert), "--tls-key", str(key))
    assert proc.returncode == 2
    assert "chmod 600" in proc.stderr
    assert not (tmp_path / "units").exists()


def test_cli_writes_a_verified_unit(tmp_path):
    proc = cli("--unit-dir", str(tmp_path), "--root", str(tmp_path / "srv"), "--after", "postgresql.service")
    assert proc.returncode == 0, proc.stderr
    assert "通过 / clean" in proc.stdout
    assert (tmp_path / "academy.service").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="as root the default unit directory is writable")
def test_default_unit_dir_needs_root(tmp_path):
    proc = cli("--root", str(tmp_path / "srv"))
    assert proc.returncode == 2 and "root" in proc.stderr


def test_the_unit_runs_an_existing_verb():
    proc = subprocess.run([str(PYTHON), "-m", "academy", "serve", "--help"], cwd=REPO, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0 and "--port" in proc.stdout
