"""Course authoring: jupytext round trip, `validate` catching each error, `new-course`."""
from __future__ import annotations

from pathlib import Path

import jupytext
import pytest

from grading.course import TEMPLATE_ASSIGNMENTS
from grading_helpers import DEMO

PS1 = TEMPLATE_ASSIGNMENTS / "ps1" / "ps1.py"  # the demo course's ps1 (course.toml: template = true)


def test_percent_format_keeps_nbgrader_metadata():
    nb = jupytext.read(PS1)
    again = jupytext.reads(jupytext.writes(nb, fmt="py:percent"), fmt="py:percent")
    assert [(c.cell_type, c.source, c.metadata.get("nbgrader"), c.metadata.get("academy")) for c in nb.cells] == \
           [(c.cell_type, c.source, c.metadata.get("nbgrader"), c.metadata.get("academy")) for c in again.cells]
    graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert len(graded) == 3 and all("competence" in c.metadata["academy"] for c in graded)


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    """A course with its own copy of ps1 (made from the template, as a trainer starts one), edited."""
    from grading.api import new_course

    dest = new_course("demo", tmp_path / "course")
    src = dest / "assignments" / "ps1" / "ps1.py"
    text = src.read_text(encoding="utf-8")
    assert old in text, old
    src.write_text(text.replace(old, new, 1), encoding="utf-8")
    return dest


STATIC_ERRORS = {
    "no-points": ('"points": 2, ', "", "q1-check", "points"),
    "no-competence": (' academy={"competence": "业务办理"}', "", "q2-check", "academy.competence"),
    "bad-competence": ('"competence": "业务办理"', '"competence": "办事能力"', "q2-check", "academy.competence"),
    "duplicate-id": ('"grade_id": "q2-check"', '"grade_id": "q1-check"', "q1-check", "重复"),
    "solution-not-closed": ("    return [case_id for case_id, promised, used in records if used > promised]\n    ### END SOLUTION",
                            "    return [case_id for case_id, promised, used in records if used > promised]", "q2-answer", "SOLUTION"),
    "hidden-not-closed": ('应返回空列表"\nassert list(overdue_ids([("A", 1, 1), ("B", 1, 2), ("C", 3, 9)])) == ["B", "C"], "应保持原有顺序"\n### END HIDDEN TESTS',
                          '应返回空列表"\nassert list(overdue_ids([("A", 1, 1), ("B", 1, 2), ("C", 3, 9)])) == ["B", "C"], "应保持原有顺序"', "q2-check", "HIDDEN"),
    "no-rubric": (', "rubric": [{"criterion": "一次性列明全部缺少的材料及要求", "points": 2}, {"criterion": "提供书面告知单并说明补交方式和时限", "points": 2}, {"criterion": "体现服务意识：主动解释、容缺受理或帮办", "points": 1}]', "", "q3-answer", "rubric"),
    "rubric-sum": ('"体现服务意识：主动解释、容缺受理或帮办", "points": 1}', '"体现服务意识：主动解释、容缺受理或帮办", "points": 3}', "q3-answer", "不符"),
}


@pytest.mark.parametrize("case", sorted(STATIC_ERRORS))
def test_validate_catches_authoring_error(case, tmp_path):
    from grading.api import validate

    old, new, cell, words = STATIC_ERRORS[case]
    problems = validate(_broken(tmp_path, old, new), dynamic=False)
    assert problems, case
    assert any("ps1.py" in p and cell in p and words in p for p in problems), problems


@pytest.mark.timeout(300)
def test_validate_runs_the_course(tmp_path, academy_env):
    """Source must earn full marks, blank must fail: a check that checks nothing and a wrong
    reference solution are both caught; the demo course itself is clean."""
    from grading.api import validate

    assert validate(DEMO) == []
    # q1-check no longer calls the answer (it checks nothing); q2's reference solution is wrong
    broken = _broken(tmp_path, "_r = on_time_rate(records)", "_r = 0.6")
    ps1 = broken / "assignments" / "ps1" / "ps1.py"
    text = ps1.read_text(encoding="utf-8")
    text = text.replace('assert type(on_time_rate([])) is float and on_time_rate([]) == 0.0, "没有办件时应返回 0.0"\n'
                        'assert abs(on_time_rate([("X", 2, 2), ("Y", 2, 3)]) - 0.5) < 1e-9, "实际用时等于承诺时限算按时"\n', "_x = 1\n")
    text = text.replace("return [case_id for case_id, promised, used in records if used > promised]",
                        "return [case_id for case_id, promised, used in records if used >= promised]")
    ps1.write_text(text, encoding="utf-8")
    problems = validate(broken)
    assert any("q1-check" in p and "空白版本" in p for p in problems), problems
    assert any("q2-check" in p and "参考答案版本" in p for p in problems), problems


def test_new_course_from_template(tmp_path):
    from grading.api import new_course, validate

    dest = new_course("tax-basics", tmp_path / "tax-basics", title="税务基础")
    assert (dest / "course.toml").read_text(encoding="utf-8").count('id = "tax-basics"') == 1
    assert validate(dest, dynamic=False) == []
    with pytest.raises(ValueError):
        new_course("税务", tmp_path / "x")


def test_cli_validate_static(capsys):
    from grading.cli import main

    assert main(["validate", str(DEMO), "--static"]) == 0


@pytest.mark.parametrize("value", ['"false"', "1", "0.5"])
def test_a_yes_no_setting_must_be_true_or_false(value, tmp_path):
    """`optional = "false"` read as yes would leave the assignment out of the pass rule unseen."""
    from grading.api import new_course, validate

    dest = new_course("demo", tmp_path / "course")
    toml = dest / "course.toml"
    text = toml.read_text(encoding="utf-8")
    assert '[[assignments]]\nid = "ps1"' in text, text
    toml.write_text(text.replace('[[assignments]]\nid = "ps1"', f'[[assignments]]\nid = "ps1"\noptional = {value}', 1),
                    encoding="utf-8")
    problems = validate(dest, dynamic=False)
    assert any("optional 只能写 true 或 false" in p for p in problems), problems
