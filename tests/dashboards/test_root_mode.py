"""Root mode: the dashboards service runs as `academy-dash`, which can read the masked read model and
nothing of the academy database or the raw city runs. (Skipped unless root; creates the system
account `academy-dash` the product itself uses.)"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from tests.hub.test_config import show_config

pytestmark = [pytest.mark.timeout(300),
              pytest.mark.skipif(os.geteuid() != 0, reason="root mode needs root")]


def test_service_runs_as_its_own_account(tmp_path):
    cfg = show_config(tmp_path)  # root mode: no ACADEMY_SINGLE_USER
    services = {s["name"]: s for s in cfg["JupyterHub"]["services"]}
    dash = services["dashboards"]
    assert dash["user"] == "academy-dash"
    assert dash["environment"]["HOME"] == str(tmp_path / "root" / "dashboards-home")
    assert "ACADEMY_DB_URL" not in dash["environment"]
    # The refresher reads the academy DB: it stays with the hub's account and has no URL (no web).
    assert "user" not in services["dashboards-data"] and "url" not in services["dashboards-data"]


def _as_dash(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(["setpriv", "--reuid", "academy-dash", "--regid", "academy-dash", "--clear-groups",
                           *argv], capture_output=True, text=True, timeout=60)


def test_dash_account_reads_the_read_model_only():
    from academy import readmodel
    from runtime.paths import Paths

    root = Path(tempfile.mkdtemp(prefix="dash-root-", dir="/var/tmp"))
    try:
        os.chmod(root, 0o755)
        paths = Paths(root=root, root_mode=True)
        paths.data_dir.mkdir(mode=0o700)
        secret = paths.data_dir / "academy.sqlite"
        secret.write_text("people")
        (paths.data_dir / "city").mkdir(mode=0o700)
        (paths.data_dir / "city" / "city.sqlite").write_text("runs")
        readmodel._write_tables(paths, {"leaders": pd.DataFrame({"account": ["a"], "scope": ["全市"]})}, {})
        rm = readmodel.db_path(paths)
        assert oct(rm.stat().st_mode & 0o777) == "0o640" and oct(rm.parent.stat().st_mode & 0o777) == "0o750"
        ok = _as_dash("head", "-c", "15", str(rm))
        assert ok.returncode == 0 and ok.stdout == "SQLite format 3", ok.stderr
        for path in (secret, paths.data_dir / "city" / "city.sqlite"):
            denied = _as_dash("head", "-c", "15", str(path))
            assert denied.returncode != 0 and "Permission denied" in denied.stderr, path
        home = root / "dashboards-home"
        assert home.stat().st_uid != 0 and oct(home.stat().st_mode & 0o777) == "0o700"
    finally:
        shutil.rmtree(root, ignore_errors=True)
