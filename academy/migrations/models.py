"""Every table of the academy database, registered on one metadata (what migrations compare to)."""
from __future__ import annotations

from sqlalchemy import MetaData


def metadata() -> MetaData:
    import academy.db  # noqa: F401  (courses; imports runtime.people: people, enrolments)
    import grading.cohorts  # noqa: F401  (cohort_rules)
    import grading.rubric  # noqa: F401  (rubric_marks)
    import grading.store  # noqa: F401  (grading_results, competence_scores, certificates)
    from runtime.db import Base

    return Base.metadata
