"""Immutable platform records: the only output of a platform run and the only input of its metrics.

Three tables of read-only numpy columns, each with its schema (name → dtype, meaning) that storage
follows: ``applications`` (one row per online submission; a 补正 resubmission is the next row of the
same ``matter``), ``accounts`` (natural persons, legal persons, authorised agents) and ``days`` (one row
per simulated day: logins without a filing). Times are integer seconds of Beijing wall-clock time
since 1970-01-01, ``-1`` where a step did not happen — the hall's convention.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping

import numpy as np

from sandbox.base.ids import SYNTHETIC_MARK, mask_id, mask_name

from .applications import APP_CHANNELS, MODES, STATES, path

__all__ = ["APP_COLUMNS", "ACCOUNT_COLUMNS", "DAY_COLUMNS", "PlatformRecords", "application_journey"]

APP_COLUMNS: dict[str, tuple[str, str]] = {
    "app_id": ("int64", "application (submission) number, 1.. in order of submission"),
    "matter": ("int64", "app_id of the first submission of the same need (补正 resubmissions share it)"),
    "round": ("int8", "1 first submission, 2 after one 补正 …"),
    "channel": ("int8", "index into applications.APP_CHANNELS (网上办 / 自助终端 / 网上申报后到现场)"),
    "mode": ("int8", "index into applications.MODES (全程网办 / 最多跑一次 / 必须到现场) of the item"),
    "county": ("int8", "applicant's county, index into geography.COUNTIES"),
    "person": ("int32", "citizen pid of the applicant (for a firm: its legal representative's matter)"),
    "firm": ("int32", "firm fid for enterprise matters, else -1"),
    "filer": ("int32", "pid of the account holder who filed (the person, or the firm's representative/agent)"),
    "item": ("int16", "index into the item table (the hall's)"),
    "state": ("int8", "index into applications.STATES at the end of the run"),
    "t_submit": ("int64", "网上申报"),
    "t_prereview": ("int64", "预审 done (returned, refused or passed)"),
    "t_returned": ("int64", "退回补正 with the one-time list; -1"),
    "t_accept": ("int64", "受理; -1"),
    "t_done": ("int64", "办结; -1"),
    "t_closed": ("int64", "不予受理 (at 预审, or 补正 not answered in time); -1"),
    "missing": ("int64", "bit mask of the item's materials on the 补正 list"),
    "promised": ("int16", "promised working days of the item"),
    "on_time": ("int8", "1 within the promised time, 0 overdue, -1 not completed"),
    "lic_needed": ("int16", "required materials an e-licence could replace"),
    "paper_avoided": ("int16", "of those, pulled electronically: no paper asked (免证办)"),
    "paper_needless": ("int16", "of those, held electronically but paper asked all the same"),
    "rating": ("int8", "online 好差评 (一事一评): index into sandbox.hall.records.RATING_LEVELS; 0 none"),
    "t_rating": ("int64", "time of the rating; -1"),
}
ACCOUNT_COLUMNS: dict[str, tuple[str, str]] = {
    "account_id": ("int64", "account number"),
    "kind": ("int8", "index into accounts.ACCOUNT_KINDS (自然人 / 法人 / 经办人授权)"),
    "person": ("int32", "pid of the holder (legal representative for 法人; the agent for 经办人授权)"),
    "firm": ("int32", "fid for 法人 and 经办人授权, else -1"),
    "level": ("int8", "real-name level 1..3 (scenario.LEVELS)"),
    "t_registered": ("int64", "registration (before the run for existing accounts); -1 never"),
}
DAY_COLUMNS: dict[str, tuple[str, str]] = {
    "day": ("int32", "date ordinal"),
    "logins": ("int32", "registered users who logged in without filing"),
}


def _frozen(columns: Mapping[str, np.ndarray], spec: Mapping[str, tuple[str, str]], table: str) -> dict:
    missing = [k for k in spec if k not in columns]
    extra = [k for k in columns if k not in spec]
    if missing or extra:
        raise ValueError(f"{table}: columns missing {missing}, unknown {extra}")
    lengths = {len(columns[k]) for k in spec}
    if len(lengths) > 1:
        raise ValueError(f"{table}: columns of different lengths {sorted(lengths)}")
    out = {}
    for k, (dt, _) in spec.items():
        a = np.array(columns[k], dtype=dt, copy=True)
        a.flags.writeable = False
        out[k] = a
    return out


@dataclass(frozen=True, eq=False)
class PlatformRecords:
    applications: dict[str, np.ndarray]
    accounts: dict[str, np.ndarray]
    days_table: dict[str, np.ndarray]
    item_codes: tuple[str, ...]
    item_names: tuple[str, ...]
    licence_names: tuple[str, ...]
    start: date
    days: int
    seed: int
    scenario_name: str
    meta: dict[str, Any] = field(default_factory=dict)
    data_mark: str = SYNTHETIC_MARK

    @classmethod
    def build(cls, applications: Mapping, accounts: Mapping, days_table: Mapping, **kw: Any) -> "PlatformRecords":
        return cls(_frozen(applications, APP_COLUMNS, "applications"), _frozen(accounts, ACCOUNT_COLUMNS, "accounts"),
                   _frozen(days_table, DAY_COLUMNS, "days"), **kw)

    def __len__(self) -> int:
        return len(self.applications["app_id"])

    def __getitem__(self, column: str) -> np.ndarray:
        return self.applications[column]

    def __repr__(self) -> str:
        return (f"<PlatformRecords {self.scenario_name} {self.start} +{self.days}d seed={self.seed}: "
                f"{len(self):,} applications, {len(self.accounts['account_id']):,} accounts ({self.data_mark})>")

    def row(self, app_id: int) -> dict[str, int]:
        i = int(app_id) - 1
        if not 0 <= i < len(self):
            raise KeyError(f"没有申请 {app_id}")
        return {k: int(v[i]) for k, v in self.applications.items()}

    def frame(self, labels: bool = True):
        """Applications as a pandas DataFrame; with labels, Chinese names and datetimes (合成数据)."""
        import pandas as pd

        df = pd.DataFrame({k: np.asarray(v) for k, v in self.applications.items()})
        if labels:
            df["channel"] = pd.Categorical.from_codes(df["channel"], APP_CHANNELS)
            df["mode"] = pd.Categorical.from_codes(df["mode"], MODES)
            df["state"] = pd.Categorical.from_codes(df["state"], STATES)
            df["item_name"] = np.asarray(self.item_names)[df["item"]]
            for k in [c for c in df.columns if c.startswith("t_")]:
                df[k] = pd.to_datetime(df[k].where(df[k] >= 0), unit="s")
        df.attrs["data_mark"] = self.data_mark
        return df


def application_journey(records: PlatformRecords, app_id: int, population=None) -> list[dict[str, Any]]:
    """The steps of one application's matter (all its rounds), Chinese labels, masked applicant."""
    from datetime import datetime, timedelta

    row = records.row(app_id)
    rows = np.flatnonzero(records.applications["matter"] == row["matter"])
    who = ""
    if population is not None:
        c = population.citizens[row["person"]]
        who = f"{mask_name(c.name)} {mask_id(c.id_number)}"  # issued with the code of its time
    out = [{"time": None, "step": "申请人", "detail": who, "app_id": app_id, "data_mark": SYNTHETIC_MARK}]
    for i in rows.tolist():
        r = {k: int(v[i]) for k, v in records.applications.items()}
        t0 = datetime(1970, 1, 1) + timedelta(seconds=r["t_submit"])
        out.append({"time": t0, "step": "网上申报", "detail": f"第{r['round']}次提交 {records.item_names[r['item']]}",
                    "app_id": r["app_id"]})
        for t, event, state in path(r):
            out.append({"time": datetime(1970, 1, 1) + timedelta(seconds=t), "step": event, "detail": state,
                        "app_id": r["app_id"]})
    return out
