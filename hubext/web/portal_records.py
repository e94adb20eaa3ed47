"""结业证明 and the training record (培训记录) for the person's file, from the portal.

The certificate is grading's (grading.api.certificate decides whether it is earned and registers
it; grading.certificate renders the PDF); the record lists the person's courses, 学时 earned and
scores as CSV (UTF-8 with BOM, for Excel) or PDF, both marked 合成数据.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
import urllib.parse
from pathlib import Path

from tornado import web

from grading import store
from hubext.web import portal_data as data
from hubext.web.app import register
from hubext.web.portal import PortalPage

SYNTHETIC = "合成数据（演示环境，不含真实人员信息）"


def _download(handler: web.RequestHandler, body: bytes, name: str, mime: str) -> None:
    handler.set_header("Content-Type", mime)
    handler.set_header("Content-Disposition", f"attachment; filename*=UTF-8''{urllib.parse.quote(name)}")
    handler.finish(body)


class Certificate(PortalPage):
    @web.authenticated
    def get(self, course: str) -> None:
        """Download an issued certificate (rendered again from its register row)."""
        from grading.certificate import render

        c, _ = self.mine(course)
        rows = [x for x in store.certificates(data.paths().academy_db_url, account=self.account)
                if x.course == course and not x.revoked]
        if not rows:
            raise web.HTTPError(404)
        cert = rows[0]
        with tempfile.TemporaryDirectory() as tmp:
            pdf = render(Path(tmp) / "c.pdf", name=cert.name, unit=cert.unit, course_title=cert.course_title,
                         hours=cert.hours, level=cert.level, issued=dt.date.fromisoformat(cert.issued_on),
                         number=cert.number)
            body = pdf.read_bytes()
        _download(self, body, f"结业证明-{c.title}.pdf", "application/pdf")

    @web.authenticated
    def post(self, course: str) -> None:
        """申请结业证明: grading checks the pass rules and issues it, or says what is missing."""
        from grading import api as grading_api

        self.mine(course)
        result = grading_api.certificate(course, self.account)
        if result.get("issued"):
            self.redirect(self.prefix + "portal?msg=certified")
            return
        self.render_page("portal/not_yet.html", title="暂不能发放结业证明", problems=result.get("problems", []))


def record_rows(account: str, courses: list[data.Course]) -> list[list[str]]:
    rows = []
    for c in courses:
        earned = c.hours if c.certificate else 0
        graded = [a for a in c.assignments if a.graded]
        score = sum(a.score for a in graded)
        maximum = sum(a.max_score for a in graded)
        rows.append([c.title, f"{c.hours:g}", f"{earned:g}", f"{score:g} / {maximum:g}" if graded else "—",
                     f"{len(graded)} / {len(c.assignments)}", "已结业" if c.certificate else "学习中",
                     c.certificate or "—"])
    return rows


RECORD_HEADER = ["课程", "课程学时", "已获学时", "成绩", "已评分作业", "状态", "结业证明编号"]


class RecordCsv(PortalPage):
    @web.authenticated
    def get(self) -> None:
        out = io.StringIO()
        w = csv.writer(out)
        w.writerow(["数据说明", SYNTHETIC])
        w.writerow(["账号", self.account, "导出时间", data.local_time(dt.datetime.now(data.CST))])
        w.writerow(RECORD_HEADER)
        w.writerows(record_rows(self.account, self.courses()))
        _download(self, ("\ufeff" + out.getvalue()).encode("utf-8"), f"培训记录-{self.account}-合成数据.csv",
                  "text/csv; charset=utf-8")


class RecordPdf(PortalPage):
    @web.authenticated
    def get(self) -> None:
        _download(self, record_pdf(self.account, self.courses()), f"培训记录-{self.account}-合成数据.pdf",
                  "application/pdf")


def record_pdf(account: str, courses: list[data.Course]) -> bytes:
    from fpdf import FPDF

    from grading.certificate import font_path

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.add_page()
    pdf.add_font("cjk", fname=str(font_path()), collection_font_number=0)
    pdf.set_font("cjk", size=18)
    pdf.cell(0, 12, "海东政务服务效能学院 · 培训记录", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    pdf.cell(0, 8, f"账号：{account}    导出时间：{data.local_time(dt.datetime.now(data.CST))}    {SYNTHETIC}",
             new_x="LMARGIN", new_y="NEXT")
    from fpdf.fonts import FontFace

    # headings in the same face (the CJK font has no bold face to embed)
    with pdf.table(col_widths=(70, 20, 20, 30, 25, 20, 60), headings_style=FontFace(emphasis="")) as table:
        for row in [RECORD_HEADER, *record_rows(account, courses)]:
            table.row(row)
    return bytes(pdf.output())


register(r"portal/certificate/([A-Za-z0-9_-]+)", Certificate)
register("portal/record.csv", RecordCsv)
register("portal/record.pdf", RecordPdf)
