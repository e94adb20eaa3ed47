"""A guard for nbgrader's shared exchange on a multi-user machine.

nbgrader's default exchange lets a student pass ``--student=<someone else>`` to ``nbgrader
submit``: the submission lands in ``inbound/`` named ``<someone else>+<assignment>+<time>+<rand>``,
owned by the real submitter. ``nbgrader collect`` only *warns* about the owner mismatch
(``CollectApp.check_owner``) and, as the newest submission per name wins, the forged one
replaces the victim's real work.

``OwnerCheckedCollect`` closes that: before nbgrader picks the newest submission per person, any
inbound entry whose Unix owner is not the account named in it is moved to
``<course root>/quarantine/`` (kept for the trainer to look at, never graded). Use it in each
course's ``nbgrader_config.py`` (the formgrader and the CLI both read it)::

    c.ExchangeFactory.collect = "grading.exchange_guard.OwnerCheckedCollect"

``quarantine_forged(inbound, quarantine)`` does the same as a function (as root or the grader).
"""
from __future__ import annotations

import pwd
import shutil
from pathlib import Path

from nbgrader.exchange.default.collect import ExchangeCollect


def _owner(path: Path) -> str | None:
    try:
        return pwd.getpwuid(path.lstat().st_uid).pw_name
    except KeyError:
        return None


def quarantine_forged(inbound: Path, quarantine: Path) -> list[str]:
    """Move inbound submissions not owned by the (existing) account they name; returns the names.

    Only names of existing Unix accounts are checked, so single-account mode (where every
    submission belongs to the hub's own account) is left alone."""
    moved: list[str] = []
    inbound, quarantine = Path(inbound), Path(quarantine)
    if not inbound.is_dir():
        return moved
    for entry in sorted(inbound.iterdir()):
        claimed = entry.name.split("+", 1)[0]
        try:
            pwd.getpwnam(claimed)
        except KeyError:
            # no such Unix account: single-account mode (everything belongs to the hub's account),
            # or a name that is nobody's work to replace — nothing to protect
            continue
        if entry.is_symlink() or _owner(entry) != claimed:
            quarantine.mkdir(mode=0o700, parents=True, exist_ok=True)
            shutil.move(str(entry), str(quarantine / entry.name))
            moved.append(entry.name)
    return moved


class OwnerCheckedCollect(ExchangeCollect):
    """nbgrader's collect, but forged submissions (owner ≠ named account) are quarantined first."""

    def init_src(self):
        # the exchange keeps one inbound per course whatever path_includes_course says
        inbound = Path(self.root) / self.coursedir.course_id / "inbound"
        quarantine = Path(self.coursedir.root) / "quarantine"
        for name in quarantine_forged(inbound, quarantine):
            self.log.warning("Forged submission %s (owner is not the named account) moved to %s",
                             name, quarantine)
        super().init_src()


__all__ = ["OwnerCheckedCollect", "quarantine_forged"]
