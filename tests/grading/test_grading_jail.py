"""Issue 12 points 5 and 6, reproduced as a determined trainee would, in root mode with real Unix
accounts, real ``nbgrader submit``/``collect``, ``autograde --workers 2`` and ``fetch_feedback``
(root only; skipped otherwise). Each code exercise runs in its own throwaway identity
(grading.jail):

6. a process a submission detached (new session) is gone when grading ends; a fork burst in one
   submission does not make the next honest submission fail; a kernel finds no other kernel and
   cannot read another kernel's connection file; nothing is left in the shared /tmp;
5. a ``pre_run_cell`` hook writing each cell's source reversed into a display output does not get
   the hidden tests out through the feedback the trainee fetches.

Trainee names sort as bomber < snooper < honest < leaker, so with 2 workers the bomber and then the
honest submission share one worker, while the snooper runs beside the bomber in the other.
"""
from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import signal
import threading
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

HANG_AFTER = 300  # seconds: autograde of these four takes well under a minute here
TOKEN = str(7_000_000 + secrets.randbelow(999_999))  # `sleep TOKEN`: this test's detached processes

BOMB = f'''import os
for _i in range(400):  # a fork burst whose children detach (new session) and sleep on
    try:
        _pid = os.fork()
    except OSError:
        break
    if _pid == 0:
        try:
            os.setsid()
            os.execvp("sleep", ["sleep", "{TOKEN}"])
        finally:
            os._exit(0)
'''

SNOOP = f'''import os, time
_own = open("/proc/self/cmdline", "rb").read().split(b"\\0")
_found, _deadline = [], time.time() + 8
while time.time() < _deadline and not _found:
    for _p in os.listdir("/proc"):
        if not _p.isdigit():
            continue
        try:
            _cmd = open(f"/proc/{{_p}}/cmdline", "rb").read().split(b"\\0")
        except OSError:
            continue
        if b"-f" in _cmd and _cmd != _own:
            _conn = _cmd[_cmd.index(b"-f") + 1].decode()
            try:
                _found.append(("READ-CONN", _conn, open(_conn).read()[:40]))
            except OSError as _e:
                _found.append(("DENIED", _conn, type(_e).__name__))
    time.sleep(0.2)
print("SNOOP", _found or "NO-OTHER-KERNEL")
try:
    open("/tmp/zg-left-{TOKEN}", "w").write("hidden tests could go here")
    print("WROTE-TMP")
except OSError as _e:
    print("TMP", type(_e).__name__)
'''

HOOK = '''from IPython.display import display
_acc = []
_h = display("…", display_id=True)
def _rev(info):  # every later cell's source, reversed, into this cell's output
    _acc.append(info.raw_cell[::-1])
    _h.update("\\n".join(_acc))
get_ipython().events.register("pre_run_cell", _rev)
'''


def _prepend(code: str) -> nbformat.NotebookNode:
    nb = nbformat.read(FIXTURES / "submitted-good.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "q1-answer":
            cell.source = code + "\n" + cell.source
    return nb


def _token_pids() -> list[int]:
    pids = []
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                if Path(f"/proc/{p}/cmdline").read_bytes() == b"sleep\0" + TOKEN.encode() + b"\0":
                    pids.append(int(p))
            except OSError:
                pass
    return pids


@pytest.fixture(scope="module")
def course():
    root, settings = root_mode_root()
    paths = settings.paths
    cid = f"zg{secrets.token_hex(3)}"
    names = {role: f"zgj{tag}{secrets.token_hex(3)}"
             for role, tag in (("bomber", "a"), ("snooper", "b"), ("honest", "c"), ("leaker", "d"))}
    try:
        runtime.prepare_runtime(paths, root_mode=True, courses=[cid], checkout=None)
        src = root / "src" / cid
        shutil.copytree(DEMO, src)
        toml = src / "course.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace('id = "demo"', f'id = "{cid}"'), encoding="utf-8")
        from grading import api
        from grading.course_root import prepare

        prepare(src, paths.course_root(cid), paths.exchange, cell_timeout=10, settings=settings)
        for t in names.values():
            accounts.ensure_account(t, paths.home(t), full_name="测试学员")
        api.sync_students(cid, [{"account": t, "姓名": "测试学员"} for t in names.values()], settings=settings)
        api.release(cid, "ps1", settings=settings)
        yield {"root": root, "paths": paths, "settings": settings, "cid": cid, "names": names}
    finally:
        for pid in _token_pids():  # the old behaviour leaves them: never leave them on the machine
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        Path(f"/tmp/zg-left-{TOKEN}").unlink(missing_ok=True)
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


def _nbgrader(course, trainee: str, *args: str):
    paths, cid = course["paths"], course["cid"]
    ex = [f"--Exchange.root={paths.exchange}", "--Exchange.path_includes_course=True", f"--course={cid}"]
    venv, home = paths.venv, paths.home(trainee)
    return _as(trainee, [str(venv / "bin" / "python"), "-m", "nbgrader", *args, "ps1", *ex], home, venv)


def _submit(course, trainee: str, nb: nbformat.NotebookNode) -> None:
    r = _nbgrader(course, trainee, "fetch_assignment")
    assert r.returncode == 0, r.stderr[-2000:]
    dest = course["paths"].home(trainee) / course["cid"] / "ps1" / "ps1.ipynb"
    nbformat.write(nb, dest)
    pw = pwd.getpwnam(trainee)
    os.chown(dest, pw.pw_uid, pw.pw_gid)
    r = _nbgrader(course, trainee, "submit")
    assert r.returncode == 0, r.stderr[-2000:]


@pytest.fixture(scope="module")
def graded(course):
    from grading import api

    names, settings, cid = course["names"], course["settings"], course["cid"]
    _submit(course, names["bomber"], _prepend(BOMB))
    _submit(course, names["snooper"], _prepend(SNOOP))
    _submit(course, names["honest"], nbformat.read(FIXTURES / "submitted-good.ipynb", as_version=4))
    _submit(course, names["leaker"], _prepend(HOOK))
    api.collect(cid, "ps1", settings=settings)
    seen: dict[str, list[int]] = {}

    def watchdog() -> None:
        # The old behaviour: detached processes keep the worker's stdout open and autograde never
        # returns. Note them, then kill them so the run ends and the other tests can look.
        seen["hung"] = _token_pids()
        for pid in seen["hung"]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    timer = threading.Timer(HANG_AFTER, watchdog)
    timer.start()
    try:
        report = api.autograde(cid, "ps1", workers=2, settings=settings)
    finally:
        timer.cancel()
    left_pids = seen.get("hung") or _token_pids()  # looked at the moment grading returns
    fb = api.feedback(cid, "ps1", settings=settings)
    r = _nbgrader(course, names["leaker"], "fetch_feedback")
    fetched = sorted((course["paths"].home(names["leaker"]) / cid / "ps1" / "feedback").glob("*/ps1.html"))
    return {**course, "report": {row["student"]: row for row in report["submissions"]}, "left_pids": left_pids,
            "hung": "hung" in seen,
            "feedback": fb, "fetch": r, "fetched": fetched}


def _outputs(graded, student: str) -> str:
    path = graded["paths"].course_root(graded["cid"]) / "autograded" / student / "ps1" / "ps1.ipynb"
    nb = nbformat.read(path, as_version=4)
    return "\n".join(str(o.get("text") or o.get("data", {}).get("text/plain") or "")
                     for c in nb.cells for o in c.get("outputs", []))


def test_detached_processes_are_gone_after_grading(graded):
    assert not graded["hung"], f"autograde still running after {HANG_AFTER} s (detached processes held it)"
    assert graded["left_pids"] == [], f"{len(graded['left_pids'])} detached processes survived grading"


def test_fork_burst_does_not_fail_the_next_honest_submission(graded):
    honest = graded["report"][graded["names"]["honest"]]
    assert honest["status"] == "graded" and honest["score"] == 5, honest
    assert not {"execution-failed", "not-graded", "kernel-died"} & set(honest["reasons"]), honest


def test_each_submission_runs_as_its_own_uid_and_cannot_read_another_kernel(graded):
    rows = graded["report"].values()
    uids = [row["isolation"] for row in rows]
    assert all(u.startswith("jail:") for u in uids) and len(set(uids)) == len(uids), uids
    out = _outputs(graded, graded["names"]["snooper"])
    assert "SNOOP" in out, out[-2000:]
    assert "READ-CONN" not in out, out[-2000:]
    assert not Path(f"/tmp/zg-left-{TOKEN}").exists(), out[-2000:]  # its /tmp was its own


def test_reversed_hidden_tests_do_not_reach_fetched_feedback(graded):
    import re

    from grading.api import hidden_test_lines, html_text

    assert graded["fetch"].returncode == 0 and graded["fetched"], (graded["fetch"].stderr[-2000:], graded["feedback"])
    hidden = hidden_test_lines(graded["paths"].course_root(graded["cid"]), "ps1")
    assert hidden
    text = re.sub(r"\s+", "", html_text(graded["fetched"][-1].read_text(encoding="utf-8")))
    leaked = [h for h in hidden if re.sub(r"\s+", "", h)[::-1] in text or re.sub(r"\s+", "", h) in text]
    assert leaked == [], leaked
    leaker = graded["report"][graded["names"]["leaker"]]
    assert leaker["score"] == 5, leaker  # the hook itself costs nothing: only the leak is stopped
