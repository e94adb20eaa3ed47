"""The service's front door: each person to the pages of their role."""
from __future__ import annotations

from tornado import web

from hubext.web.app import AcademyPage, register


class Home(AcademyPage):
    @web.authenticated
    def get(self) -> None:
        self.render_page("home.html", title="首页")


register("", Home)
