"""The demo's code assignment graded as data (issue 12, "Code exercises"), single-account variant:
trainees fetch and submit through nbgrader's exchange, the trainer collects and autogrades with 2
workers. The trainee's notebook runs in its own kernel and only exports the checker's declared calls
as JSON; the checks run in the trusted grader process. Root mode with real accounts and the
per-submission jail: test_grading_code_root.py.
"""
from __future__ import annotations

import json
import shutil

import nbformat
import pytest

from code_helpers import EXPECTED_CODE, PRINTED, code_notebook
from grading_helpers import CODE_DEMO, released_course, trainee_fetch, trainee_submit

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def code_graded(tmp_path_factory):
    from grading import api

    env = tmp_path_factory.mktemp("academy-code")
    settings, root = released_course(env, CODE_DEMO, "demo", "ps1", EXPECTED_CODE, cell_timeout=5)
    for scenario in EXPECTED_CODE:
        folder = trainee_fetch(env, scenario)
        nbformat.write(code_notebook(scenario), folder / "ps1.ipynb")
        trainee_submit(env, scenario, folder)
    api.collect("demo", "ps1", root=root, settings=settings)
    report = api.autograde("demo", "ps1", workers=2, root=root, course_src=CODE_DEMO, settings=settings)
    fb = api.feedback("demo", "ps1", root=root, settings=settings)
    return {"root": root, "env": env, "settings": settings, "feedback": fb,
            "rows": {r["student"]: r for r in report["submissions"]}, "report": report}


@pytest.mark.parametrize("scenario", sorted(EXPECTED_CODE))
def test_each_code_submission_earns_what_its_values_deserve(code_graded, scenario):
    total, q1, tag = EXPECTED_CODE[scenario]
    row = code_graded["rows"][scenario]
    assert row["score"] == total, row
    assert {i["cell"]: i["points"] for i in row["items"]}["q1-check"] == q1, row["items"]
    if tag:
        assert tag in row["reasons"], row
        assert any("256 KB" in r or "导出" in r for r in row["reasons_zh"]), row["reasons_zh"]
    assert code_graded["report"]["graded_by"] == "checker"


def test_too_large_export_is_refused_with_a_chinese_reason(code_graded):
    row = code_graded["rows"]["too-large"]
    assert "export-too-large" in row["reasons"], row
    assert "代码导出的结果超过 256 KB 的上限，不予评分，全部记 0 分" in row["reasons_zh"], row
    nb = nbformat.read(code_graded["root"] / "autograded" / "too-large" / "ps1" / "ps1.ipynb", as_version=4)
    assert "超过 256 KB" in json.dumps(nb, ensure_ascii=False)


def test_broken_submission_does_not_stop_the_others(code_graded):
    rows = code_graded["rows"]
    assert rows["broken"]["score"] == 0, rows["broken"]
    assert {"export-missing", "kernel-died"} <= set(rows["broken"]["reasons"]), rows["broken"]
    assert rows["honest"]["status"] == "graded" and rows["honest"]["score"] == 5, rows["honest"]


def test_feedback_shows_only_what_the_checker_produced(code_graded):
    """The autograded notebook is the released one annotated by the checker: nothing the kernel
    printed, no hidden input's expected result, the checker's reasons under each graded cell."""
    assert not code_graded["feedback"]["failed"], code_graded["feedback"]
    for scenario in ("honest", "hooker"):
        path = code_graded["root"] / "autograded" / scenario / "ps1" / "ps1.ipynb"
        text = json.dumps(nbformat.read(path, as_version=4), ensure_ascii=False)
        assert PRINTED not in text and "ACADEMY-EXPORT" not in text
        assert "【自动评分】" in text
        assert "def on_time_rate" in text and "raise NotImplementedError" not in text  # their own code
        files = sorted((code_graded["root"] / "feedback" / scenario / "ps1").glob("*.html"))
        assert files, scenario
        html = files[0].read_text(encoding="utf-8")
        assert PRINTED not in html and "ACADEMY-EXPORT" not in html and "['B', 'C']" not in html
    hooker = (code_graded["root"] / "feedback" / "hooker" / "ps1").glob("*.html")
    assert "实际用时等于承诺时限算按时" in next(hooker).read_text(encoding="utf-8")  # the checker's own reason


def test_code_demo_validates(tmp_path):
    """validate runs the demo's source through the real dispatch (full marks) and the blank release
    (none); a checker whose expected value is wrong is caught."""
    from grading.course import load_course
    from grading.validate import validate

    assert load_course(CODE_DEMO).assignment("ps1").kind == "code"
    assert validate(CODE_DEMO) == []
    broken = tmp_path / "demo"
    shutil.copytree(CODE_DEMO, broken)
    checker = broken / "grader" / "ps1.py"
    checker.write_text(checker.read_text(encoding="utf-8").replace("_is_rate(sample, 0.6)", "_is_rate(sample, 0.7)"),
                       encoding="utf-8")
    problems = validate(broken)
    assert any("q1-check" in p.where and "参考答案只得 0/2" in p.message for p in problems), problems
