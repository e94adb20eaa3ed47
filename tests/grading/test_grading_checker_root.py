"""The checker path in root mode with real Unix accounts (issue 12): the grader secret is root's
alone, the course key and checker live in grader-<course>'s 0700 course root, cases.json is
written as the trainee (never through their links), and trainees submit with the nbgrader CLI as
themselves; the grade-on-submit service grades with the checker and writes the next attempt's
cases. Skipped unless root.
"""
from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import stat
from pathlib import Path

import pytest

# The full root-mode cheat cohort runs in `make test-long` (issue 13); the non-root checker and
# jail tests keep the same rules in `make test`.
pytestmark = [pytest.mark.long, pytest.mark.root, pytest.mark.slow, pytest.mark.timeout(900)]

if os.geteuid() != 0:
    pytest.skip("root mode needs root: real Unix accounts (run as root, e.g. on CI)", allow_module_level=True)
from academy import runtime
from runtime import accounts

from checker_helpers import ASSIGNMENT, FORMCOURSE
from test_grading_root import _as, root_mode_root

HONEST = ("import json; c = json.load(open('cases.json'))['cases']['numbers']; "
          "json.dump({'q1': sum(c), 'q2': sorted(c, reverse=True), 'essay': '少跑腿'}, open('answers.json', 'w'))")


@pytest.fixture(scope="module")
def course():
    root, settings = root_mode_root()
    paths = settings.paths
    cid = f"zf{secrets.token_hex(3)}"
    trainees = [f"zft{secrets.token_hex(3)}", f"zft{secrets.token_hex(3)}"]
    victim = Path(f"/var/tmp/zf-victim-{secrets.token_hex(4)}")
    try:
        runtime.prepare_runtime(paths, root_mode=True, courses=[cid], checkout=None)
        src = root / "src" / cid
        shutil.copytree(FORMCOURSE, src)
        toml = src / "course.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace('id = "formcourse"', f'id = "{cid}"'), encoding="utf-8")
        from grading import api

        api.prepare(cid, course_src=src, settings=settings)
        for t in trainees:
            accounts.ensure_account(t, paths.home(t), full_name="测试学员")
        api.sync_students(cid, [{"account": t, "姓名": "测试学员"} for t in trainees], settings=settings)
        api.release(cid, ASSIGNMENT, settings=settings)
        victim.write_text("root only\n")
        os.chmod(victim, 0o600)
        yield {"paths": paths, "settings": settings, "cid": cid, "trainees": trainees, "victim": victim}
    finally:
        victim.unlink(missing_ok=True)
        for t in trainees:
            try:
                accounts.remove_account(t)
            except Exception:
                pass
        try:
            accounts.remove_account(accounts.grader_account_name(cid), remove_home=False)
        except Exception:
            pass
        shutil.rmtree(root, ignore_errors=True)


def _cli(course, trainee: str, *args: str):
    paths = course["paths"]
    ex = [f"--Exchange.root={paths.exchange}", "--Exchange.path_includes_course=True", f"--course={course['cid']}"]
    r = _as(trainee, [str(paths.venv / "bin" / "python"), "-m", "nbgrader", *args, *ex], paths.home(trainee), paths.venv)
    assert r.returncode == 0, r.stderr[-2000:]


def _py(course, trainee: str, code: str):
    paths = course["paths"]
    folder = paths.home(trainee) / course["cid"] / ASSIGNMENT
    return _as(trainee, [str(paths.venv / "bin" / "python"), "-c", code], folder, paths.venv)


@pytest.fixture(scope="module")
def graded(course):
    from grading import api, service

    paths, cid, (good, linker) = course["paths"], course["cid"], course["trainees"]
    for t in (good, linker):
        _cli(course, t, "fetch_assignment", ASSIGNMENT)
    # a planted link where cases.json goes: written as the trainee, the link is replaced, never followed
    (paths.home(linker) / cid / ASSIGNMENT / "cases.json").symlink_to(course["victim"])
    cases = api.write_cases(cid, ASSIGNMENT, settings=course["settings"])
    for t in (good, linker):
        assert _py(course, t, HONEST if t == good else "open('answers.json','w').write('{\"q1\": 0}')").returncode == 0
        _cli(course, t, "submit", ASSIGNMENT)
    reports = service.run_once({}, settings=course["settings"])
    return {**course, "cases": cases, "reports": reports, "rows": {r["student"]: r for r in reports[0]["submissions"]}}


def test_secret_and_course_key_are_readable_only_by_their_owners(graded):
    paths, cid = graded["paths"], graded["cid"]
    st = paths.grader_secret.stat()
    assert st.st_uid == 0 and stat.S_IMODE(st.st_mode) == 0o600
    key = paths.course_root(cid) / ".academy-grader-key"
    grader = pwd.getpwnam(accounts.grader_account_name(cid))
    assert key.stat().st_uid == grader.pw_uid and stat.S_IMODE(key.stat().st_mode) == 0o600
    assert (paths.course_root(cid) / "grader" / "quiz.py").stat().st_uid == grader.pw_uid
    t = graded["trainees"][0]
    for target in (paths.grader_secret, key, paths.course_root(cid) / "grader" / "quiz.py"):
        r = _as(t, ["/bin/cat", str(target)], Path("/"), paths.venv)
        assert r.returncode != 0, target


def test_cases_written_as_the_trainee_never_through_their_link(graded):
    paths, cid, (good, linker) = graded["paths"], graded["cid"], graded["trainees"]
    assert sorted(graded["cases"]["written"]) == sorted(graded["trainees"])
    assert graded["victim"].read_text() == "root only\n" and stat.S_IMODE(graded["victim"].stat().st_mode) == 0o600
    for t in (good, linker):
        p = paths.home(t) / cid / ASSIGNMENT / "cases.json"
        assert not p.is_symlink() and p.stat().st_uid == pwd.getpwnam(t).pw_uid


def test_service_grades_with_the_checker_and_writes_the_next_cases(graded):
    paths, cid, (good, linker) = graded["paths"], graded["cid"], graded["trainees"]
    rows = graded["rows"]
    assert graded["reports"][0]["graded_by"] == "checker"
    assert rows[good]["score"] == 5 and rows[good]["attempt"] == 1, rows[good]
    assert rows[linker]["score"] == 0
    nxt = json.loads((paths.home(good) / cid / ASSIGNMENT / "cases.json").read_text(encoding="utf-8"))
    assert nxt["attempt"] == 2
    fb = paths.course_root(cid) / "feedback" / good / ASSIGNMENT
    assert any(fb.glob("*.html"))
