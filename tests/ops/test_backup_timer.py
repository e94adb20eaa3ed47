"""`python -m academy install-backup-timer`: a oneshot backup service and its daily timer, both
clean under `systemd-analyze verify`; bad input exits 2 with nothing written."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from academy import service

REPO = Path(__file__).resolve().parents[2]
PYTHON = REPO / ".venv" / "bin" / "python"
ANALYZE = Path(service.SYSTEMD_ANALYZE)

pytestmark = pytest.mark.skipif(not ANALYZE.exists(), reason="systemd-analyze not installed")


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(PYTHON), "-m", "academy", "install-backup-timer", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=120)


def test_units_are_written_and_verify(tmp_path):
    units = tmp_path / "units"
    proc = cli("--unit-dir", str(units), "--root", "/srv/academy", "--into", "/var/backups/academy",
               "--keep", "7", "--at", "03:15")
    assert proc.returncode == 0, proc.stderr
    for name in ("academy-backup.service", "academy-backup.timer"):
        check = subprocess.run([str(ANALYZE), "verify", str(units / name)], capture_output=True, text=True, timeout=60)
        assert (check.returncode, check.stdout + check.stderr) == (0, ""), name
    svc = (units / "academy-backup.service").read_text(encoding="utf-8")
    assert f"ExecStart={PYTHON} -m academy backup --into /var/backups/academy --keep 7" in svc.splitlines()
    assert "EnvironmentFile=-/etc/academy/academy.env" in svc  # the PostgreSQL URL, as the academy's unit
    timer = (units / "academy-backup.timer").read_text(encoding="utf-8").splitlines()
    assert "OnCalendar=*-*-* 03:15:00" in timer and "Persistent=true" in timer


@pytest.mark.parametrize("args", [["--at", "25:00"], ["--keep", "0"], ["--into", "/srv/academy/bk"],
                                  ["--into", "relative/dir"]])
def test_bad_input_exits_2_and_writes_nothing(tmp_path, args):
    proc = cli("--unit-dir", str(tmp_path / "units"), "--root", "/srv/academy", *args)
    assert proc.returncode == 2 and "未写入" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "units").exists()
