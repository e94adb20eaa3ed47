"""The grading API. ``python -m grading VERB`` (grading/cli.py) is a thin layer over it.

Every function that touches a course root runs as the course's grader account in root mode
(``grading.privileges``); results are plain dicts/lists so they cross that boundary pickled.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Iterable

from runtime.settings import Settings

from . import paths, privileges
from .course import load_course
from .nbgrader_env import api as nb_api, gradebook

log = logging.getLogger(__name__)


def _field(person: Any, name: str, default: Any = None) -> Any:
    if isinstance(person, dict):
        return person.get(name, default)
    return getattr(person, name, default)


def course_root(course_id: str, settings: Settings | None = None) -> Path:
    return paths.course_root(course_id, settings)


# -- course set-up -------------------------------------------------------------------------------
def prepare(course_id: str, course_src: Path | None = None, root: Path | None = None,
            exchange: Path | None = None, release_all: bool = False, settings: Settings | None = None) -> dict:
    """Build/update the course root; with ``release_all``, also release every assignment to the
    exchange (what a trainer does before a cohort starts; the demo course wants it at `make up`)."""
    from .course_root import prepare as _prepare

    src = Path(course_src or paths.course_src(course_id))
    root = Path(root or course_root(course_id, settings))
    _prepare(src, root, Path(exchange or paths.exchange_dir(settings)), settings=settings)
    released = []
    if release_all:
        for a in load_course(src).assignments:
            release(course_id, a.id, root=root, settings=settings)
            released.append(a.id)
    return {"course": course_id, "root": str(root), "released": released}


def _sync_students(root: Path, rows: list[dict]) -> dict:
    added = updated = 0
    with gradebook(root) as gb:
        for row in rows:
            try:
                gb.find_student(row["id"])
                updated += 1
            except Exception:
                added += 1
            gb.update_or_create_student(row["id"], first_name=row["first_name"],
                                        last_name=row["last_name"], email=row.get("email"))
    return {"added": added, "updated": updated}


def sync_students(course_id: str, people: Iterable[Any], root: Path | None = None, settings: Settings | None = None) -> dict:
    """Add or update the nbgrader students of a course from roster people.

    ``people``: objects or dicts with ``account``, ``姓名``, ``单位``, ``县区``, ``cohort``. nbgrader
    keeps only the id and a name; 单位/县区/cohort stay in the academy database (people table).
    The display name is ``姓名（单位）`` so that trainers recognise people in the formgrader.
    """
    rows = []
    for p in people:
        account = _field(p, "account")
        if not account:
            continue
        name = _field(p, "姓名") or _field(p, "name") or account
        unit = _field(p, "单位") or _field(p, "unit") or ""
        rows.append({"id": str(account), "first_name": "", "last_name": f"{name}（{unit}）" if unit else str(name)})
    root = Path(root or course_root(course_id, settings))
    return privileges.run_as_grader(course_id, _sync_students, root, rows, settings=settings)


# -- people (academy's roster writes runtime.people; grading only reads it) ------------------------
def people_index(db_url: str | None = None) -> dict[str, Any]:
    """account -> person record (name, unit, county, cohort); empty when there is no roster yet."""
    from .store import people_index as _people_index

    return _people_index(db_url or paths.academy_db_url())


def _db(db_url: str | None, settings: Settings | None = None) -> str:
    return db_url or paths.academy_db_url(settings)


# -- release / collect ----------------------------------------------------------------------------
def _nb_call(root: Path, method: str, *args: Any, **kwargs: Any) -> dict:
    result = getattr(nb_api(root), method)(*args, **kwargs)
    return {"success": bool(result.get("success")), "log": result.get("log", ""), "error": result.get("error", "")}


def release(course_id: str, assignment: str, root: Path | None = None, settings: Settings | None = None) -> dict:
    """Generate (if the source changed) and release an assignment to the exchange."""
    root = Path(root or course_root(course_id, settings))
    out = privileges.run_as_grader(course_id, _release, root, assignment, settings=settings)
    if not out["success"]:
        raise RuntimeError(f"release {course_id}/{assignment} failed:\n{out['log'][-2000:]}")
    return out


def _release(root: Path, assignment: str) -> dict:
    nbapi = nb_api(root)
    gen = nbapi.generate_assignment(assignment, force=True, create=True)
    if not gen.get("success"):
        return {"success": False, "log": gen.get("log", "")}
    try:
        nbapi.unrelease(assignment)  # re-release replaces an older version (nbgrader refuses otherwise)
    except Exception:
        pass
    res = nbapi.release_assignment(assignment)
    return {"success": bool(res.get("success")), "log": res.get("log", "")}


def collect(course_id: str, assignment: str, root: Path | None = None, settings: Settings | None = None) -> dict:
    root = Path(root or course_root(course_id, settings))
    out = privileges.run_as_grader(course_id, _nb_call, root, "collect", assignment, update=True, settings=settings)
    if not out["success"]:
        raise RuntimeError(f"collect {course_id}/{assignment} failed:\n{out['log'][-2000:]}")
    out["students"] = submissions(course_id, assignment, root, settings)
    return out


def submissions(course_id: str, assignment: str, root: Path | None = None,
                settings: Settings | None = None) -> list[str]:
    """The trainees with a collected submission of ``assignment`` (read as the grader account)."""
    from .autograde import submitted_students

    root = Path(root or course_root(course_id, settings))
    return privileges.run_as_grader(course_id, submitted_students, root, assignment, settings=settings)


# -- autograde ------------------------------------------------------------------------------------
def autograde(course_id: str, assignment: str, workers: int | None = None, students: list[str] | None = None,
              root: Path | None = None, db_url: str | None = None, course_src: Path | None = None,
              on_result=None, progress_pages: bool = True, settings: Settings | None = None) -> dict:
    """Grade submissions in parallel, record results and competence, refresh progress pages."""
    from .autograde import autograde as _autograde

    root = Path(root or course_root(course_id, settings))
    spec = load_course(Path(course_src or paths.course_src(course_id))) if (course_src or paths.course_src(course_id).exists()) else None
    resubmit = None
    a_spec = None
    if spec is not None:
        try:
            a_spec = spec.assignment(assignment)
            resubmit = a_spec.resubmit_until.isoformat() if a_spec.resubmit_until else None
        except KeyError:
            pass
    db = _db(db_url, settings)
    if students is None:
        students = submissions(course_id, assignment, root, settings)
    # checker assignments count their attempts themselves (grading.checker_run); the cohort's rule
    # reaches them through per_student, notebook assignments are capped here
    checker = assignment in checker_assignments(course_id, root, settings)
    per_student, refused, stamps = _cohort_rules(course_id, a_spec, root, students, db, settings, cap=not checker)
    report = _autograde(course_id, assignment, root, workers=workers,
                        students=[s for s in students if s not in refused], resubmit_until=resubmit,
                        on_result=on_result, settings=settings, db_url=db, per_student=per_student)
    from . import cohorts, store
    from .reasons import REASONS_ZH

    if not checker:
        report["refused"] = [{"student": s, "reason": "attempts-exceeded",
                              "reason_zh": REASONS_ZH["attempts-exceeded"]} for s in refused]
        cohorts.record(db, course_id, assignment, stamps, report["submissions"])
    store.save_results(db, course_id, assignment, report["submissions"])
    cohorts.note_refused(db, course_id, assignment, refused)
    if report.get("graded_by") == "checker":  # each graded trainee gets their next attempt's own cases
        report["cases"] = write_cases(course_id, assignment, [r["student"] for r in report["submissions"]],
                                      root=root, db_url=db_url, settings=settings)
    competence(course_id, root=root, db_url=db_url, settings=settings)
    if progress_pages:
        from .progress import write_pages

        write_pages([r["student"] for r in report["submissions"]] + refused, db_url=_db(db_url, settings), settings=settings)
    return report


def _submission_stamps(root: Path, assignment: str, students: list[str]) -> dict[str, str]:
    """student -> the receipt time collect wrote (what counts one graded attempt)."""
    out = {}
    for s in students:
        f = root / "submitted" / s / assignment / "timestamp.txt"
        out[s] = f.read_text(encoding="utf-8").strip() if f.is_file() else ""
    return out


def _cohort_rules(course_id: str, a_spec, root: Path, students: list[str], db: str,
                  settings: Settings | None, cap: bool = True) -> tuple[dict[str, dict], list[str], dict[str, str]]:
    """Each student's cohort rule (grading.cohorts): due/resubmit_until/max_attempts for grading,
    the students refused for a used-up attempt cap (with ``cap``), and the submission timestamps
    that count as attempts."""
    from . import cohorts

    if a_spec is None or not students:
        return {}, [], {}
    people = people_index(db)
    cohort_of = {s: getattr(people.get(s), "cohort", "") or "" for s in students}
    rules = {s: cohorts.effective(db, course_id, a_spec, cohort_of[s]) for s in students}
    stored = cohorts.rules(db, course_id, a_spec.id)  # a cap set for the cohort, else the course's own
    per_student = {s: {"due": r.due.isoformat() if r.due else None,
                       "resubmit_until": r.resubmit_until.isoformat() if r.resubmit_until else None,
                       "max_attempts": getattr(stored.get(cohort_of[s]), "max_attempts", None)}
                   for s, r in rules.items()}
    if not cap:
        return per_student, [], {}
    stamps = privileges.run_as_grader(course_id, _submission_stamps, root, a_spec.id, students, settings=settings)
    refused = cohorts.over_cap(db, course_id, a_spec.id, {s: r.max_attempts for s, r in rules.items()}, stamps)
    return per_student, refused, stamps


def course_spec(course_id: str):
    """The course's source spec (course.toml) as autograde reads it, or None when absent."""
    src = paths.course_src(course_id)
    return load_course(src) if (src / "course.toml").exists() else None


def assignment_rules(course_id: str, account: str, db_url: str | None = None,
                     settings: Settings | None = None) -> list[dict]:
    """For a trainee's pages: each assignment's due date, 补考 deadline and attempt cap as their
    cohort has them (grading.cohorts), with the graded attempts used so far."""
    from . import cohorts, store

    db = _db(db_url, settings)
    spec = course_spec(course_id)
    if spec is None:
        return []
    cohort = getattr(people_index(db).get(account), "cohort", "") or ""
    out = []
    for a in spec.assignments:
        r = cohorts.effective(db, course_id, a, cohort)
        out.append({"assignment": a.id, "title": a.title, "due": r.due, "resubmit_until": r.resubmit_until,
                    "max_attempts": r.max_attempts, "attempts": store.graded_attempts(db, course_id, a.id, account),
                    "from_cohort": r.from_cohort})
    return out


# -- checker assignments: own cases, per-question feedback -------------------------------------------
def checker_assignments(course_id: str, root: Path | None = None, settings: Settings | None = None) -> dict[str, dict]:
    """assignment → checker manifest entry (checker, max_attempts, windows) of a prepared course."""
    from .checker_run import manifest

    return manifest(course_id, Path(root or course_root(course_id, settings)), settings)


def write_cases(course_id: str, assignment: str, accounts: Iterable[str] | None = None, root: Path | None = None,
                db_url: str | None = None, only_missing: bool = False, settings: Settings | None = None) -> dict:
    """Write each trainee's own ``cases.json`` for their next attempt into their assignment folder
    (``<home>/<course>/<assignment>/``), as the person (grading.cases_out). Default accounts: every
    home that has fetched the assignment. Returns {"written": [...], "skipped": {account: why}}."""
    from .cases_out import write_cases as _write_cases

    root = Path(root or course_root(course_id, settings))
    entry = checker_assignments(course_id, root, settings).get(assignment)
    if entry is None:
        raise ValueError(f"作业“{course_id}/{assignment}”没有评分程序（course.toml 未设 checker），没有个人案例可写")
    if entry.get("kind") == "code":  # a code assignment's inputs are in its notebook: no own cases
        return {"written": [], "skipped": {}}
    return _write_cases(course_id, assignment, root, entry, None if accounts is None else list(accounts),
                        _db(db_url, settings), only_missing, settings)


def feedback_items(course: str, assignment: str, account: str, db_url: str | None = None,
                   settings: Settings | None = None) -> list[dict]:
    """Per-question results of the trainee's last graded attempt of a checker assignment, for the
    portal: dicts with cell, title, points, max_points, reasons (Chinese), answer, expected (None
    unless the cases are never reused), pending (waiting for the trainer). Empty when not graded."""
    from . import store

    return store.feedback_items(_db(db_url, settings), course, assignment, account)


# -- feedback -------------------------------------------------------------------------------------
def hidden_test_lines(root: Path, assignment: str) -> list[str]:
    import nbformat

    lines: list[str] = []
    for path in sorted((root / "source" / assignment).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            inside = False
            for line in cell.source.splitlines():
                if "### BEGIN HIDDEN TESTS" in line:
                    inside = True
                elif "### END HIDDEN TESTS" in line:
                    inside = False
                elif inside and len(line.strip()) >= 8:
                    lines.append(line.strip())
    return lines


def html_text(html_doc: str) -> str:
    import html as html_mod
    import re

    text = re.sub(r"<[^>]+>", "", html_doc)
    return re.sub(r"\s+", " ", html_mod.unescape(text))


def leaked_hidden_lines(html_doc: str, hidden: list[str]) -> list[str]:
    """Hidden lines in a feedback page, also reversed, rot13'd or base64/hex encoded (leakscan)."""
    from .leakscan import leaked

    return leaked(html_text(html_doc), hidden)


def _feedback(root: Path, assignment: str, students: list[str] | None) -> dict:
    nbapi = nb_api(root)
    hidden = hidden_test_lines(root, assignment)
    targets = students or [None]
    done, failed, withheld = [], [], []
    for student in targets:
        gen = nbapi.generate_feedback(assignment, student, force=True)
        if not gen.get("success"):
            failed.append({"student": student, "log": (gen.get("log") or "")[-1500:]})
            continue
        # Safety net: a feedback file that still shows hidden-test source is removed, not released.
        pattern = f"{student or '*'}/{assignment}/*.html"
        leaking = [p for p in (root / "feedback").glob(pattern)
                   if leaked_hidden_lines(p.read_text(encoding="utf-8", errors="replace"), hidden)]
        for p in leaking:  # withheld, not a failure of the run: the others are still released
            p.unlink()
            withheld.append({"student": p.parent.parent.name, "log": "反馈中含有隐藏检查内容，已扣留 / would reveal hidden tests"})
        rel = nbapi.release_feedback(assignment, student)
        if not rel.get("success"):
            failed.append({"student": student, "log": (rel.get("log") or "")[-1500:]})
        else:
            done.append(student or "*")
    return {"released": done, "failed": failed, "withheld": withheld}


def feedback(course_id: str, assignment: str, students: list[str] | None = None, root: Path | None = None, settings: Settings | None = None) -> dict:
    """Generate feedback (hidden tests stripped) and release it through the exchange."""
    root = Path(root or course_root(course_id, settings))
    return privileges.run_as_grader(course_id, _feedback, root, assignment, students, settings=settings)


def trainee_feedback(course_id: str, assignment: str, account: str, root: Path | None = None,
                     settings: Settings | None = None) -> list[dict]:
    """Read-only, for the trainee's portal: per graded question the saved answer, points, the
    Chinese message of a failed check and whether it awaits hand grading (grading.trainee_feedback)."""
    from .trainee_feedback import items

    root = Path(root or course_root(course_id, settings))
    return privileges.run_as_grader(course_id, items, root, assignment, account, settings=settings)


# -- scores out of the gradebook -----------------------------------------------------------------
def _cell_dimensions(root: Path) -> dict[tuple[str, str, str], str]:
    import nbformat

    dims: dict[tuple[str, str, str], str] = {}
    for path in sorted((root / "source").glob("*/*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            meta = cell.metadata
            gid = meta.get("nbgrader", {}).get("grade_id")
            # Hand-graded tasks (nbgrader task cells, used by widget-answered courses) count too.
            if gid and (meta.get("nbgrader", {}).get("grade") or meta.get("nbgrader", {}).get("task")):
                dims[(path.parent.name, path.stem, gid)] = meta.get("academy", {}).get("competence", "")
    return dims


def gradebook_scores(root: Path) -> dict:
    """Per student, assignment and cell: points, max, dimension; totals per submission."""
    dims = _cell_dimensions(root)
    cells: list[dict] = []
    totals: list[dict] = []
    with gradebook(root) as gb:
        for student in gb.students:
            for assignment in gb.assignments:
                try:
                    sub = gb.find_submission(assignment.name, student.id)
                except Exception:
                    sub = None
                for nb in assignment.notebooks:
                    for gc in list(nb.grade_cells) + list(nb.task_cells):
                        points, pending = 0.0, False
                        if sub is not None:
                            try:
                                g = gb.find_grade(gc.name, nb.name, assignment.name, student.id)
                                points, pending = float(g.score or 0), bool(g.needs_manual_grade)
                            except Exception:
                                pass
                        cells.append({"account": student.id, "assignment": assignment.name, "notebook": nb.name,
                                      "cell": gc.name, "dimension": dims.get((assignment.name, nb.name, gc.name), ""),
                                      "points": points, "max_points": float(gc.max_score or 0), "pending": pending})
                totals.append({
                    "account": student.id, "assignment": assignment.name, "submitted": sub is not None,
                    "score": float(sub.score or 0) if sub else 0.0, "max_score": float(assignment.max_score or 0),
                    "needs_manual_grade": bool(sub.needs_manual_grade) if sub else False,
                    "timestamp": sub.timestamp.isoformat() if sub and sub.timestamp else "",
                    "late": bool(sub and (sub.total_seconds_late or 0) > 0),
                })
    return {"cells": cells, "totals": totals}


def export(course_id: str, out: Path, root: Path | None = None, db_url: str | None = None, settings: Settings | None = None) -> Path:
    """Scores per trainee and assignment as CSV (UTF-8 with BOM for Excel), marked 合成数据."""
    import csv

    root = Path(root or course_root(course_id, settings))
    scores = privileges.run_as_grader(course_id, gradebook_scores, root, settings=settings)
    people = people_index(db_url)
    from . import store

    reasons = {(r.assignment, r.account): r for r in store.results(_db(db_url, settings), course=course_id)}
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(["数据说明", "合成数据（演示环境，不含真实人员信息）"])
        w.writerow(["账号", "姓名", "单位", "县区", "批次", "课程", "作业", "已提交", "得分", "满分", "逾期", "待人工评分", "评分说明"])
        for t in scores["totals"]:
            p = people.get(t["account"])
            r = reasons.get((t["assignment"], t["account"]))
            from .autograde import REASONS_ZH

            notes = "；".join(REASONS_ZH.get(x.split(":", 1)[0], x) for x in (__import__("json").loads(r.reasons) if r else []))
            w.writerow([t["account"], getattr(p, "name", ""), getattr(p, "unit", ""), getattr(p, "county", ""),
                        getattr(p, "cohort", ""), course_id, t["assignment"], "是" if t["submitted"] else "否",
                        t["score"], t["max_score"], "是" if t["late"] else "否",
                        "是" if t["needs_manual_grade"] else "否", notes])
    return out


# -- competence -----------------------------------------------------------------------------------
def competence(course_id: str | None = None, out_dir: Path | None = None, root: Path | None = None,
               db_url: str | None = None, settings: Settings | None = None) -> dict:
    """Refresh competence rows from the course's gradebook (all courses when ``course_id`` is None)
    into the academy DB; with ``out_dir``, export profiles and aggregates as CSV."""
    from . import store
    from .profile import export_csv, profiles

    db = _db(db_url, settings)
    course_ids = [course_id] if course_id else sorted(p.name for p in paths.academy_root(settings).joinpath("courses").glob("*")
                                                     if (p / "nbgrader_config.py").exists())
    counted = 0
    for cid in course_ids:
        croot = Path(root) if (root and course_id) else course_root(cid, settings)
        scores = privileges.run_as_grader(cid, gradebook_scores, croot, settings=settings)
        rows: dict[tuple, dict] = {}
        for c in scores["cells"]:
            if not c["dimension"]:
                continue
            key = (c["account"], c["assignment"], c["dimension"])
            r = rows.setdefault(key, {"account": c["account"], "assignment": c["assignment"],
                                      "dimension": c["dimension"], "points": 0.0, "max_points": 0.0})
            r["points"] += c["points"]
            r["max_points"] += c["max_points"]
        counted += store.save_competence(db, cid, rows.values())
        store.refresh_scores(db, cid, scores["totals"])
        store.refresh_items(db, cid, scores["cells"])  # a trainer's hand grade reaches the portal's items
    result: dict = {"courses": course_ids, "rows": counted, "profiles": profiles(db)}
    from .progress import write_pages

    write_pages(result["profiles"].keys(), db_url=db, settings=settings)  # pages follow every change of scores
    if out_dir is not None:
        result["files"] = [str(p) for p in export_csv(db, people_index(db), Path(out_dir))]
    return result


def progress_pages(accounts: Iterable[str] | None = None, db_url: str | None = None,
                   settings: Settings | None = None) -> list[Path]:
    """Rewrite the 学习进度 pages of ``accounts`` (default: everyone on the roster)."""
    from .progress import write_pages

    db = _db(db_url, settings)
    return write_pages(list(accounts) if accounts else list(people_index(db)), db_url=db, settings=settings)


def verify_certificate(number: str, db_url: str | None = None, settings: Settings | None = None) -> dict | None:
    """The certificate with ``number`` and whether it is valid; None when there is none."""
    from .certificate import verify

    return verify(_db(db_url, settings), number)


# -- certificates -----------------------------------------------------------------------------------
def course_standing(course_id: str, account: str, root: Path | None = None, course_src: Path | None = None, settings: Settings | None = None) -> dict:
    """Where a trainee stands in a course, and whether the pass rules are met."""
    from .competence import load_framework

    spec = load_course(Path(course_src or paths.course_src(course_id)))
    root = Path(root or course_root(course_id, settings))
    scores = privileges.run_as_grader(course_id, gradebook_scores, root, settings=settings)
    totals = [t for t in scores["totals"] if t["account"] == account]
    counted = spec.for_pass(totals)  # optional (选做) assignments are shown but not counted
    score = sum(t["score"] for t in counted)
    maximum = sum(t["max_score"] for t in counted)
    share = score / maximum if maximum else 0.0
    problems = []
    if not totals:
        problems.append("未在本课程的学员名单中")
    if spec.require_all_submitted and any(not t["submitted"] for t in counted):
        problems.append("有作业未提交")
    if any(t["needs_manual_grade"] for t in counted):
        problems.append("有答案尚待培训师评分")
    if share + 1e-9 < spec.pass_score:
        problems.append(f"总得分率 {share:.0%} 低于合格线 {spec.pass_score:.0%}")
    return {"course": course_id, "title": spec.title, "hours": spec.hours, "account": account,
            "score": score, "max_score": maximum, "share": round(share, 4),
            "level": load_framework().level(share), "passed": not problems, "problems": problems,
            "assignments": totals}


def certificate(course_id: str, account: str, out_dir: Path | None = None, db_url: str | None = None,
                root: Path | None = None, course_src: Path | None = None, today=None, settings: Settings | None = None) -> dict:
    """Issue the 结业证明 PDF when the pass rules are met; otherwise say why not."""
    from .certificate import issue

    standing = course_standing(course_id, account, root=root, course_src=course_src, settings=settings)
    if not standing["passed"]:
        return {"issued": False, "problems": standing["problems"], "standing": standing}
    person = people_index(_db(db_url, settings)).get(account)
    out_dir = Path(out_dir or (paths.data_dir(settings) / "certificates"))
    result = issue(standing, person, out_dir, _db(db_url, settings), today=today)
    result["home_copy"] = _copy_to_home(account, Path(result["path"]), f"结业证明-{course_id}.pdf", settings)
    from .progress import write_pages

    write_pages([account], db_url=_db(db_url, settings), settings=settings)
    return result


def _copy_to_home(account: str, src: Path, name: str, settings: Settings | None = None) -> str | None:
    """The trainee gets their certificate in their own home (root-owned, 0644, like the progress page)."""
    from .homefile import write_into_home

    home = paths.homes_dir(settings) / account
    if not home.is_dir():
        return None
    # never through a name the trainee controls (a planted ~/.<name>.tmp link): directory fd, no-follow
    return str(write_into_home(home, name, Path(src).read_bytes()))


# -- authoring ------------------------------------------------------------------------------------
def validate(course: str | Path, dynamic: bool = True) -> list[str]:
    """Errors in an authored course (empty list: fine). ``course``: an id or a source folder."""
    from .validate import validate as _validate

    src = Path(course) if Path(course).is_dir() else paths.course_src(str(course))
    return [str(p) for p in _validate(src, dynamic=dynamic)]


def new_course(course_id: str, dest: Path | None = None, title: str | None = None) -> Path:
    """Copy the template course to ``dest`` (default courses/<course_id>) with its id filled in."""
    import re
    import shutil

    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", course_id):
        raise ValueError(f"课程编号“{course_id}”只能使用小写英文字母、数字、- 和 _")
    dest = Path(dest or paths.course_src(course_id))
    if dest.exists():
        raise FileExistsError(f"{dest} 已存在")
    shutil.copytree(Path(__file__).with_name("templates") / "course", dest,
                    ignore=shutil.ignore_patterns("__pycache__"))
    toml = dest / "course.toml"
    text = toml.read_text(encoding="utf-8").replace('"COURSE_ID"', f'"{course_id}"')
    if title:
        text = text.replace("新课程（请修改标题）", title)
    toml.write_text(text, encoding="utf-8")
    return dest


# -- hand grading with rubrics (grading.rubric; the trainers' grading page) ---------------------------
def manual_queue(course_id: str, settings: Settings | None = None) -> list[dict]:
    """Submissions of assignments with hand-graded answers, waiting ones first."""
    from .rubric import queue

    return privileges.run_as_grader(course_id, queue, course_root(course_id, settings), settings=settings)


def grading_view(course_id: str, assignment: str, account: str, db_url: str | None = None,
                 settings: Settings | None = None) -> dict:
    """One submission for hand grading: answers, checks' points, rubric cells with saved criteria."""
    import json

    from . import rubric

    view = privileges.run_as_grader(course_id, rubric.view, course_root(course_id, settings), assignment, account,
                                    settings=settings)
    saved = rubric.marks(_db(db_url, settings), course_id, assignment, account)
    entry = checker_assignments(course_id, settings=settings).get(assignment)
    if entry is not None:
        # graded by the checker: show its per-question results (what the trainee chose, points,
        # reasons) instead of the notebook's check cells; a code assignment keeps the trainee's own
        # code (answer cells, as the autograded notebook carries them) for the trainer to read
        view["checker_items"] = feedback_items(course_id, assignment, account, db_url=db_url, settings=settings)
        keep = ("manual", "answer") if entry.get("kind") == "code" else ("manual",)
        for nb in view["notebooks"]:
            nb["items"] = [i for i in nb["items"] if i["kind"] in keep]
    for nb in view["notebooks"]:
        for item in nb["items"]:
            mark = saved.get((nb["name"], item["cell"]))
            if item["kind"] == "manual" and mark is not None:
                scores = {m["criterion"]: m["score"] for m in json.loads(mark.scores)}
                item["criteria"] = [c | {"score": scores.get(c["criterion"])} for c in item["criteria"]]
                item["comment"], item["grader"] = mark.comment, mark.grader
    return view


def grade_by_rubric(course_id: str, assignment: str, account: str, notebook: str, cell: str,
                    scores: list[float], comment: str, grader: str, db_url: str | None = None,
                    settings: Settings | None = None) -> dict:
    """Score one hand-graded answer per criterion: the sum becomes the cell's manual score, the
    criteria and comment nbgrader's comment and a ``rubric_marks`` row; then scores, competence
    and the trainee's progress page are refreshed (``competence`` → ``progress.write_pages``)."""
    from . import rubric

    root = course_root(course_id, settings)
    criteria = privileges.run_as_grader(course_id, rubric.rubrics, root, assignment, settings=settings)
    marks = rubric.check_scores(criteria.get(notebook, {}).get(cell, []), scores)
    total = sum(m["score"] for m in marks)
    result = privileges.run_as_grader(course_id, rubric.write_manual, root, assignment, account, notebook, cell,
                                      total, rubric.comment_text(marks, comment), settings=settings)
    db = _db(db_url, settings)
    rubric.save_marks(db, course_id, assignment, account, notebook, cell, marks, comment, grader)
    competence(course_id, db_url=db, settings=settings)
    progress_pages([account], db_url=db, settings=settings)
    return result | {"cell_score": total}


def _forget_student(root: Path, account: str) -> dict:
    import shutil

    removed = False
    with gradebook(root) as gb:
        try:
            gb.remove_student(account)  # with their submissions, grades and comments
            removed = True
        except Exception:
            pass
    for folder in ("submitted", "autograded", "feedback"):
        shutil.rmtree(root / folder / account, ignore_errors=True)
    return {"gradebook": removed}


def forget_student(course_id: str, account: str, settings: Settings | None = None) -> dict:
    """A person who left (docs/privacy.md): their gradebook student, submissions, grades and
    feedback in this course root are deleted (as the grader account)."""
    return privileges.run_as_grader(course_id, _forget_student, course_root(course_id, settings), account,
                                    settings=settings)
