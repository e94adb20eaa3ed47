"""Deadlines by type and urgency across holidays and adjusted working weekends (调休)."""
from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pytest

from sandbox.hotline.deadlines import DEFAULT_POLICY, DeadlinePolicy
from sandbox.hotline import HotlineScenario, simulate
from sandbox.hotline.taxonomy import UTILITY_CATEGORIES


def test_consultation_across_national_day_2024():
    # Received Fri 2024-09-27. Working days after: Sun 09-29 (adjusted working day), Mon 09-30,
    # then the holiday 10-01..10-07, then 10-08. Three working days → 2024-10-08 18:00.
    assert DEFAULT_POLICY.due(datetime(2024, 9, 27, 10), "咨询", "一般", False) == datetime(2024, 10, 8, 18)


def test_complaint_counts_the_adjusted_saturday():
    # 2024-10-12 (Saturday) was a working day; 15 working days from 2024-09-30 must count it.
    due = DEFAULT_POLICY.due(datetime(2024, 9, 30, 9), "投诉", "一般", False)
    # 10-08..10-11 (4), 10-12 Sat (5), 10-14..10-18 (10), 10-21..10-25 (15)
    assert due == datetime(2024, 10, 25, 18)
    no_swap = DeadlinePolicy().working_day_end(date(2024, 10, 11), 1)
    assert no_swap == datetime(2024, 10, 12, 18), "the adjusted Saturday is the next working day"


def test_spring_festival_2024_help_request():
    # 2024 Spring Festival: 02-10..02-17 off; 02-04 (Sun) and 02-18 (Sun) working.
    due = DEFAULT_POLICY.due(datetime(2024, 2, 8, 15), "求助", "一般", False)
    # 02-09 is a normal Friday (working) → 1; holidays; 02-18 Sun (2), 19 (3), 20 (4), 21 (5)
    assert due == datetime(2024, 2, 21, 18)


def test_utilities_and_critical_run_on_the_clock():
    t = datetime(2024, 10, 1, 22, 30)  # a holiday night
    assert DEFAULT_POLICY.due(t, "求助", "紧急", True) == datetime(2024, 10, 2, 22, 30)
    assert DEFAULT_POLICY.due(t, "求助", "特急", False) == datetime(2024, 10, 2, 0, 30)


def test_sign_deadline_and_extension_cutoff():
    due = DEFAULT_POLICY.due(datetime(2024, 5, 6, 9), "建议", "一般", False)
    # 7 working days: 05-07..05-10 (4), Sat 05-11 (adjusted working day after May Day, 5), 05-13, 05-14
    assert due == datetime(2024, 5, 14, 18)
    assert DEFAULT_POLICY.sign_due(datetime(2024, 5, 6, 9, 30), due) == datetime(2024, 5, 7, 18)
    assert DEFAULT_POLICY.extension_cutoff(due) == datetime(2024, 5, 14, 17)


def test_policy_is_configurable_and_validated():
    p = DeadlinePolicy(days_by_type={**DEFAULT_POLICY.days_by_type, "投诉": 10}, utility_hours=12)
    assert p.due(datetime(2024, 5, 6, 9), "投诉", "一般", False) == datetime(2024, 5, 17, 18)  # incl. Sat 05-11
    with pytest.raises(ValueError, match="days_by_type"):
        DeadlinePolicy(days_by_type={"咨询": 3})
    with pytest.raises(ValueError, match="utility_hours"):
        DeadlinePolicy(utility_hours=0)


def test_vectorised_simulation_agrees_with_the_policy():
    # Jan–Feb 2024 crosses the Spring Festival and two adjusted Sundays.
    df = simulate(HotlineScenario(start=date(2024, 1, 1), months=2, monthly_volume=1500), 5).frame()
    d = df[df["dispatched_at"].notna()].sample(400, random_state=0)
    for r in d.itertuples():
        want = DEFAULT_POLICY.due(r.received_at.to_pydatetime(), r.ticket_type, r.urgency,
                                  r.level2 in UTILITY_CATEGORIES)
        assert r.deadline.to_pydatetime() == want, r.number
        start = (r.reassigned_at if r.first_unit is not None and isinstance(r.first_unit, str) else r.dispatched_at)
        assert r.sign_deadline.to_pydatetime() == DEFAULT_POLICY.sign_due(start.to_pydatetime(), want), r.number
    assert np.all(df["deadline"].dropna() > df.loc[df["deadline"].notna(), "received_at"])
