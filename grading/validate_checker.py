"""``validate`` for an assignment graded by a checker (grading.checks): the course author's side.

In a scratch course root (single-account settings of its own): the checker keeps the contract
(``cases`` returns JSON, ``check`` returns items for graded cells only); the **source** notebook,
executed with nbclient beside the cases of a scratch trainee (its answer key saves answers.json the
way a trainee's form does), must earn full marks on every autograded item when its answers go
through the real dispatch (``grading.autograde`` → checker); empty answers must earn none.
Executing the source here is fine: it is the author's own code on the author's machine — trainees'
notebooks are never executed by the checker path.
"""
from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from runtime.settings import Settings

SOURCE, BLANK = "validate-source", "validate-blank"


def _reference_answers(source_nb: Path, cases_doc: bytes, timeout: int = 120) -> tuple[dict | None, str]:
    """Run the source notebook in a scratch folder holding cases.json; its saved answers."""
    import nbformat
    from nbclient import NotebookClient

    work = Path(tempfile.mkdtemp(prefix="academy-validate-run-"))
    try:
        (work / "cases.json").write_bytes(cases_doc)
        nb = nbformat.read(source_nb, as_version=4)
        try:
            NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                           resources={"metadata": {"path": str(work)}}).execute()
        except Exception as exc:  # noqa: BLE001 - reported as a problem of the course
            return None, f"参考答案版本无法运行：{str(exc).splitlines()[-1][:300] if str(exc) else type(exc).__name__}"
        path = work / "answers.json"
        if not path.exists():
            return None, "参考答案版本运行后没有保存 answers.json（答案区应调用保存答案）"
        return json.loads(path.read_text(encoding="utf-8")), ""
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _stage(root: Path, course_id: str, assignment: str, who: str, cases: dict, answers: dict) -> None:
    from .checker_run import cases_document

    d = root / "submitted" / who / assignment
    d.mkdir(parents=True, exist_ok=True)
    for nb in sorted((root / "release" / assignment).glob("*.ipynb")):
        shutil.copy(nb, d / nb.name)
    (d / "cases.json").write_bytes(cases_document(course_id, assignment, who, 1, 1, cases))
    (d / "answers.json").write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")


def _unknown_cells(root: Path, course_id: str, assignment: str, answers: dict) -> list[tuple[str, str]]:
    """Items the checker returns for cells that are not graded cells of the notebook."""
    from .checks import Context, case_seed
    from .form_items import cell_layout
    from .formgrade import checker_for
    from .nbgrader_env import gradebook
    from .secret import course_key

    seed = case_seed(course_key(root), course_id, assignment, SOURCE, 1)
    ctx = Context(course_id, assignment, SOURCE, 1, seed)
    try:
        items = checker_for(root, assignment).check(answers, ctx)
    except Exception as exc:  # noqa: BLE001
        return [(f"assignments/{assignment}（评分程序）", f"check() 出错：{exc!r}"[:400])]
    with gradebook(root) as gb:
        layout = cell_layout(gb, assignment)
    return [(f"assignments/{assignment}（评分程序）", f"check() 返回了不存在的评分单元格 {it.cell!r}")
            for it in items if it.cell not in layout]


def _checker_reference(root: Path, course_id: str, assignment: str, cases: dict) -> dict | None:
    """The checker's own full-marks answers, where its course keeps the key only there: ``reference(cases,
    seed)`` (answers that depend on what only the seed knows — which ticket is a duplicate, which 差评 is
    planted) or ``solution(seed)`` (issue 17); None when it defines neither (the source notebook's key)."""
    from .checks import case_seed
    from .formgrade import checker_for
    from .secret import course_key

    module = checker_for(root, assignment).module
    seed = case_seed(course_key(root), course_id, assignment, SOURCE, 1)
    if callable(getattr(module, "reference", None)):
        return dict(module.reference(cases, seed))
    if callable(getattr(module, "solution", None)):
        return dict(module.solution(seed))
    return None


def check_assignment(root: Path, course_id: str, assignment: str, scratch: Settings) -> list[tuple[str, str]]:
    """(where, problem) pairs for one checker assignment of a scratch-built course root."""
    from .checker_run import cases_document
    from .formgrade import public_cases

    where = f"assignments/{assignment}（评分程序）"
    from .formgrade import load_manifest

    if load_manifest(root).get(assignment, {}).get("kind") == "code":
        _stage_code(root, assignment)
        return _judge(root, course_id, assignment, scratch, where)
    try:
        cases = public_cases(root, course_id, assignment, [(SOURCE, 1), (BLANK, 1)])
    except Exception as exc:  # noqa: BLE001
        return [(where, f"评分程序的 cases() 出错或返回了非 JSON 内容：{exc!r}"[:400])]
    problems: list[tuple[str, str]] = []
    reference: dict = {}
    by_checker = _checker_reference(root, course_id, assignment, cases[SOURCE])
    if by_checker is not None:  # the checker holds the key: the notebook holds none
        reference, sources = by_checker, []
    else:
        sources = sorted((root / "source" / assignment).glob("*.ipynb"))
    for nb in sources:
        answers, why = _reference_answers(nb, cases_document(course_id, assignment, SOURCE, 1, 1, cases[SOURCE]))
        if answers is None:
            problems.append((f"assignments/{assignment}/{nb.name}", why))
        else:
            reference.update(answers)
    if problems:
        return problems
    problems += _unknown_cells(root, course_id, assignment, reference)
    _stage(root, course_id, assignment, SOURCE, cases[SOURCE], reference)
    _stage(root, course_id, assignment, BLANK, cases[BLANK], {})
    return problems + _judge(root, course_id, assignment, scratch, where)


def _stage_code(root: Path, assignment: str) -> None:
    """A code assignment: the source notebooks (the author's solution) and the released ones (blank)
    submitted as they are; the real dispatch runs them and exports their values."""
    for who, top in ((SOURCE, "source"), (BLANK, "release")):
        d = root / "submitted" / who / assignment
        d.mkdir(parents=True, exist_ok=True)
        for nb in sorted((root / top / assignment).glob("*.ipynb")):
            shutil.copy(nb, d / nb.name)


def _judge(root: Path, course_id: str, assignment: str, scratch: Settings, where: str) -> list[tuple[str, str]]:
    """Grade the two staged submissions through the real dispatch: the reference earns full marks on
    every autograded item, the blank one none."""
    from .autograde import autograde

    problems: list[tuple[str, str]] = []
    rows = autograde(course_id, assignment, root, students=[SOURCE, BLANK], settings=scratch,
                     db_url=scratch.paths.academy_db_url)["submissions"]
    by = {r["student"]: r for r in rows}
    for who, want_full in ((SOURCE, True), (BLANK, False)):
        row = by.get(who, {})
        if "checker-error" in row.get("reasons", []):
            problems.append((where, f"评分程序的 check() 在{'参考答案' if want_full else '空白答案'}上出错"))
            continue
        for item in row.get("items", []):
            if item["pending"]:
                continue
            cell = f"{where} 单元格 {item['cell']}"
            if want_full and item["points"] < item["max_points"]:
                problems.append((cell, f"参考答案只得 {item['points']:g}/{item['max_points']:g} 分：{'；'.join(item['reasons'])}"))
            if not want_full and item["points"] > 0:
                problems.append((cell, f"空白答案也得了 {item['points']:g} 分（检查没有真正检查答案）"))
    return problems
