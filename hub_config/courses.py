"""Not a fragment: the course list the fragments share (roles.py, services.py).

Courses are registered in the academy DB by `python -m academy add-course` (and by `up` for the
demo course); each has a fixed port for its formgrader service."""
from academy import db as adb
from academy.paths import Paths


def registered_courses(paths: Paths) -> list[adb.CourseRecord]:
    if not paths.academy_db.exists():
        return []
    return adb.courses(paths.academy_db_url)
