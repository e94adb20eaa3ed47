"""Small HTML building blocks every course display uses: the 合成数据 badge, masked identity cards,
notes and tables. All identifiers shown to trainees go through ``sandbox.ids.mask_*``."""
from __future__ import annotations

import html
from typing import Any, Iterable, Mapping

import ipywidgets as W

from sandbox.ids import SYNTHETIC_MARK, mask_address, mask_id, mask_name, mask_phone, mask_uscc

BADGE_STYLE = ("display:inline-block;padding:1px 8px;margin:0 6px;border-radius:10px;"
               "background:#fff3cd;color:#8a5a00;border:1px solid #e0b84c;font-size:12px;")


def esc(text: Any) -> str:
    return html.escape(str(text))


def badge_html() -> str:
    return f'<span class="academy-synthetic" style="{BADGE_STYLE}">{SYNTHETIC_MARK}</span>'


def badge() -> W.HTML:
    """The 合成数据 badge as a widget."""
    return W.HTML(badge_html())


def panel(title: str, body_html: str, *, colour: str = "#2b6cb0") -> W.HTML:
    """A titled box with the synthetic-data badge; every course display is one of these."""
    return W.HTML(
        f'<div style="border:1px solid {colour};border-radius:6px;padding:8px 12px;margin:4px 0;">'
        f'<div style="font-weight:bold;color:{colour};margin-bottom:4px;">{esc(title)}{badge_html()}</div>'
        f"{body_html}</div>")


def table_html(rows: Iterable[Iterable[Any]], header: Iterable[Any] | None = None) -> str:
    cell = 'style="border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top;"'
    out = ['<table style="border-collapse:collapse;margin:4px 0;">']
    if header is not None:
        out.append("<tr>" + "".join(f"<th {cell}>{esc(h)}</th>" for h in header) + "</tr>")
    for row in rows:
        out.append("<tr>" + "".join(f"<td {cell}>{esc(v)}</td>" for v in row) + "</tr>")
    out.append("</table>")
    return "".join(out)


def note(text: str, kind: str = "info") -> W.HTML:
    colours = {"info": ("#ebf8ff", "#2b6cb0"), "ok": ("#f0fff4", "#2f855a"),
               "warn": ("#fffaf0", "#c05621"), "error": ("#fff5f5", "#c53030")}
    bg, fg = colours.get(kind, colours["info"])
    return W.HTML(f'<div style="background:{bg};color:{fg};padding:6px 10px;border-radius:4px;'
                  f'margin:4px 0;">{text}</div>')


def masked_person(person: Any) -> dict[str, str]:
    """Masked display fields of a sandbox Citizen (or any object with the same attributes)."""
    get = lambda name, default="": getattr(person, name, default)  # noqa: E731
    fields = {
        "姓名": mask_name(get("name")),
        "身份证号": mask_id(get("id_number")),
        "性别": get("gender"),
        "年龄": get("age"),
        "县区": get("county"),
        "民族": get("ethnicity"),
        "常用语言": get("language") + ("" if get("speaks_mandarin", True) else "（不会说普通话）"),
        "手机": mask_phone(get("mobile")),
        "住址": mask_address(get("address")),
    }
    elsewhere = get("works_elsewhere", None)
    if elsewhere:
        fields["务工地"] = elsewhere
    return {k: str(v) for k, v in fields.items() if v not in ("", None)}


def masked_firm(firm: Any) -> dict[str, str]:
    return {"名称": firm.name, "统一社会信用代码": mask_uscc(firm.uscc), "类型": firm.kind,
            "行业": firm.industry, "县区": firm.county, "地址": mask_address(firm.address)}


def card(title: str, fields: Mapping[str, Any]) -> W.HTML:
    """A masked identity card (call masked_person/masked_firm first)."""
    return panel(title, table_html(fields.items()))
