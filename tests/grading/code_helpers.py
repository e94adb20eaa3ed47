"""Submissions of the demo's code assignment (courses/demo ps1, graded as data: grading.code_grade),
shared by the single-account and root-mode tests. Each cheat answers q1 wrongly while trying to make
the checks pass anyway, and q2 honestly: what its values deserve is q2's 3 points, never q1's 2.
(No __init__.py here: a package named `grading` would shadow the real one.)"""
from __future__ import annotations

import nbformat

from grading_helpers import FIXTURES

Q1_GOOD = ("def on_time_rate(records):\n    if not records:\n        return 0.0\n"
           "    return sum(1 for _, p, u in records if u <= p) / len(records)\n")
Q2_GOOD = "def overdue_ids(records):\n    return [c for c, p, u in records if u > p]\n"
# right on the sample data (the visible check), wrong on every other input
Q1_WRONG = "def on_time_rate(records):\n    return 0.0 if not records else 0.6\n"
PRINTED = "TRAINEE-PRINTED-7f3a"  # what the trainee's code prints (not in its source): never in feedback

SCENARIOS: dict[str, tuple[str, str]] = {
    "honest": (Q1_GOOD + "print('TRAINEE-' + 'PRINTED-7f3a')\n", Q2_GOOD),
    # the checking helpers monkeypatched: abs, round, math.isclose answer whatever passes a check
    "patcher": ("import builtins, math\n"
                "builtins.abs = lambda x: 0.0\n"
                "builtins.round = lambda *a, **k: 0.6\n"
                "math.isclose = lambda *a, **k: True\n" + Q1_WRONG, Q2_GOOD),
    # every later cell that mentions a check (assert) turned into `pass` before it runs
    "hooker": ("def _neuter(lines):\n    return ['pass\\n'] if any('assert' in l for l in lines) else lines\n"
               "get_ipython().input_transformers_post.append(_neuter)\n"
               "get_ipython().events.register('pre_run_cell', lambda info: None)\n" + Q1_WRONG, Q2_GOOD),
    # builtins patched for __main__ callers, and a pristine copy swapped into sys.modules so a
    # fingerprint of `import builtins` sees nothing
    "builtins-swap": ("import builtins, sys, types\n"
                      "_copy = types.ModuleType('builtins'); _copy.__dict__.update(builtins.__dict__)\n"
                      "_abs = builtins.abs\n"
                      "builtins.abs = lambda x: 0.0 if sys._getframe(1).f_globals.get('__name__') == '__main__' else _abs(x)\n"
                      "sys.modules['builtins'] = _copy\n" + Q1_WRONG, Q2_GOOD),
    # a value far bigger than the export cap (about 600 KB of JSON)
    "too-large": (Q1_GOOD, "def overdue_ids(records):\n    return ['超期' * 20] * 6000 if not records else "
                           "[c for c, p, u in records if u > p]\n"),
    # a built-in ipykernel relies on replaced: the kernel stops answering (the grader must not hang)
    "jammer": ("import builtins\nbuiltins.isinstance = lambda *a: True\n" + Q1_GOOD, Q2_GOOD),
    # the kernel dies before anything is exported
    "broken": ("import os\nos._exit(3)\n" + Q1_GOOD, Q2_GOOD),
}
# scenario -> (total autograded points, q1-check points, a reason tag that must be recorded or None)
EXPECTED_CODE = {
    "honest": (5.0, 2.0, None),
    "patcher": (3.0, 0.0, None),
    "hooker": (3.0, 0.0, None),
    "builtins-swap": (3.0, 0.0, None),
    "too-large": (0.0, 0.0, "export-too-large"),
    "broken": (0.0, 0.0, "export-missing"),
    "jammer": (0.0, 0.0, "export-missing"),
}


def code_notebook(scenario: str) -> nbformat.NotebookNode:
    """The released ps1 (same cells as the demo's) with the scenario's answers."""
    q1, q2 = SCENARIOS[scenario]
    nb = nbformat.read(FIXTURES / "submitted-good.ipynb", as_version=4)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid == "q1-answer":
            cell.source = q1
        elif gid == "q2-answer":
            cell.source = q2
    return nb
