"""What a 12345 officer would check (issue 14 point 12); each test fails on the old behaviour."""
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


def test_caller_texts_numbers_and_firms():
    df = _frame()
    text = df["text"]
    assert not text.str.contains(r"\d[十百千]", regex=True).any()  # no "8十元", "5十亩地"
    fees = text.str.extract(r"每平米每月(\d+(?:\.\d+)?)元")[0].dropna().astype(float)
    assert not text.str.contains(r"每平米\d+元涨价", regex=True).any()
    assert len(fees) == 0 or ((fees >= 0.5) & (fees <= 2.0)).all()
    food = df[df["level2"].isin(["餐饮服务"]) & text.str.contains("菜单|吃饭")]
    assert len(food) and not food["text"].str.contains("劳务服务有限公司|建筑工程有限公司|运输有限公司").any()
    wages = df[df["level2"] == "农民工工资拖欠"]["text"]
    assert not wages.str.contains("拉面馆|便民超市|餐饮管理").any()
