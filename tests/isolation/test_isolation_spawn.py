"""What root does on a person's behalf at spawn must not be turned against others.

The spawner copies lessons into the home as root before the server starts. A trainee controls
their home: a symlink planted there (``~/<course> -> somewhere``) must not make root write into,
or hand over, a directory the trainee could not touch themselves.
"""
from __future__ import annotations

import os
import pwd
import re

import pytest

from tests.hubfixture import new_name

pytestmark = [pytest.mark.root, pytest.mark.hub, pytest.mark.timeout(240)]


def test_hub_uses_the_academy_spawner_with_limits(iso_env):
    log = iso_env.hub.log.read_text(errors="replace")
    m = re.search(r"Using Spawner: (\S+)", log)
    assert m and "AcademySpawner" in m.group(1), m and m.group(1)


def test_planted_symlink_in_home_is_not_followed_by_root(iso_env):
    env, paths, hub = iso_env, iso_env.paths, iso_env.hub
    victim_home = paths.home(env.b)
    name = new_name("s")
    hub.add_user(name)
    group = f"course-{env.course_id}"
    r = hub.api("POST", f"/groups/{group}")
    assert r.status_code in (201, 409), r.text
    r = hub.api("POST", f"/groups/{group}/users", json={"users": [name]})
    assert r.status_code == 200, r.text
    pw = pwd.getpwnam(name)
    home = paths.home(name)
    targets = {"data": paths.data_dir, "victim": victim_home}
    before = {k: (v.stat().st_uid, v.stat().st_mode, sorted(os.listdir(v))) for k, v in targets.items()}
    # what the trainee would do in a terminal: ln -s /srv/academy/data ~/<course>
    link = home / env.course_id
    os.symlink(paths.data_dir, link)
    os.lchown(link, pw.pw_uid, pw.pw_gid)
    hub.start_server(name)  # the server still starts (the copy fails quietly, as the trainee)
    after = {k: (v.stat().st_uid, v.stat().st_mode, sorted(os.listdir(v))) for k, v in targets.items()}
    assert after == before, f"root followed the trainee's symlink: {before} -> {after}"
    hub.stop_server(name)
    # without the trap, the lessons arrive, owned by the trainee
    link.unlink()
    hub.start_server(name)
    lesson = home / env.course_id / "01-intro.ipynb"
    assert lesson.is_file() and not lesson.is_symlink()
    assert lesson.stat().st_uid == pw.pw_uid and (home / env.course_id).stat().st_uid == pw.pw_uid
    hub.stop_server(name)
