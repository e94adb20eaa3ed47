"""nbgrader's JupyterHub auth plug-in, speaking the academy's group names.

nbgrader's own plug-in knows students by the hub group ``nbgrader-<course>``; the academy calls
that group ``course-<course>`` (docs/architecture.md). Instructors stay ``formgrade-<course>``.
Used by user servers (assignment list: which courses am I in?) and by each course's formgrader
service (adding a student from the formgrader puts them into ``course-<course>``).
"""
from __future__ import annotations

import os
from typing import Optional

from nbgrader.auth.jupyterhub import (
    JupyterhubApiError,
    JupyterhubEnvironmentError,
    JupyterHubAuthPlugin,
    _query_jupyterhub_api,
)

STUDENT_PREFIX = "course-"
INSTRUCTOR_PREFIX = "formgrade-"


class AcademyHubAuthPlugin(JupyterHubAuthPlugin):
    def get_student_courses(self, student_id: str) -> Optional[list]:
        service = os.environ.get("JUPYTERHUB_SERVICE_NAME")
        if service and student_id in ("*", os.environ.get("JUPYTERHUB_USER")):
            # A course's formgrader service (no hub user of its own): its course is the service.
            return [service]
        if student_id == "*":
            student_id = "{authenticated_user}"
        try:
            response = _query_jupyterhub_api("GET", "/users/%s" % student_id)
        except (JupyterhubEnvironmentError, JupyterhubApiError):
            self.log.error("cannot read the hub groups of %s", student_id)
            raise
        courses = set()
        for group in response.get("groups", []):
            for prefix in (STUDENT_PREFIX, INSTRUCTOR_PREFIX):
                if group.startswith(prefix) and group[len(prefix):]:
                    courses.add(group[len(prefix):])
        return sorted(courses)

    def _membership(self, method: str, student_id: str, course_id: str) -> None:
        if not course_id:
            self.log.error("no course_id: set CourseDirectory.course_id in nbgrader_config.py")
            return
        group = f"{STUDENT_PREFIX}{course_id}"
        try:
            _query_jupyterhub_api(method, f"/groups/{group}/users", post_data={"users": [student_id]})
        except (JupyterhubEnvironmentError, JupyterhubApiError) as exc:
            self.log.error("hub group %s: %s %s failed: %s", group, method, student_id, exc)

    def add_student_to_course(self, student_id: str, course_id: str) -> None:
        self._membership("POST", student_id, course_id)

    def remove_student_from_course(self, student_id: str, course_id: str) -> None:
        self._membership("DELETE", student_id, course_id)
