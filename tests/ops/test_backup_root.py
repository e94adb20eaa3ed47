"""Root mode: a restore recreates a person's Unix account by name (runtime.accounts, from the restored
roster) and gives their files back to that name, whatever uid the account gets on the new machine.
Unique throw-away account names (tests.hubfixture.new_name), removed afterwards."""
from __future__ import annotations

import os
import pwd
from pathlib import Path

import pytest

from runtime import accounts
from runtime.paths import Paths
from tests.hubfixture import new_name

pytestmark = [pytest.mark.root, pytest.mark.skipif(os.geteuid() != 0, reason="needs root (Unix accounts)")]


def _own(path: Path, name: str) -> None:
    pw = pwd.getpwnam(name)
    os.chown(path, pw.pw_uid, pw.pw_gid, follow_symlinks=False)


def test_restore_gives_files_back_to_the_account_by_name(tmp_path):
    from academy import migrations
    from academy.restore import _accounts
    from academy.snapshot_files import copy_in, copy_out
    from runtime.db import session
    from runtime.people import Person

    person, filler = new_name("bk"), new_name("bf")
    old, new, dest = tmp_path / "old", tmp_path / "new", tmp_path / "bk"
    for d in (old, new, dest):
        d.mkdir()
    os.chmod(tmp_path, 0o755)
    try:
        (old / "homes").mkdir()
        accounts.ensure_account(person, old / "homes" / person)
        work = old / "homes" / person / "demo" / "ps1"
        work.mkdir(parents=True)
        (work / "ps1.ipynb").write_text("{}")
        os.symlink("/etc/shadow", work / "link")
        inbound = old / "exchange" / "demo" / "inbound" / f"{person}+ps1+2026-12-01 10:00:00.000000 UTC+abc"
        inbound.mkdir(parents=True)
        (inbound / "ps1.ipynb").write_text("{}")
        for p in (work.parent, work, work / "ps1.ipynb", work / "link", inbound, inbound / "ps1.ipynb"):
            _own(p, person)
        entries: list = []
        for tree in ("homes", "exchange"):
            copy_out(old, tree, dest, entries)
        old_uid = pwd.getpwnam(person).pw_uid
        accounts.remove_account(person, remove_home=False)          # the old machine is gone
        accounts.ensure_account(filler, tmp_path / "filler")         # its uid may now be someone else's
        paths = Paths(new, True)
        migrations.upgrade(paths.academy_db_url)
        with session(paths.academy_db_url) as s:
            s.add(Person(account=person, name="测试乙（合成）", role="trainee"))
            s.commit()
        assert _accounts(paths, []) == [person]
        copy_in(dest, new, entries, chown=True)
        pw = pwd.getpwnam(person)
        print(f"\nuid before {old_uid}, after {pw.pw_uid}")
        for p in ("homes/{a}/demo/ps1/ps1.ipynb", "homes/{a}/demo/ps1/link", "homes/{a}/demo",
                  "exchange/demo/inbound/{a}+ps1+2026-12-01 10:00:00.000000 UTC+abc/ps1.ipynb"):
            st = os.lstat(new / p.format(a=person))
            assert (st.st_uid, st.st_gid) == (pw.pw_uid, pw.pw_gid), p
        assert os.readlink(new / "homes" / person / "demo" / "ps1" / "link") == "/etc/shadow"
        assert pw.pw_dir == str(new / "homes" / person)
    finally:
        for name in (person, filler):
            try:
                accounts.remove_account(name, remove_home=False)
            except Exception:  # noqa: BLE001 — already gone
                pass
