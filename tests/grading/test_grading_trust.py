"""Issue 12, the concrete holes fixed before the redesign — each reproduced as a determined
trainee would, in root mode with real Unix accounts, real ``nbgrader submit``/``collect`` and
``autograde`` (root only; skipped otherwise):

1. root never writes through a link the trainee planted in their home (progress page,
   certificate copy);
2. collect refuses a submission holding links (source notebook, someone else's answers);
7. lateness follows the receipt time, not the trainee's own timestamp.txt.
"""
from __future__ import annotations

import os
import pwd
import secrets
import shutil
from pathlib import Path

import nbformat
import pytest

from grading_helpers import DEMO, FIXTURES

# The full root-mode cheat cohort runs in `make test-long` (issue 13); the non-root checker and
# jail tests keep the same rules in `make test`.
pytestmark = [pytest.mark.long, pytest.mark.root, pytest.mark.slow, pytest.mark.timeout(900)]

if os.geteuid() != 0:
    pytest.skip("root mode needs root: real Unix accounts (run as root, e.g. on CI)", allow_module_level=True)
from academy import runtime
from runtime import accounts

from test_grading_root import _as, root_mode_root

PAST_DUE = 'due = "2026-01-05T18:00:00+08:00"'  # every submission made now is late


@pytest.fixture(scope="module")
def course():
    root, settings = root_mode_root()
    paths = settings.paths
    cid = f"zg{secrets.token_hex(3)}"
    names = {role: f"zgt{secrets.token_hex(3)}" for role in ("planter", "leaker", "forger")}
    victims = [Path(f"/var/tmp/zg-victim-{secrets.token_hex(4)}") for _ in range(2)]
    try:
        runtime.prepare_runtime(paths, root_mode=True, courses=[cid], checkout=None)
        src = root / "src" / cid
        shutil.copytree(DEMO, src)
        toml = src / "course.toml"
        text = toml.read_text(encoding="utf-8").replace('id = "demo"', f'id = "{cid}"')
        text = "\n".join(PAST_DUE if line.startswith("due = ") else line for line in text.splitlines()) + "\n"
        toml.write_text(text, encoding="utf-8")
        from grading import api
        from grading.course_root import prepare

        prepare(src, paths.course_root(cid), paths.exchange, cell_timeout=10, settings=settings)
        for t in names.values():
            accounts.ensure_account(t, paths.home(t), full_name="测试学员")
        api.sync_students(cid, [{"account": t, "姓名": "测试学员"} for t in names.values()], settings=settings)
        api.release(cid, "ps1", settings=settings)
        for v in victims:
            v.write_text("root only\n")
            os.chmod(v, 0o600)
        yield {"root": root, "paths": paths, "settings": settings, "cid": cid, "names": names, "src": src,
               "victims": victims}
    finally:
        for v in victims:
            v.unlink(missing_ok=True)
        for t in names.values():
            try:
                accounts.remove_account(t)
            except Exception:
                pass
        try:
            accounts.remove_account(accounts.grader_account_name(cid), remove_home=False)
        except Exception:
            pass
        shutil.rmtree(root, ignore_errors=True)


def _submit(course, trainee: str, fixture: str) -> Path:
    """``trainee`` fetches and submits ``fixture`` with the nbgrader CLI as themselves; returns
    their inbound entry."""
    paths, cid = course["paths"], course["cid"]
    venv, home = paths.venv, paths.home(trainee)
    ex = [f"--Exchange.root={paths.exchange}", "--Exchange.path_includes_course=True", f"--course={cid}"]
    r = _as(trainee, [str(venv / "bin" / "python"), "-m", "nbgrader", "fetch_assignment", "ps1", *ex], home, venv)
    assert r.returncode == 0, r.stderr[-2000:]
    dest = home / cid / "ps1" / "ps1.ipynb"
    nbformat.write(nbformat.read(FIXTURES / f"submitted-{fixture}.ipynb", as_version=4), dest)
    pw = pwd.getpwnam(trainee)
    os.chown(dest, pw.pw_uid, pw.pw_gid)
    r = _as(trainee, [str(venv / "bin" / "python"), "-m", "nbgrader", "submit", "ps1", *ex], home, venv)
    assert r.returncode == 0, r.stderr[-2000:]
    inbound = paths.exchange / cid / "inbound"
    return next(p for p in inbound.iterdir() if p.name.startswith(trainee + "+"))


@pytest.fixture(scope="module")
def graded(course):
    from grading import api

    paths, cid, names, settings = course["paths"], course["cid"], course["names"], course["settings"]
    venv = paths.venv
    # 1. the planter links the progress page's temporary name to a root-only file
    planter = names["planter"]
    r = _as(planter, ["ln", "-s", str(course["victims"][0]), str(paths.home(planter) / ".学习进度.html.tmp")],
            paths.home(planter), venv)
    assert r.returncode == 0, r.stderr
    planter_entry = _submit(course, planter, "good")
    # 2. the leaker submits wrong answers, then (owning the inbound entry) replaces them by a link to
    # the planter's good notebook and adds a link to the course's source notebook
    leaker = names["leaker"]
    leaker_entry = _submit(course, leaker, "wrong")
    src_nb = paths.course_root(cid) / "source" / "ps1" / "ps1.ipynb"
    for argv in (["rm", str(leaker_entry / "ps1.ipynb")],
                 ["ln", "-s", str(planter_entry / "ps1.ipynb"), str(leaker_entry / "ps1.ipynb")],
                 ["ln", "-s", str(src_nb), str(leaker_entry / "leak-source.json")]):
        r = _as(leaker, argv, paths.home(leaker), venv)
        assert r.returncode == 0, (argv, r.stderr)
    # 7. the forger submits late and writes an on-time timestamp into their own entry
    forger = names["forger"]
    forger_entry = _submit(course, forger, "good")
    r = _as(forger, ["sh", "-c", f"echo '2026-01-01 08:00:00.000000 UTC' > '{forger_entry}/timestamp.txt'"],
            paths.home(forger), venv)
    assert r.returncode == 0, r.stderr
    collected = api.collect(cid, "ps1", settings=settings)
    report = api.autograde(cid, "ps1", workers=2, settings=settings)
    fb = api.feedback(cid, "ps1", settings=settings)
    return {**course, "collected": collected, "report": {r["student"]: r for r in report["submissions"]},
            "feedback": fb}


def test_progress_page_never_written_through_a_planted_link(graded):
    victim = graded["victims"][0]
    st = victim.stat()
    assert victim.read_text() == "root only\n" and st.st_mode & 0o777 == 0o600 and st.st_uid == 0
    planter = graded["names"]["planter"]
    page = graded["paths"].home(planter) / "学习进度.html"
    r = _as(planter, ["cat", str(page)], page.parent, graded["paths"].venv)
    assert r.returncode == 0 and "学习进度" in r.stdout


def test_certificate_copy_never_written_through_a_planted_link(graded):
    from grading import api

    planter, victim = graded["names"]["planter"], graded["victims"][1]
    home = graded["paths"].home(planter)
    name = "结业证明-zz.pdf"
    r = _as(planter, ["ln", "-s", str(victim), str(home / f".{name}.tmp")], home, graded["paths"].venv)
    assert r.returncode == 0, r.stderr
    pdf = graded["root"] / "cert.pdf"
    pdf.write_bytes(b"%PDF-1.4 synthetic")
    assert api._copy_to_home(planter, pdf, name, graded["settings"]) == str(home / name)
    st = victim.stat()
    assert victim.read_text() == "root only\n" and st.st_mode & 0o777 == 0o600
    r = _as(planter, ["cat", str(home / name)], home, graded["paths"].venv)
    assert r.returncode == 0 and "synthetic" in r.stdout


def test_collect_refuses_links_inside_a_submission(graded):
    paths, cid, leaker = graded["paths"], graded["cid"], graded["names"]["leaker"]
    root = paths.course_root(cid)
    assert leaker not in graded["collected"]["students"], graded["collected"]
    assert not (root / "submitted" / leaker / "ps1" / "leak-source.json").exists()
    assert leaker not in graded["report"] or graded["report"][leaker]["score"] == 0, graded["report"][leaker]
    assert not list((root / "feedback").glob(f"{leaker}/**/leak-source.json"))
    notes = list((root / "quarantine").glob(f"{leaker}+*.原因.txt"))
    assert notes and "链接" in notes[0].read_text(encoding="utf-8"), notes
    # the honest neighbours are unaffected
    planter = graded["names"]["planter"]
    assert graded["report"][planter]["score"] == 5, graded["report"][planter]


def test_lateness_follows_receipt_time_not_the_trainees_timestamp(graded):
    forger, planter = graded["names"]["forger"], graded["names"]["planter"]
    assert graded["report"][planter]["late"], graded["report"][planter]
    assert graded["report"][forger]["late"], graded["report"][forger]
    stamp = graded["paths"].course_root(graded["cid"]) / "submitted" / forger / "ps1" / "timestamp.txt"
    assert not stamp.read_text().startswith("2026-01-01"), stamp.read_text()
