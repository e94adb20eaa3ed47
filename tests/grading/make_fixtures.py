"""Regenerate the submission fixtures from the demo course's released ps1 notebook.

    .venv/bin/python tests/grading/make_fixtures.py

Each fixture is named after its scenario (nbgrader's habit); ``EXPECTED`` in conftest.py says
what each must score. Run again whenever the demo course's ps1 changes (its one copy is
grading/templates/course/assignments/ps1; the test session checks that the fixtures' checksums
still match the current release).
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
FIXTURES = HERE / "fixtures"

Q1_GOOD = """def on_time_rate(records):
    if not records:
        return 0.0
    return sum(1 for _, p, u in records if u <= p) / len(records)
"""
Q2_GOOD = """def overdue_ids(records):
    return [c for c, p, u in records if u > p]
"""
Q3_GOOD = "应一次性列明全部缺少的材料，出具书面一次性告知单，说明补交方式和时限；可以容缺受理的先受理，并安排帮办人员协助。"


def released() -> nbformat.NotebookNode:
    sys.path.insert(0, str(REPO))
    from grading.course_root import prepare

    from runtime.settings import Settings

    tmp = Path(tempfile.mkdtemp())
    prepare(HERE / "fixtures" / "notebookcourse", tmp / "courses" / "demo", tmp / "exchange",
            settings=Settings.single_account(tmp))
    return nbformat.read(tmp / "courses" / "demo" / "release" / "ps1" / "ps1.ipynb", as_version=4)


def answer(nb, q1=None, q2=None, q3=None, edit=None, delete=()):
    nb = nbformat.from_dict(nb)
    for cell in list(nb.cells):
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid == "q1-answer" and q1 is not None:
            cell.source = q1
        elif gid == "q2-answer" and q2 is not None:
            cell.source = q2
        elif gid == "q3-answer" and q3 is not None:
            cell.source = q3
        if edit and gid in edit:
            cell.source = edit[gid]
        if gid in delete:
            nb.cells.remove(cell)
    for i, cell in enumerate(nb.cells):  # stable ids: regenerating gives clean diffs
        cell["id"] = f"cell-{i:02d}"
    return nb


SCENARIOS = {
    "good": dict(q1=Q1_GOOD, q2=Q2_GOOD, q3=Q3_GOOD),
    "wrong": dict(q1="def on_time_rate(records):\n    return 0.5\n",
                  q2="def overdue_ids(records):\n    return [c for c, p, u in records if u >= p]\n"),
    # visible checks pass (hard-coded to the sample data), hidden ones fail
    "hardcoded": dict(q1="def on_time_rate(records):\n    return 0.6\n",
                      q2="def overdue_ids(records):\n    return ['HD2026-0002', 'HD2026-0004']\n"),
    "infinite-loop": dict(q1="def on_time_rate(records):\n    while True:\n        pass\n", q2=Q2_GOOD),
    "os-exit": dict(q1=Q1_GOOD, q2="import os\nos._exit(1)\n"),
    "segfault": dict(q1="import ctypes\nctypes.string_at(0)\n" + Q1_GOOD, q2=Q2_GOOD),
    "tests-edited": dict(q1="def on_time_rate(records):\n    return 0.5\n", q2=Q2_GOOD,
                         edit={"q1-check": "# 检查：按时办结率\npass\n"}),
    "tests-deleted": dict(q1="def on_time_rate(records):\n    return 0.5\n", q2=Q2_GOOD, delete=("q1-check",)),
    # 2 GB inside a 1 GB RLIMIT_AS: MemoryError in that cell, the kernel and the cohort go on
    "memory-hog": dict(q1=Q1_GOOD, q2="hog = bytearray(2 * 1024 ** 3)\n" + Q2_GOOD),
    "huge-output": dict(q1=Q1_GOOD + "print('办' * 5_000_000)\nfor i in range(20000):\n    print(i)\n", q2=Q2_GOOD),
    "always-equal": dict(q1="class Anything(float):\n    def __eq__(self, other):\n        return True\n"
                            "    def __sub__(self, other):\n        return 0.0\n    def __lt__(self, other):\n        return True\n"
                            "def on_time_rate(records):\n    return Anything(0)\n",
                         q2="class Anything(list):\n    def __eq__(self, other):\n        return True\n"
                            "def overdue_ids(records):\n    return Anything()\n"),
    "redefine-names": dict(q1="type = lambda x: float\nabs = lambda x: 0\n"
                              "def on_time_rate(records):\n    return 0.1\n",
                           q2="list = lambda x: ['HD2026-0002', 'HD2026-0004']\n"
                              "def overdue_ids(records):\n    return ['x']\n"),
    "builtins-patched": dict(q1="import builtins, sys\n_abs = builtins.abs\n"
                                "builtins.abs = lambda x: 0.0 if sys._getframe(1).f_globals.get('__name__') == '__main__' else _abs(x)\n"
                                "def on_time_rate(records):\n    return float(0.1)\n", q2=Q2_GOOD),
    # every later cell containing "assert" runs as "pass": failing checks would look passed
    "errors-silenced": dict(q1="ip = get_ipython()\n_run, _run_async = ip.run_cell, ip.run_cell_async\n"
                               "ip.run_cell = lambda src, *a, **k: _run('pass' if 'assert' in src else src, *a, **k)\n"
                               "ip.run_cell_async = lambda src, *a, **k: _run_async('pass' if 'assert' in src else src, *a, **k)\n"
                               "def on_time_rate(records):\n    return 0.1\n", q2=Q2_GOOD),
}


def main() -> None:
    FIXTURES.mkdir(exist_ok=True)
    base = released()
    for name, spec in SCENARIOS.items():
        nb = answer(base, **spec)
        nbformat.write(nb, FIXTURES / f"submitted-{name}.ipynb")
    (FIXTURES / "submitted-invalid-json.ipynb").write_text('{"cells": [ {"cell_type": "code", "source": "oops', encoding="utf-8")
    print(f"wrote {len(SCENARIOS) + 1} fixtures to {FIXTURES}")


if __name__ == "__main__":
    main()
