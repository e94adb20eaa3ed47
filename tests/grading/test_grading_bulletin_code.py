"""月度通报与预警's optional code track (courses/bulletin datatrack, issue 21) through the real path,
single-account: trainees fetch and submit through nbgrader's exchange, the trainer collects and
autogrades with 2 workers (grading.code_grade: each notebook in its own kernel, only the export
comes back as JSON, the checker runs in the trusted process). The reference earns full marks; blank,
wrong, raising, looping and loud submissions earn less with a Chinese reason and do not stop the others.
Also: the track is optional — course_standing neither requires it nor counts it.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from grading_helpers import REPO, released_course, trainee_fetch, trainee_submit

pytestmark = pytest.mark.timeout(900)

BULLETIN = REPO / "courses" / "bulletin"
ANSWERS = ("q1-answer", "q2-answer", "q3-answer", "q4-answer", "q5-answer", "q6-answer")
AUTOGRADED = ("volume-check", "ontime-check", "satisfaction-check", "response-check", "hot-check", "rule-check")

# scenario -> answer cells replaced (None: the released notebook as fetched, i.e. blank stubs)
SCENARIOS: dict[str, dict[str, str] | None] = {
    "reference": {},
    "blank": None,
    "weighting": {"q3-answer": ("def satisfaction_rate(df):\n    f = df[df['已回访'] == '是']\n    r = f['回访评价']\n"
                                "    return (r.isin(['非常满意', '满意']).sum() + (r == '基本满意').sum()) / len(f) if len(f) else None\n")},
    "raises": {"q1-answer": "raise RuntimeError('写到一半')\n"},
    "loops": {"q6-answer": "def warning_rule(daily):\n    while True:\n        pass\n"},
    "loud": {"q5-answer": ("def hot_topics(this_month, last_month):\n    print('热点' * 200_000)\n"
                           "    return []\n")},
}


def _answered(fetched: Path, source: Path, replace: dict[str, str] | None) -> nbformat.NotebookNode:
    nb = nbformat.read(fetched, as_version=4)
    if replace is None:
        return nb
    solutions = {c.metadata["nbgrader"]["grade_id"]: c.source for c in nbformat.read(source, as_version=4).cells
                 if c.metadata.get("nbgrader", {}).get("grade_id") in ANSWERS}
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in ANSWERS:
            cell.source = replace.get(gid, solutions[gid])
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    from grading import api

    env = tmp_path_factory.mktemp("academy-bulletin-code")
    settings, root = released_course(env, BULLETIN, "bulletin", "datatrack", SCENARIOS, cell_timeout=30)
    for account, replace in SCENARIOS.items():
        folder = trainee_fetch(env, account, "bulletin", "datatrack")
        notebook = folder / "datatrack.ipynb"
        nbformat.write(_answered(notebook, root / "source" / "datatrack" / "datatrack.ipynb", replace), notebook)
        trainee_submit(env, account, folder, "bulletin", "datatrack")
    api.collect("bulletin", "datatrack", root=root, settings=settings)
    report = api.autograde("bulletin", "datatrack", workers=2, root=root, course_src=BULLETIN, settings=settings)
    rows = {r["student"]: r for r in report["submissions"]}
    return {"rows": rows, "root": root, "settings": settings,
            "points": {s: {i["cell"]: i["points"] for i in r["items"]} for s, r in rows.items()},
            "reasons": {s: {i["cell"]: i["reasons"] for i in r["items"]} for s, r in rows.items()}}


def test_reference_earns_full_marks_through_the_real_path(graded):
    row = graded["rows"]["reference"]
    assert row["status"] == "graded" and row["score"] == 14, graded["reasons"]["reference"]
    assert row["needs_manual_grade"], row  # the 通报 paragraph waits for the trainer's rubric


def test_blank_scores_nothing(graded):
    assert all(graded["points"]["blank"][c] == 0 for c in AUTOGRADED), graded["reasons"]["blank"]


def test_wrong_weighting_costs_only_the_satisfaction_rate(graded):
    got, full = graded["points"]["weighting"], graded["points"]["reference"]
    assert got["satisfaction-check"] < full["satisfaction-check"]
    assert any("基本满意按 1 整件计入了" in r for r in graded["reasons"]["weighting"]["satisfaction-check"])
    assert all(got[c] == full[c] for c in AUTOGRADED if c != "satisfaction-check")


def test_a_raising_cell_costs_its_own_figure_with_a_chinese_reason(graded):
    got = graded["points"]["raises"]
    assert got["volume-check"] == 0 and any("received" in r for r in graded["reasons"]["raises"]["volume-check"])
    assert all(got[c] == graded["points"]["reference"][c] for c in AUTOGRADED if c != "volume-check")


def test_a_looping_rule_is_stopped_and_costs_only_the_rule(graded):
    row = graded["rows"]["loops"]
    assert graded["points"]["loops"]["rule-check"] == 0
    assert any("TimeoutError" in r for r in graded["reasons"]["loops"]["rule-check"]), graded["reasons"]["loops"]
    assert "timeout" in row["reasons"] and any("超时" in r for r in row["reasons_zh"]), row
    assert all(graded["points"]["loops"][c] == graded["points"]["reference"][c] for c in AUTOGRADED[:5])


def test_huge_output_is_refused_with_a_chinese_reason_and_others_go_on(graded):
    row = graded["rows"]["loud"]
    assert row["score"] == 0 and "export-too-large" in row["reasons"], row
    assert "代码导出的结果超过 256 KB 的上限，不予评分，全部记 0 分" in row["reasons_zh"]
    assert graded["rows"]["reference"]["score"] == 14


def test_the_optional_track_is_outside_the_pass_rule(graded):
    """course_standing of a trainee who did the track but not the required form: only the form's
    absence is a problem, and the share is the form's alone (the track's 14 points not counted)."""
    from grading import api

    standing = api.course_standing("bulletin", "reference", root=graded["root"], course_src=BULLETIN,
                                   settings=graded["settings"])
    assert "有作业未提交" in standing["problems"]  # the form assignment "month"
    assert "有答案尚待培训师评分" not in standing["problems"], standing  # the track's paragraph is not counted
    assert standing["score"] == 0 and standing["max_score"] == sum(
        t["max_score"] for t in standing["assignments"] if t["assignment"] == "month")


def test_for_pass_leaves_out_optional_assignments_only():
    from grading.course import load_course

    spec = load_course(BULLETIN)
    totals = [{"assignment": "month", "submitted": True}, {"assignment": "datatrack", "submitted": False}]
    assert spec.for_pass(totals) == totals[:1]
    assert [a.id for a in spec.assignments if a.optional] == ["datatrack"]
