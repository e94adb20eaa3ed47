"""Form assignments graded as data (issue 12): 100 submissions of the checker fixture course's quiz
(the released notebook + the trainee's answers.json + their cases.json, as a form trainee submits
them), graded by the trusted checker (``grading.autograde`` → ``grading.checker_run``: no kernel)
against plain ``nbgrader autograde`` executing the same notebooks with the course's hidden tests
(stock config, one command), same run. ``BENCH_FORMGRADE_N`` changes the number of submissions.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FORMCOURSE = REPO / "tests" / "grading" / "fixtures" / "formcourse"
COURSE, ASSIGNMENT = "formcourse", "quiz"

STOCK_CONFIG = """c = get_config()
c.CourseDirectory.course_id = {course!r}
c.CourseDirectory.root = {root!r}
c.CourseDirectory.db_url = "sqlite:///{root}/gradebook.db"
c.Execute.timeout = 30
"""


def _answers(numbers: list[int], honest: bool) -> dict:
    if honest:
        return {"q1": sum(numbers), "q2": sorted(numbers, reverse=True), "essay": "群众少跑腿"}
    return {"q1": 0, "q2": [], "essay": ""}


def _submissions(roots: list[Path], n: int) -> list[str]:
    """The same n submissions in each course root: released notebook, cases.json, answers.json."""
    from grading.formgrade import public_cases

    students = [f"bench{i:03d}" for i in range(n)]
    cases = public_cases(roots[0], COURSE, ASSIGNMENT, [(s, 1) for s in students])
    released = roots[0] / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    for i, s in enumerate(students):
        doc = {"attempt": 1, "cases": cases[s]}
        for root in roots:
            d = root / "submitted" / s / ASSIGNMENT
            d.mkdir(parents=True, exist_ok=True)
            shutil.copy(released, d / released.name)
            (d / "cases.json").write_text(json.dumps(doc), encoding="utf-8")
            (d / "answers.json").write_text(json.dumps(_answers(cases[s]["numbers"], i % 3 != 2)), encoding="utf-8")
            (d / "timestamp.txt").write_text("2026-12-01 10:00:00.000000 UTC")
    return students


def _scores(root: Path, students: list[str]) -> dict[str, float]:
    from grading.nbgrader_env import gradebook

    with gradebook(root) as gb:
        out = {}
        for s in students:
            sub = gb.find_submission(ASSIGNMENT, s)
            out[s] = float(sum(g.score or 0 for nb in sub.notebooks for g in nb.grades if g.name != "essay"))
    return out


def run() -> dict:
    n = int(os.environ.get("BENCH_FORMGRADE_N", "100"))
    tmp = Path(tempfile.mkdtemp(prefix="bench-formgrade-"))
    sys.path.insert(0, str(REPO))
    from runtime.settings import Settings

    settings = Settings.single_account(tmp)
    try:
        from grading import api
        from grading.autograde import autograde

        ours = tmp / "courses" / COURSE
        api.prepare(COURSE, course_src=FORMCOURSE, root=ours, exchange=tmp / "exchange", settings=settings)
        base = tmp / "baseline" / COURSE
        shutil.copytree(ours, base)
        (base / "nbgrader_config.py").write_text(STOCK_CONFIG.format(course=COURSE, root=str(base)))
        students = _submissions([ours, base], n)

        t0 = time.perf_counter()
        proc = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "autograde", ASSIGNMENT, "--force"],
                              cwd=base, capture_output=True, text=True)
        baseline_s = time.perf_counter() - t0
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr[-2000:])

        t0 = time.perf_counter()
        report = autograde(COURSE, ASSIGNMENT, ours, students=students, settings=settings,
                           db_url=settings.paths.academy_db_url)
        ours_s = time.perf_counter() - t0

        a, b = _scores(ours, students), _scores(base, students)
        return {
            "submissions": n,
            "baseline_nbgrader_autograde_s": round(baseline_s, 2),
            "checker_autograde_s": round(ours_s, 2),
            "baseline_per_submission_s": round(baseline_s / n, 4),
            "checker_per_submission_s": round(ours_s / n, 4),
            "speedup_ratio": round(baseline_s / ours_s, 1),
            "failed_submissions": sum(1 for r in report["submissions"] if r["status"] != "graded"),
            "score_mismatches_vs_nbgrader": sum(1 for s in students if a[s] != b[s]),
            "load_avg_1m_at_end": round(os.getloadavg()[0], 2),
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    print(json.dumps(run(), indent=1))
