"""Issue 12 point 8: the CLI's bad-input and partial-failure behaviour, and the reasons it records."""
from __future__ import annotations

import os
import pwd
import secrets
import shutil

import nbformat
import pytest

from runtime.settings import Settings


def _copy_course(course, tmp_path):
    """A private copy of the session's graded course root under its own single-account settings."""
    from grading.course_root import prepare
    from grading_helpers import DEMO

    copy = tmp_path / "courses" / "demo"
    shutil.copytree(course, copy)
    (tmp_path / "data").mkdir(exist_ok=True)
    settings = Settings.single_account(tmp_path)
    prepare(DEMO, copy, tmp_path / "exchange", cell_timeout=5, settings=settings)  # config paths → the copy
    return settings, copy


@pytest.mark.skipif(os.geteuid() != 0, reason="root mode: the Unix account must not be created")
def test_unknown_course_is_a_chinese_error_and_creates_no_account(tmp_path, capsys):
    from grading.cli import main
    from runtime import accounts

    cid = f"zgnosuch{secrets.token_hex(3)}"
    os.chmod(tmp_path, 0o755)
    settings = Settings(root_mode=True, root_dir=str(tmp_path))
    try:
        code = main(["autograde", cid, "ps1"], settings=settings)
        err = capsys.readouterr().err
        assert code == 2, err
        assert "不存在" in err and "Traceback" not in err, err
        with pytest.raises(KeyError):
            pwd.getpwnam(accounts.grader_account_name(cid))
    finally:
        try:
            accounts.remove_account(accounts.grader_account_name(cid), remove_home=False)
        except Exception:
            pass


def test_empty_gradebook_is_refused_not_replaced(course, tmp_path, capsys):
    from grading.cli import main

    settings, copy = _copy_course(course, tmp_path)
    for extra in ("gradebook.db-wal", "gradebook.db-shm"):
        (copy / extra).unlink(missing_ok=True)
    (copy / "gradebook.db").write_bytes(b"")
    out = tmp_path / "grades.csv"
    code = main(["export", "demo", "--out", str(out)], settings=settings)
    err = capsys.readouterr().err
    assert code != 0 and "成绩库" in err and "空文件" in err, err
    assert not out.exists()
    assert (copy / "gradebook.db").stat().st_size == 0  # nothing silently recreated


def test_one_withheld_feedback_does_not_fail_the_run(cohort, course, tmp_path, capsys):
    """A feedback that would show a hidden-test line is withheld and reported; the rest is released,
    exit 0."""
    from grading.api import hidden_test_lines
    from grading.cli import main

    settings, copy = _copy_course(course, tmp_path)
    hidden = hidden_test_lines(copy, "ps1")
    nb_path = copy / "autograded" / "good" / "ps1" / "ps1.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    code_cell = next(c for c in nb.cells if c.cell_type == "code" and not c.metadata.get("nbgrader", {}).get("locked"))
    # the trainee's own source is shown in feedback (kernel outputs no longer are: StripHiddenTests)
    code_cell.source = "# " + hidden[0][::-1] + "\n" + code_cell.source  # reversed: leakscan still sees it
    nbformat.write(nb, nb_path)
    code = main(["feedback", "demo", "ps1"], settings=settings)
    captured = capsys.readouterr()
    assert code == 0, captured.err[-2000:]
    assert "已扣留" in captured.err and "good" in captured.out
    assert not (copy / "feedback" / "good" / "ps1" / "ps1.html").exists()
    assert (copy / "feedback" / "wrong" / "ps1" / "ps1.html").exists()


def test_execution_failed_has_a_chinese_reason():
    from grading.autograde import SubmissionResult

    zh = SubmissionResult(student="x", reasons=["execution-failed"]).reasons_zh()
    assert zh and all("\u4e00" <= ch <= "\u9fff" for ch in zh[0][:2]), zh


def test_charts_do_not_count_as_huge_output():
    """A walkthrough cell showing a few charts (base64 PNG) stays whole; text floods are still cut."""
    from grading.preprocessors import SafeExecute

    ex = SafeExecute()
    ex._out_chars, ex._img_chars, ex._truncated = {}, {}, set()
    ex.reset_execution_trackers()
    ex.clear_before_next_output = False
    outs: list = []
    png = {"msg_type": "display_data", "header": {"msg_type": "display_data"}, "parent_header": {},
           "content": {"data": {"image/png": "A" * 60_000, "text/plain": "<Figure>"}, "metadata": {}}}
    for _ in range(3):
        ex.output(outs, png, None, 0)
    assert 0 not in ex._truncated
    flood = {"msg_type": "stream", "header": {"msg_type": "stream"}, "parent_header": {}, "content": {"name": "stdout", "text": "x" * 30_000}}
    ex.output(outs, flood, None, 1)
    assert 1 in ex._truncated
