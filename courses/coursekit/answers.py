"""Saved answers: the one channel between a trainee's widgets and the graded cells.

A trainee never edits code. Widgets collect answers; the 保存答案 button writes them into
``answers.json`` beside the notebook (the kernel's working directory is the notebook's folder, in
JupyterLab, in nbclient runs and in nbgrader autograde alike). ``nbgrader submit`` copies every file of
the assignment folder, and ``nbgrader autograde`` copies the submission's files into the autograded
folder before running it, so graded cells read exactly what the trainee saved with :func:`load`.

The course *source* folder must never contain an ``answers.json``: autograde overwrites submitted files
with the source folder's non-notebook files (tests/courses check this).
"""
from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterator

ANSWERS_FILE = "answers.json"
ENV_DIR = "COURSEKIT_ANSWERS_DIR"  # tests and tools may point the answers elsewhere

_MISSING = object()


class NotSaved(LookupError):
    """Raised by :func:`require` when a question has no saved answer; the message is for trainees."""


def answers_path() -> Path:
    base = os.environ.get(ENV_DIR)
    return Path(base or os.getcwd()) / ANSWERS_FILE


def load_all() -> dict[str, Any]:
    path = answers_path()
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        # A damaged file must not crash the notebook; the trainee simply saves again.
        return {}
    return data if isinstance(data, dict) else {}


def load(qid: str, default: Any = None) -> Any:
    """The saved answer of question ``qid`` (JSON values: str, number, list, dict), or ``default``."""
    return load_all().get(qid, default)


def require(qid: str) -> Any:
    """The saved answer, or :class:`NotSaved` with a plain Chinese message (used by graded cells)."""
    value = load_all().get(qid, _MISSING)
    if value is _MISSING or value is None or value == "":  # an empty list is a saved answer ("none")
        raise NotSaved(f"这道题（{qid}）没有保存答案：请在表单中作答，并点击“保存答案”。")
    return value


def saved(qid: str) -> Any:
    """Visible check cells: show whether ``qid`` is saved, never fail (so 运行全部 does not stop);
    the hidden tests do the strict checking with :func:`require`."""
    value = load_all().get(qid)
    if value is None or value == "":
        print("□ 这道题还没有保存答案。请在上面的表单中作答，并点击“保存答案”。")
        return None
    print("✓ 这道题已保存。对错在提交并评分后公布。")
    return value


def save(qid: str, value: Any) -> dict[str, Any]:
    """Save one answer (atomically: write a temporary file, then rename). Returns all answers."""
    json.dumps(value, ensure_ascii=False)  # refuse what cannot be saved before touching the file
    data = load_all()
    data[qid] = value
    path = answers_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".answers-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=1, sort_keys=True)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return data


CASES_FILE = "cases.json"


class NoCases(LookupError):
    """Raised by :func:`my_cases` when the trainee's own cases are not there yet (Chinese message)."""


def my_cases() -> dict[str, Any]:
    """The trainee's own cases for this attempt: ``cases.json`` beside the notebook, written by the
    academy (``python -m grading cases``; the grade-on-submit service after each graded attempt).
    They are generated on the grader's side from a grader secret: nobody can compute another
    trainee's cases, and the graded answers are checked against exactly these."""
    path = answers_path().with_name(CASES_FILE)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NoCases("你的个人案例（cases.json）还没有生成：获取作业后约 1 分钟内会自动生成，"
                      "请稍后重新运行本单元格；如仍没有，请联系培训老师。") from None
    except (OSError, ValueError):
        raise NoCases("你的个人案例文件（cases.json）已损坏：请删除它并稍候，系统会重新生成；"
                      "如仍有问题，请联系培训老师。") from None
    cases = data.get("cases") if isinstance(data, dict) else None
    if not isinstance(cases, dict):
        raise NoCases("你的个人案例文件（cases.json）内容不完整：请删除它并稍候，系统会重新生成。")
    return cases


def clear(qid: str | None = None) -> None:
    """Forget one answer, or all of them."""
    if qid is None:
        with contextlib.suppress(FileNotFoundError):
            answers_path().unlink()
        return
    data = load_all()
    if qid in data:
        del data[qid]
        path = answers_path()
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")


@contextlib.contextmanager
def answer_key() -> Iterator[None]:
    """Wrap an assignment's answer key (an nbgrader ``### BEGIN SOLUTION`` region) in a hidden cell.

    In the source version the region fills and saves the right answers, so the source earns full
    marks. In the released version nbgrader replaces the region with a stub that raises
    ``NotImplementedError``; this context swallows exactly that, so a trainee never sees a traceback.
    """
    try:
        yield
    except NotImplementedError:
        pass
