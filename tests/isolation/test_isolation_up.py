"""End to end with the academy's own start-up: `python -m academy up` as root (tests/hubfixture.py).

The whole stack as `make up` runs it — runtime preparation and check, roster import creating Unix
accounts, the demo course with its grader account and formgrader, the real hub config with the
isolation fragments — then a trainee's own token reaches their own kernel and tries the real
course's secrets.
"""
from __future__ import annotations

import json
import os
import pwd
import shutil
import stat
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests

from academy import runtime
from runtime import accounts
from runtime.paths import Paths
from tests.hubfixture import REPO, Kernel, new_name, shared_runtime_venv, start_hub

pytestmark = [pytest.mark.root, pytest.mark.hub, pytest.mark.slow, pytest.mark.timeout(600)]

ROSTER_HEAD = "account,姓名,单位,县区,role,courses,cohort,active\n"


@pytest.fixture(scope="module")
def up():
    if os.geteuid() != 0:
        pytest.skip("needs root")
    before = {p.pw_name for p in pwd.getpwall()}
    root = Path(tempfile.mkdtemp(prefix="zt-academy-", dir="/tmp"))
    os.chmod(root, 0o755)
    private = Path(tempfile.mkdtemp(prefix="zt-roster-"))  # 0700: the roster is not for trainees
    (root / "venv").symlink_to(shared_runtime_venv())
    a, b, off = new_name("a"), new_name("b"), new_name("x")
    roster = private / "roster.csv"
    roster.write_text(ROSTER_HEAD
                      + f"{a},测试甲,海东市政务服务中心综合窗口,乐都区,trainee,demo,2026年第一期,1\n"
                      + f"{b},测试乙,海东市政务服务中心综合窗口,平安区,trainee,demo,2026年第一期,1\n"
                      + f"{off},测试丙,海东市政务服务中心综合窗口,平安区,trainee,demo,2026年第一期,0\n",
                      encoding="utf-8")
    hub = None
    kernels: list[Kernel] = []
    try:
        hub = start_hub(root, single_user=False, roster=roster,
                        extra_env={"ACADEMY_CULL_TIMEOUT": "3600"})
        yield SimpleNamespace(hub=hub, root=root, paths=Paths(root=root, root_mode=True),
                              a=a, b=b, off=off, kernels=kernels)
    finally:
        for k in kernels:
            try:
                k.close()
            except Exception:  # noqa: BLE001
                pass
        if hub is not None:
            hub.stop()
        # only what this test made: its roster's accounts, and graders whose home is in its root
        # (other sessions on the same machine may be creating accounts meanwhile)
        mine = {a, b, off} | {p.pw_name for p in pwd.getpwall()
                              if p.pw_name.startswith("grader-") and p.pw_dir.startswith(str(root) + "/")}
        for name in sorted(({p.pw_name for p in pwd.getpwall()} - before) & mine):
            try:
                accounts.remove_account(name)
            except (ValueError, RuntimeError):
                pass
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(private, ignore_errors=True)


def trainee_kernel(up, name: str) -> Kernel:
    """The trainee's own token (issued by the ops service), their own server, a kernel in it."""
    hub = up.hub
    r = hub.api("POST", f"/users/{name}/tokens", json={"note": "isolation test", "expires_in": 3600})
    assert r.status_code == 201, r.text
    token = r.json()["token"]
    headers = {"Authorization": f"token {token}"}
    r = requests.post(f"{hub.api_url}/users/{name}/server", headers=headers, timeout=60)
    assert r.status_code in (201, 202), r.text
    import time
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        info = requests.get(f"{hub.api_url}/users/{name}", headers=headers, timeout=30).json()
        if (info.get("servers") or {}).get("", {}).get("ready"):
            break
        time.sleep(0.5)
    else:
        raise AssertionError(f"server of {name} not ready:\n{hub.log()[-4000:]}")
    k = Kernel(SimpleNamespace(url=hub.url.rstrip("/"), token=token), name)
    up.kernels.append(k)
    return k


def test_up_prepared_root_mode(up):
    paths = up.paths
    log = up.hub.log()
    assert "root" in log and "单账号演示模式" not in log
    assert runtime.check_runtime(paths, checkout=REPO) == []
    assert stat.S_IMODE(REPO.stat().st_mode) & 0o077 == 0
    for name in (up.a, up.b):
        st = paths.home(name).stat()
        assert st.st_uid == pwd.getpwnam(name).pw_uid and stat.S_IMODE(st.st_mode) == 0o700
    assert accounts.account_state(up.off).locked, "a disabled person's account is locked"
    grader = pwd.getpwnam("grader-demo")
    croot = paths.course_root("demo")
    assert croot.stat().st_uid == grader.pw_uid and stat.S_IMODE(croot.stat().st_mode) == 0o700


def test_formgrader_runs_as_the_grader(up):
    uid = pwd.getpwnam("grader-demo").pw_uid
    croot = str(up.paths.course_root("demo"))
    owners = set()
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            cmd = (d / "cmdline").read_bytes().decode(errors="replace")
            if "jupyterhub-singleuser" in cmd and croot in cmd:
                owners.add(d.stat().st_uid)
        except OSError:
            continue
    assert owners == {uid}, owners


def test_trainee_reaches_nothing_of_the_real_course(up):
    paths = up.paths
    k = trainee_kernel(up, up.a)
    who = k.json("import os, pwd, json, resource; print(json.dumps([pwd.getpwuid(os.getuid()).pw_name,"
                 " resource.getrlimit(resource.RLIMIT_AS)[0]]))")
    assert who == [up.a, 2 * 1024 ** 3]
    croot = paths.course_root("demo")
    sources = sorted(str(p) for p in (REPO / "courses" / "demo").rglob("*.py"))
    forbidden = [str(REPO), *sources[:2], str(REPO / ".git"),
                 str(croot), str(croot / "gradebook.db"), str(croot / "source"),
                 str(paths.academy_db), str(paths.hub_db), str(paths.cookie_secret),
                 str(paths.home(up.b)),
                 *(str(f) for f in sorted(paths.data_dir.iterdir())),   # academy DB, passwords …
                 *(str(f) for f in sorted(paths.hub_dir.iterdir()) if f.is_file())]
    for p in forbidden:
        assert os.path.exists(p), p
    res = k.json("import json, os\nres = {}\n"
                 f"for p in {json.dumps(forbidden)}:\n"
                 "    try:\n"
                 "        os.listdir(p) if os.path.isdir(p) else open(p, 'rb').read(1)\n"
                 "        res[p] = 'READ'\n"
                 "    except PermissionError:\n"
                 "        res[p] = 'denied'\n"
                 "print(json.dumps(res))")
    assert {p: r for p, r in res.items() if r != "denied"} == {}
    # while their own lessons (copied in at spawn, as them) and the released exchange are theirs
    mine = k.json("import json, os; print(json.dumps(sorted(os.listdir('demo')) if os.path.isdir('demo') else None))")
    if mine is not None:
        assert all((paths.home(up.a) / "demo" / f).stat().st_uid == pwd.getpwnam(up.a).pw_uid for f in mine)
