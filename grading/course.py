"""Course sources: ``course.toml`` and the assignment notebooks (jupytext percent format)."""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import jupytext
import nbformat

COMPETENCES = ("业务办理", "平台操作", "数据分析与技术应用", "服务意识与流程优化", "信息安全")
# Assignments a course takes from the template course (``template = true`` in course.toml): their
# one copy is package data of grading, so it exists wherever grading is installed (the runtime venv
# has no courses/) and academy.runtime closes it to root there (it holds the solutions).
DEFAULT_MAX_ATTEMPTS = 3
TEMPLATE_ASSIGNMENTS = Path(__file__).with_name("templates") / "course" / "assignments"


@dataclass(frozen=True)
class AssignmentSpec:
    id: str
    title: str
    due: dt.datetime | None
    resubmit_until: dt.datetime | None = None
    from_template: bool = False  # sources in TEMPLATE_ASSIGNMENTS/<id>, not the course's own folder
    checker: str | None = None   # grader-only checker module, relative to the course source (grading.checks)
    max_attempts: int = DEFAULT_MAX_ATTEMPTS  # graded attempts of a checker assignment (1 + 补考)
    kind: str = "form"           # "form": answers.json graded as data; "code": exported values (grading.code_export)
    optional: bool = False       # 选做: graded as usual, but outside the course's pass rule (CourseSpec.for_pass)


@dataclass(frozen=True)
class CourseSpec:
    id: str
    title: str
    hours: float
    pass_score: float
    assignments: tuple[AssignmentSpec, ...]
    src: Path
    require_all_submitted: bool = True
    extra: dict = field(default_factory=dict)

    def assignment(self, assignment_id: str) -> AssignmentSpec:
        for a in self.assignments:
            if a.id == assignment_id:
                return a
        raise KeyError(f"course {self.id} has no assignment {assignment_id!r}")

    def for_pass(self, totals: list[dict]) -> list[dict]:
        """The per-assignment totals the pass rule counts: optional (选做) assignments are left out, so
        leaving one undone, or doing it badly, never stands between a trainee and the certificate."""
        optional = {a.id for a in self.assignments if a.optional}
        return [t for t in totals if t["assignment"] not in optional]

    def assignment_dir(self, assignment_id: str) -> Path:
        if self.assignment(assignment_id).from_template:
            return TEMPLATE_ASSIGNMENTS / assignment_id
        return self.src / "assignments" / assignment_id

    def notebook_sources(self, assignment_id: str) -> list[Path]:
        d = self.assignment_dir(assignment_id)
        return sorted(p for p in d.iterdir() if p.suffix in (".py", ".ipynb") and not p.name.startswith("_"))


def _when(value) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def _flag(assignment: dict, key: str) -> bool:
    """A yes/no setting of an assignment: TOML true/false only. bool() would read "false" (a string)
    or 0.5 as yes, and an assignment silently left out of the pass rule is a wrong certificate."""
    value = assignment.get(key, False)
    if not isinstance(value, bool):
        raise ValueError(f"作业“{assignment.get('id', '?')}”：{key} 只能写 true 或 false（现为 {value!r}）")
    return value


def load_course(course_src: Path) -> CourseSpec:
    course_src = Path(course_src)
    data = tomllib.loads((course_src / "course.toml").read_text(encoding="utf-8"))
    assignments = tuple(
        AssignmentSpec(
            id=str(a["id"]),
            title=str(a.get("title", a["id"])),
            due=_when(a.get("due")),
            resubmit_until=_when(a.get("resubmit_until")),
            from_template=_flag(a, "template"),
            checker=str(a["checker"]) if a.get("checker") else None,
            max_attempts=int(a.get("max_attempts", data.get("grading", {}).get("max_attempts", DEFAULT_MAX_ATTEMPTS))),
            kind=str(a.get("kind", "form")),
            optional=_flag(a, "optional"),
        )
        for a in data.get("assignments", [])
    )
    known = {"id", "title", "hours", "pass_score", "assignments", "require_all_submitted"}
    return CourseSpec(
        id=str(data["id"]),
        title=str(data.get("title", data["id"])),
        hours=float(data.get("hours", 0)),
        pass_score=float(data.get("pass_score", 0.6)),
        assignments=assignments,
        src=course_src,
        require_all_submitted=bool(data.get("require_all_submitted", True)),
        extra={k: v for k, v in data.items() if k not in known},
    )


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """Read a source notebook (.py percent format or .ipynb) without jupytext's layout metadata."""
    path = Path(path)
    if path.suffix == ".ipynb":
        return nbformat.read(path, as_version=4)
    nb = jupytext.read(path, fmt="py:percent")
    for index, cell in enumerate(nb.cells):
        cell.metadata.pop("lines_to_next_cell", None)
        cell.metadata.pop("lines_to_end_of_cell_marker", None)
        # Stable cell ids (jupytext's percent format keeps none; nbformat would draw random ones):
        # the nbgrader grade_id where there is one, else the cell's position.
        gid = str(cell.metadata.get("nbgrader", {}).get("grade_id", ""))
        cell.id = gid if re.fullmatch(r"[A-Za-z0-9_-]{1,64}", gid) else f"cell-{index}"
    nb.metadata.pop("jupytext", None)
    nb.metadata.setdefault("kernelspec", {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"})
    nb.metadata.setdefault("language_info", {"name": "python"})
    return nb
