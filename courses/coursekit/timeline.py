"""The timeline of one case's path through the hall: waits, window visits, hand-offs, back office.

``Step`` is coursekit's own small record so that a timeline can be drawn from the sandbox's
``case_journey`` (see :func:`steps_from_journey`) or written by hand in a lesson.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import matplotlib.pyplot as plt

from .charts import _mark, use_cjk_font
from .display import esc, table_html

# Kinds of step and their colours; 梗阻 and 迟滞 are what trainees look for.
KINDS = {
    "排队等候": "#ed8936",
    "窗口办理": "#3182ce",
    "转办交接": "#805ad5",
    "后台办理": "#38a169",
    "回家补材料": "#e53e3e",
    "路上往返": "#a0aec0",
    "网上办理": "#319795",
    "办结": "#2f855a",
    "放弃离开": "#c53030",
}


@dataclass(frozen=True)
class Step:
    day: int            # working day of the case, 1 = first visit
    start_min: float    # minutes after the hall opens on that day (or 0 for whole-day steps)
    minutes: float      # duration in minutes (back-office days count 480 per working day)
    kind: str           # one of KINDS
    label: str          # plain text for trainees: "社保窗口（3号）", "等了 42 分钟" …


def steps_table_html(steps: Sequence[Step]) -> str:
    rows = [(f"第{s.day}天", _clock(s.start_min), s.kind, _duration(s.minutes), s.label) for s in steps]
    return table_html(rows, header=("日子", "时刻", "环节", "用时", "说明"))


def _clock(minutes: float, opening: str = "09:00") -> str:
    h, m = map(int, opening.split(":"))
    total = h * 60 + m + int(round(minutes))
    return f"{total // 60:02d}:{total % 60:02d}"


def _duration(minutes: float) -> str:
    if minutes >= 480:
        return f"{minutes / 480:.0f} 天"
    if minutes >= 60:
        return f"{int(minutes // 60)} 小时 {int(minutes % 60)} 分"
    return f"{minutes:.0f} 分钟"


def draw(steps: Sequence[Step], *, title: str = "办事路线图"):
    """A horizontal timeline (one row per day), returns the Figure."""
    use_cjk_font()
    days = sorted({s.day for s in steps}) or [1]
    fig, ax = plt.subplots(figsize=(9, 0.7 * len(days) + 1.4))
    row = {d: i for i, d in enumerate(reversed(days))}
    for s in steps:
        if s.kind == "后台办理":  # days of back-office work: from the hand-over to the day's end, hatched
            width = max(600 - s.start_min, 20)
            ax.barh(row[s.day], width, left=s.start_min, color=KINDS[s.kind], alpha=0.35, hatch="//",
                    edgecolor=KINDS[s.kind], height=0.6)
            ax.text(s.start_min + width / 2, row[s.day], f"后台办理 {_duration(s.minutes)} →", ha="center",
                    va="center", fontsize=8, color="#22543d")
            continue
        width = min(s.minutes, 600)
        ax.barh(row[s.day], max(width, 2), left=s.start_min, color=KINDS.get(s.kind, "#718096"),
                edgecolor="white", height=0.6)
        if width >= 25:
            ax.text(s.start_min + width / 2, row[s.day], s.kind, ha="center", va="center",
                    fontsize=8, color="white")
    ax.set_yticks(list(row.values()), [f"第{d}天" for d in row])
    ticks = list(range(0, 601, 60))
    ax.set_xticks(ticks, [_clock(t) for t in ticks], fontsize=8)
    ax.set_xlim(0, 600)
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for k, c in KINDS.items() if any(s.kind == k for s in steps)]
    names = [k for k in KINDS if any(s.kind == k for s in steps)]
    if handles:
        ax.legend(handles, names, loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=min(5, len(names)),
                  fontsize=8, frameon=False)
    ax.set_title(title, fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    _mark(fig)
    return fig


def summary(steps: Iterable[Step]) -> dict[str, Any]:
    """Totals a trainee compares: visits, minutes waiting, hand-offs, working days to completion."""
    steps = list(steps)
    return {
        "到大厅次数": len({s.day for s in steps if s.kind in ("排队等候", "窗口办理")}),
        "排队共计（分钟）": round(sum(s.minutes for s in steps if s.kind == "排队等候")),
        "窗口办理共计（分钟）": round(sum(s.minutes for s in steps if s.kind == "窗口办理")),
        "转办交接次数": sum(1 for s in steps if s.kind == "转办交接"),
        "回家补材料次数": sum(1 for s in steps if s.kind == "回家补材料"),
        "经历了几天": max((s.day for s in steps), default=0),
    }


def summary_html(steps: Sequence[Step]) -> str:
    return table_html(summary(steps).items())
