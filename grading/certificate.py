"""结业证明: a one-page PDF in Chinese with the CJK font embedded (fpdf2), and its register."""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from . import store

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",  # Debian fonts-wqy-microhei (in .ci/run)
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
ACADEMY = "海东政务服务效能学院"


def font_path() -> Path:
    for p in FONT_CANDIDATES:
        if Path(p).exists():
            return Path(p)
    raise RuntimeError("没有找到中文字体：请安装 fonts-wqy-microhei（apt-get install fonts-wqy-microhei）")


def certificate_number(course: str, account: str, issued: dt.date) -> str:
    digest = hashlib.sha256(f"{course}|{account}|{issued.isoformat()}".encode()).hexdigest()[:8].upper()
    return f"HDXY-{issued.year}-{course.upper()}-{digest}"


def render(path: Path, *, name: str, unit: str, course_title: str, hours: float, level: str,
           issued: dt.date, number: str) -> Path:
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    # .ttc is a font collection: fpdf2 embeds (a subset of) face 0 of it.
    pdf.add_font("cjk", fname=str(font_path()), collection_font_number=0)
    pdf.set_draw_color(150, 30, 30)
    pdf.set_line_width(1.2)
    pdf.rect(12, 12, 273, 186)
    pdf.set_line_width(0.4)
    pdf.rect(16, 16, 265, 178)
    pdf.set_text_color(150, 30, 30)
    pdf.set_font("cjk", size=34)
    pdf.set_xy(0, 36)
    pdf.cell(297, 16, "结 业 证 明", align="C")
    pdf.set_text_color(30, 30, 30)
    pdf.set_font("cjk", size=16)
    body = (f"{name}（{unit}）同志：\n"
            f"参加{ACADEMY}“{course_title}”课程学习，完成全部学习任务，考核合格，"
            f"计 {hours:g} 学时，综合评定等级：{level}。\n特发此证。")
    pdf.set_xy(40, 72)
    pdf.multi_cell(217, 11, body, align="L")
    pdf.set_font("cjk", size=14)
    pdf.set_xy(160, 140)
    pdf.cell(100, 9, ACADEMY, align="R")
    pdf.set_xy(160, 150)
    pdf.cell(100, 9, f"{issued.year}年{issued.month}月{issued.day}日", align="R")
    pdf.set_font("cjk", size=10)
    pdf.set_text_color(90, 90, 90)
    pdf.set_xy(30, 176)
    pdf.cell(240, 6, f"证书编号：{number}    （可在学院管理平台核验）    演示环境：合成数据", align="L")
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def issue(standing: dict, person: Any, out_dir: Path, db_url: str, today: dt.date | None = None) -> dict:
    account, course = standing["account"], standing["course"]
    name = getattr(person, "name", None) or account
    unit = getattr(person, "unit", None) or "—"
    valid = select(store.Certificate).where(store.Certificate.account == account, store.Certificate.course == course,
                                            store.Certificate.revoked.is_(False))
    with store.session(db_url) as s:
        existing = s.scalars(valid).first()
        if existing is None:
            issued = today or dt.date.today()
            existing = store.Certificate(
                number=certificate_number(course, account, issued), account=account, course=course, name=name,
                unit=unit, course_title=standing["title"], hours=standing["hours"], level=standing["level"],
                share=standing["share"], issued_on=issued.isoformat())
            s.add(existing)
            try:
                s.commit()
            except IntegrityError:  # another run issued it meanwhile (uq_certificates_valid): use theirs
                s.rollback()
                existing = s.scalars(valid).one()
        cert = existing
    path = Path(out_dir) / f"{course}-{account}-结业证明.pdf"
    render(path, name=cert.name, unit=cert.unit, course_title=cert.course_title, hours=cert.hours,
           level=cert.level, issued=dt.date.fromisoformat(cert.issued_on), number=cert.number)
    return {"issued": True, "number": cert.number, "path": str(path), "level": cert.level,
            "name": cert.name, "unit": cert.unit}


def verify(db_url: str, number: str) -> dict | None:
    with store.session(db_url) as s:
        c = s.get(store.Certificate, number)
        if c is None:
            return None
        return {"number": c.number, "name": c.name, "unit": c.unit, "course": c.course_title,
                "hours": c.hours, "level": c.level, "issued_on": c.issued_on, "valid": not c.revoked}
