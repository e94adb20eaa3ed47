"""Pre-rendered dashboards: the jupytext pages in dashboards/ executed once, saved as static HTML.

Why static HTML for 大厅运行, 12345月度通报 and 培训与能力 (and Voila with preheated kernels only for the
what-if): their figures change only when the city is rebuilt or the training data changes, so
running a kernel on every visit (Voila's default: start a kernel, import pandas, execute every
cell — seconds) buys nothing. Each page is executed here when its data changes (nbclient, the
same notebook Voila would run), its outputs kept without code (nbconvert, ``exclude_input``), and
the result is served by the dashboards service as a file: no kernel at all, nothing a leader can
send code to. Interaction (month, county → hall → item drill-down, hover, PNG export) runs in the
browser on the aggregates embedded in the page (plotly.js, served once and cached).

Training pages are rendered once per scope (全市 and each county a leader holds), so a county leader's
page holds the names of their county only.

Helpers for the pages themselves (reading the read model, the page shell) live here too.
"""
from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path
from typing import Callable

from runtime.paths import CHECKOUT, Paths

SOURCES = CHECKOUT / "dashboards"
CITY_PAGES = ("大厅运行", "12345月度通报")
TRAINING_PAGE = "培训与能力"
WHATIF_PAGE = "一把手进大厅"
PAGES = (*CITY_PAGES, TRAINING_PAGE, WHATIF_PAGE)
ASSET_URL = "assets/plotly.min.js"  # relative to the service prefix (hubext.dashboards)

CSS = """
:root{--ink:#1b1b1b;--mute:#5f6368;--line:#d0d4d9;--accent:#1f4e79;--bg:#ffffff}
body{font-family:"WenQuanYi Micro Hei","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:var(--ink);
 background:var(--bg);margin:0;padding:12px;font-size:16px;line-height:1.5}
main{max-width:1280px;margin:0 auto}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;border-left:6px solid var(--accent);padding-left:8px;margin-top:1.2em}
.badge{display:inline-block;border:2px dashed #000;padding:0 6px;font-weight:bold;margin-right:6px}
.run{color:var(--mute);font-size:.85em;overflow-wrap:anywhere}
.controls{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
.controls label{display:flex;flex-direction:column;font-size:.85em;color:var(--mute)}
select,button{font-size:1em;padding:6px 8px;min-height:40px;max-width:100%}
.kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:8px}
.kpi{border:1px solid var(--line);border-radius:6px;padding:8px}
.kpi .v{font-size:1.6em;font-weight:bold}.kpi .k{color:var(--mute);font-size:.85em}
.kpi .d{font-size:.85em}.up::before{content:"▲ "}.down::before{content:"▼ "}
.chart{width:100%;min-height:320px}
table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{border:1px solid var(--line);padding:4px 6px;text-align:right}th{background:#f1f3f4}
td:first-child,th:first-child{text-align:left}
.scroll{overflow-x:auto}
tr.pick{cursor:pointer}tr.pick:hover{background:#eef3f8}
.note{color:var(--mute);font-size:.85em}
@media (max-width:480px){body{font-size:15px;padding:6px}.kpi .v{font-size:1.3em}.chart{min-height:260px}}
@media (min-width:1600px){body{font-size:20px}}
@media print{.controls{display:none}}
"""


def page_shell(title: str, body: str, *, plotly: bool = True) -> str:
    """The HTML around a page's outputs: viewport for phones, one stylesheet, plotly.js once."""
    script = f'<script src="{ASSET_URL}"></script>' if plotly else ""
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{title}（合成数据）</title><style>{CSS}</style>{script}</head>'
            f'<body><main>{body}</main></body></html>')


# -- for the pages --------------------------------------------------------------------------------
def read_model(paths: Paths | None = None) -> sqlite3.Connection:
    """The read model, read-only (what a page may open)."""
    from academy.readmodel import db_path
    from runtime.settings import current

    path = db_path(paths or current().paths)
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def meta(con: sqlite3.Connection) -> dict[str, str]:
    try:
        return dict(con.execute("SELECT key, value FROM meta"))
    except sqlite3.Error:
        return {}


def header(title: str, run_label: str) -> str:
    return (f'<h1>{title}</h1><p><span class="badge" id="synthetic-badge">合成数据</span>'
            f'<span class="run" id="run-label">{run_label}</span></p>')


def to_json(obj) -> str:
    """JSON for a <script> block (no `</` that could end it), masked once more."""
    from academy.readmodel import mask_text

    return mask_text(json.dumps(_rounded(obj), ensure_ascii=False, default=_plain)).replace("</", "<\\/")


def _plain(v):
    try:
        return _rounded(v.item())
    except AttributeError:
        return str(v)


def _rounded(v):
    """Floats to 6 decimals (and NaN to null): shorter pages, and no long digit runs in them."""
    if isinstance(v, float):
        return None if v != v else round(v, 6)
    if isinstance(v, dict):
        return {k: _rounded(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_rounded(x) for x in v]
    return v


# -- rendering ----------------------------------------------------------------------------------
def execute_page(name: str, params: dict[str, str], paths: Paths) -> str:
    """Run dashboards/<name>.py in a fresh kernel with ``params`` and return its HTML outputs."""
    import jupytext
    import nbformat
    from nbclient import NotebookClient

    nb = jupytext.read(SOURCES / f"{name}.py")
    cell = nbformat.v4.new_code_cell("\n".join(f"{k} = {v!r}" for k, v in params.items()))
    nb.cells.insert(0, cell)
    env_root = os.environ.get("ACADEMY_ROOT")
    os.environ["ACADEMY_ROOT"] = str(paths.root)
    try:
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(SOURCES)}}).execute()
    finally:
        if env_root is None:
            os.environ.pop("ACADEMY_ROOT", None)
        else:
            os.environ["ACADEMY_ROOT"] = env_root
    parts = []
    for c in nb.cells:
        if c.cell_type == "markdown" and c.source.strip():
            import markdown_it

            parts.append(markdown_it.MarkdownIt("commonmark").render(c.source))
        for out in c.get("outputs", []):
            data = out.get("data", {})
            if "text/html" in data:
                parts.append(data["text/html"])
            elif out.get("output_type") == "error":
                raise RuntimeError(f"{name}: {out.get('ename')}: {out.get('evalue')}")
    return "\n".join(parts)


def _write_page(paths: Paths, filename: str, title: str, body: str) -> Path:
    from academy.readmodel import data_dir, mask_text, prepare_dir

    out = data_dir(paths) / "pages" / filename
    tmp = out.with_suffix(".tmp")
    tmp.write_text(mask_text(page_shell(title, body)), encoding="utf-8")
    tmp.replace(out)
    prepare_dir(paths)
    return out


def render_city_pages(paths: Paths, log: Callable[[str], None] = print) -> None:
    for name in CITY_PAGES:
        t0 = time.monotonic()
        _write_page(paths, f"{name}.html", name, execute_page(name, {}, paths))
        log(f"  page {name} rendered [{time.monotonic() - t0:.1f} s]")


def training_scopes(paths: Paths) -> list[str]:
    from academy.readmodel import CITY_SCOPE

    try:
        with read_model(paths) as con:
            scopes = {s for (s,) in con.execute("SELECT DISTINCT scope FROM leaders")}
    except sqlite3.Error:
        scopes = set()
    return [CITY_SCOPE, *sorted(scopes - {CITY_SCOPE})]


def render_training_pages(paths: Paths, log: Callable[[str], None] = print) -> None:
    from academy.readmodel import data_dir

    keep = set()
    for scope in training_scopes(paths):
        t0 = time.monotonic()
        filename = f"{TRAINING_PAGE}-{scope}.html"
        _write_page(paths, filename, TRAINING_PAGE, execute_page(TRAINING_PAGE, {"DASH_SCOPE": scope}, paths))
        keep.add(filename)
        log(f"  page {TRAINING_PAGE} ({scope}) rendered [{time.monotonic() - t0:.1f} s]")
    for old in (data_dir(paths) / "pages").glob(f"{TRAINING_PAGE}-*.html"):
        if old.name not in keep:
            old.unlink()


def refresh(paths: Paths, *, force: bool = False, log: Callable[[str], None] = print) -> bool:
    """The training part of the read model and, when it changed, the training pages."""
    from academy.readmodel import refresh_training

    if not refresh_training(paths, force=force):
        return False
    render_training_pages(paths, log=log)
    return True


def main(argv: list[str] | None = None) -> int:
    """`python -m academy.dashpages [--every S]`: keep the training part fresh (the hub runs it as the
    dashboards-data service, as the hub's account: it reads the academy database)."""
    import argparse

    from runtime.settings import current

    ap = argparse.ArgumentParser(prog="python -m academy.dashpages")
    ap.add_argument("--every", type=float, default=0, help="repeat every S seconds (0: once)")
    args = ap.parse_args(argv)
    paths = current().paths
    try:  # from the first line on: a SIGINT may arrive as soon as it is out (the hub's stop)
        if args.every > 0:
            print(f"dashboards-data: refreshing the training pages every {args.every:g} s", flush=True)
        while True:
            try:
                refresh(paths, log=lambda s: print(s, flush=True))
            except Exception as exc:  # keep serving the last good pages; say why in the log
                print(f"dashboards refresh failed: {exc!r}", flush=True)
            if args.every <= 0:
                return 0
            time.sleep(args.every)
    except KeyboardInterrupt:  # the hub stops its services with SIGINT: a normal end, not a crash
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
