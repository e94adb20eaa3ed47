"""Each trainee's own progress page, written into their home as ``学习进度.html``.

Read-only for them (owned by root, mode 0644, inside their private 0700 home, so nobody else
can reach it); regenerated after every grading run. It shows their assignments (submitted,
score, late, reasons), competence levels per dimension, 学时 earned and certificates.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

from runtime.settings import Settings

from . import paths, store
from .autograde import REASONS_ZH
from .course import COMPETENCES
from .homefile import write_into_home

PAGE_NAME = "学习进度.html"

CSS = """body{font-family:"WenQuanYi Micro Hei","Noto Sans CJK SC",sans-serif;margin:2em;color:#222;max-width:60em}
h1{color:#8c1c1c}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.35em .7em}
th{background:#f4eeee}.note{color:#666;font-size:.9em}.lv-未达标{color:#b00}.lv-优秀{color:#070;font-weight:bold}"""


def render_page(account: str, person, results, profile: dict, certs) -> str:
    e = html.escape
    name = getattr(person, "name", "") or account
    rows = []
    for r in results:
        reasons = "；".join(REASONS_ZH.get(x.split(":", 1)[0], x) for x in json.loads(r.reasons or "[]"))
        pending = "（含待培训师评分的题目）" if r.needs_manual_grade else ""
        rows.append(f"<tr><td>{e(r.course)}</td><td>{e(r.assignment)}</td><td>{r.score:g} / {r.max_score:g}{pending}</td>"
                    f"<td>{'是' if r.late else '否'}</td><td>{e(reasons) or '—'}</td></tr>")
    comp = []
    for dim in COMPETENCES:
        v = profile.get(dim)
        if not v or v["share"] is None:
            comp.append(f"<tr><td>{e(dim)}</td><td>—</td><td>尚无成绩</td></tr>")
        else:
            comp.append(f"<tr><td>{e(dim)}</td><td>{v['share']:.0%}</td><td class='lv-{e(v['level'])}'>{e(v['level'])}</td></tr>")
    hours = sum(c.hours for c in certs if not c.revoked)
    cert_rows = "".join(f"<tr><td>{e(c.course_title)}</td><td>{c.hours:g}</td><td>{e(c.level)}</td><td>{e(c.number)}</td>"
                        f"<td>{e(c.issued_on)}</td></tr>" for c in certs) or "<tr><td colspan=5>暂无</td></tr>"
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>学习进度 — {e(name)}</title>
<style>{CSS}</style></head><body>
<h1>{e(name)} 的学习进度</h1>
<p class="note">本页由评分系统自动生成，每次评分后更新，仅本人可见。演示环境：页面中的数据为合成数据。</p>
<h2>作业与成绩</h2>
<table><tr><th>课程</th><th>作业</th><th>得分</th><th>逾期</th><th>评分说明</th></tr>{''.join(rows) or '<tr><td colspan=5>暂无已评分的作业</td></tr>'}</table>
<h2>能力画像</h2>
<table><tr><th>能力维度</th><th>得分率</th><th>等级</th></tr>{''.join(comp)}</table>
<h2>学时与结业证明</h2>
<p>已获学时：<b>{hours:g}</b></p>
<table><tr><th>课程</th><th>学时</th><th>等级</th><th>证书编号</th><th>发证日期</th></tr>{cert_rows}</table>
</body></html>"""


def write_pages(accounts, db_url: str | None = None, settings: Settings | None = None) -> list[Path]:
    from .profile import profiles

    db_url = db_url or paths.academy_db_url(settings)
    people = store.people_index(db_url)
    profs = profiles(db_url)
    written = []
    for account in sorted(set(accounts)):
        home = paths.homes_dir(settings) / account
        if not home.is_dir():
            continue  # the roster/isolation part creates homes; no home, no page
        page = render_page(account, people.get(account), store.results(db_url, account=account),
                           profs.get(account, {}), store.certificates(db_url, account=account))
        # never through a name the trainee controls (grading.homefile: directory fd, no-follow)
        written.append(write_into_home(home, PAGE_NAME, page.encode("utf-8")))
    return written
