"""The leaders' dashboards: standalone Voila behind JupyterHub OAuth, as the `dashboards` hub service.

Why standalone Voila rather than Voila inside a Jupyter server: the standalone app has no Lab, no
terminals, no contents API and no `POST /api/kernels`; it only starts the kernels of the notebooks
it renders, and its kernel websocket passes only comm / kernel-info / shutdown messages, so nobody
can run code of their own. JupyterHub's identity provider (`JupyterHubIdentityProvider`) admits only
holders of `access:services!service=dashboards` (leaders and admins, hub_config/roles.py);
everything outside the routes below answers 403.

Routes (under the service prefix):
    ""                            index of the four dashboards
    page/<name>                   a pre-rendered page from the read model (academy.dashpages); the
                                  training page is the one of the viewer's scope (全市 or a county)
    page/assets/plotly.min.js     the chart library, from the installed plotly package (cached)
    page/download/bulletin/<YYYY-MM>.(html|pdf)   the month's 12345 bulletin files
    voila/render/一把手进大厅.ipynb  the what-if, the only notebook Voila runs (preheated kernels)
    voila/labextensions/...       the widget front end only (EXTENSIONS), content-named files cached
The service reads only the masked read model (<root>/dashboards-data); in root mode it runs as
the unprivileged account `academy-dash` (hub_config/services.py), which cannot open the academy
database or the raw city runs.

    python -m hubext.dashboards DASHBOARDS_DIR     (the hub starts it; env from the hub)
"""
from __future__ import annotations

import os
import re
import sqlite3
import sys
from pathlib import Path
from urllib.parse import unquote

from jupyter_server.base.handlers import FileFindHandler, JupyterHandler
from jupyterhub.utils import url_path_join
from tornado import web
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

WHATIF = "一把手进大厅.ipynb"
STATIC_PAGES = ("大厅运行", "12345月度通报", "培训与能力")
TITLES = {"大厅运行": "大厅运行：到访、等候、补正与不予受理，县区—大厅—事项逐级查看",
          "12345月度通报": "12345 热线月度通报：数据、热点、预警、预测与单位排名，可下载",
          "培训与能力": "培训与能力：参训、完成、学时、通过与结业，五个能力维度",
          "一把手进大厅": "一把手进大厅：选大厅和日子，调整措施，看前后对比并保存体验记录"}


# The front-end extensions the what-if needs: the widget controls and Voila's widget manager.
# Voila loads every installed JupyterLab extension into its page by default (plotly's 4.8 MB
# bundle, nbgrader, jupytext, …), which a widgets-only page parses for nothing on every visit.
EXTENSIONS = ("@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8")
# webpack names an extension's files by their content (remoteEntry.<hash>.js, <n>.<hash>.js), so
# a name can be cached for good; Voila serves them "no-cache", one revalidation each per visit.
HASHED = re.compile(r"\.[0-9a-f]{16,20}\.js$")
# Voila's lab template links Font Awesome from a CDN: nothing is fetched from the internet (no
# icons are used), and a leader's browser must not tell a third party which page it opened.
CDN_LINK = re.compile(r'<link[^>]*href="https?://cdn\.jsdelivr\.net/[^"]*"[^>]*>\s*')


class Forbidden(web.RequestHandler):
    def prepare(self):
        raise web.HTTPError(403)


def _read_model_dir() -> Path:
    from academy.readmodel import data_dir
    from runtime.settings import current

    return data_dir(current().paths)


def viewer_scope(user) -> str | None:
    """全市, a county, or None (no dashboards for this account). Admins see the whole city; a
    leader sees the scope the roster gives them (academy.readmodel.leader_scope)."""
    from academy.readmodel import CITY_SCOPE, db_path
    from runtime.settings import current

    groups = set((getattr(user, "hub_user", None) or {}).get("groups") or [])
    if "admins" in groups:
        return CITY_SCOPE
    try:
        con = sqlite3.connect(f"file:{db_path(current().paths)}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT scope FROM leaders WHERE account = ?", (user.username,)).fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


class PageHandler(JupyterHandler):
    """The pre-rendered pages, the chart library and the bulletin files: plain files, no kernel."""

    def check_xsrf_cookie(self):  # GET only
        return None

    def _send(self, path: Path, content_type: str, *, cache: bool = False, name: str | None = None) -> None:
        if not path.is_file():
            from academy.dashpages import page_shell

            self.set_status(404)
            return self.finish(page_shell("暂无数据", '<h1>暂无数据</h1><p><span class="badge">合成数据</span>'
                                          "看板数据尚未准备。管理员可运行 python -m academy city-data --refresh"
                                          "（培训数据每分钟自动更新）。</p>", plotly=False))
        self.set_header("Content-Type", content_type)
        self.set_header("Cache-Control", "private, max-age=86400" if cache else "no-store")
        if name:
            from urllib.parse import quote

            self.set_header("Content-Disposition", f"attachment; filename*=UTF-8''{quote(name)}")
        self.finish(path.read_bytes())

    @web.authenticated
    def get(self, what: str = "") -> None:
        what = unquote(what)
        if what == "":
            return self.finish(_index_html())
        if what == "assets/plotly.min.js":
            import plotly

            js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
            return self._send(js, "application/javascript", cache=True)
        if what.startswith("download/bulletin/"):
            month, _, ext = what.rsplit("/", 1)[1].partition(".")
            if len(month) != 7 or not month.replace("-", "").isdigit() or ext not in ("html", "pdf"):
                raise web.HTTPError(404)
            kind = "text/html; charset=utf-8" if ext == "html" else "application/pdf"
            return self._send(_read_model_dir() / "bulletins" / month / f"bulletin.{ext}", kind,
                              name=f"12345月度通报-{month}-合成数据.{ext}")
        if what not in STATIC_PAGES:
            raise web.HTTPError(404)
        filename = f"{what}.html"
        if what == "培训与能力":  # names of people: the viewer's scope only
            scope = viewer_scope(self.current_user)
            if scope is None:
                raise web.HTTPError(403)
            filename = f"{what}-{scope}.html"
        return self._send(_read_model_dir() / "pages" / filename, "text/html; charset=utf-8")


def _index_html() -> str:
    from academy.dashpages import page_shell

    links = "".join(f'<li><a href="page/{name}">{name}</a> — {text}</li>' for name, text in TITLES.items()
                    if name != "一把手进大厅")
    links += f'<li><a href="voila/render/{WHATIF}">一把手进大厅</a> — {TITLES["一把手进大厅"]}</li>'
    body = ('<h1>海东政务服务效能学院 · 领导看板</h1><p><span class="badge" id="synthetic-badge">合成数据</span>'
            '本平台全部数据均为演示用的合成数据。</p>' f'<ul id="dashboards">{links}</ul>')
    return page_shell("领导看板", body, plotly=False)


class WhatIfOnly(TornadoVoilaHandler):
    """Voila renders the what-if notebook only: the other pages are served pre-rendered (and the
    training page must never be run for a scope other than the viewer's)."""

    async def prepare(self):
        if unquote(self.request.path).rsplit("/", 1)[-1] != WHATIF:
            raise web.HTTPError(403)
        await super().prepare()

    def write(self, chunk) -> None:
        if isinstance(chunk, str):
            chunk = CDN_LINK.sub("", chunk)
        super().write(chunk)


class LabExtensions(FileFindHandler):
    """Voila's extension files, with content-named ones cached by the browser (no round trip)."""

    def set_headers(self) -> None:
        super().set_headers()
        if HASHED.search(self.request.path):
            self.set_header("Cache-Control", "private, max-age=31536000, immutable")


class DashboardsApp(Voila):
    def init_handlers(self):
        handlers = super().init_handlers()
        prefix = self.base_url
        fixed = [(prefix, PageHandler), (url_path_join(prefix, r"page/(.*)"), PageHandler)]
        for spec in handlers:
            pattern, handler = spec[0], spec[1]
            if handler in (TornadoVoilaTreeHandler,) or handler.__name__ == "VoilaContentsHandler":
                continue  # no file listing: the index above lists the dashboards
            if handler is TornadoVoilaHandler:
                spec = (pattern, WhatIfOnly, *spec[2:])
            if handler is FileFindHandler and "labextensions" in str(pattern):
                spec = (pattern, LabExtensions, *spec[2:])
            # The identity provider's /oauth_callback and /logout come without the service prefix.
            if isinstance(pattern, str) and not pattern.startswith(prefix.rstrip("/")):
                spec = (url_path_join(prefix, pattern),) + tuple(spec[1:])
            fixed.append(spec)
        fixed.append((r".*", Forbidden))
        return fixed


def preheat_denylist() -> list[str]:
    """Voila's denylist (regular expressions matched at the start of a notebook's path): every
    notebook but the what-if."""
    return [rf"^(?!{re.escape(WHATIF)}$)"]


def voila_args(prefix: str, port: str) -> list[str]:
    """The Voila command line of the service (main() adds the hub's own arguments after it)."""
    return [
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        f"--Voila.base_url={prefix}",
        f"--Voila.server_url={prefix}",
        "--Voila.identity_provider_class=jupyterhub.singleuser.extension.JupyterHubIdentityProvider",
        "--Voila.authorizer_class=jupyterhub.singleuser.extension.JupyterHubAuthorizer",
        "--VoilaConfiguration.show_tracebacks=False",
        r"--VoilaConfiguration.file_allowlist=.*\.(png|jpg|gif|svg|css)",
        # Each page view starts a kernel: end idle ones.
        "--MappingKernelManager.cull_idle_timeout=600",
        "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_connected=False",
        # The what-if's kernel is started and its notebook run before anyone asks (one waiting).
        "--VoilaConfiguration.preheat_kernel=True",
        "--VoilaConfiguration.default_pool_size=1",
        # Voila preheats every notebook of its folder; the three pre-rendered pages' notebooks are
        # never run by it (a kernel of ~100 MB each, and 培训与能力's failed with "no such table").
        f"--VoilaKernelManager.preheat_denylist={preheat_denylist()!r}",  # a Python list literal, as traitlets reads it
        # The next kernel (a Python start-up, imports, a simulation: seconds of CPU) is started 5 s
        # after a visit took the waiting one, not Voila's 1 s: by then the visitor's page has drawn,
        # instead of sharing a small machine's cores with it.
        "--VoilaKernelManager.fill_delay=5",
        *(f"--VoilaConfiguration.extension_allowlist={name}" for name in EXTENSIONS),
    ]


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/dashboards/")
    url = os.environ.get("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:8090")
    port = url.rsplit(":", 1)[-1].split("/")[0]
    DashboardsApp.launch_instance(voila_args(prefix, port) + argv)


if __name__ == "__main__":
    main()
