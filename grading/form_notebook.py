"""The autograded notebook of a checker-graded submission: the formgrader shows it and
``generate_feedback`` renders it.

It is built from the **released** notebook (no solutions, no hidden tests) with, under each graded
cell, what the trusted checker produced: points, Chinese reasons, the answer as the trainee would
read it and — only for cases never reused — what was expected. Nothing the trainee's kernel printed
exists here (the notebook was never run), so hidden material cannot travel to feedback in it.
"""
from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import nbformat

MAX_ANSWER_CHARS = 4000  # a display cap: the formgrader shows the whole answers.json elsewhere if needed


def cell_title(cell: Any) -> str:
    """A readable title of a graded cell: its first comment or heading line."""
    for line in str(cell.source).splitlines():
        text = line.strip().lstrip("#").strip().strip("*").strip()
        if text:
            return text.removeprefix("检查：").strip()[:80]
    return str(cell.metadata.get("nbgrader", {}).get("grade_id", ""))


def _clip(text: str | None) -> str:
    text = "" if text is None else str(text)
    return text if len(text) <= MAX_ANSWER_CHARS else text[:MAX_ANSWER_CHARS] + "……（已截断）"


def result_text(item: dict) -> str:
    """The plain-text block shown under a graded cell (feedback and formgrader)."""
    if item["pending"]:
        lines = [f"【待培训师评分】本题满分 {item['max_points']:g} 分"]
    else:
        lines = [f"【自动评分】{item['points']:g} / {item['max_points']:g} 分"]
    lines += [f"· {r}" for r in item["reasons"]]
    if item.get("answer") not in (None, ""):
        lines.append("你的答案：" + _clip(item["answer"]))
    if item.get("expected") not in (None, ""):
        lines.append("参考答案：" + _clip(item["expected"]))
    return "\n".join(lines) + "\n"


def _annotate(cell: Any, item: dict) -> None:
    text = result_text(item)
    if cell.cell_type == "code":
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
        cell.execution_count = None
    else:  # markdown (hand-graded task): escaped, so an answer cannot inject markup into the formgrader
        cell.source = str(cell.source) + "\n\n<pre>" + html.escape(text) + "</pre>"


def build(released: Path, items: dict[str, dict], meta: dict,
          sources: dict[str, str] | None = None) -> nbformat.NotebookNode:
    """The released notebook with each graded cell annotated by its item (by grade_id). ``sources``
    (a code assignment): what the trainee wrote in each answer cell (nbgrader ``solution``), by
    grade_id — their own code and written answers for the trainer, never anything their kernel sent."""
    nb = nbformat.read(released, as_version=4)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        if sources and gid in sources and cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = sources[gid]
        if gid in items:
            _annotate(cell, items[gid])
    nb.metadata.setdefault("academy", {}).update(meta)
    return nb


def write(nb: nbformat.NotebookNode, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, dest)
