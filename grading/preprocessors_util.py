"""Small helpers shared by the privilege and kernel-sandbox code (no nbgrader imports)."""
from __future__ import annotations

import os
from pathlib import Path


def world_executable(path: str) -> bool:
    """Can an unrelated account run this file (every directory on the way searchable)?"""
    p = Path(os.path.realpath(path))
    for part in p.parents:
        try:
            if not os.stat(part).st_mode & 0o001:
                return False
        except OSError:
            return False
    try:
        return bool(os.stat(p).st_mode & 0o001)
    except OSError:
        return False


def can_switch_user() -> bool:
    """True when this process may setuid (root, or CAP_SETUID in its effective set)."""
    if os.geteuid() == 0:
        return True
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("CapEff:"):
                return bool(int(line.split()[1], 16) & (1 << 7))
    except OSError:
        pass
    return False
