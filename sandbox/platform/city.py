"""The platform summary of one city run: the online platform plus its data-sharing and 免申即享 runs.

The platform's own records carry the applications; data sharing (issue 19) and 免申即享 (issue 20) are
separate seeded runs over the same span. Sharing is driven by exactly the platform's applications, so
share calls and online applications describe the same cases.
"""
from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import numpy as np

from .benefits import benefits_paid_for
from .datashare import datashare_scenario, share_calls, simulate_sharing
from .metrics import summary
from .records import PlatformRecords

__all__ = ["city_summary", "applications_by_day_and_item"]

DAY = 86400
EPOCH = date(1970, 1, 1).toordinal()


def applications_by_day_and_item(rec: PlatformRecords) -> dict[tuple[date, str], int]:
    """``{(day, item code): applications}`` of the platform run — the sharing run's demand."""
    a = rec.applications
    days = a["t_submit"].astype(np.int64) // DAY + EPOCH
    counts = Counter(zip(days.tolist(), a["item"].astype(np.int64).tolist()))
    return {(date.fromordinal(d), rec.item_codes[i]): n for (d, i), n in counts.items()}


def city_summary(rec: PlatformRecords, hall=None) -> dict[str, Any]:
    """:func:`~sandbox.platform.metrics.summary` with ``share_calls`` and ``benefits_paid`` filled in from
    the sharing and 免申即享 runs of the same seed and span."""
    out = summary(rec, hall)
    sharing = simulate_sharing(datashare_scenario(), rec.seed, rec.start, rec.days,
                               applications=applications_by_day_and_item(rec))
    out["share_calls"] = share_calls(sharing)
    out["benefits_paid"] = benefits_paid_for(rec.seed, rec.start, rec.days)
    return out
