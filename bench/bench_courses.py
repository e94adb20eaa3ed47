"""Course 2's what-if panel: time from a click on 重新模拟 to the redrawn chart (one hall, one month).

Drives the real widget headless: builds the panel, sets levers, calls the button's click handler
(which simulates the month with the levers, recomputes the metrics and redraws the chart).
The first click also simulates the unchanged month ("before"); later clicks reuse it.
"""
from __future__ import annotations

import contextlib
import io
import os
import time


def run() -> dict:
    os.environ.setdefault("MPLBACKEND", "Agg")
    from coursekit import journeys

    t0 = time.perf_counter()
    panel = journeys.whatif_panel(days=30)
    build = time.perf_counter() - t0
    kinds = list(panel.kind_boxes)
    timings = []
    for i in range(4):
        panel.kind_boxes[kinds[i % len(kinds)]].value = 1 + i % 2
        panel.ext.value = "延时到19:00" if i % 2 else "不延时"
        t = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):  # outside a kernel, display() prints reprs
            panel.run_button.click()  # the trainee's click: simulate + metrics + redraw
        timings.append(time.perf_counter() - t)
    later = sorted(timings[1:])
    # Baseline in the same run: the bare simulation of the same month, and the chart alone.
    sc = journeys.apply_levers(panel.base, panel.levers())
    t = time.perf_counter()
    after = journeys.metrics(journeys.simulate(sc, seed=panel.seed, days=panel.days))
    sim = time.perf_counter() - t
    from coursekit import charts
    t = time.perf_counter()
    charts.png(charts.before_after(panel._before, after, panel.METRICS))
    chart = time.perf_counter() - t
    return {
        "whatif_panel_build_s": round(build, 3),
        "whatif_first_click_to_chart_s": round(timings[0], 3),  # includes the 'before' month
        "whatif_click_to_chart_median_s": round(later[len(later) // 2], 3),
        "whatif_click_to_chart_max_s": round(max(later), 3),
        "whatif_days": panel.days,
        "bare_simulate_month_s": round(sim, 3),
        "chart_render_s": round(chart, 3),
        "click_overhead_vs_bare_simulate_ratio": round(later[len(later) // 2] / sim, 2) if sim else None,
    }


if __name__ == "__main__":
    print(run())
