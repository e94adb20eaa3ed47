"""From inside a trainee's own kernel (through the hub): what they can and cannot read."""
from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from academy import runtime
from tests.hubfixture import REPO

pytestmark = [pytest.mark.root, pytest.mark.hub, pytest.mark.timeout(300)]

PROBE = """
import json, os
res = {}
for p in %s:
    try:
        if os.path.isdir(p):
            os.listdir(p)
        else:
            with open(p, "rb") as fh:
                fh.read(1)
        res[p] = "READ"
    except PermissionError:
        res[p] = "denied"
    except FileNotFoundError:
        res[p] = "missing"
    except OSError as e:
        res[p] = "error %%s" %% e.errno
print(json.dumps(res))
"""


def probe(kernel, paths: list[str]) -> dict:
    return kernel.json(PROBE % json.dumps(paths))


def _server_pid(user: str) -> int:
    import pwd
    uid = pwd.getpwnam(user).pw_uid
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if d.stat().st_uid == uid and b"jupyterhub-singleuser" in (d / "cmdline").read_bytes():
                    return int(d.name)
            except OSError:
                continue
    raise AssertionError(f"no server process of {user}")


def test_kernel_runs_as_the_person(iso_env):
    out = iso_env.kernel(iso_env.a).json(
        "import os, pwd, json; print(json.dumps([pwd.getpwuid(os.getuid()).pw_name, os.getcwd()]))")
    assert out == [iso_env.a, str(iso_env.paths.home(iso_env.a))]


def test_forbidden_paths_are_unreadable(iso_env):
    env, paths = iso_env, iso_env.paths
    # B leaves a private file in B's home (default umask: the file itself is 0644; the home protects it)
    env.kernel(env.b).run("open('secret-b.txt', 'w').write('B private')")
    course_sources = sorted(str(p) for p in (REPO / "courses").rglob("*.py") if "assignments" in p.parts)
    forbidden = [
        str(REPO), str(REPO / "pyproject.toml"), str(REPO / ".git"),
        # in a git worktree .git is a file naming the real one, so .git/config is not there
        *([str(REPO / ".git" / "config")] if (REPO / ".git").is_dir() else []),
        str(REPO / "courses"), *course_sources[:3],
        str(paths.course_root(env.course_id)),
        str(paths.course_root(env.course_id) / "gradebook.db"),
        str(paths.course_root(env.course_id) / "source" / "ps1" / "ps1.ipynb"),
        str(paths.data_dir), str(paths.academy_db),
        str(paths.hub_dir), str(paths.hub_db), str(paths.cookie_secret),
        str(paths.home(env.b)), str(paths.home(env.b) / "secret-b.txt"),
        f"/proc/{_server_pid(env.b)}/environ",   # B's server token lives in its environment
        "/root",
        # answers shipped inside the runtime venv as package data (a course template)
        *(str(p) for p in runtime.answer_files(paths.venv)),
        # the rules that decide graded cases (issue 12)
        *(str(p) for top in runtime.answer_keys(paths.venv) for p in (top, top / "decisions.py", top / "defects.py")),
    ]
    # every path exists (seen as root), so "denied" below is the permission, not a typo
    for p in forbidden:
        assert os.path.exists(p), p
    assert course_sources, "no course sources found under courses/*/assignments"
    result = probe(env.kernel(env.a), forbidden)
    readable = {p: r for p, r in result.items() if r != "denied"}
    assert not readable, f"trainee {env.a} reached: {readable}"


def test_own_files_and_lessons_are_readable(iso_env):
    env, paths = iso_env, iso_env.paths
    k = env.kernel(env.a)
    out = k.json(
        "import json, os\n"
        "open('mine.txt', 'w').write('我的笔记')\n"
        f"print(json.dumps([open('mine.txt').read(), sorted(os.listdir({str(paths.lessons / env.course_id)!r})),"
        f" os.access({str(paths.exchange)!r}, os.W_OK)]))")
    assert out == ["我的笔记", ["01-intro.ipynb"], True]
    home = paths.home(env.a)
    st = home.stat()
    assert stat.S_IMODE(st.st_mode) == 0o700
    assert (home / "mine.txt").stat().st_uid == st.st_uid


def test_checkout_is_closed_and_runtime_check_passes(iso_env):
    paths = iso_env.paths
    assert stat.S_IMODE(REPO.stat().st_mode) & 0o077 == 0
    problems = runtime.check_runtime(paths, user=iso_env.a, checkout=REPO)
    assert problems == []


def test_runtime_check_reports_an_open_data_dir(iso_env):
    """The check can fail: opening data/ to everyone is reported (then put back)."""
    paths = iso_env.paths
    os.chmod(paths.data_dir, 0o755)
    os.chmod(paths.academy_db, 0o644)
    try:
        problems = runtime.check_runtime(paths, user=iso_env.a, checkout=REPO)
    finally:
        os.chmod(paths.data_dir, 0o700)
        os.chmod(paths.academy_db, 0o600)
    assert any(str(paths.data_dir) in p for p in problems), problems
    # a lesson that still carries an answer key is reported too
    leak = paths.lessons / iso_env.course_id / "02-leak.ipynb"
    leak.write_text('{"cells": [{"source": ["def f():\\n", "    ### BEGIN SOLUTION\\n", "    return 1\\n"]}]}')
    try:
        problems = runtime.check_runtime(paths, user=iso_env.a, checkout=REPO)
    finally:
        leak.unlink()
    assert any("02-leak.ipynb" in p for p in problems), problems
    # and prepare_runtime puts modes right again, idempotently
    os.chmod(paths.hub_dir, 0o755)
    done = runtime.prepare_runtime(paths, root_mode=True, checkout=REPO)
    assert any(str(paths.hub_dir) in d for d in done)
    assert stat.S_IMODE(paths.hub_dir.stat().st_mode) == 0o700
    assert runtime.prepare_runtime(paths, root_mode=True, checkout=REPO) == []
