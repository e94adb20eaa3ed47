"""Who applies for an item: an eligibility profile per item (data/eligibility.toml).

Read by the hall engine (``hall.context``, in bulk) and the practice generator
(``practice.acceptance``, one applicant at a time) so both draw the same kind of people.

Age range at the case date, sex where the law makes one, once per person, retirement at the statutory
age in force (sandbox.base.retirement), and the industries of the firms that apply. Items without a
profile take any adult of the county. Pure data; the engines draw applicants from it.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["Profile", "load_profiles", "PROFILE_FILE"]

PROFILE_FILE = Path(__file__).resolve().parent.parent / "data" / "eligibility.toml"
_FIELDS = {"min_age", "max_age", "sex", "once", "retirement", "industries", "child_age", "basis"}


@dataclass(frozen=True)
class Profile:
    min_age: int = 18
    max_age: int = 120
    sex: str = ""  # "" any, 男 / 女
    once: bool = False
    retirement: bool = False
    industries: tuple[str, ...] = ()
    child_age: tuple[int, ...] = ()  # (lo, hi): a guardian applies for a child of this age
    basis: str = ""


@lru_cache(maxsize=2)
def load_profiles(path: Path = PROFILE_FILE) -> dict[str, Profile]:
    """Item code → profile; a wrong field raises ValueError naming the item and the field."""
    raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    out: dict[str, Profile] = {}
    for code, fields in raw.items():
        unknown = set(fields) - _FIELDS
        if unknown:
            raise ValueError(f"{Path(path).name} 事项 {code}: 未知字段 {sorted(unknown)}")
        p = Profile(**{k: tuple(v) if k in ("industries", "child_age") else v for k, v in fields.items()})
        bad_child = p.child_age and (len(p.child_age) != 2 or not 0 <= p.child_age[0] <= p.child_age[1] < 18)
        if not 0 <= p.min_age <= p.max_age or p.sex not in ("", "男", "女") or bad_child:
            raise ValueError(f"{Path(path).name} 事项 {code}: 年龄范围或性别不合法")
        out[code] = p
    return out
