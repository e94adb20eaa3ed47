"""Autograde worker: grades a list of submissions with nbgrader's API in one process.

Started by ``grading.autograde`` (N at once). Reads a JSON job on stdin, prints one JSON line
per graded submission on stdout (the orchestrator shows progress from them). Importing nbgrader
and building the converter once per worker, instead of once per submission as the CLI does,
is half the speed-up; the other half is running N workers on N cores.
"""
from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path

RETRIES = 4  # "database is locked" despite WAL and a 60 s busy timeout: try again


def notebook_notes(autograded: Path) -> tuple[list[str], str]:
    import nbformat

    notes: list[str] = []
    isolation = ""
    for path in sorted(autograded.glob("*.ipynb")):
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception:
            continue
        meta = nb.metadata.get("academy", {})
        notes += list(meta.get("grading_notes", []))
        if meta.get("error"):
            logging.getLogger("grading.worker").warning("%s: %s", path, meta["error"])
        isolation = meta.get("isolation", isolation)
    return notes, isolation


def grade_one(nbapi, root: Path, assignment: str, student: str) -> dict:
    started = time.perf_counter()
    result: dict = {}
    for attempt in range(RETRIES):
        result = nbapi.autograde(assignment, student, force=True, create=True)
        log_text = result.get("log", "") or ""
        if result.get("success") or "database is locked" not in log_text:
            break
        time.sleep(0.2 * (attempt + 1))
    notes, isolation = notebook_notes(root / "autograded" / student / assignment)
    return {
        "student": student,
        "success": bool(result.get("success")),
        "error": "" if result.get("success") else (result.get("error") or "")[-2000:],
        "log": "" if result.get("success") else (result.get("log") or "")[-3000:],
        "notes": notes,
        "isolation": isolation,
        "seconds": round(time.perf_counter() - started, 3),
    }


def main() -> None:
    job = json.loads(sys.stdin.read())
    if job.get("mode") == "code":  # a code assignment graded as data (grading.code_grade)
        from .code_grade import main_code

        logging.getLogger("traitlets").setLevel(logging.ERROR)
        main_code(job)
        return
    from . import preprocessors
    from .nbgrader_env import api

    preprocessors.PREWARM_IN_WORKER = True  # unless ACADEMY_KERNEL_PREWARM=0 (runtime.settings)

    root = Path(job["root"])
    nbapi = api(root)
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    for student in job["students"]:
        try:
            out = grade_one(nbapi, root, job["assignment"], student)
        except Exception as exc:  # one bad submission never stops the others
            out = {"student": student, "success": False, "error": repr(exc), "log": "", "notes": [],
                   "isolation": "", "seconds": 0}
        print(json.dumps(out, ensure_ascii=False), flush=True)
    from .preprocessors import discard_prestarted

    discard_prestarted()


if __name__ == "__main__":
    main()
