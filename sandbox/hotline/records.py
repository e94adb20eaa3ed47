"""Hotline records: one frozen row per ticket, columns of read-only numpy arrays (like the hall's).

Times are ``datetime64[s]`` in Beijing wall-clock time (NaT: did not happen); texts and optional
values are object arrays (None: none); ``direct`` is bool, ``solved``/``solved2`` True/False/None.
pandas comes in only at the edge: :meth:`TicketRecords.frame` (metrics, bulletin, storage, replay).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Mapping

import numpy as np

__all__ = ["TicketRecords", "TICKET_COLUMNS", "TIME_COLUMNS", "TEXT_COLUMNS", "INT_COLUMNS", "BOOL_COLUMNS"]

TIME_COLUMNS = ("received_at", "merged_at", "deadline", "sign_deadline", "dispatched_at", "returned_at",
                "reassigned_at", "signed_at", "handled_at", "extended_at", "final_deadline", "escalated_at",
                "replied_at", "closed_at", "followed_up_at", "reopened_at", "reopen_deadline", "replied2_at",
                "closed2_at", "followed_up2_at")
TEXT_COLUMNS = ("number", "channel", "caller_name", "caller_mobile", "county", "ticket_type", "level1", "level2",
                "urgency", "text", "status", "refused_reason", "merged_into", "lead_unit", "first_unit",
                "assist_units", "rating", "rating2", "hot_issue")
INT_COLUMNS = ("caller_key", "caller_pid")
BOOL_COLUMNS = ("direct", "solved", "solved2")
# Record order of the columns (as the engine builds them and the frame shows them).
TICKET_COLUMNS = (
    "number", "received_at", "channel", "caller_key", "caller_pid", "caller_name", "caller_mobile", "county",
    "ticket_type", "level1", "level2", "urgency", "text", "status", "refused_reason", "merged_into", "merged_at",
    "direct", "lead_unit", "first_unit", "assist_units", "deadline", "sign_deadline", "dispatched_at",
    "returned_at", "reassigned_at", "signed_at", "handled_at", "extended_at", "final_deadline", "escalated_at",
    "replied_at", "closed_at", "followed_up_at", "solved", "rating", "reopened_at", "reopen_deadline",
    "replied2_at", "closed2_at", "followed_up2_at", "solved2", "rating2", "hot_issue")


@dataclass(frozen=True, eq=False)
class TicketRecords:
    """The tickets of a hotline run. Build with :meth:`build`; columns cannot be changed afterwards."""
    columns: Mapping[str, np.ndarray]
    start: date
    months: int
    seed: int

    @classmethod
    def build(cls, columns: Mapping[str, np.ndarray], *, start: date, months: int, seed: int) -> "TicketRecords":
        if list(columns) != list(TICKET_COLUMNS):
            raise ValueError(f"ticket columns differ from TICKET_COLUMNS: {sorted(set(columns) ^ set(TICKET_COLUMNS))}")
        lengths = {len(v) for v in columns.values()}
        if len(lengths) > 1:
            raise ValueError(f"ticket columns of different lengths: {sorted(lengths)}")
        frozen = {}
        for k, v in columns.items():
            a = np.array(v, copy=True)
            a.flags.writeable = False
            frozen[k] = a
        return cls(MappingProxyType(frozen), start, months, seed)

    def __len__(self) -> int:
        return len(self.columns["number"])

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns[name]

    def frame(self):
        """The tickets as a pandas DataFrame (a copy: changing it leaves the records as they are)."""
        import pandas as pd

        return pd.DataFrame({k: v.copy() for k, v in self.columns.items()})
