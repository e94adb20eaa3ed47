"""The trainee's own cases in a graded notebook, through ``coursekit.answers.my_cases``.

The grader generates each trainee's cases from a secret seed (grading.checks) and the academy puts
them beside the notebook; ``answers.my_cases()`` reads them. Where no cases are at hand (a course
author previewing the source, a lesson, tests) :func:`cases` falls back to public practice cases and
says so loudly on the page, so nobody mistakes practice material for their graded queue.
"""
from __future__ import annotations

from typing import Any, Callable

from IPython.display import display

from . import answers
from .display import note


def cases(practice: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Your own cases, or (with a visible warning) the practice cases ``practice()`` returns."""
    reader = getattr(answers, "my_cases", None)
    why = ""
    if reader is not None:
        try:
            mine = reader()
        except (LookupError, OSError, ValueError) as exc:  # answers.NoCases explains in Chinese
            mine, why = None, str(exc)
        if mine:
            return mine
    display(note((why + "<br>" if why else "") + "在此之前，下面显示的是<b>练习数据</b>，可以先熟悉操作；"
                 "请等专属数据生成后刷新本页（在 JupyterLab 中为“运行所有单元格”）再作答，用练习数据作答的答案不会得分。", "error"))
    return practice()
