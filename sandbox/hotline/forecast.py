"""Next month's volume per category with exponential smoothing (statsmodels), back-tested.

- 24 months of history or more: ETS(A,Ad,A) — Holt–Winters' additive damped trend and 12-month seasonality.
- 6–23 months: ETS(A,N,N), simple exponential smoothing — no seasonality is invented; the report says the
  forecast is weak (弱) because a seasonal pattern cannot be learnt from under two years.
- 2–5 months: the last value (naive), also weak; fewer: no forecast.
Back-test: rolling origin over the last (up to) 6 months, one step ahead, with the same rule at
each origin; the error is MAPE (mean absolute percentage error) over those origins.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

SEASONAL_MIN = 24
BACKTEST = 6


def _fit_predict(y: np.ndarray) -> tuple[float, str]:
    # statsmodels' state-space ETS: the same models as Holt-Winters, about 10x faster to fit here.
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    n = len(y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if n >= SEASONAL_MIN:
            m = ETSModel(y, error="add", trend="add", damped_trend=True, seasonal="add", seasonal_periods=12,
                         initialization_method="heuristic").fit(disp=False)
            return float(m.forecast(1)[0]), "ETS(A,Ad,A) 指数平滑（阻尼趋势+12个月季节）"
        if n >= 6:
            m = ETSModel(y, error="add", initialization_method="estimated").fit(disp=False)
            return float(m.forecast(1)[0]), "ETS(A,N,N) 简单指数平滑"
    if n >= 2:
        return float(y[-1]), "朴素预测（上月值）"
    raise ValueError("history too short")


def forecast_series(y: np.ndarray) -> dict:
    y = np.asarray(y, dtype=float)
    n = len(y)
    if n < 2:
        return {"预测值": None, "方法": None, "MAPE": None, "回测月数": 0, "强度": "无", "历史月数": n}
    pred, method = _fit_predict(y)
    errs = []
    for k in range(1, min(BACKTEST, n - 2) + 1):
        train, actual = y[: n - k], y[n - k]
        p, _ = _fit_predict(train)
        if actual > 0:
            errs.append(abs(p - actual) / actual)
    mape = round(float(np.mean(errs)), 4) if errs else None
    return {"预测值": round(max(pred, 0.0), 1), "方法": method, "MAPE": mape, "回测月数": len(errs),
            "强度": "正常" if n >= SEASONAL_MIN else "弱", "历史月数": n}


def forecast_next(monthly: pd.DataFrame, upto: str) -> dict:
    """monthly: columns month (YYYY-MM), key, n. Forecast the month after ``upto`` per key and in total."""
    m = monthly[monthly["month"] <= upto]
    if m.empty:
        return {"月份": None, "分类": {}, "合计": forecast_series(np.array([]))}
    months = sorted(m["month"].unique())
    pivot = m.pivot_table(index="month", columns="key", values="n", aggfunc="sum").reindex(months).fillna(0)
    y, mo = int(upto[:4]), int(upto[5:7])
    nxt = f"{y + 1}-01" if mo == 12 else f"{y}-{mo + 1:02d}"
    cats = {str(k): forecast_series(pivot[k].to_numpy()) for k in pivot.columns}
    total = forecast_series(pivot.sum(axis=1).to_numpy())
    return {"月份": nxt, "分类": cats, "合计": total, "历史月数": len(months),
            "说明": ("历史数据满24个月，采用含季节项的模型。" if len(months) >= SEASONAL_MIN else
                   f"历史数据仅 {len(months)} 个月（不足24个月），无法可靠识别季节规律，预测仅供参考（弱）。")}
