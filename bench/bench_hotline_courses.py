"""Issue 21's courses: preparing one trainee's cases and grading one submission, per course.

For each of 12345工单办理 (hotline/queue), 差评整改与评估考核 (ratings/rectify) and 月度通报与预警
(bulletin/month): the checker's cases(seed) for a fresh HMAC seed (what the academy runs when a trainee
fetches the assignment), then check() of the reference answers and of a blank submission (what
grading runs per submission: the queue driven through the ticket API, the 差评 through the loop, the
month through bulletin.build and the rule replayed on unseen months). The first call of a process
pays for imports and the synthetic population; the figures report first and warm calls apart.

The bulletin's optional code track (bulletin/datatrack, a code assignment): loading its checker
(which builds the grader-only unseen months its exports carry), and grading one submission — the
source notebook (the reference) — through the real dispatch (grading.autograde → code workers → a
kernel of its own → export → check → gradebook) in a scratch single-account course root, one worker.
"""
from __future__ import annotations

import time
from pathlib import Path

COURSES = {"hotline": "queue", "ratings": "rectify", "bulletin": "month"}
ROOT = Path(__file__).resolve().parents[1] / "courses"


def _time(fn):
    t = time.perf_counter()
    out = fn()
    return out, round(time.perf_counter() - t, 3)


def run() -> dict:
    from grading.checks import Context, case_seed, load_checker

    figures: dict = {}
    for course, assignment in COURSES.items():
        spec = load_checker(ROOT / course / "grader" / f"{assignment}.py")
        seeds = [case_seed(b"bench-secret", course, assignment, f"xueyuan{i:02d}", 1) for i in (1, 2)]
        case, first = _time(lambda: spec.cases(seeds[0]))
        _, warm = _time(lambda: spec.cases(seeds[1]))
        ref = spec.module.reference(case, seeds[0])
        ctx = Context(course, assignment, "xueyuan01", 1, seeds[0])
        items, grade = _time(lambda: spec.check(ref, ctx))
        _, blank = _time(lambda: spec.check({}, ctx))
        auto = [i for i in items if not i.needs_manual]
        figures[course] = {"prepare_first_s": first, "prepare_warm_s": warm, "grade_reference_s": grade,
                           "grade_blank_s": blank, "reference_points": sum(i.points for i in auto),
                           "auto_max_points": sum(i.max_points for i in auto)}
    figures["bulletin-datatrack"] = _code_track()
    return figures


def _code_track() -> dict:
    import shutil
    import tempfile

    from runtime.settings import Settings

    from grading.autograde import autograde
    from grading.checks import load_checker
    from grading.course_root import prepare

    _, load = _time(lambda: load_checker(ROOT / "bulletin" / "grader" / "datatrack.py"))
    tmp = Path(tempfile.mkdtemp(prefix="bench-datatrack-"))
    try:
        settings = Settings.single_account(tmp)
        root = tmp / "courses" / "bulletin"
        _, build = _time(lambda: prepare(ROOT / "bulletin", root, tmp / "exchange", cell_timeout=30, settings=settings))
        sub = root / "submitted" / "xueyuan01" / "datatrack"
        sub.mkdir(parents=True)
        shutil.copy(root / "source" / "datatrack" / "datatrack.ipynb", sub / "datatrack.ipynb")
        report, grade = _time(lambda: autograde("bulletin", "datatrack", root, workers=1, students=["xueyuan01"],
                                                settings=settings, db_url=settings.paths.academy_db_url))
        row = report["submissions"][0]
        return {"checker_load_s": load, "course_root_prepare_s": build, "grade_one_submission_s": grade,
                "worker_seconds": row.get("seconds"), "reference_points": row.get("score"),
                "auto_max_points": 14.0}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    import json
    print(json.dumps(run(), ensure_ascii=False, indent=1))
