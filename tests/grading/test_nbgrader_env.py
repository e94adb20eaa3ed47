"""grading.nbgrader_env: nbgrader set up once per process."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.timeout(120)


def test_alembic_heads_runs_at_most_once_per_process(tmp_path, monkeypatch):
    """nbgrader runs `alembic heads` (a subprocess of seconds) for every gradebook it creates; a
    process that builds several courses must pay it once."""
    from grading import nbgrader_env

    nbgrader_env.ensure_venv_on_path()
    import nbgrader.api as nbapi

    runs = []
    real = nbapi.sp.check_output
    monkeypatch.setattr(nbapi.sp, "check_output", lambda *a, **k: runs.append(a) or real(*a, **k))
    for name in ("one", "two", "three"):
        nbapi.Gradebook(f"sqlite:///{tmp_path / name}.db", "c").close()
    assert len([r for r in runs if "alembic" in str(r)]) <= 1, runs
