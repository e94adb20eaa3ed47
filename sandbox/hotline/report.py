"""The bulletin's files (the edge: the only module of the hotline that writes to disk).

``write(data, out_dir)`` → bulletin.html (charts inlined) and bulletin.json; ``data`` is
:func:`sandbox.hotline.bulletin.build`'s result.
"""
from __future__ import annotations

import json
from pathlib import Path

from .bulletin import render_html

__all__ = ["write"]


def write(data: dict, out_dir: str | Path) -> tuple[Path, Path]:
    """Write bulletin.json and bulletin.html into ``out_dir`` (created); returns (html, json) paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    j = out / "bulletin.json"
    h = out / "bulletin.html"
    j.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    h.write_text(render_html(data), encoding="utf-8")
    return h, j
