"""``python -m grading validate COURSE``: check an authored course before trainees see it.

Static checks name the notebook and cell of each error; then the course is built in a scratch
directory and graded twice: the source version must earn full marks on every autograded check,
the blank (released) version must fail every one of them.
"""
from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from runtime.settings import Settings

from .course import COMPETENCES, load_course, read_notebook

SOLUTION_BEGIN, SOLUTION_END = "### BEGIN SOLUTION", "### END SOLUTION"
HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


@dataclass
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def _balanced(source: str, begin: str, end: str) -> bool:
    depth = 0
    for line in source.splitlines():
        if begin in line:
            depth += 1
            if depth > 1:
                return False
        elif end in line:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def static_checks(course_src: Path) -> list[Problem]:
    problems: list[Problem] = []
    try:
        course = load_course(course_src)
    except Exception as exc:
        return [Problem(f"{course_src}/course.toml", f"无法读取：{exc}")]
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", course.id):
        problems.append(Problem("course.toml", f"id “{course.id}” 只能用小写英文字母、数字、- 和 _"))
    if course.hours <= 0:
        problems.append(Problem("course.toml", "hours（学时）必须大于 0"))
    if not 0 < course.pass_score <= 1:
        problems.append(Problem("course.toml", "pass_score 必须在 0 和 1 之间"))
    if not course.assignments:
        problems.append(Problem("course.toml", "至少需要一个 [[assignments]]"))
    seen_assignments = set()
    for a in course.assignments:
        if a.id in seen_assignments:
            problems.append(Problem("course.toml", f"作业 id “{a.id}” 重复"))
        seen_assignments.add(a.id)
        if a.kind not in ("form", "code") or (a.kind == "code" and not a.checker):
            problems.append(Problem("course.toml", f"作业“{a.id}”：kind 只能是 form 或 code，且 code 作业必须指定 checker"))
        if not course.assignment_dir(a.id).is_dir():
            problems.append(Problem("course.toml", f"作业目录 assignments/{a.id}/ 不存在"))
            continue
        notebooks = course.notebook_sources(a.id)
        if not notebooks:
            problems.append(Problem(f"assignments/{a.id}", "没有作业笔记本"))
        for path in notebooks:
            problems += notebook_checks(path, f"assignments/{a.id}/{path.name}", checker=bool(a.checker))
        if a.checker:
            problems += checker_checks(course_src / a.checker, notebooks, f"assignments/{a.id}（{a.checker}）")
    return problems


def _cell_points(notebooks: list[Path]) -> dict[str, float]:
    out: dict[str, float] = {}
    for path in notebooks:
        for cell in read_notebook(path).cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade") or meta.get("task"):
                out[meta.get("grade_id", "")] = meta.get("points", 0)
    return out


def checker_checks(path: Path, notebooks: list[Path], label: str, seed: int = 1) -> list[Problem]:
    """A checker assignment, statically: the module loads and grades exactly the notebook's graded
    cells with their points. (Whether the reference earns full marks and blank answers nothing is
    checked dynamically, through grading's own dispatch: grading.validate_checker.)"""
    from .checks import Context, load_checker
    from .code_export import export_source
    try:
        spec = load_checker(path)
        export_source(getattr(spec.module, "EXPORTS", {}) or {})  # a code checker's EXPORTS are well formed
        items = spec.check({}, Context("validate", path.stem, "validate", 1, seed, reuse_cases=False))
    except Exception as exc:  # CheckerError or the module's own error: reported, not raised
        return [Problem(label, f"评分模块无法加载或运行出错：{type(exc).__name__}: {exc}")]
    cells = _cell_points(notebooks)
    problems: list[Problem] = []
    if {i.cell for i in items} != set(cells):
        problems.append(Problem(label, f"评分模块评的单元格 {sorted(i.cell for i in items)} 与笔记本的评分单元格 {sorted(cells)} 不一致"))
    for i in items:
        if i.cell in cells and abs(i.max_points - cells[i.cell]) > 1e-9:
            problems.append(Problem(label, f"单元格 {i.cell}：评分模块满分 {i.max_points}，笔记本 points={cells[i.cell]}"))
    return problems


def notebook_checks(path: Path, label: str, checker: bool = False) -> list[Problem]:
    """``checker``: graded as data by a checker module — its task cells count as graded cells and
    carry points and a competence too."""
    problems: list[Problem] = []
    try:
        nb = read_notebook(path)
    except Exception as exc:
        return [Problem(label, f"无法读取笔记本：{exc}")]
    ids: dict[str, int] = {}
    graded = 0
    for index, cell in enumerate(nb.cells, start=1):
        meta = cell.metadata.get("nbgrader")
        if not meta:
            if HIDDEN_BEGIN in cell.source or SOLUTION_BEGIN in cell.source:
                problems.append(Problem(f"{label} 第{index}个单元格", "有答案/隐藏检查标记，但没有 nbgrader 元数据"))
            continue
        gid = meta.get("grade_id")
        where = f"{label} 单元格 {gid or '#' + str(index)}"
        if not gid:
            problems.append(Problem(where, "缺少 grade_id"))
        elif gid in ids:
            problems.append(Problem(where, f"grade_id 与第{ids[gid]}个单元格重复"))
        else:
            ids[gid] = index
        if meta.get("schema_version") != 3:
            problems.append(Problem(where, "schema_version 应为 3"))
        is_grade, is_solution = bool(meta.get("grade")), bool(meta.get("solution"))
        if checker and meta.get("task"):
            graded += 1
            comp = cell.metadata.get("academy", {}).get("competence")
            if not isinstance(meta.get("points"), (int, float)) or meta["points"] <= 0:
                problems.append(Problem(where, "评分单元格必须有大于 0 的 points"))
            if comp not in COMPETENCES:
                problems.append(Problem(where, f"评分单元格必须有 academy.competence（{'、'.join(COMPETENCES)} 之一），现为 {comp!r}"))
        if is_grade:
            graded += 1
            points = meta.get("points")
            if not isinstance(points, (int, float)) or points <= 0:
                problems.append(Problem(where, "评分单元格必须有大于 0 的 points"))
            comp = cell.metadata.get("academy", {}).get("competence")
            if comp not in COMPETENCES:
                problems.append(Problem(where, f"评分单元格必须有 academy.competence（{'、'.join(COMPETENCES)} 之一），现为 {comp!r}"))
            if is_solution:  # hand-graded answer
                rubric = cell.metadata.get("academy", {}).get("rubric")
                if not rubric or not all(isinstance(r, dict) and r.get("criterion") and r.get("points") for r in rubric):
                    problems.append(Problem(where, "人工评分的答案需要 academy.rubric（criterion 和 points）"))
                elif isinstance(points, (int, float)) and abs(sum(r["points"] for r in rubric) - points) > 1e-9:
                    problems.append(Problem(where, f"评分要点合计 {sum(r['points'] for r in rubric)} 分，与 points={points} 不符"))
        if cell.cell_type == "code" and is_solution and not is_grade:
            if SOLUTION_BEGIN not in cell.source:
                problems.append(Problem(where, "答案单元格没有 ### BEGIN SOLUTION / ### END SOLUTION"))
        if not _balanced(cell.source, SOLUTION_BEGIN, SOLUTION_END):
            problems.append(Problem(where, "BEGIN SOLUTION 与 END SOLUTION 不成对"))
        if not _balanced(cell.source, HIDDEN_BEGIN, HIDDEN_END):
            problems.append(Problem(where, "BEGIN HIDDEN TESTS 与 END HIDDEN TESTS 不成对"))
        if HIDDEN_BEGIN in cell.source and not (is_grade and not is_solution):
            problems.append(Problem(where, "隐藏检查只能放在自动评分的检查单元格中"))
        if is_grade and not is_solution and cell.cell_type == "code" and not meta.get("locked"):
            problems.append(Problem(where, "检查单元格应设为 locked"))
    if graded == 0:
        problems.append(Problem(label, "没有任何评分单元格"))
    return problems


def _release_problems(release_dir: Path, assignment: str) -> list[Problem]:
    """Released notebooks must carry no solutions, no hidden tests and nothing grader-only."""
    problems = []
    for rel in sorted(release_dir.rglob("*")):
        if rel.name.startswith(".academy") or "grader" in rel.relative_to(release_dir).parts:
            problems.append(Problem(f"release/{assignment}/{rel.name}", "发布版本中含有评分专用文件"))
    for rel in sorted(release_dir.glob("*.ipynb")):
        text = rel.read_text(encoding="utf-8")
        for marker in (SOLUTION_BEGIN, HIDDEN_BEGIN, "BEGIN MARK SCHEME"):
            if marker in text:
                problems.append(Problem(f"release/{assignment}/{rel.name}", f"发布版本中仍有 {marker}"))
    return problems


def dynamic_checks(course_src: Path) -> list[Problem]:
    """Build the course in a scratch root; source must score full marks, blank must fail every check."""
    from .autograde import autograde
    from .course_root import prepare

    course = load_course(course_src)
    problems: list[Problem] = []
    tmp = Path(tempfile.mkdtemp(prefix="academy-validate-"))
    # a scratch build: single-account settings of its own, no grader accounts involved
    scratch = Settings.single_account(tmp)
    try:
        root = tmp / "courses" / course.id
        try:
            prepare(course_src, root, tmp / "exchange", cell_timeout=60, settings=scratch)
        except Exception as exc:
            return [Problem("nbgrader generate_assignment", str(exc).splitlines()[-1][:500])]
        for a in course.assignments:
            release_dir = root / "release" / a.id
            if a.checker:  # graded as data by the checker: the author's reference answers must earn full marks
                from .validate_checker import check_assignment

                problems += [Problem(w, p) for w, p in check_assignment(root, course.id, a.id, scratch)]
                problems += _release_problems(release_dir, a.id)
                continue
            for nb_path in sorted((root / "source" / a.id).glob("*.ipynb")):
                for who, src in (("validate-source", nb_path), ("validate-blank", release_dir / nb_path.name)):
                    d = root / "submitted" / who / a.id
                    d.mkdir(parents=True, exist_ok=True)
                    shutil.copy(src, d / nb_path.name)
                    for extra in (root / "source" / a.id).iterdir():
                        if extra.suffix != ".ipynb" and extra.is_file():
                            shutil.copy(extra, d / extra.name)
            autograde(course.id, a.id, root, workers=2, students=["validate-source", "validate-blank"],
                      settings=scratch)
            from .nbgrader_env import gradebook

            with gradebook(root) as gb:
                for nb in gb.find_assignment(a.id).notebooks:
                    for gc in nb.grade_cells:
                        if gc.cell_type != "code":
                            continue
                        try:
                            gb.find_solution_cell(gc.name, nb.name, a.id)
                            continue  # a hand-graded code answer
                        except Exception:
                            pass
                        src_grade = gb.find_grade(gc.name, nb.name, a.id, "validate-source")
                        blank_grade = gb.find_grade(gc.name, nb.name, a.id, "validate-blank")
                        where = f"assignments/{a.id}/{nb.name} 单元格 {gc.name}"
                        if (src_grade.auto_score or 0) < gc.max_score:
                            problems.append(Problem(where, f"参考答案版本只得 {src_grade.auto_score or 0}/{gc.max_score} 分（检查或答案有误）"))
                        if (blank_grade.auto_score or 0) > 0:
                            problems.append(Problem(where, f"空白版本也得了 {blank_grade.auto_score} 分（检查没有真正检查答案）"))
            problems += _release_problems(release_dir, a.id)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return problems


def validate(course_src: Path, dynamic: bool = True) -> list[Problem]:
    problems = static_checks(Path(course_src))
    if dynamic and not problems:
        problems += dynamic_checks(Path(course_src))
    return problems
