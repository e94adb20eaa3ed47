"""Trainers' and admins' pages (issue 16): grading with per-criterion rubrics, cohorts and
deadlines, the roster. Importing this module registers every route of the three."""
from hubext.web import staff_cohorts, staff_grading, staff_roster  # noqa: F401
from hubext.web.staff_common import shorten_login_cache

shorten_login_cache()
