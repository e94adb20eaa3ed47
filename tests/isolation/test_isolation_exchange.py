"""The nbgrader exchange between trainees and the course's grader account, with real nbgrader."""
from __future__ import annotations

import os

import pytest

from tests.hubfixture import as_grader

pytestmark = [pytest.mark.root, pytest.mark.hub, pytest.mark.timeout(300)]


TRAINEE = """
import json, os, subprocess, sys
nbg = os.path.join(os.path.dirname(sys.executable), "nbgrader")
common = ["--course", {cid!r}, "--Exchange.root={ex}", "--Exchange.path_includes_course=True"]
def nbgrader(*args):
    p = subprocess.run([nbg, *args, *common], capture_output=True, text=True)
    return [p.returncode, p.stdout[-2000:] + p.stderr[-2000:]]
"""


def fetch_edit_submit(kernel, cid: str, ex: str, mark: str, extra: list[str] | None = None) -> list:
    code = TRAINEE.format(cid=cid, ex=ex) + f"""
out = []
if not os.path.isdir(os.path.join({cid!r}, "ps1")):
    out.append(nbgrader("fetch_assignment", "ps1"))
import nbformat
p = os.path.join({cid!r}, "ps1", "ps1.ipynb")
nb = nbformat.read(p, as_version=4)
nb.cells[1].source = "answer = {mark!r}"
nbformat.write(nb, p)
out.append(nbgrader("submit", "ps1", *{extra or []!r}))
print(json.dumps(out))
"""
    return kernel.json(code)


def test_submissions_are_private_and_collected(iso_env):
    env, paths = iso_env, iso_env.paths
    cid, ex = env.course_id, str(paths.exchange)
    rel = as_grader(env, "release_assignment", "ps1")
    assert rel.returncode == 0, rel.stdout + rel.stderr
    inbound = paths.exchange / cid / "inbound"

    res_b = fetch_edit_submit(env.kernel(env.b), cid, ex, "MARK-B")
    assert all(rc == 0 for rc, _ in res_b), res_b
    b_entries = [p for p in inbound.iterdir() if p.name.startswith(env.b + "+")]
    assert len(b_entries) == 1
    b_sub = b_entries[0]
    b_nb = b_sub / "ps1.ipynb"

    res_a = fetch_edit_submit(env.kernel(env.a), cid, ex, "MARK-A")
    assert all(rc == 0 for rc, _ in res_a), res_a

    # A cannot list the inbound, so cannot learn the (random-suffixed) name of B's submission;
    # told the exact path, A still cannot rename it away (sticky inbound) or write B's file
    look = env.kernel(env.a).json(f"""
import json, os, glob
r = {{}}
try:
    os.listdir({str(inbound)!r}); r["list"] = "READ"
except PermissionError:
    r["list"] = "denied"
r["glob"] = glob.glob({str(inbound)!r} + "/{env.b}+*")
try:
    open({str(b_nb)!r}, "w").write("overwritten by A"); r["write"] = "WROTE"
except PermissionError:
    r["write"] = "denied"
try:
    os.rename({str(b_sub)!r}, {str(b_sub)!r} + "x"); r["rename"] = "RENAMED"
except PermissionError:
    r["rename"] = "denied"
print(json.dumps(r))
""")
    assert look == {"list": "denied", "glob": [], "write": "denied", "rename": "denied"}, look
    # (nbgrader leaves each submission directory 0777 with 0644 files so the instructor can clean
    # up: what keeps A away from B's files is the unlistable inbound plus 72 random bits in the
    # name — see docs/isolation.md.) A's other route is a submission forged in B's name:
    forged = fetch_edit_submit(env.kernel(env.a), cid, ex, "FORGED-BY-A",
                               extra=[f"--CourseDirectory.student_id={env.b}"])
    assert all(rc == 0 for rc, _ in forged), forged
    assert "MARK-B" in b_nb.read_text()

    col = as_grader(env, "collect", "ps1")
    assert col.returncode == 0, col.stdout + col.stderr
    submitted = paths.course_root(cid) / "submitted"
    got_a = (submitted / env.a / "ps1" / "ps1.ipynb").read_text()
    got_b = (submitted / env.b / "ps1" / "ps1.ipynb").read_text()
    assert "MARK-A" in got_a
    assert "MARK-B" in got_b and "FORGED" not in got_b, "the forged submission must not replace B's"
    quarantine = list((paths.course_root(cid) / "quarantine").iterdir())
    quarantined = [p for p in quarantine if p.is_dir()]
    assert len(quarantined) == 1 and quarantined[0].name.startswith(env.b + "+")
    # each refused entry has its reason beside it, in Chinese (grading.exchange_guard)
    reasons = [p for p in quarantine if p.name.endswith(".原因.txt")]
    assert [r.name for r in reasons] == [quarantined[0].name + ".原因.txt"]
    # collected work belongs to the grader, inside the 0700 course root
    grader_uid = (paths.course_root(cid)).stat().st_uid
    assert (submitted / env.b / "ps1" / "ps1.ipynb").stat().st_uid == grader_uid
    # and collect ran as the grader, never as root
    assert os.stat(submitted).st_uid == grader_uid


def test_exchange_modes(iso_env):
    paths = iso_env.paths
    assert oct(paths.exchange.stat().st_mode & 0o7777) == oct(0o1777)
    assert paths.exchange.stat().st_uid == 0
    inbound = paths.exchange / iso_env.course_id / "inbound"
    assert oct(inbound.stat().st_mode & 0o7777) == oct(0o3733)
    assert inbound.stat().st_uid == paths.course_root(iso_env.course_id).stat().st_uid
