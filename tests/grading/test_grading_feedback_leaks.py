"""Issue 12 point 5 without root: what a hook in the kernel writes never reaches a feedback
notebook (StripHiddenTests builds it from what the grader wrote), and the last scan of the released
HTML finds hidden-test lines in other encodings too (grading.api.leaked_hidden_lines).
The root-mode end-to-end version (real submit, autograde, fetch_feedback) is test_grading_jail.py."""
from __future__ import annotations

import base64
import codecs

import nbformat
import pytest

pytestmark = pytest.mark.timeout(60)

HIDDEN = 'assert on_time_rate([]) == 0.0, "没有办件时应返回 0.0"'
TEST_SRC = ("r = on_time_rate(SAMPLE)\nassert abs(r - 0.6) < 1e-9, \"示例数据的按时办结率应为 0.6\"\n"
            "### BEGIN HIDDEN TESTS\n" + HIDDEN + "\n### END HIDDEN TESTS\n")


def _nb(answer_text: str, test_error: dict) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    answer = nbformat.v4.new_code_cell("def on_time_rate(r):\n    return 0.6\n")
    answer.metadata["nbgrader"] = {"solution": True, "grade": False, "grade_id": "q1-answer", "locked": False}
    answer.outputs = [nbformat.v4.new_output("display_data", data={"text/plain": answer_text})]
    test = nbformat.v4.new_code_cell(TEST_SRC)
    test.metadata["nbgrader"] = {"solution": False, "grade": True, "grade_id": "q1-check", "points": 1, "locked": True}
    test.outputs = [nbformat.v4.new_output("stream", name="stdout", text=HIDDEN[::-1]),
                    nbformat.v4.new_output("error", **test_error)]
    nb.cells = [answer, test]
    return nb


def _strip(nb):
    from grading.preprocessors import StripHiddenTests

    out, _ = StripHiddenTests().preprocess(nb, {})
    parts = []  # everything the feedback page can show, as text (not JSON: no escaping)
    for cell in out.cells:
        parts.append(cell.source)
        for o in cell.get("outputs", []):
            parts += [str(o.get("text", "")), str(o.get("ename", "")), str(o.get("evalue", "")),
                      *map(str, o.get("traceback", [])), *map(str, o.get("data", {}).values())]
    return "\n".join(parts)


@pytest.mark.parametrize("encode", [lambda s: s[::-1], lambda s: base64.b64encode(s.encode()).decode(),
                                    lambda s: s.encode().hex(), lambda s: codecs.encode(s, "rot13"),
                                    lambda s: "".join(chr(ord(c) ^ 1) for c in s)],
                         ids=["reversed", "base64", "hex", "rot13", "xor-1"])
def test_kernel_outputs_never_reach_feedback(encode):
    forged = {"ename": "AssertionError", "evalue": encode(HIDDEN), "traceback": ["line 4", encode(HIDDEN)]}
    text = _strip(_nb(encode(HIDDEN), forged))
    assert encode(HIDDEN) not in text and "".join(encode(HIDDEN).split()) not in "".join(text.split())
    assert "隐藏检查未通过" in text  # the failed check is still named


def test_authors_message_and_visible_line_are_kept():
    hidden_fail = {"ename": "AssertionError", "evalue": "没有办件时应返回 0.0", "traceback": ["Cell In[3], line 4"]}
    assert "隐藏检查未通过：没有办件时应返回 0.0" in _strip(_nb("0.6", hidden_fail))
    visible_fail = {"ename": "AssertionError", "evalue": "示例数据的按时办结率应为 0.6", "traceback": ["line 2"]}
    text = _strip(_nb("0.6", visible_fail))
    assert "第 2 行的检查未通过" in text and "示例数据的按时办结率应为 0.6" in text
    made_up = {"ename": "ReversedSourceError" + HIDDEN[::-1][:10], "evalue": "x", "traceback": ["line 2"]}
    assert "ReversedSourceError" not in _strip(_nb("0.6", made_up))


@pytest.mark.parametrize("encode", [lambda s: s, lambda s: s[::-1], lambda s: base64.b64encode(s.encode()).decode(),
                                    lambda s: s.encode().hex(), lambda s: codecs.encode(s, "rot13"),
                                    lambda s: base64.b64encode(s[::-1].encode()).decode(),
                                    lambda s: s.encode("unicode_escape").decode()],
                         ids=["plain", "reversed", "base64", "hex", "rot13", "base64-reversed", "escaped"])
def test_final_scan_sees_encoded_hidden_lines(encode):
    from grading.api import leaked_hidden_lines

    html = f"<html><body><pre>ok\n{encode(HIDDEN)}\n</pre></body></html>"
    assert leaked_hidden_lines(html, [HIDDEN]) == [HIDDEN]
    assert leaked_hidden_lines("<p>示例数据的按时办结率应为 0.6</p>", [HIDDEN]) == []
