"""One person at a time, for the admins' roster page (hubext.web.staff_roster): disable, re-enable,
enrol, reset a password, export training records, delete personal data.

Every change of a person's record goes through the roster import itself (`academy.roster`): the
page builds a one-row roster from the stored record with the change applied, so the checks and
the side effects (hub groups, login record, stopped server, revoked tokens, gradebook students)
are exactly those of ``python -m academy roster import``. The `hub` argument is the hub's side
(`academy.hubsync.ApiHub` with the academy service's own token when called from the pages).
"""
from __future__ import annotations

import csv
import io
import logging
import shutil
from dataclasses import replace
from typing import Iterable

from sqlalchemy import delete, select

from academy import db as adb
from academy import hubsync
from academy.roster import COLUMNS, ImportReport, import_roster
from academy.rosterrows import new_password
from runtime.db import session
from runtime.paths import Paths
from runtime.people import Enrolment, Person, PersonRecord, people

log = logging.getLogger("academy.audit")

SYNTHETIC_NOTE = "合成数据（演示环境，不含真实人员信息）"


class NoSuchPerson(KeyError):
    """The account is not on the roster."""


def find(paths: Paths, account: str) -> PersonRecord:
    for p in people(paths.academy_db_url):
        if p.account == account:
            return p
    raise NoSuchPerson(account)


def roster_text(records: Iterable[PersonRecord]) -> str:
    """Records as a roster CSV (the import's own format, so it runs the import's checks)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    for p in records:
        w.writerow([p.account, p.name, p.unit, p.county, p.role, ";".join(p.courses), p.cohort,
                    "1" if p.active else "0"])
    return out.getvalue()


def change(paths: Paths, account: str, hub: hubsync.Hub, **changes) -> ImportReport:
    """Apply ``changes`` (active=…, courses=…, cohort=…) to one person through the roster import."""
    record = replace(find(paths, account), **changes)
    return import_roster(roster_text([record]), paths, hub=hub)


def reset_password(paths: Paths, account: str) -> str:
    """A new random password for an active person (NativeAuthenticator's bcrypt row, as the
    `set-password` verb does); returned once, never stored in clear."""
    if not find(paths, account).active:
        raise ValueError("已停用的人员不能重置密码，请先恢复启用")
    password = new_password()
    try:
        hubsync.set_password(paths.hub_db_url, account, password)
    except KeyError:
        raise ValueError("该人员还没有登录账号，请先通过名册导入创建") from None
    return password


def records(paths: Paths, by: str, value: str) -> list[dict]:
    """Training records of the people of one 单位 (by="unit") or 县区 (by="county"): per person and
    course the assignments' scores, 学时 and certificate (from grading's tables)."""
    from grading import store  # grading's tables; imported here: the page imports this module early

    chosen = [p for p in people(paths.academy_db_url) if getattr(p, by) == value]
    rows = []
    for p in chosen:
        results = store.results(paths.academy_db_url, account=p.account)
        certs = {c.course: c for c in store.certificates(paths.academy_db_url, account=p.account)}
        for course in sorted(set(p.courses) | {r.course for r in results} | set(certs)):
            mine = [r for r in results if r.course == course]
            cert = certs.get(course)
            rows.append({
                "person": p, "course": course, "assignments": len(mine),
                "score": sum(r.score for r in mine), "max_score": sum(r.max_score for r in mine),
                "pending": any(r.needs_manual_grade for r in mine),
                "hours": cert.hours if cert and not cert.revoked else 0.0,
                "certificate": cert.number if cert and not cert.revoked else "",
                "level": cert.level if cert and not cert.revoked else "",
            })
    return rows


def records_csv(paths: Paths, by: str, value: str) -> bytes:
    """The export for the organisation department: UTF-8 with BOM (Excel), 合成数据 in row one."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["数据说明", SYNTHETIC_NOTE])
    w.writerow(["范围", ("单位：" if by == "unit" else "县区：") + value])
    w.writerow(["账号", "姓名", "单位", "县区", "批次", "课程", "已评作业数", "得分", "满分", "待人工评分",
                "已获学时", "等级", "结业证明编号"])
    for r in records(paths, by, value):
        p = r["person"]
        w.writerow([p.account, p.name, p.unit, p.county, p.cohort, r["course"], r["assignments"],
                    f"{r['score']:g}", f"{r['max_score']:g}", "是" if r["pending"] else "否",
                    f"{r['hours']:g}", r["level"], r["certificate"]])
    return out.getvalue().encode("utf-8-sig")


def forget(paths: Paths, account: str, hub: hubsync.Hub) -> dict:
    """Delete a person's personal data when they leave (docs/privacy.md); only a disabled person.

    Goes: hub account and login record, roster row and enrolments, results, competence and rubric
    rows, their gradebook student with submissions and feedback, their exchange inbox entries and
    home. A certificate keeps its number, course and 学时 (a paper copy can still be verified) but
    loses name and 单位. The audit log keeps only "forget <account> by <admin>"."""
    person = find(paths, account)
    if person.active:
        raise ValueError("请先停用该人员，再删除其个人数据")
    hub.disable(account)
    _delete_hub_account(paths, account, hub)
    from grading import api as grading_api  # nbgrader: slow import, only here

    courses = {c.id for c in adb.courses(paths.academy_db_url)}
    for course in sorted(courses):
        try:
            grading_api.forget_student(course, account)
        except Exception as exc:  # a course root gone must not keep the rest
            log.warning("forget %s: gradebook of %s: %s", account, course, exc)
        for entry in (paths.exchange / course / "inbound").glob(f"{account}+*"):
            shutil.rmtree(entry, ignore_errors=True)
    counts = _delete_academy_rows(paths, account)
    shutil.rmtree(paths.home(account), ignore_errors=True)
    return counts


def _delete_hub_account(paths: Paths, account: str, hub: hubsync.Hub) -> None:
    from nativeauthenticator.orm import UserInfo

    if isinstance(hub, hubsync.ApiHub):
        hub._call("DELETE", f"/users/{account}", ok=(204, 404))
    db = hubsync._session_factory(paths.hub_db_url)()
    try:
        db.query(UserInfo).filter(UserInfo.username == account).delete()
        db.commit()
    finally:
        db.close()


def _delete_academy_rows(paths: Paths, account: str) -> dict:
    from grading import store
    from grading.rubric import RubricMark  # before the session: runtime.db creates tables of imported models

    with session(paths.academy_db_url) as s:
        counts = {
            "results": s.execute(delete(store.GradingResult).where(store.GradingResult.account == account)).rowcount,
            "competence": s.execute(
                delete(store.CompetenceScore).where(store.CompetenceScore.account == account)).rowcount,
        }
        certs = list(s.scalars(select(store.Certificate).where(store.Certificate.account == account)))
        for c in certs:
            c.name, c.unit, c.account = "（已删除）", "", f"deleted-{c.number}"
        counts["certificates_anonymised"] = len(certs)
        counts["rubric_marks"] = s.execute(delete(RubricMark).where(RubricMark.account == account)).rowcount
        s.execute(delete(store.GradingAttempt).where(store.GradingAttempt.account == account))
        s.execute(delete(Enrolment).where(Enrolment.account == account))
        s.execute(delete(Person).where(Person.account == account))
        s.commit()
    return counts
