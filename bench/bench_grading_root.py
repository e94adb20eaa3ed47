"""Grading speed in root mode (real grader account, every submission's kernel isolated as root
mode isolates it): N synthetic submissions of demo/ps1 graded by the academy's parallel autograde
against plain `nbgrader autograde` (stock config, one command, as root) on the same submissions,
same run. demo/ps1 is a code assignment graded as data since issue 12 (grading.code_grade); the
baseline grades the same notebooks as the course was before (tests/grading/fixtures/notebookcourse,
hidden tests in the kernel), so the scores still match. Root only (returns {"skipped": ...} otherwise). ``BENCH_GRADING_N`` (default 40) and
``ACADEMY_TEST_RUNTIME`` (the shared runtime venv, as the root-mode tests use) apply.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "grading" / "fixtures"
MIX = ["good", "wrong", "hardcoded", "tests-edited", "tests-deleted", "always-equal", "redefine-names"]
STOCK_CONFIG = """c = get_config()
c.CourseDirectory.course_id = {cid!r}
c.CourseDirectory.root = {root!r}
c.CourseDirectory.db_url = "sqlite:///{root}/gradebook.db"
c.Exchange.root = {exchange!r}
c.Exchange.path_includes_course = True
c.Execute.timeout = 30
"""


def _submissions(root: Path, n: int, owner: tuple[int, int] | None) -> list[str]:
    students = []
    for i in range(n):
        student = f"bench{i:03d}"
        d = root / "submitted" / student / "ps1"
        d.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / f"submitted-{MIX[i % len(MIX)]}.ipynb", d / "ps1.ipynb")
        (d / "timestamp.txt").write_text("2026-12-01 10:00:00.000000 UTC")
        students.append(student)
    if owner:
        from runtime.unix import chown_tree

        chown_tree(root / "submitted", *owner)
    return students


def _runtime(tmp: Path):
    """A root-mode runtime root in ``tmp`` sharing the test session's runtime venv."""
    from academy import runtime
    from runtime.paths import Paths
    from runtime.settings import Settings, current

    shared = Paths(root=Path(current().test_runtime), root_mode=True)
    shared.root.mkdir(parents=True, exist_ok=True)
    os.chmod(shared.root, 0o755)
    runtime.ensure_runtime_venv(shared, REPO)
    (tmp / "venv").symlink_to(shared.venv)
    return Settings(root_mode=True, root_dir=str(tmp))


def run() -> dict:
    if os.geteuid() != 0:
        return {"skipped": "root mode needs root"}
    n = int(os.environ.get("BENCH_GRADING_N", "40"))
    sys.path.insert(0, str(REPO))
    tmp = Path(tempfile.mkdtemp(prefix="bench-grading-root-", dir="/tmp"))
    os.chmod(tmp, 0o755)
    cid = "zbench"
    from runtime import accounts

    try:
        from academy import runtime
        from grading.autograde import autograde
        from grading.course_root import prepare
        from grading.nbgrader_env import gradebook

        settings = _runtime(tmp)
        paths = settings.paths
        runtime.prepare_runtime(paths, root_mode=True, courses=[cid], checkout=None)
        src = tmp / "src" / cid
        shutil.copytree(REPO / "courses" / "demo", src)
        toml = src / "course.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace('id = "demo"', f'id = "{cid}"'), encoding="utf-8")
        ours = paths.course_root(cid)
        prepare(src, ours, paths.exchange, settings=settings)
        base = tmp / "baseline" / cid
        before = tmp / "src-before" / cid
        shutil.copytree(REPO / "tests" / "grading" / "fixtures" / "notebookcourse", before)
        (before / "course.toml").write_text((before / "course.toml").read_text(encoding="utf-8").replace(
            'id = "demo"', f'id = "{cid}"'), encoding="utf-8")
        prepare(before, base, tmp / "baseline-exchange", settings=settings)
        (base / "nbgrader_config.py").write_text(STOCK_CONFIG.format(cid=cid, root=str(base), exchange=str(tmp / "baseline-exchange")))
        st = ours.stat()
        students = _submissions(ours, n, (st.st_uid, st.st_gid))
        _submissions(base, n, None)

        t0 = time.perf_counter()
        proc = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "autograde", "ps1", "--force"],
                              cwd=base, capture_output=True, text=True)
        baseline_s = time.perf_counter() - t0
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr[-2000:])
        workers = os.cpu_count() or 1
        t0 = time.perf_counter()
        report = autograde(cid, "ps1", ours, workers=workers, students=students, settings=settings)
        ours_s = time.perf_counter() - t0
        with gradebook(base) as gb_b:
            theirs = {s: gb_b.find_submission("ps1", s).score for s in students}
        diff = sum(1 for r in report["submissions"] if r["score"] != theirs[r["student"]])
        isolation = sorted({r["isolation"].split(":")[0] for r in report["submissions"]})
        return {
            "submissions": n,
            "workers": workers,
            "isolation": ",".join(isolation),
            "baseline_nbgrader_autograde_s": round(baseline_s, 2),
            "root_parallel_autograde_s": round(ours_s, 2),
            "root_per_submission_s": round(ours_s / n, 3),
            "speedup_ratio": round(baseline_s / ours_s, 2),
            "failed_submissions": sum(1 for r in report["submissions"] if r["status"] != "graded"),
            "score_mismatches_vs_nbgrader": diff,
            "load_avg_1m_at_end": round(os.getloadavg()[0], 2),
        }
    finally:
        try:
            accounts.remove_account(accounts.grader_account_name(cid), remove_home=False)
        except Exception:
            pass
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    print(run())
