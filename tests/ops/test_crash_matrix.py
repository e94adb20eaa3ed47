"""Issue 24.1, the crash matrix (`make test-long`): kill -9 at points drawn from a seeded schedule.

Each point starts a real academy command (or finds the running hub), waits a delay drawn from
``random.Random(SEED)`` within that command's measured run time — so points fall into imports,
database transactions, file copies and kernels alike — and SIGKILLs the process and everything it
started. Then it checks what must hold right after the crash, runs the command again (the restart)
and checks that nothing was lost:

| kind | killed | after the restart |
|---|---|---|
| migrate | `academy migrate` on the release-0 database | the database was untouched or at head, never between; then head with every row |
| certificate | `grading certificate` | never two valid certificates; then exactly one, one number |
| autograde | `grading autograde` with its workers and kernels | every submitted notebook still there; then every submission graded as before |
| roster | `academy roster import` of new people | then every person complete: academy DB, hub account, enrolment |
| backup | `academy backup` | an unfinished backup has no manifest and restore refuses it; the next backup completes |
| hub | the JupyterHub process of a running `academy up`, a trainee's server running | `up` exits and leaves no process, the trainee's server included; a new `up` starts, the people log in and start their servers |
| submit | a trainee's `nbgrader submit` of new answers | the exchange still collects; then the resubmission is collected whole |
| collect | `grading collect` | every collected notebook whole (the old or the new one); then the newest collected |
| feedback | `grading feedback` | then every graded trainee has their feedback in the exchange |
| service | the grade-on-submit service (`grading service --once`) mid-round | submissions intact; then the new submission graded and fed back |

The points and outcomes are printed (``-s``) as one table for the issue's note.
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest

from runtime.paths import Paths
from tests.backup_helpers import PYTHON, REPO, work
from tests.hub.helpers import start_own_server
from tests.hubfixture import read_passwords, start_hub

pytestmark = [pytest.mark.long, pytest.mark.slow, pytest.mark.timeout(5400)]

SEED = 24
# 22 points. Spread by cost (seconds per point under load: hub ~150, autograde ~100, roster ~70,
# service/collect ~60, certificate ~40, backup ~15, migrate ~5) so `make test-long` stays inside
# its 28 minutes in CI (7.6 min measured at load 2-3).
POINTS = {"migrate": 5, "certificate": 3, "autograde": 2, "roster": 2, "backup": 3, "hub": 1,
          "submit": 2, "collect": 2, "feedback": 1, "service": 1}
ROSTER_HEAD = "account,姓名,单位,县区,role,courses,cohort,active\n"


def _env(root: Path) -> dict[str, str]:
    env = dict(os.environ, ACADEMY_ROOT=str(root), ACADEMY_SINGLE_USER="1", PYTHONDONTWRITEBYTECODE="1")
    env.pop("ACADEMY_DB_URL", None)
    return env


def _argv(kind: str, root: Path, arg: str = "") -> list[str]:
    return {
        "migrate": [str(PYTHON), "-m", "academy", "migrate"],
        "certificate": [str(PYTHON), "-m", "grading", "certificate", "demo", arg],
        "autograde": [str(PYTHON), "-m", "grading", "autograde", "demo", "ps1", "--workers", "2"],
        "roster": [str(PYTHON), "-m", "academy", "roster", "import", arg],
        "backup": [str(PYTHON), "-m", "academy", "backup", arg],
        "collect": [str(PYTHON), "-m", "grading", "collect", "demo", "ps1"],
        "feedback": [str(PYTHON), "-m", "grading", "feedback", "demo", "ps1"],
        "service": [str(PYTHON), "-m", "grading", "service", "--once"],
        # a trainee's submit of the "good" answers, as their own nbgrader would (tests/grading helpers)
        "submit": [str(PYTHON), "-c", SUBMIT, str(root), arg],
    }[kind]


SUBMIT = """
import sys
sys.path.insert(0, "tests/grading")
from pathlib import Path
from grading_helpers import answer_like, trainee_fetch, trainee_submit
root, account = Path(sys.argv[1]), sys.argv[2]
folder = root / "homes" / account / "demo" / "ps1"
if not folder.exists():
    folder = trainee_fetch(root, account)
answer_like(folder, "good")
trainee_submit(root, account, folder)
"""


def kill_tree(proc: psutil.Process) -> None:
    """SIGKILL a process and all it started (kernels run in sessions of their own)."""
    try:
        tree = [proc] + proc.children(recursive=True)
    except psutil.Error:
        return
    for p in tree:
        try:
            p.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(tree, timeout=10)


def run_and_kill(argv: list[str], env: dict[str, str], delay: float) -> bool:
    """Run ``argv``; SIGKILL its tree after ``delay`` s. True if it was killed, False if it had finished."""
    proc = subprocess.Popen(argv, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ps = psutil.Process(proc.pid)
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    killed = proc.poll() is None
    kill_tree(ps)
    proc.wait(30)
    return killed


def run(argv: list[str], env: dict[str, str]) -> tuple[subprocess.CompletedProcess, float]:
    t0 = time.monotonic()
    proc = subprocess.run(argv, env=env, cwd=REPO, capture_output=True, text=True, timeout=1800)
    return proc, time.monotonic() - t0


class Matrix:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.rows: list[tuple] = []

    def delay(self, measured: float) -> float:
        return round(self.rng.uniform(0.05, 1.0) * measured, 2)

    def record(self, kind: str, delay: float, killed: bool, after_crash: str, after_restart: str) -> None:
        self.rows.append((kind, delay, "killed" if killed else "had finished", after_crash, after_restart))

    def table(self) -> str:
        lines = ["| # | kind | kill at (s) | process | right after | after restart |", "|---|---|---|---|---|---|"]
        lines += [f"| {i} | " + " | ".join(str(c) for c in r) + " |" for i, r in enumerate(self.rows, 1)]
        return "\n".join(lines)


@pytest.fixture(scope="module")
def academy_root(tmp_path_factory):
    """A demo academy with work in it: submissions, autograde, a manual grade, a certificate."""
    root = tmp_path_factory.mktemp("crash") / "root"
    hub = start_hub(root, single_user=True, extra_env={"ACADEMY_GRADE_ON_SUBMIT": "0"})
    try:
        good, wrong = work(Paths(root, False))
    finally:
        hub.stop()
    return root, good, wrong


@pytest.fixture(scope="module")
def matrix():
    m = Matrix(SEED)
    yield m
    print("\n\nCrash matrix (seed %d, %d points):\n%s" % (SEED, len(m.rows), m.table()))


def _db(root: Path) -> str:
    return f"sqlite:///{root / 'data' / 'academy.sqlite'}"


def _integrity(db: Path) -> str:
    import sqlite3

    with sqlite3.connect(db) as con:
        return con.execute("PRAGMA integrity_check").fetchone()[0]


def test_migrate_killed(tmp_path, matrix):
    from academy import migrations
    from tests.fixtures.release0 import expected_after_upgrade, load_sqlite, table_rows

    def fresh(name: str) -> Path:
        load_sqlite(tmp_path / name / "data" / "academy.sqlite")
        return tmp_path / name

    base = fresh("base")
    proc, measured = run(_argv("migrate", base), _env(base))
    assert proc.returncode == 0, proc.stderr
    for i in range(POINTS["migrate"]):
        root = fresh(f"m{i}")
        url, before = _db(root), table_rows(_db(root))
        delay = matrix.delay(measured)
        killed = run_and_kill(_argv("migrate", root), _env(root), delay)
        assert _integrity(root / "data" / "academy.sqlite") == "ok"
        rev, rows = migrations.current(url), table_rows(url)
        untouched = rev is None and rows == before
        at_head = rev == migrations.head() and rows == expected_after_upgrade()
        assert untouched or at_head, f"half-migrated after a kill at {delay} s: {rev}"
        proc, _ = run(_argv("migrate", root), _env(root))
        assert proc.returncode == 0, proc.stderr
        assert migrations.current(url) == migrations.head() and table_rows(url) == expected_after_upgrade()
        matrix.record("migrate", delay, killed, "untouched" if untouched else "at head", "head, every row kept")


def _valid_certificates(root: Path, account: str) -> list[str]:
    from grading import store

    return [c.number for c in store.certificates(_db(root), account) if c.course == "demo" and not c.revoked]


def _drop_certificates(root: Path, account: str) -> None:
    from sqlalchemy import delete

    from grading import store
    from runtime.db import session

    with session(_db(root)) as s:
        s.execute(delete(store.Certificate).where(store.Certificate.account == account))
        s.commit()


def test_certificate_killed(academy_root, matrix):
    root, good, _ = academy_root
    number = _valid_certificates(root, good)
    _drop_certificates(root, good)
    proc, measured = run(_argv("certificate", root, good), _env(root))
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert _valid_certificates(root, good) == number
    for _ in range(POINTS["certificate"]):
        _drop_certificates(root, good)
        delay = matrix.delay(measured)
        killed = run_and_kill(_argv("certificate", root, good), _env(root), delay)
        right_after = _valid_certificates(root, good)
        assert len(right_after) <= 1
        proc, _ = run(_argv("certificate", root, good), _env(root))
        assert proc.returncode == 0, proc.stderr + proc.stdout
        assert _valid_certificates(root, good) == number  # exactly one, the same number
        matrix.record("certificate", delay, killed, f"{len(right_after)} valid", "exactly 1 valid, same number")


def _results(root: Path) -> dict:
    from grading import store

    return {r.account: (r.score, r.max_score, r.status, r.needs_manual_grade) for r in store.results(_db(root), "demo")}


def _submitted(root: Path) -> dict[str, bytes]:
    sub = root / "courses" / "demo" / "submitted"
    return {str(p.relative_to(sub)): p.read_bytes() for p in sorted(sub.rglob("*.ipynb"))}


def _gradebook_scores(root: Path) -> dict:
    from grading.nbgrader_env import gradebook

    with gradebook(root / "courses" / "demo") as gb:
        return {s.student_id: s.score for s in gb.assignment_submissions("ps1")}


def test_autograde_killed(academy_root, matrix):
    root, _, _ = academy_root
    proc, measured = run(_argv("autograde", root), _env(root))
    assert proc.returncode == 0, proc.stderr + proc.stdout
    results, submitted, scores = _results(root), _submitted(root), _gradebook_scores(root)
    assert len(results) == 2 and len(submitted) == 2
    for _ in range(POINTS["autograde"]):
        delay = matrix.delay(measured)
        killed = run_and_kill(_argv("autograde", root), _env(root), delay)
        assert _integrity(root / "courses" / "demo" / "gradebook.db") == "ok"
        assert _submitted(root) == submitted  # every submitted notebook is still there, unchanged
        proc, _ = run(_argv("autograde", root), _env(root))
        assert proc.returncode == 0, proc.stderr + proc.stdout
        assert _results(root) == results and _gradebook_scores(root) == scores
        matrix.record("autograde", delay, killed, "submissions intact", "every submission graded as before")


def _hub_accounts(root: Path) -> tuple[set[str], set[str]]:
    import sqlite3

    with sqlite3.connect(root / "hub" / "jupyterhub.sqlite") as con:
        users = {r[0] for r in con.execute("SELECT name FROM users")}
        infos = {r[0] for r in con.execute("SELECT username FROM users_info WHERE password IS NOT NULL")}
    return users, infos


def _complete(root: Path, names: list[str]) -> list[str]:
    from runtime.people import people

    enrolled = {p.account for p in people(_db(root), course="demo")}
    users, infos = _hub_accounts(root)
    return [n for n in names if n in enrolled and n in users and n in infos]


def _roster(path: Path, tag: str) -> list[str]:
    names = [f"cr{tag}{c}" for c in "abcde"]
    path.write_text(ROSTER_HEAD + "".join(f"{n},测试{c}（合成）,海东市政务服务中心,乐都区,trainee,demo,2026年第九期,1\n"
                                          for n, c in zip(names, "甲乙丙丁戊")), encoding="utf-8")
    return names


def test_roster_import_killed(academy_root, matrix, tmp_path):
    root, _, _ = academy_root
    names = _roster(tmp_path / "r0.csv", "0")
    proc, measured = run(_argv("roster", root, str(tmp_path / "r0.csv")), _env(root))
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert _complete(root, names) == names
    for i in range(1, POINTS["roster"] + 1):
        names = _roster(tmp_path / f"r{i}.csv", str(i))
        delay = matrix.delay(measured)
        killed = run_and_kill(_argv("roster", root, str(tmp_path / f"r{i}.csv")), _env(root), delay)
        assert _integrity(root / "data" / "academy.sqlite") == "ok"
        right_after = len(_complete(root, names))
        proc, _ = run(_argv("roster", root, str(tmp_path / f"r{i}.csv")), _env(root))
        assert proc.returncode == 0, proc.stderr + proc.stdout
        assert _complete(root, names) == names
        matrix.record("roster", delay, killed, f"{right_after}/5 complete", "5/5 complete")


def test_backup_killed(academy_root, matrix, tmp_path):
    root, _, _ = academy_root
    proc, measured = run(_argv("backup", root, str(tmp_path / "b0")), _env(root))
    assert proc.returncode == 0, proc.stderr
    for i in range(1, POINTS["backup"] + 1):
        dest = tmp_path / f"b{i}"
        delay = matrix.delay(measured)
        killed = run_and_kill(_argv("backup", root, str(dest)), _env(root), delay)
        if (dest / "manifest.json").exists():
            state = "complete"
        else:
            state = "unfinished, no manifest"
            refused, _ = run([str(PYTHON), "-m", "academy", "restore", str(dest)], _env(tmp_path / f"new{i}"))
            assert refused.returncode == 2 and "不是完整的备份" in refused.stderr
        proc, _ = run(_argv("backup", root, str(tmp_path / f"again{i}")), _env(root))
        assert proc.returncode == 0, proc.stderr
        assert json.loads((tmp_path / f"again{i}" / "manifest.json").read_text(encoding="utf-8"))["counts"]
        matrix.record("backup", delay, killed, state + ("; restore refuses it" if "no manifest" in state else ""),
                      "next backup complete")


def _server_of(proc: psutil.Process) -> str | None:
    """Whose single-user server a process is (formgraders carry their grader-<course> name)."""
    try:
        return proc.environ().get("JUPYTERHUB_USER")
    except psutil.Error:
        return None


def test_hub_killed(academy_root, matrix, tmp_path):
    root, good, _ = academy_root
    roster = tmp_path / "empty.csv"
    roster.write_text(ROSTER_HEAD, encoding="utf-8")
    password = read_passwords(root)[good]
    for _ in range(POINTS["hub"]):
        hub = start_hub(root, single_user=True, roster=roster, extra_env={"ACADEMY_GRADE_ON_SUBMIT": "0"})
        try:
            # a trainee's server runs when the hub dies: it must be cleaned up with the rest
            start_own_server(hub, hub.login(good, password), good)
            delay = matrix.delay(5.0)
            time.sleep(delay)
            tree = hub.descendants()
            assert any(_server_of(p) == good for p in tree), "the trainee's server is not among the academy's processes"
            os.kill(hub.hub_pid(), signal.SIGKILL)
            code = hub.proc.wait(180)
            _, alive = psutil.wait_procs(tree, timeout=30)
            assert code != 0 and not [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        finally:
            hub.stop()
        hub = start_hub(root, single_user=True, roster=roster, extra_env={"ACADEMY_GRADE_ON_SUBMIT": "0"})
        try:
            s = hub.login(good, password)
            assert s.login_status == 302
            start_own_server(hub, s, good)  # the hub's record of the killed server does not block a new one
        finally:
            hub.stop()
        matrix.record("hub", delay, True, f"up exited {code}, no process left (the trainee's server too)",
                      "up starts again, login and the trainee's server work")


def _whole_notebooks(folder: Path) -> list[str]:
    """Every .ipynb under ``folder`` that does not parse as a notebook (a torn copy)."""
    import nbformat

    torn = []
    for nb in sorted(folder.rglob("*.ipynb")):
        try:
            nbformat.read(nb, as_version=4)
        except Exception:
            torn.append(str(nb.relative_to(folder)))
    return torn


def _stamp(folder: Path) -> float:
    """The submission time in a folder's timestamp.txt, as seconds since the epoch."""
    import datetime as dt

    text = (folder / "timestamp.txt").read_text(encoding="utf-8").strip()
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S.%f UTC").timestamp()


def _same_submission(a: float, b: float) -> bool:
    """The collected copy carries the receipt time the system recorded, milliseconds after the
    trainee's own; two submits here are always more than a second apart (``_submit``)."""
    return abs(a - b) < 1.0


def _inbound(root: Path, account: str) -> list[Path]:
    return sorted((root / "exchange" / "demo" / "inbound").glob(f"{account}+ps1+*"))


def _submit(root: Path, account: str) -> None:
    proc, _ = run(_argv("submit", root, account), _env(root))
    assert proc.returncode == 0, proc.stderr[-3000:]
    time.sleep(1.1)  # nbgrader's entry names carry the second: the next submit gets its own


def test_submit_killed(academy_root, matrix):
    root, good, _ = academy_root
    t0 = time.monotonic()
    _submit(root, good)
    measured = time.monotonic() - t0
    for _ in range(POINTS["submit"]):
        delay = matrix.delay(measured)
        killed = run_and_kill(_argv("submit", root, good), _env(root), delay)
        proc, _ = run(_argv("collect", root), _env(root))  # a torn entry must not stop the collect
        assert proc.returncode == 0, proc.stderr[-3000:]
        entries = len(_inbound(root, good))
        _submit(root, good)
        assert len(_inbound(root, good)) == entries + 1
        proc, _ = run(_argv("collect", root), _env(root))
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert _whole_notebooks(root / "courses" / "demo" / "submitted") == []
        matrix.record("submit", delay, killed, "collect still works", "resubmission collected whole")


def test_collect_killed(academy_root, matrix):
    root, good, _ = academy_root
    submitted = root / "courses" / "demo" / "submitted"
    proc, measured = run(_argv("collect", root), _env(root))
    assert proc.returncode == 0, proc.stderr[-3000:]
    for _ in range(POINTS["collect"]):
        _submit(root, good)
        delay = matrix.delay(measured)
        killed = run_and_kill(_argv("collect", root), _env(root), delay)
        torn = _whole_notebooks(submitted)
        assert torn == [], f"torn notebooks after a kill at {delay} s: {torn}"
        proc, _ = run(_argv("collect", root), _env(root))
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert _whole_notebooks(submitted) == []
        assert _same_submission(_stamp(submitted / good / "ps1"), _stamp(_inbound(root, good)[-1]))  # the newest
        matrix.record("collect", delay, killed, "no torn notebook", "the newest submission collected")


def _feedback_files(root: Path) -> list[Path]:
    return sorted((root / "exchange" / "demo" / "feedback").glob("*.html"))


def test_feedback_killed(academy_root, matrix):
    root, _, _ = academy_root
    assert run(_argv("autograde", root), _env(root))[0].returncode == 0
    proc, measured = run(_argv("feedback", root), _env(root))
    assert proc.returncode == 0, proc.stderr[-3000:]
    files = {p.name for p in _feedback_files(root)}
    assert files
    for _ in range(POINTS["feedback"]):
        for p in _feedback_files(root):
            p.unlink()
        delay = matrix.delay(measured)
        killed = run_and_kill(_argv("feedback", root), _env(root), delay)
        right_after = len(_feedback_files(root))
        proc, _ = run(_argv("feedback", root), _env(root))
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert {p.name for p in _feedback_files(root)} == files
        matrix.record("feedback", delay, killed, f"{right_after}/{len(files)} released", "every feedback released")


def test_service_killed(academy_root, matrix):
    root, good, _ = academy_root
    _submit(root, good)
    proc, measured = run(_argv("service", root), _env(root))
    assert proc.returncode == 0, proc.stderr[-3000:]
    submitted = root / "courses" / "demo" / "submitted"
    for _ in range(POINTS["service"]):
        _submit(root, good)
        newest = _stamp(_inbound(root, good)[-1])
        delay = matrix.delay(measured)
        killed = run_and_kill(_argv("service", root), _env(root), delay)
        assert _integrity(root / "courses" / "demo" / "gradebook.db") == "ok"
        assert _whole_notebooks(submitted) == []
        proc, _ = run(_argv("service", root), _env(root))
        assert proc.returncode == 0, proc.stderr[-3000:]
        for stage in ("submitted", "autograded", "feedback"):
            assert _same_submission(_stamp(root / "courses" / "demo" / stage / good / "ps1"), newest), stage
        assert _results(root)[good][2] == "graded", _results(root)[good]
        matrix.record("service", delay, killed, "submissions intact", "new submission graded, fed back")
