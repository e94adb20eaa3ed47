"""月度通报与预警's optional code track (issue 21: pandas on the same tables), its checker in-process:
the notebook's answer cells and locked wrappers run in a namespace of this process, then grading's
real export cell (grading.code_export.export_source) and parser, then the checker's ``check`` — the
steps of grading.code_grade without a kernel. The real path (nbgrader submit → collect → autograde,
kernels, a looping and a raising submission) is tests/grading/test_grading_bulletin_code.py.
"""
from __future__ import annotations

import contextlib
import io

import pytest

from course_helpers import COURSES_DIR
from grading.checks import Context, load_checker
from grading.code_export import MAX_EXPORT_BYTES, export_source, parse_export
from grading.course import load_course, read_notebook

pytestmark = pytest.mark.timeout(400)

SRC = COURSES_DIR / "bulletin" / "assignments" / "datatrack" / "datatrack.py"
ANSWERS = ("q1-answer", "q2-answer", "q3-answer", "q4-answer", "q5-answer", "q6-answer")
AUTOGRADED = ("volume-check", "ontime-check", "satisfaction-check", "response-check", "hot-check", "rule-check")

# typical wrong answers (issue 21's list): 基本满意 counted whole, 环比 against the wrong month,
# a rule that flags every month, and the 按期办结率 of every ticket instead of the dispatched ones
WRONG = {
    "q3-answer": ("def satisfaction_rate(df):\n    f = df[df['已回访'] == '是']\n"
                  "    return f['回访评价'].isin(['非常满意', '满意', '基本满意']).sum() / len(f) if len(f) else None\n"),
    "q5-answer": ("def hot_topics(this_month, last_month):\n    c = this_month['二级分类'].value_counts()\n"
                  "    return [{'分类': k, '本月': int(n), '环比': (n - c[k]) / c[k]} for k, n in c.head(5).items()]\n"),
    "q6-answer": ("def warning_rule(daily):\n    return daily[daily['件数'] > 0][['日期', '县区', '二级分类']]\n"),
    "q2-answer": ("def on_time_rate(df):\n    return (df['按延期后时限办结'] == '是').sum() / len(df)\n"),
}


def checker():
    return load_checker(COURSES_DIR / "bulletin" / "grader" / "datatrack.py")


def _cells(replace: dict[str, str] | None = None, blank: bool = False) -> str:
    """The notebook's answer cells (reference, blank stubs or replaced) and its locked wrappers."""
    code = ["import pandas as pd"]
    for cell in read_notebook(SRC).cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in ANSWERS:
            src = (replace or {}).get(gid, cell.source)
            if blank:
                head = src.split("### BEGIN SOLUTION")[0]
                src = head + "raise NotImplementedError()\n"
            code.append(src)
        elif gid == "wrappers":
            code.append(cell.source)
    return "\n\n".join(code)


def export_values(code: str) -> tuple[dict | None, list[str]]:
    """The export step of grading.code_grade, run in this process on the given notebook code."""
    spec = checker()
    ns: dict = {}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<answers>", "exec"), ns)  # noqa: S102 - the test's own code
        exec(compile(export_source(spec.module.EXPORTS), "<export>", "exec"), ns)  # noqa: S102
    return parse_export(out.getvalue(), False)


def graded(code: str) -> dict:
    values, tags = export_values(code)
    assert values is not None, tags
    return {i.cell: i for i in checker().check(values, Context("bulletin", "datatrack", "t01", 1, 7))}


@pytest.fixture(scope="module")
def full() -> dict:
    return graded(_cells())


def test_exports_carry_small_tables_within_the_export_cap():
    text = export_source(checker().module.EXPORTS)
    assert len(text.encode()) < MAX_EXPORT_BYTES, len(text)
    assert '"call": "month_report"' in text and '"call": "rule_alerts"' in text


def test_reference_earns_full_marks_and_blank_nothing(full):
    assert all(full[c].points == full[c].max_points for c in AUTOGRADED), {c: full[c].reasons for c in AUTOGRADED}
    assert sum(full[c].max_points for c in AUTOGRADED) == 14 and full["brief-answer"].needs_manual
    blank = graded(_cells(blank=True))
    assert all(blank[c].points == 0 for c in AUTOGRADED), {c: blank[c].reasons for c in AUTOGRADED}
    assert all("NotImplementedError" in " ".join(blank[c].reasons) for c in AUTOGRADED[1:5])


@pytest.mark.parametrize("wrong, cell, words", [
    ("q3-answer", "satisfaction-check", "基本满意按 1 整件计入了"),
    ("q5-answer", "hot-check", "环比"),
    ("q6-answer", "rule-check", "误报"),
    ("q2-answer", "ontime-check", "派单工单"),
])
def test_typical_wrong_answers_score_lower_with_a_chinese_reason(full, wrong, cell, words):
    got = graded(_cells({wrong: WRONG[wrong]}))
    assert got[cell].points < full[cell].points, got[cell]
    assert any(words in r for r in got[cell].reasons), got[cell].reasons
    others = [c for c in AUTOGRADED if c != cell]
    assert all(got[c].points == full[c].points for c in others), {c: got[c].reasons for c in others}


def test_one_raising_function_costs_only_its_own_figure(full):
    got = graded(_cells({"q4-answer": "def response_rate(df):\n    return 1 / 0\n"}))
    assert got["response-check"].points == 0 and "ZeroDivisionError" in " ".join(got["response-check"].reasons)
    assert all(got[c].points == full[c].points for c in AUTOGRADED if c != "response-check")


def test_a_rule_that_fails_on_a_quiet_month_loses_points(full):
    """Review of issue 21 (item 1): an error on a month without a planted issue proves nothing about false
    alarms, so it counts as two of them (before: no credit lost at all)."""
    values, _ = export_values(_cells())
    data = checker().module._inputs()
    for i, r in enumerate(data["rules"]):
        if r["hot"] is None:
            values[f"rule_{i}"] = {"error": "ValueError: 没有数据"}
    got = {i.cell: i for i in checker().check(values, Context("bulletin", "datatrack", "t01", 1, 7))}
    assert got["rule-check"].points < full["rule-check"].points, got["rule-check"].reasons
    assert any("按误报 2 处计" in r for r in got["rule-check"].reasons), got["rule-check"].reasons


def test_a_rate_given_in_percent_is_told_so():
    got = graded(_cells({"q4-answer": ("def response_rate(df):\n    d = df[df['派单'] == '是']\n"
                                       "    return 100 * (d['按时签收'] == '是').sum() / len(d) if len(d) else None\n")}))
    assert any("百分数" in r for r in got["response-check"].reasons), got["response-check"].reasons


def test_a_rounded_rate_is_told_not_to_round():
    """Review of issue 21 (item 2): the tolerance is 0.0006, so a rate rounded to two decimals is wrong —
    the reason must say so rather than repeat the definition."""
    got = graded(_cells({"q4-answer": ("def response_rate(df):\n    d = df[df['派单'] == '是']\n"
                                       "    return round((d['按时签收'] == '是').sum() / len(d), 2) if len(d) else None\n")}))
    assert any("四舍五入" in r for r in got["response-check"].reasons), got["response-check"].reasons


def test_a_rate_without_a_denominator_is_told_to_be_none():
    """Review of issue 21 (item 6): on the edge table (no dispatch, no follow-up) the answer is None; a 0
    there is told why, not only the definition."""
    got = graded(_cells({"q4-answer": ("def response_rate(df):\n    d = df[df['派单'] == '是']\n"
                                       "    return (d['按时签收'] == '是').sum() / max(len(d), 1)\n")}))
    assert any("分母为 0" in r and "“—”（None）" in r for r in got["response-check"].reasons), got["response-check"].reasons


def test_graded_months_are_not_the_practice_month_and_figures_are_the_bulletins():
    from sandbox.hotline import bulletin

    data = checker().module._inputs()
    assert 20250703 not in (*checker().module.FIGURE_SEEDS, *checker().module.PLANTED_SEEDS, *checker().module.CLEAN_SEEDS)
    f = data["figures"][0]
    assert f["truth"]["rates"] == bulletin.month_figures(f["cur"], f["prev"])["rates"]
    assert len(data["rules"]) == 4 and sum(r["hot"] is not None for r in data["rules"]) == 2
    for f in data["figures"]:  # the 响应率 trap: signed, but late (review item 7), not merely never signed
        c = f["cur"]
        assert (c["dispatched"] & c["signed_at"].notna() & ~c["signed_in_time"]).any(), f["month"]


def test_course_marks_the_code_track_optional():
    spec = load_course(COURSES_DIR / "bulletin")
    track = spec.assignment("datatrack")
    assert track.kind == "code" and track.optional and "选做" in track.title
    assert not spec.assignment("month").optional


def test_portal_offers_the_certificate_without_the_optional_track():
    """The portal's 申请结业证明 follows the same pass rule: an ungraded 选做 assignment neither blocks
    it nor lowers the share or the progress."""
    from hubext.web.portal_data import Assignment, Course

    form = Assignment("month", "作业", None, None, graded=True, score=18, max_score=20)
    track = Assignment("datatrack", "选做", None, None, optional=True)
    c = Course("bulletin", "月度通报与预警", 4, 0.6, [], [form, track])
    assert c.can_certify and c.progress == 1.0 and c.share == 0.9
    track.graded, track.score, track.max_score = True, 0.0, 14.0  # done badly: still not counted
    assert c.can_certify and c.share == 0.9


def test_training_table_counts_a_trainee_complete_without_the_optional_track():
    """Leaders' training table (academy.readmodel): the form done and passed is a completed course with
    its 学时; the undone 选做 track is neither missing nor overdue."""
    import datetime as dt
    import tomllib
    from types import SimpleNamespace

    from academy.readmodel import _course_row

    spec = tomllib.loads((COURSES_DIR / "bulletin" / "course.toml").read_text(encoding="utf-8"))
    person = SimpleNamespace(account="t01", name="马晓燕", unit="平安区政务服务中心", county="平安区", cohort="2026-一期",
                             active=True)
    result = SimpleNamespace(status="graded", score=18.0, max_score=20.0)
    row = _course_row(person, "bulletin", spec, {("bulletin", "month", "t01"): result}, set(),
                      dt.datetime(2027, 2, 1, tzinfo=dt.timezone.utc))
    assert row["completed"] and row["passed"] and row["overdue"] == 0 and row["hours"] == 4.0, row
