"""Grading speed: 100 synthetic submissions of demo/ps1, the academy's parallel autograde
(one worker per core, sandboxed kernels) against plain `nbgrader autograde` (stock nbgrader config,
one command for all submissions) on the same submissions, same run.

demo/ps1 is a code assignment graded as data since issue 12 (each kernel runs the notebook plus the
export step; the hidden checks run in the trusted grader process: grading.code_grade). The baseline
and the previous path (``previous_path_autograde_s``: the academy's nbgrader-based autograde with the
hidden tests in the kernel, SafeExecute's tamper checks) grade the same notebooks as the course was
before the change (tests/grading/fixtures/notebookcourse: the template's ps1 with its hidden tests),
so all three give the same scores (``score_mismatches_vs_nbgrader``). ``BENCH_GRADING_PREVIOUS=0``
skips the previous path.
Also the grade-on-submit latency of one new submission (service.run_once). ``BENCH_GRADING_N``
changes the number of submissions.
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
NOTEBOOK_COURSE = FIXTURES / "notebookcourse"  # demo/ps1 as it was: hidden tests in the kernel
# Ordinary submissions (right, wrong, partly right): what a cohort mostly sends.
MIX = ["good", "wrong", "hardcoded", "tests-edited", "tests-deleted", "always-equal", "redefine-names"]

STOCK_CONFIG = """c = get_config()
c.CourseDirectory.course_id = "demo"
c.CourseDirectory.root = {root!r}
c.CourseDirectory.db_url = "sqlite:///{root}/gradebook.db"
c.Exchange.root = {exchange!r}
c.Exchange.path_includes_course = True
c.Execute.timeout = 30
"""


def _cpu() -> float:
    import resource

    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        r = resource.getrusage(who)
        total += r.ru_utime + r.ru_stime
    return total


def _submissions(root: Path, n: int) -> list[str]:
    students = []
    for i in range(n):
        student = f"bench{i:03d}"
        d = root / "submitted" / student / "ps1"
        d.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / f"submitted-{MIX[i % len(MIX)]}.ipynb", d / "ps1.ipynb")
        (d / "timestamp.txt").write_text("2026-12-01 10:00:00.000000 UTC")
        students.append(student)
    return students


def run() -> dict:
    n = int(os.environ.get("BENCH_GRADING_N", "100"))
    tmp = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    sys.path.insert(0, str(REPO))
    from runtime.settings import Settings

    settings = Settings.single_account(tmp)  # passed to every grading call; os.environ untouched
    try:
        from grading.autograde import autograde
        from grading.course_root import prepare
        from grading.nbgrader_env import gradebook

        ours = tmp / "courses" / "demo"
        prepare(REPO / "courses" / "demo", ours, tmp / "exchange", settings=settings)
        prev = tmp / "previous" / "demo"
        prepare(NOTEBOOK_COURSE, prev, tmp / "exchange-previous", settings=settings)
        base = tmp / "baseline" / "demo"
        shutil.copytree(prev, base)
        (base / "nbgrader_config.py").write_text(STOCK_CONFIG.format(root=str(base), exchange=str(tmp / "exchange")))
        students = _submissions(ours, n)
        _submissions(base, n)
        _submissions(prev, n)

        # baseline: plain nbgrader autograde, one command for all submissions
        c0 = _cpu()
        t0 = time.perf_counter()
        proc = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "autograde", "ps1", "--force"],
                              cwd=base, capture_output=True, text=True)
        baseline_s = time.perf_counter() - t0
        baseline_cpu = _cpu() - c0
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr[-2000:])

        workers = os.cpu_count() or 1
        c0 = _cpu()
        t0 = time.perf_counter()
        report = autograde("demo", "ps1", ours, workers=workers, students=students, settings=settings)
        ours_s = time.perf_counter() - t0
        ours_cpu = _cpu() - c0
        previous_s = None
        if os.environ.get("BENCH_GRADING_PREVIOUS", "1") != "0":
            t0 = time.perf_counter()
            autograde("demo", "ps1", prev, workers=workers, students=students, settings=settings)
            previous_s = time.perf_counter() - t0

        # same scores as stock nbgrader (tampering-free submissions)
        with gradebook(ours) as gb_a, gradebook(base) as gb_b:
            diff = sum(1 for s in students
                       if gb_a.find_submission("ps1", s).score != gb_b.find_submission("ps1", s).score)

        # grade on submit: one new submission in the exchange → feedback released
        latency = _grade_on_submit_latency(tmp, ours, settings)
        return {
            "submissions": n,
            "workers": workers,
            "baseline_nbgrader_autograde_s": round(baseline_s, 2),
            "parallel_autograde_s": round(ours_s, 2),
            "baseline_per_submission_s": round(baseline_s / n, 3),
            "parallel_per_submission_s": round(ours_s / n, 3),
            "speedup_ratio": round(baseline_s / ours_s, 2),
            # the same submissions through the academy's previous (in-kernel hidden tests) path
            "previous_path_autograde_s": None if previous_s is None else round(previous_s, 2),
            "speedup_vs_previous_path": None if previous_s is None else round(previous_s / ours_s, 2),
            # CPU seconds (this process + every reaped child: workers, kernels, nbgrader) per
            # submission; on an idle machine the wall-clock ratio tends to workers × cpu ratio
            "baseline_cpu_per_submission_s": round(baseline_cpu / n, 3),
            "parallel_cpu_per_submission_s": round(ours_cpu / n, 3),
            "failed_submissions": sum(1 for r in report["submissions"] if r["status"] != "graded"),
            "score_mismatches_vs_nbgrader": diff,
            "grade_on_submit_latency_s": latency,
            # other work on the machine slows both runs and caps the parallel gain: say how busy it was
            "load_avg_1m_at_end": round(os.getloadavg()[0], 2),
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _grade_on_submit_latency(tmp: Path, root: Path, settings) -> float:
    """Seconds from a submission landing in the exchange to its feedback being released."""
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default import ExchangeFetchAssignment, ExchangeSubmit
    from traitlets.config import Config

    from grading import api, service

    api.release("demo", "ps1", root=root, settings=settings)
    inbound = tmp / "exchange" / "demo" / "inbound"
    state = {"demo": sorted(os.listdir(inbound)) if inbound.exists() else []}
    cfg = Config()
    cfg.CourseDirectory.course_id = "demo"
    cfg.Exchange.root = str(tmp / "exchange")
    cfg.Exchange.path_includes_course = True
    home = tmp / "homes" / "latency"
    home.mkdir(parents=True)
    cwd = os.getcwd()
    os.chdir(home)
    try:
        cd = CourseDirectory(config=cfg)
        cd.assignment_id = "ps1"
        ExchangeFetchAssignment(coursedir=cd, config=cfg, authenticator=Authenticator(config=cfg)).start()
        shutil.copy(FIXTURES / "submitted-good.ipynb", home / "demo" / "ps1" / "ps1.ipynb")
        cd.student_id = "latency"
        ExchangeSubmit(coursedir=cd, config=cfg, authenticator=Authenticator(config=cfg)).start()
    finally:
        os.chdir(cwd)
    t0 = time.perf_counter()
    service.run_once(state, settings)
    return round(time.perf_counter() - t0, 2)


if __name__ == "__main__":
    print(run())
