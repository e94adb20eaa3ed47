"""Unix accounts: names checked, created once, corrected if changed, locked when disabled."""
from __future__ import annotations

import os
import pwd
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest

from runtime import accounts
from tests.hubfixture import new_name

pytestmark = [pytest.mark.root, pytest.mark.timeout(120)]


def _can_log_in(name: str) -> bool:
    su = subprocess.run(["su", name, "-s", "/bin/sh", "-c", "id -un"], capture_output=True, text=True)
    return su.returncode == 0 and su.stdout.strip() == name


@pytest.fixture
def homes():
    d = Path(tempfile.mkdtemp(prefix="zt-homes-", dir="/tmp"))
    os.chmod(d, 0o755)
    made: list[str] = []
    yield d, made
    for name in made:
        accounts.remove_account(name)
    subprocess.run(["rm", "-rf", str(d)], check=False)


@pytest.mark.parametrize("name", [
    "", "Zhang", "张伟", "a" * 33, "1abc", "-x", "a b", "a:b", "123",
    "root", "nobody", "www-data", "daemon",   # existing system accounts
    "staff", "users",                           # existing groups
    "grader-demo",                              # reserved prefix
])
def test_bad_names_refused_in_both_languages(name):
    with pytest.raises(ValueError) as e:
        accounts.check_account_name(name)
    msg = str(e.value)
    assert " / " in msg and any("\u4e00" <= ch <= "\u9fff" for ch in msg), msg


def test_good_names_pass():
    for name in ("zhangwei", "li_na", "wang-fang2", "a" * 32, "_svc"):
        accounts.check_account_name(name)


def test_created_once_corrected_locked_and_kept(homes):
    base, made = homes
    name = new_name("u")
    home = base / name
    made.append(name)
    assert accounts.ensure_account(name, home, full_name="张伟") == "created"
    made_home = home.stat()
    pw = pwd.getpwnam(name)
    assert pw.pw_dir == str(home) and pw.pw_shell == accounts.ACTIVE_SHELL
    assert pw.pw_gecos.startswith("张伟")
    assert (made_home.st_uid, made_home.st_gid) == (pw.pw_uid, pw.pw_gid)
    assert stat.S_IMODE(made_home.st_mode) == 0o700
    assd = accounts.account_state(name)
    assert assd.group == name and accounts.USERS_GROUP in assd.groups and not assd.locked
    # once ours, the name is accepted again (roster re-import)
    accounts.check_account_name(name)
    assert accounts.ensure_account(name, home, full_name="张伟") == "unchanged"
    assert _can_log_in(name)

    # somebody changes it by hand: shell, group membership, home mode and owner
    subprocess.run(["usermod", "-s", "/bin/sh", name], check=True)
    subprocess.run(["gpasswd", "-d", name, accounts.USERS_GROUP], check=True, capture_output=True)
    os.chmod(home, 0o755)
    os.chown(home, 0, 0)
    (home / "work.ipynb").write_text("{}")
    os.chown(home / "work.ipynb", pw.pw_uid, pw.pw_gid)
    # (still recognised as ours by the root-only GECOS mark, so it is corrected, not refused)
    assert accounts.ensure_account(name, home, full_name="张伟") == "updated"
    pw2 = pwd.getpwnam(name)
    st = home.stat()
    assert pw2.pw_uid == pw.pw_uid and pw2.pw_shell == accounts.ACTIVE_SHELL
    assert (st.st_uid, stat.S_IMODE(st.st_mode)) == (pw.pw_uid, 0o700)
    assert accounts.USERS_GROUP in accounts.account_state(name).groups
    assert accounts.ensure_account(name, home, full_name="张伟") == "unchanged"

    # disabled in the roster: locked (expired + nologin), files kept
    assert accounts.ensure_account(name, home, full_name="张伟", locked=True) == "updated"
    state = accounts.account_state(name)
    assert state.locked and state.shell == accounts.LOCKED_SHELL
    assert (home / "work.ipynb").exists()
    assert not _can_log_in(name), "PAM refuses an expired (locked) account, even to su from root"
    assert accounts.lock_account(name) == "unchanged"
    # re-enabled
    assert accounts.ensure_account(name, home, full_name="张伟") == "updated"
    assert not accounts.account_state(name).locked and _can_log_in(name)


def test_lock_account_on_active_account(homes):
    base, made = homes
    name = new_name("l")
    made.append(name)
    accounts.ensure_account(name, base / name)
    assert accounts.lock_account(name) == "updated"
    assert accounts.account_state(name).locked
    with pytest.raises(ValueError):
        accounts.lock_account("root")


def test_concurrent_creation_is_safe(homes):
    base, made = homes
    names = [new_name("p") for _ in range(6)]
    made.extend(names)
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda n: accounts.ensure_account(n, base / n), names))
    assert results == ["created"] * 6
    assert len({pwd.getpwnam(n).pw_uid for n in names}) == 6


def test_grader_account_is_a_system_account(homes):
    base, made = homes
    cid = new_name("g")
    name = accounts.grader_account_name(cid)
    made.append(name)
    assert accounts.ensure_grader_account(cid, home=base / cid) == "created"
    assert accounts.ensure_grader_account(cid, home=base / cid) == "unchanged"
    pw = pwd.getpwnam(name)
    assert pw.pw_uid < 1000 and pw.pw_shell == accounts.LOCKED_SHELL
    assert accounts.GRADERS_GROUP in accounts.account_state(name).groups
    with pytest.raises(ValueError):
        accounts.check_account_name(name)  # a person can never take a grader's name
    with pytest.raises(ValueError):
        accounts.ensure_grader_account("Bad Course")


def test_remove_refuses_foreign_accounts():
    with pytest.raises(ValueError):
        accounts.remove_account("nobody")
