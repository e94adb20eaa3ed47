"""The jail's uid slots (grading.jail._take_slot): a freed uid is not handed to the next job.

The CI run of stop 28 failed because two of seven submissions graded one after the other ran under
the same uid (random slot start: a 2 % chance for seven jobs). Slots now go round a shared cursor.
"""
from __future__ import annotations

import os

import pytest

from grading import jail

pytestmark = pytest.mark.timeout(60)


def test_jobs_one_after_another_never_share_a_uid(tmp_path):
    taken = []
    for _ in range(200):  # with random starts 200 of 1000 collide almost surely (p > 0.99999)
        slot, fd = jail._take_slot(tmp_path)
        taken.append(slot)
        os.close(fd)  # the job ended: its slot is free again
    assert len(set(taken)) == len(taken), sorted(taken)


def test_a_live_slot_is_never_handed_out_twice(tmp_path, monkeypatch):
    monkeypatch.setattr(jail, "POOL", 5)
    held = [jail._take_slot(tmp_path) for _ in range(5)]
    assert sorted(slot for slot, _ in held) == [0, 1, 2, 3, 4]
    with pytest.raises(jail.JailError):
        jail._take_slot(tmp_path)
    os.close(held[2][1])
    assert jail._take_slot(tmp_path)[0] == 2  # the one freed slot, found past the cursor


def test_a_damaged_cursor_starts_again_at_zero(tmp_path):
    (tmp_path / ".slots").mkdir()
    (tmp_path / ".slots" / ".next").write_text("nonsense")
    assert jail._take_slot(tmp_path)[0] == 0
