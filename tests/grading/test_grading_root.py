"""Root mode with real Unix accounts: trainees fetch and submit as themselves with the nbgrader
CLI, the course root belongs to grader-<course>, submissions run as their own throwaway uid (grading.jail) and cannot
read the gradebook, the sources or another trainee's files.

Skipped (clearly) unless running as root. Root-mode settings are passed to every grading call. Uses the
machine's shared runtime venv (built once by academy.runtime, ~35 s the first time), like the
isolation tests.
"""
from __future__ import annotations

import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

import nbformat
import pytest

from grading_helpers import DEMO, FIXTURES, REPO

pytestmark = [pytest.mark.root, pytest.mark.slow, pytest.mark.timeout(900)]

if os.geteuid() != 0:
    pytest.skip("root mode needs root: real Unix accounts (run as root, e.g. on CI)", allow_module_level=True)
from academy import runtime
from runtime import accounts
from runtime.paths import Paths
from runtime.settings import Settings, current
from runtime.unix import setpriv_argv

SHARED_RUNTIME = Path(current().test_runtime)

SNOOP = '''import os
for _label, _path in TARGETS:
    try:
        if os.path.isdir(_path):
            os.listdir(_path)
        else:
            open(_path, "rb").read(1)
        print("READ", _label)
    except Exception as _e:
        print("DENIED", _label, type(_e).__name__)
'''


def _as(user: str, argv: list[str], cwd: Path, venv: Path) -> subprocess.CompletedProcess:
    pw = pwd.getpwnam(user)
    env = {"HOME": pw.pw_dir, "USER": user, "PATH": f"{venv}/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}
    return subprocess.run(setpriv_argv(pw) + argv,
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def root_mode_root() -> tuple[Path, Settings]:
    """A fresh runtime root in /tmp for root mode, sharing the one runtime venv of the test session,
    and the settings that point at it (root mode over this root, passed explicitly)."""
    shared = Paths(root=SHARED_RUNTIME, root_mode=True)
    SHARED_RUNTIME.mkdir(parents=True, exist_ok=True)
    os.chmod(SHARED_RUNTIME, 0o755)
    runtime.ensure_runtime_venv(shared, REPO)
    root = Path(tempfile.mkdtemp(prefix="zg-academy-", dir="/tmp"))
    os.chmod(root, 0o755)
    (root / "venv").symlink_to(shared.venv)
    return root, Settings(root_mode=True, root_dir=str(root))


@pytest.fixture(scope="module")
def root_course():
    root, settings = root_mode_root()
    paths = settings.paths
    cid = f"zg{secrets.token_hex(3)}"
    trainees = [f"zgt{secrets.token_hex(3)}", f"zgt{secrets.token_hex(3)}"]
    try:
        runtime.prepare_runtime(paths, root_mode=True, courses=[cid], checkout=None)
        src = root / "src" / cid
        shutil.copytree(DEMO, src)
        toml = src / "course.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace('id = "demo"', f'id = "{cid}"'), encoding="utf-8")
        from grading import api
        from grading.course_root import prepare

        prepare(src, paths.course_root(cid), paths.exchange, cell_timeout=10, settings=settings)
        for t in trainees:
            accounts.ensure_account(t, paths.home(t), full_name="测试学员")
        api.sync_students(cid, [{"account": t, "姓名": "测试学员", "单位": "平安区政务服务中心"} for t in trainees],
                          settings=settings)
        api.release(cid, "ps1", settings=settings)
        yield {"root": root, "paths": paths, "settings": settings, "cid": cid, "trainees": trainees, "src": src}
    finally:
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


@pytest.fixture(scope="module")
def graded(root_course):
    from grading import api

    rc = root_course
    paths, cid, (good, snoop) = rc["paths"], rc["cid"], rc["trainees"]
    venv = paths.venv
    ex = [f"--Exchange.root={paths.exchange}", "--Exchange.path_includes_course=True", f"--course={cid}"]
    targets = [("gradebook", str(paths.course_root(cid) / "gradebook.db")),
               ("source", str(paths.course_root(cid) / "source" / "ps1" / "ps1.ipynb")),
               ("other-home", str(paths.home(good))),
               ("inbound", str(paths.exchange / cid / "inbound")),
               ("academy-db", str(paths.academy_db))]
    for t in (good, snoop):
        home = paths.home(t)
        r = _as(t, [str(venv / "bin" / "python"), "-m", "nbgrader", "fetch_assignment", "ps1", *ex], home, venv)
        assert r.returncode == 0, r.stderr[-2000:]
        nb = nbformat.read(FIXTURES / "submitted-good.ipynb", as_version=4)
        if t == snoop:
            for cell in nb.cells:
                if cell.metadata.get("nbgrader", {}).get("grade_id") == "q1-answer":
                    cell.source = f"TARGETS = {targets!r}\n" + SNOOP + cell.source
        dest = home / cid / "ps1" / "ps1.ipynb"
        nbformat.write(nb, dest)
        pw = pwd.getpwnam(t)
        os.chown(dest, pw.pw_uid, pw.pw_gid)
        r = _as(t, [str(venv / "bin" / "python"), "-m", "nbgrader", "submit", "ps1", *ex], home, venv)
        assert r.returncode == 0, r.stderr[-2000:]
    settings = rc["settings"]
    api.collect(cid, "ps1", settings=settings)
    report = api.autograde(cid, "ps1", workers=2, settings=settings)
    fb = api.feedback(cid, "ps1", settings=settings)
    return {"report": {r["student"]: r for r in report["submissions"]}, "feedback": fb, **rc}


def _outputs(graded, student) -> str:
    cid = graded["cid"]
    path = graded["paths"].course_root(cid) / "autograded" / student / "ps1" / "ps1.ipynb"
    if not path.exists():
        return "(no autograded notebook)"
    nb = nbformat.read(path, as_version=4)
    return "\n".join(str(o.get("text") or o.get("evalue") or o.get("traceback"))
                     for c in nb.cells for o in c.get("outputs", []))[-3000:]


def test_trainees_graded_as_real_accounts(graded):
    good, snoop = graded["trainees"]
    rows = graded["report"]
    assert rows[good]["score"] == 5 and rows[snoop]["score"] == 5, (rows, _outputs(graded, good))
    assert rows[good]["isolation"].startswith("jail:") and rows[good]["isolation"] != rows[snoop]["isolation"], rows
    assert not graded["feedback"]["failed"]


def test_submission_cannot_read_what_it_must_not(graded):
    cid, (good, snoop) = graded["cid"], graded["trainees"]
    nb = nbformat.read(graded["paths"].course_root(cid) / "autograded" / snoop / "ps1" / "ps1.ipynb", as_version=4)
    out = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "stream")
    assert out.count("DENIED") == 5, out
    assert "READ" not in out


def test_course_root_belongs_to_grader_and_pages_to_root(graded):
    paths, cid, (good, _) = graded["paths"], graded["cid"], graded["trainees"]
    grader = pwd.getpwnam(accounts.grader_account_name(cid))
    for p in (paths.course_root(cid) / "gradebook.db", paths.course_root(cid) / "autograded" / good / "ps1" / "ps1.ipynb",
              paths.course_root(cid) / "feedback" / good / "ps1" / "ps1.html"):
        assert p.stat().st_uid == grader.pw_uid, p
    page = paths.home(good) / "学习进度.html"
    st = page.stat()
    assert st.st_uid == 0 and oct(st.st_mode & 0o777) == "0o644"
    r = _as(good, ["cat", str(page)], paths.home(good), paths.venv)
    assert r.returncode == 0 and "学习进度" in r.stdout
