"""The exchange's privacy on the shared volume holds with the uids KubeSpawner gives the pods.

deploy/z2jh/exchange-layout.sh lays the exchange out (root once, then the course's grader uid), and
the trainees act with the runAsUser/runAsGroup of their rendered pods — real Unix permission checks
through setpriv, as the kernel of a pod on that volume would meet them (an NFS server applies the
same owner/mode rules to the uids the pods send). Root only (setpriv needs it).
"""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.deploy import chart

pytestmark = [pytest.mark.root, pytest.mark.timeout(120),
              pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root and setpriv")]

SCRIPT = chart.REPO / "deploy" / "z2jh" / "exchange-layout.sh"


def as_uid(uid: int, gid: int, script: str, exchange: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", "--",
                           "sh", "-c", script], env={"ACADEMY_EXCHANGE": str(exchange), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=30)


@pytest.fixture
def pods(tmp_path, monkeypatch):
    cfg = chart.load_hub_config(tmp_path, chart.merged_values(), monkeypatch)
    chart.fake_kubeconfig(tmp_path, monkeypatch)
    out = {}
    for name, uid in (("xueyuan01", 11), ("xueyuan02", 12)):
        pod = chart.render_user_pod(cfg, chart.person(name, uid, ["trainees", "course-demo"]))
        sc = chart.container(pod)["securityContext"]
        out[name] = (sc["runAsUser"], sc["runAsGroup"])
    return out


@pytest.fixture
def exchange():
    """A temporary exchange, and the layout script beside it: other uids cannot read the checkout
    (root-mode `academy up` closes it, docs/isolation.md)."""
    root = Path(tempfile.mkdtemp(prefix="zt-exchange-", dir="/tmp"))
    os.chmod(root, 0o755)
    shutil.copy(SCRIPT, root / "exchange-layout.sh")
    os.chmod(root / "exchange-layout.sh", 0o755)
    yield root / "exchange"
    shutil.rmtree(root, ignore_errors=True)


def test_submissions_stay_private_between_pod_uids(pods, exchange):
    grader = chart.merged_values()["custom"]["academy"]["courses"]["demo"]["graderUid"]
    layout = exchange.parent / "exchange-layout.sh"
    subprocess.run(["sh", str(layout), "root"], env={"ACADEMY_EXCHANGE": str(exchange)}, check=True)
    r = as_uid(grader, grader, f"sh {layout} course demo", exchange)
    assert r.returncode == 0, r.stderr
    inbound = exchange / "demo" / "inbound"
    modes = {p: stat.S_IMODE(p.stat().st_mode) for p in (exchange, exchange / "demo", inbound, exchange / "demo" / "feedback")}
    assert list(modes.values()) == [0o1777, 0o755, 0o3733, 0o711], modes
    assert inbound.stat().st_uid == grader

    (a_uid, a_gid), (b_uid, b_gid) = pods["xueyuan01"], pods["xueyuan02"]
    assert a_uid != b_uid and a_gid != b_gid
    sub_a = inbound / "xueyuan01+ps1+2026-12-01 10:00:00.000000 UTC+3f9a1c2b7d4e8f6a01"
    # as nbgrader submit leaves it: the directory 0777, the notebook 0644
    r = as_uid(a_uid, a_gid, f"umask 022; mkdir '{sub_a}' && chmod 0777 '{sub_a}' && echo A > '{sub_a}/ps1.ipynb'", exchange)
    assert r.returncode == 0, r.stderr

    b = {
        "list inbound": f"ls '{inbound}'",
        "rename A's submission": f"mv '{sub_a}' '{sub_a}x'",
        "overwrite A's notebook": f"echo B > '{sub_a}/ps1.ipynb'",
        "write the release": f"touch '{exchange}/demo/outbound/x'",
        "list feedback": f"ls '{exchange}/demo/feedback'",
    }
    for what, script in b.items():
        assert as_uid(b_uid, b_gid, script, exchange).returncode != 0, f"B could {what}"
    own = as_uid(b_uid, b_gid, f"mkdir '{inbound}/xueyuan02+ps1+t+00' && echo B > '{inbound}/xueyuan02+ps1+t+00/ps1.ipynb'", exchange)
    assert own.returncode == 0, own.stderr
    # the grader sees both (collect) and A's work is intact
    listing = as_uid(grader, grader, f"ls '{inbound}'", exchange)
    assert listing.returncode == 0 and len(listing.stdout.split("\n")) >= 2, listing
    assert (sub_a / "ps1.ipynb").read_text() == "A\n"


def test_one_shared_uid_would_not_keep_them_apart(exchange):
    """The same steps with the chart's default (uid 1000 in every pod): B renames A's work."""
    layout = exchange.parent / "exchange-layout.sh"
    subprocess.run(["sh", str(layout), "root"], env={"ACADEMY_EXCHANGE": str(exchange)}, check=True)
    assert as_uid(30001, 30001, f"sh {layout} course demo", exchange).returncode == 0
    sub = exchange / "demo" / "inbound" / "a+ps1+t+00"
    assert as_uid(1000, 100, f"mkdir '{sub}' && echo A > '{sub}/ps1.ipynb'", exchange).returncode == 0
    assert as_uid(1000, 100, f"mv '{sub}' '{sub}x'", exchange).returncode == 0


NSS_WRAPPER = [p for p in Path("/usr/lib").glob("*/libnss_wrapper.so")]


@pytest.mark.skipif(not NSS_WRAPPER, reason="Debian package libnss-wrapper not installed")
def test_user_image_entry_names_the_pod_uid_for_nbgrader(pods, tmp_path):
    """nbgrader takes a submission's student id from the account name (or $JUPYTERHUB_USER when
    that name is jovyan); a per-person pod uid has no account until the image's entry names it."""
    uid, gid = pods["xueyuan01"]
    entry = Path(tempfile.mkdtemp(prefix="zt-entry-", dir="/tmp"))
    try:
        os.chmod(entry, 0o755)
        shutil.copy(chart.REPO / "deploy" / "images" / "user" / "academy-user-entry.sh", entry / "entry.sh")
        probe = "import pwd, os; print(pwd.getpwuid(os.getuid())[0])"
        run = lambda *cmd: subprocess.run(["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", "--",
                                           "env", "HOME=/tmp", *cmd], capture_output=True, text=True, timeout=30)
        bare = run("/usr/bin/python3", "-c", probe)
        assert bare.returncode != 0 and "uid not found" in bare.stderr
        named = run("sh", str(entry / "entry.sh"), "/usr/bin/python3", "-c", probe)
        assert named.returncode == 0 and named.stdout.strip() == "jovyan", named.stderr
    finally:
        shutil.rmtree(entry, ignore_errors=True)
