"""Matplotlib charts with Chinese text: before/after metric bars and a CJK font check.

Chinese needs a CJK font; without one every character is drawn as a box. The font is found by the
sandbox's one helper (:mod:`sandbox.charts`: fontconfig and matplotlib's font manager); this module
adds the course's strict mode, which tells the trainee plainly what is wrong.
"""
from __future__ import annotations

import warnings
from typing import Mapping, Sequence

import matplotlib.pyplot as plt
from sandbox import charts as sandbox_charts
from sandbox.ids import SYNTHETIC_MARK

NO_FONT_MESSAGE = sandbox_charts.NO_FONT_MESSAGE + "，然后重启内核。"


class NoCJKFont(RuntimeError):
    pass


def use_cjk_font(strict: bool = False) -> str | None:
    """Make matplotlib draw Chinese. Returns the family; warns (or raises if ``strict``) without one."""
    if sandbox_charts.cjk_font() is None:
        if strict:
            raise NoCJKFont(NO_FONT_MESSAGE)
        warnings.warn(NO_FONT_MESSAGE, sandbox_charts.NoCJKFontWarning, stacklevel=2)
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sandbox_charts.NoCJKFontWarning)
        return sandbox_charts.use_cjk_font()


def _mark(fig) -> None:
    fig.text(0.99, 0.01, SYNTHETIC_MARK, ha="right", va="bottom", fontsize=9, color="#b7791f",
             bbox={"boxstyle": "round", "fc": "#fff3cd", "ec": "#e0b84c"})


# Display names and units of the metrics the courses compare (sandbox metric keys → Chinese).
METRIC_LABELS: dict[str, tuple[str, str]] = {
    "mean_wait_min": ("平均等候", "分钟"),
    "p90_wait_min": ("90%群众的等候不超过", "分钟"),
    "max_wait_min": ("最长等候", "分钟"),
    "one_visit_rate": ("一次办成率", "%"),
    "on_time_rate": ("按时办结率", "%"),
    "satisfaction_rate": ("满意率", "%"),
    "abandon_rate": ("等不及离开的比例", "%"),
    "visits_per_case": ("每件事跑大厅次数", "次"),
    "utilisation": ("窗口忙碌程度", "%"),
}


def metric_label(key: str) -> str:
    name, unit = METRIC_LABELS.get(key, (key, ""))
    return f"{name}（{unit}）" if unit else name


def _display_value(key: str, value: float) -> float:
    unit = METRIC_LABELS.get(key, ("", ""))[1]
    return value * 100 if unit == "%" and value <= 1.0 else value


def before_after(before: Mapping[str, float], after: Mapping[str, float], metrics: Sequence[str],
                 *, title: str = "调整前后对比", labels: tuple[str, str] = ("调整前", "调整后")):
    """One small bar pair per metric; returns the matplotlib Figure (not shown)."""
    use_cjk_font()
    n = len(metrics)
    fig, axes = plt.subplots(1, n, figsize=(2.6 * n + 0.6, 3.0), squeeze=False)
    for ax, key in zip(axes[0], metrics):
        vals = [_display_value(key, float(before.get(key, float("nan")))),
                _display_value(key, float(after.get(key, float("nan"))))]
        bars = ax.bar(labels, vals, color=["#a0aec0", "#3182ce"], width=0.6)
        for bar, v in zip(bars, vals):
            ax.annotate(f"{v:.1f}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        ha="center", va="bottom", fontsize=9)
        ax.set_title(metric_label(key), fontsize=10)
        ax.spines[["top", "right"]].set_visible(False)
        ax.margins(y=0.2)
    fig.suptitle(title, fontsize=12)
    fig.tight_layout(rect=(0, 0.04, 1, 0.95))
    _mark(fig)
    return fig


def png(fig) -> bytes:
    import io
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return buf.getvalue()


def show(fig, out=None) -> None:
    """Draw a figure as a PNG into an ipywidgets Output (cleared first) or the cell's output, then
    close it. PNG bytes work whatever matplotlib backend the kernel uses (inline, Agg in nbclient and
    autograde, Voila) and stay visible in the formgrader's static HTML."""
    from IPython.display import Image, display
    image = Image(data=png(fig), format="png")
    plt.close(fig)
    if out is None:
        display(image)
    else:
        out.clear_output(wait=True)
        with out:
            display(image)
