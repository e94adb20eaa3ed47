"""Issue 12: the rules that decide graded cases (``sandbox.practice.keys``) are out of a trainee's reach
in root mode — in their real kernel, through the hub — while the grader accounts import them and the
lessons' practice bank still works for the trainee."""
from __future__ import annotations

import json
import os
import subprocess

import pytest

from academy import runtime

pytestmark = [pytest.mark.root, pytest.mark.hub, pytest.mark.timeout(300)]

TRY_KEYS = """
import json
res = {}
def attempt(label, code):
    try:
        exec(code, {})
        res[label] = "ok"
    except BaseException as e:
        res[label] = type(e).__name__ + ": " + str(e)
attempt("old name", "from sandbox.acceptance import decide")
attempt("module attribute", "import sandbox.practice.acceptance as a; a.grade_decision")
attempt("guide checker", "from sandbox.guides import check_guide")
attempt("package", "import sandbox.practice.keys.decisions")
attempt("by file", "import runpy, sandbox, os; runpy.run_path(os.path.join(os.path.dirname(sandbox.__file__), 'practice', 'keys', 'decisions.py'))")
attempt("public part", "from sandbox.acceptance import make_application, score_decision, decision_from_dict")
attempt("practice bank", "from coursekit import practice_bank as b; assert b.entry('decisions', 3)['decision']['kind']")
print(json.dumps(res, ensure_ascii=False))
"""


def test_trainee_kernel_cannot_import_the_answer_keys(iso_env):
    res = iso_env.kernel(iso_env.a).json(TRY_KEYS)
    for label in ("old name", "module attribute", "guide checker"):
        assert res[label].startswith("ImportError: 判定规则（评分答案）只在评分端可用"), (label, res[label])
    assert res["package"].startswith(("ModuleNotFoundError", "ImportError", "PermissionError")), res["package"]
    assert res["by file"].startswith(("PermissionError", "FileNotFoundError")), res["by file"]
    assert res["public part"] == "ok" and res["practice bank"] == "ok", res


def test_keys_are_closed_on_disk_and_in_the_runtime_check(iso_env):
    keys = runtime.answer_keys(iso_env.paths.venv)
    assert keys, "the runtime venv has no sandbox/practice/keys"
    for top in keys:
        for dirpath, _dirs, files in os.walk(top):
            for p in [dirpath, *(os.path.join(dirpath, f) for f in files)]:
                st = os.lstat(p)
                assert st.st_uid == 0 and st.st_mode & 0o007 == 0, (p, oct(st.st_mode))
    # the runtime check (what `make up` runs) probes them as a trainee and finds them closed ...
    assert runtime.check_runtime(iso_env.paths, user=iso_env.a, checkout=None) == []
    # ... and reports them when they are open
    os.chmod(keys[0], 0o755)
    try:
        problems = runtime.check_runtime(iso_env.paths, user=iso_env.a, checkout=None)
        assert any(str(keys[0]) in p for p in problems), problems
    finally:
        assert runtime.close_answer_keys(iso_env.paths.venv) == [keys[0]]


def test_grader_account_imports_the_keys(iso_env):
    paths = iso_env.paths
    code = ("import json; from sandbox.acceptance import decide; from sandbox.guides import check_guide; "
            "print(json.dumps([decide.__module__, check_guide.__module__]))")
    proc = subprocess.run(["/usr/sbin/runuser", "-u", iso_env.grader, "--", str(paths.venv / "bin" / "python"),
                           "-c", code], capture_output=True, text=True, timeout=120, cwd="/",
                          env={"PATH": f"{paths.venv / 'bin'}:/usr/bin:/bin", "LANG": "C.UTF-8"})
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == ["sandbox.practice.keys.decisions", "sandbox.practice.keys.defects"]
