"""Roster import without a running hub: validation, idempotence, disabling (hub DB path)."""
from __future__ import annotations

import os
import stat

import pytest

from academy import db as adb
from academy.roster import import_roster, parse
from runtime.paths import Paths
from runtime.people import people
from runtime.settings import Settings

HEADER = "account,姓名,单位,县区,role,courses,cohort,active\n"
GOOD = HEADER + """\
li_na,李娜（合成）,市政务服务中心综合受理科,乐都区,trainee,demo,2026年第一期,1
wang_wei,王伟（合成）,平安区政务服务中心综合窗口,平安区,学员,demo|demo2,2026年第一期,1
zhao_lei,赵磊（合成）,市人社局驻厅窗口,乐都区,trainer,demo;demo2,,1
chen_jing,陈静（合成）,市政务服务监督管理局,乐都区,领导,,,1
"""


@pytest.fixture
def paths(tmp_path):
    p = Settings.single_account(tmp_path / "root").paths
    for d in (p.hub_dir, p.data_dir):
        d.mkdir(parents=True)
    adb.register_course(p.academy_db_url, "demo", "演示课程", "", None)
    adb.register_course(p.academy_db_url, "demo2", "演示课程二", "", None)
    return p


def hub_state(p: Paths) -> dict:
    import nativeauthenticator.orm  # noqa: F401
    from jupyterhub import orm
    from nativeauthenticator.orm import UserInfo

    db = orm.new_session_factory(p.hub_db_url)()
    try:
        return {
            u.name: {
                "groups": sorted(g.name for g in u.groups),
                "tokens": len(u.api_tokens),
                "authorized": db.query(UserInfo).filter_by(username=u.name).one().is_authorized,
                "hash": db.query(UserInfo).filter_by(username=u.name).one().password,
                "cookie_id": u.cookie_id,
            }
            for u in db.query(orm.User)
        }
    finally:
        db.close()


def test_bad_rows_are_refused_with_line_and_reason_and_good_rows_load(paths):
    text = GOOD + """\
Bad Name,某某,单位,乐都区,trainee,demo,,1
root,某某,单位,乐都区,trainee,demo,,1
li_na,李娜重复,单位,乐都区,trainee,demo,,1
sun_li,孙丽,单位,乐都区,boss,demo,,1
zhou_xu,周旭,单位,乐都区,trainee,nosuchcourse,,1
he_ping,,单位,乐都区,trainee,demo,,1
ma_lin,马林,单位,乐都区,trainee,demo,,maybe
too_few,columns
grader-demo,评分,单位,乐都区,trainee,demo,,1
"""
    rows, errors = parse(text, {"demo", "demo2"})
    assert [r.account for r in rows] == ["li_na", "wang_wei", "zhao_lei", "chen_jing"]
    by_line = {e.line: e for e in errors}
    assert sorted(by_line) == list(range(6, 15))
    assert "小写" in by_line[6].reason
    assert "root" in str(by_line[7])
    assert "第 2 行" in by_line[8].reason  # duplicate of line 2
    assert "角色" in by_line[9].reason
    assert "nosuchcourse" in by_line[10].reason
    assert "姓名" in by_line[11].reason
    assert "active" in by_line[12].reason
    assert "列数" in by_line[13].reason
    assert str(by_line[14]).startswith("第 14 行")
    # Good rows still load.
    report = import_roster(text, paths)
    assert sorted(report.created) == ["chen_jing", "li_na", "wang_wei", "zhao_lei"]
    assert len(report.errors) == 9
    assert {p.account for p in people(paths.academy_db_url)} == set(report.created)


def test_header_must_have_every_column(paths):
    rows, errors = parse("account,姓名,role\nli_na,李娜,trainee\n")
    assert not rows and errors[0].line == 1 and "单位" in errors[0].reason


def test_import_is_idempotent(paths):
    first = import_roster(GOOD, paths)
    assert len(first.created) == 4 and len(first.new_passwords) == 4
    pw_file = paths.data_dir / "initial-passwords.txt"
    assert stat.S_IMODE(os.stat(pw_file).st_mode) == 0o600
    state1 = hub_state(paths)
    people1 = people(paths.academy_db_url)
    second = import_roster(GOOD, paths)
    assert second.created == [] and second.updated == [] and len(second.unchanged) == 4
    assert second.new_passwords == {}
    assert hub_state(paths) == state1  # same groups, same password hashes
    assert people(paths.academy_db_url) == people1
    assert state1["wang_wei"]["groups"] == ["course-demo", "course-demo2", "trainees"]
    assert state1["zhao_lei"]["groups"] == ["formgrade-demo", "formgrade-demo2", "trainers"]
    assert state1["chen_jing"]["groups"] == ["leaders"]
    # Passwords exist only as bcrypt hashes in the hub DB, clear text only in the 0600 file.
    for account, password in first.new_passwords.items():
        assert state1[account]["hash"].startswith(b"$2")
        assert password.encode() not in state1[account]["hash"]
        assert password in pw_file.read_text()
    assert len(set(first.new_passwords.values())) == 4  # never a shared password


def test_update_moves_groups(paths):
    import_roster(GOOD, paths)
    changed = GOOD.replace("zhao_lei,赵磊（合成）,市人社局驻厅窗口,乐都区,trainer,demo;demo2,,1",
                           "zhao_lei,赵磊（合成）,市人社局驻厅窗口,乐都区,trainer,demo2,,1")
    report = import_roster(changed, paths)
    assert report.updated == ["zhao_lei"]
    assert hub_state(paths)["zhao_lei"]["groups"] == ["formgrade-demo2", "trainers"]
    assert people(paths.academy_db_url, course="demo", role="trainer") == []


def test_disabling_keeps_everything_but_access(paths):
    import_roster(GOOD, paths)
    # Give li_na a token and a home with work in it.
    from jupyterhub import orm

    db = orm.new_session_factory(paths.hub_db_url)()
    if db.query(orm.OAuthClient).filter_by(identifier="jupyterhub").first() is None:
        db.add(orm.OAuthClient(identifier="jupyterhub"))  # the hub makes it at start-up
        db.commit()
    user = orm.User.find(db, "li_na")
    user.new_api_token(note="test")
    cookie_before = user.cookie_id
    db.commit()
    db.close()
    home = paths.home("li_na")
    home.mkdir(parents=True)
    (home / "作业.ipynb").write_text("{}")

    report = import_roster(GOOD.replace("trainee,demo,2026年第一期,1\nwang", "trainee,demo,2026年第一期,0\nwang"), paths)
    assert report.disabled == ["li_na"]
    state = hub_state(paths)["li_na"]
    assert state["authorized"] is False
    assert state["groups"] == ["disabled"]
    assert state["tokens"] == 0
    assert state["cookie_id"] != cookie_before  # old login cookies no longer match
    person = {p.account: p for p in people(paths.academy_db_url)}["li_na"]
    assert person.active is False and person.courses == ("demo",)  # enrolment kept
    assert (home / "作业.ipynb").exists()  # nothing deleted
    # Re-enabling gives the groups back.
    import_roster(GOOD, paths)
    state = hub_state(paths)["li_na"]
    assert state["authorized"] is True and state["groups"] == ["course-demo", "trainees"]


def test_demo_roster_is_synthetic_and_complete():
    from academy import demo

    text = demo.generate()
    rows, errors = parse(text, {"demo", "guides", "walkthrough", "hotline", "ratings", "bulletin"})
    assert not errors
    roles = [r.role for r in rows]
    assert roles.count("trainee") >= 30 and roles.count("trainer") == 2
    assert roles.count("leader") == 2 and roles.count("admin") == 1
    assert {r.county for r in rows if r.role != "leader"} <= set(demo.COUNTIES)
    # A city-level leader's 县区 is 海东市 (the dashboards' scope: the whole city), the others' a county.
    assert {r.county for r in rows if r.role == "leader"} <= set(demo.COUNTIES) | {"海东市"}
    assert demo.generate() == text  # same seed, same roster
    assert demo.DEMO_ROSTER.read_text(encoding="utf-8") == text  # the committed file is current
    assert "合成数据" in demo.DEMO_ROSTER.name
