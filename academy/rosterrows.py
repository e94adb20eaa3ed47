"""A roster row and the hub groups it stands for: what the roster import (academy.roster) parses
and the hub side (academy.hubsync) writes. Apart from both so that neither imports the other."""
from __future__ import annotations

import secrets
from dataclasses import dataclass

# The groups the roster owns; any other hub group is left alone.
ROLE_GROUPS = {"trainee": "trainees", "trainer": "trainers", "leader": "leaders", "admin": "admins"}
DISABLED_GROUP = "disabled"
PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def is_managed_group(name: str) -> bool:
    return (
        name in ROLE_GROUPS.values()
        or name == DISABLED_GROUP
        or name.startswith("course-")
        or name.startswith("formgrade-")
    )


@dataclass(frozen=True)
class RosterRow:
    line: int
    account: str
    name: str
    unit: str
    county: str
    role: str
    courses: tuple[str, ...]
    cohort: str
    active: bool

    def groups(self) -> set[str]:
        """Hub groups this person belongs to: none but `disabled` when inactive."""
        if not self.active:
            return {DISABLED_GROUP}
        groups = {ROLE_GROUPS[self.role]}
        if self.role == "trainee":
            groups |= {f"course-{c}" for c in self.courses}
        elif self.role == "trainer":
            groups |= {f"formgrade-{c}" for c in self.courses}
        return groups


def new_password() -> str:
    """12 random characters in three groups, without look-alikes (0/O, 1/l/I)."""
    chars = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(12))
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"
