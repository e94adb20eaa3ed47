"""What a 12345 officer would check (issue 14 point 7); each test fails on the old behaviour."""
from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from sandbox.base.calendar import default_calendar
from sandbox.hotline import HotlineScenario, simulate


def _frame():
    sc = HotlineScenario(start=date(2025, 1, 1), months=2, monthly_volume=3_000)  # takes in 春节 2025
    return simulate(sc, 5).frame()


def test_units_sign_ordinary_tickets_in_office_hours():
    df = _frame()
    s = df[df["signed_at"].notna()]
    cal = default_calendar()
    working = s["signed_at"].dt.date.map(cal.is_working_day)
    hour = s["signed_at"].dt.hour
    ordinary = s["urgency"] == "一般"
    assert ordinary.sum() > 1000
    assert working[ordinary].all()  # no 一般 ticket signed on a weekend or during 春节
    assert ((hour[ordinary] >= 9) & (hour[ordinary] < 17)).all()
    # the on-duty rota: urgent and utility tickets are still signed around the clock
    rota = ~ordinary
    assert (~working[rota]).any() or ((hour[rota] < 9) | (hour[rota] >= 17)).any()
