"""Immutable case records: the only output of a simulation, and the only input of every metric.

One row per *case* — one hall visit, one online submission, one self-service or remote intake.
Repeat contacts for the same need share a ``matter_id`` (the case id of the first contact); the
separate matters of one life event handled without a bundle share an ``event_id``. Columns are
numpy arrays (read-only), timestamps integer seconds of local (Beijing) wall-clock time since
1970-01-01, ``-1`` where a step did not happen. ``pools`` holds one row per hall, day and window
pool (windows open, seconds open, seconds busy) for utilisation.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any, Mapping

import numpy as np

__all__ = ["Records", "CASE_COLUMNS", "POOL_COLUMNS", "OUTCOMES", "CHANNELS", "RATING_LEVELS",
           "to_datetime", "EPOCH_ORDINAL"]

# 补正: materials missing or defective — a one-time list (一次性告知, 行政许可法 第三十二条 (四)) and the
# applicant comes back; 不予受理: final — the matter is outside the hall's competence or not subject to
# licensing (第三十二条 (一)(二)), or a 补正 was still incomplete after the last round. Code 4 was
# labelled 不予受理 before 2026-12 although it always meant the one-time list; new outcomes are appended.
# 当场更正: flaws the window corrects on the spot (行政许可法 第三十二条 (三)), then accepted.
OUTCOMES = ("即办", "受理", "容缺受理", "告知承诺", "补正", "放弃离开", "闭厅未办", "不予受理", "当场更正")
OUTCOME = {name: i for i, name in enumerate(OUTCOMES)}
CHANNELS = ("窗口", "网上办", "自助终端", "异地代收", "免申即享")
CHANNEL = {name: i for i, name in enumerate(CHANNELS)}
RATING_LEVELS = ("", "非常满意", "满意", "基本满意", "不满意", "非常不满意")  # code 0 = no rating
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()

# name -> (dtype, meaning); the storage schema follows this list (sandbox/README.md).
CASE_COLUMNS: dict[str, tuple[str, str]] = {
    "case_id": ("int64", "case number, 1.. in order of arrival"),
    "matter_id": ("int64", "case_id of the first contact for the same need"),
    "event_id": ("int64", "life event (一件事) handled as separate matters, else -1"),
    "visit_no": ("int8", "1 for the first contact of a matter, 2 for the next …"),
    "channel": ("int8", "index into CHANNELS"),
    "hall": ("int8", "index into the scenario's halls; -1 when not at a hall"),
    "pool": ("int8", "index into scenario.WINDOW_KINDS of the queue joined; -1"),
    "window": ("int16", "window number within the pool; -1"),
    "ticket": ("int16", "queue number within hall, day and pool; -1"),
    "county": ("int8", "applicant's county, index into geography.COUNTIES"),
    "person": ("int32", "citizen pid in the population"),
    "firm": ("int32", "firm fid for enterprise matters, else -1"),
    "item": ("int16", "index into the item table (first item of a bundle)"),
    "bundle": ("int16", "index into the bundles when handled as one 一件事 case, else -1"),
    "life_event": ("int16", "bundle index of the life event the case belongs to (either way), else -1"),
    "appointment": ("bool", "booked ahead (预约)"),
    "green": ("bool", "served through the green channel"),
    "elderly": ("bool", "60 or over"),
    "cross": ("int8", "跨省通办 mode: 0 none, 1 全程网办, 2 异地代收代办, 3 多地联办"),
    "t_arrive": ("int64", "arrival / submission"),
    "t_number": ("int64", "number taken; -1 online"),
    "t_called": ("int64", "called to a window; -1"),
    "t_end": ("int64", "end of the window service / of the online check"),
    "t_left": ("int64", "gave up waiting or sent home at closing; -1"),
    "ahead": ("int32", "people waiting ahead when the number was taken"),
    "outcome": ("int8", "index into OUTCOMES"),
    "overtime": ("bool", "called after the hall's closing time (延时服务)"),
    "materials": ("int16", "materials handed in"),
    "missing": ("int64", "bit mask of the item's missing materials (补正: the 一次性告知 list; "
                "当场更正: the materials corrected at the window)"),
    "elicence": ("int16", "materials replaced by e-licences"),
    "promised": ("int16", "promised working days of the item or bundle"),
    "t_due": ("int64", "容缺: deadline to supply the missing materials; -1"),
    "t_check": ("int64", "告知承诺: time of the later check; -1"),
    "pledge_false": ("bool", "the check found the pledge false"),
    "t_done": ("int64", "matter completed (办结); -1"),
    "on_time": ("int8", "1 within the promised time, 0 overdue, -1 not completed"),
    "rating": ("int8", "index into RATING_LEVELS; 0 no rating"),
    "t_rating": ("int64", "time of the rating; -1"),
}
POOL_COLUMNS: dict[str, tuple[str, str]] = {
    "hall": ("int8", "index into the scenario's halls"),
    "day": ("int32", "date ordinal"),
    "pool": ("int8", "index into scenario.WINDOW_KINDS"),
    "windows": ("int16", "windows open (after absences)"),
    "open_s": ("int64", "window-seconds of opening hours"),
    "busy_s": ("int64", "window-seconds spent serving"),
    "served": ("int32", "people called"),
}


def to_datetime(seconds: int) -> datetime:
    return datetime(1970, 1, 1) + timedelta(seconds=int(seconds))


def _frozen(columns: Mapping[str, np.ndarray], spec: Mapping[str, tuple[str, str]]) -> dict[str, np.ndarray]:
    out = {}
    n = None
    for name, (dtype, _) in spec.items():
        a = np.ascontiguousarray(columns[name], dtype=dtype)
        if n is None:
            n = len(a)
        elif len(a) != n:
            raise ValueError(f"column {name} has {len(a)} rows, expected {n}")
        a.flags.writeable = False
        out[name] = a
    return out


@dataclass(frozen=True, eq=False)
class Records:
    """What one simulation produced. Build with :meth:`build`; never changes afterwards."""
    cases: Mapping[str, np.ndarray]
    pools: Mapping[str, np.ndarray]
    hall_names: tuple[str, ...]
    item_codes: tuple[str, ...]
    item_names: tuple[str, ...]
    bundle_names: tuple[str, ...]
    start: date
    days: int
    seed: int
    scenario_name: str
    meta: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def build(cls, cases: Mapping[str, np.ndarray], pools: Mapping[str, np.ndarray], **kw: Any) -> "Records":
        return cls(cases=_frozen(cases, CASE_COLUMNS), pools=_frozen(pools, POOL_COLUMNS), **kw)

    def __len__(self) -> int:
        return len(self.cases["case_id"])

    def __getitem__(self, column: str) -> np.ndarray:
        return self.cases[column]

    def __repr__(self) -> str:
        return (f"Records({len(self)} cases, {len(self.hall_names)} halls, {self.start}+{self.days}d, "
                f"seed={self.seed}, scenario={self.scenario_name!r})")

    def row(self, case_id: int) -> int:
        ids = self.cases["case_id"]
        i = int(np.searchsorted(ids, case_id))
        if i >= len(ids) or ids[i] != case_id:
            raise KeyError(f"没有案件编号 {case_id}")
        return i

    @cached_property
    def matters(self) -> dict[str, np.ndarray]:
        """One row per matter: first and last case row, contacts, hall visits, completion."""
        c = self.cases
        m = c["matter_id"]
        order = np.lexsort((c["t_arrive"], m))
        ms = m[order]
        starts = np.flatnonzero(np.r_[True, ms[1:] != ms[:-1]]) if len(ms) else np.zeros(0, np.int64)
        ends = np.r_[starts[1:], len(ms)].astype(np.int64) - 1 if len(ms) else np.zeros(0, np.int64)
        first = order[starts]
        last = order[ends]
        hall_visit = (c["channel"][order] == 0).astype(np.int64)
        visits = np.add.reduceat(hall_visit, starts) if len(ms) else np.zeros(0, np.int64)
        contacts = ends - starts + 1
        done = c["t_done"][last]
        out = {
            "matter_id": ms[starts], "first": first, "last": last, "contacts": contacts,
            "hall_visits": visits, "completed": done >= 0, "t_done": done,
            "t_start": c["t_arrive"][first], "on_time": c["on_time"][last],
            "instant": (c["outcome"][last] == 0) & (done >= 0) & (contacts == 1),
        }
        for a in out.values():
            a.flags.writeable = False
        return out

    def frame(self, labels: bool = True):
        """The cases as a pandas DataFrame (timestamps as datetimes, codes as Chinese labels)."""
        import pandas as pd
        from ..base.geography import COUNTIES
        from .scenario import WINDOW_KINDS

        df = pd.DataFrame({k: np.asarray(v) for k, v in self.cases.items()})
        if not labels:
            return df
        for col in [k for k in df.columns if k.startswith("t_")]:
            s = df[col]
            df[col] = pd.to_datetime(s.where(s >= 0), unit="s")
        df["wait_min"] = (df["t_called"] - df["t_number"]).dt.total_seconds() / 60
        df["channel"] = pd.Categorical.from_codes(df["channel"], CHANNELS)
        df["outcome"] = pd.Categorical.from_codes(df["outcome"], OUTCOMES)
        df["rating"] = pd.Categorical.from_codes(df["rating"], RATING_LEVELS)
        df["hall"] = pd.Categorical.from_codes(df["hall"], self.hall_names)
        df["pool"] = pd.Categorical.from_codes(df["pool"], WINDOW_KINDS)
        df["county"] = pd.Categorical.from_codes(df["county"], [c.name for c in COUNTIES])
        df["item_name"] = pd.Categorical.from_codes(df["item"], self.item_names)
        df["item"] = pd.Categorical.from_codes(df["item"], self.item_codes)
        if self.bundle_names:
            df["bundle"] = pd.Categorical.from_codes(df["bundle"], self.bundle_names)
        return df

    def pools_frame(self):
        import pandas as pd
        from .scenario import WINDOW_KINDS

        df = pd.DataFrame({k: np.asarray(v) for k, v in self.pools.items()})
        df["date"] = [date.fromordinal(int(o)) for o in df["day"]]
        df["hall"] = pd.Categorical.from_codes(df["hall"], self.hall_names)
        df["pool"] = pd.Categorical.from_codes(df["pool"], WINDOW_KINDS)
        df["utilisation"] = df["busy_s"] / df["open_s"].where(df["open_s"] > 0)
        return df
