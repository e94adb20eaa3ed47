"""The notebook runner of the course tests polls kernel channels in short slices, so a missed wake-up
(jupyter/nbclient#312: the reply is only found when the poll times out) costs a second, not the cell
timeout. A fake channel stands for the socket: its reply is ready at once but, like the missed
wake-up, only seen when a poll ends."""
from __future__ import annotations

import asyncio
from queue import Empty

import pytest

from course_helpers import POLL_SLICE_S, _sliced


class MissedWakeupChannel:
    def __init__(self, reply_ready: bool = True):
        self.asked: list[float | None] = []
        self.reply_ready = reply_ready

    async def get_msg(self, timeout: float | None = None):
        self.asked.append(timeout)
        await asyncio.sleep(0)  # the whole poll passes without a wake-up …
        if self.reply_ready:
            return {"msg_type": "execute_reply"}  # … and its final check finds the reply
        raise Empty


def test_no_poll_waits_longer_than_a_slice():
    ch = MissedWakeupChannel()
    assert asyncio.run(_sliced(ch.get_msg)(timeout=180))["msg_type"] == "execute_reply"
    assert ch.asked == [POLL_SLICE_S]  # the plain channel would have been asked to wait 180 s
    ch = MissedWakeupChannel()
    asyncio.run(_sliced(ch.get_msg)(timeout=None))
    assert ch.asked == [POLL_SLICE_S]  # and forever, for iopub


def test_the_cell_timeout_still_holds():
    ch = MissedWakeupChannel(reply_ready=False)
    with pytest.raises(Empty):
        asyncio.run(_sliced(ch.get_msg)(timeout=0.05))
    assert ch.asked and all(t <= POLL_SLICE_S for t in ch.asked)
