# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 一把手进大厅 · 措施推演
#
# <span class="badge" id="synthetic-badge" style="border:2px dashed #000;padding:0 6px;font-weight:bold">合成数据</span>
# 选择大厅和日子类型，调整措施，比较调整前后的等候、一次办成率，查看一位典型办事群众的经历，并保存体验记录。

# %%
# The what-if runs the sandbox's hall engine for one hall and one day (about 0.1–0.3 s), so a lever
# redraws at once; "before" is computed once per hall and kind of day and kept. Voila keeps this
# notebook's kernel preheated (hubext.dashboards). Nothing personal is shown: figures and one
# journey's steps (times, places), masked once more.
import datetime as dt
import os
from pathlib import Path

import ipywidgets as W
import numpy as np
from IPython.display import HTML, display

import sandbox as sb
from academy.readmodel import mask_text

KINDS = {"平常日": (dt.date(2026, 11, 11), False), "周一高峰（缺员）": (dt.date(2026, 11, 9), True),
         "节前高峰（春节前）": (dt.date(2026, 2, 12), False)}
SEED = 20261
REPLICAS = 1
base = sb.default_scenario()
HALLS = [h.name for h in base.halls]


def scenario_for(hall: str, kind: str, levers: dict | None = None):
    s = sb.stressed_scenario() if KINDS[kind][1] else base
    changes = {}
    for key, value in (levers or {}).items():
        changes[key.replace("{hall}", hall)] = value
    s = s.evolve(changes) if changes else s
    return s.only_hall(hall)


def run(hall: str, kind: str, levers: dict | None = None) -> tuple[dict, object]:
    """Mean figures over a few replicas of that day for one hall, and the first replica's records."""
    day = KINDS[kind][0]
    s = scenario_for(hall, kind, levers)
    sums, first = [], None
    for r in range(REPLICAS):
        rec = sb.simulate(s, 1, SEED + r, start=day, online=False, workers=1)
        first = first or rec
        sums.append(sb.summary(rec))
    keys = ("hall_visits", "mean_wait_min", "p90_wait_min", "abandonment_rate", "one_visit_rate", "utilisation")
    return {k: float(np.nanmean([x[k] for x in sums])) for k in keys}, first


_before: dict = {}


def before(hall: str, kind: str):
    if (hall, kind) not in _before:
        _before[(hall, kind)] = run(hall, kind)
    return _before[(hall, kind)]


# %%
hall_w = W.Dropdown(options=HALLS, value=HALLS[0], description="大厅")
kind_w = W.Dropdown(options=list(KINDS), value="周一高峰（缺员）", description="日子")
win_w = W.IntSlider(value=4, min=0, max=12, description="综合窗口")
help_w = W.IntSlider(value=4, min=0, max=8, description="帮办代办")
ext_w = W.Dropdown(options=[("不延时", ""), ("延时至18:30", "18:30"), ("延时至19:30", "19:30")], value="", description="延时")
lunch_w = W.FloatSlider(value=0.0, min=0.0, max=1.0, step=0.25, description="午间错峰")
appt_w = W.FloatSlider(value=0.15, min=0.0, max=0.6, step=0.05, description="预约比例")
bundle_w = W.Checkbox(value=True, description="一件事打包办")
green_w = W.Checkbox(value=True, description="绿色通道")
out = W.HTML()
journey = W.HTML()
notes_w = W.Textarea(placeholder="体验发现与整改要求（如：午间窗口不足，请错峰轮休）", description="体验记录",
                     layout=W.Layout(width="100%"))
save_w = W.Button(description="保存体验记录", button_style="primary")
saved = W.HTML()
for w in (hall_w, kind_w, win_w, help_w, ext_w, lunch_w, appt_w, bundle_w, green_w):
    w.style = {"description_width": "initial"}
    w.layout = W.Layout(width="340px", max_width="100%")  # wraps to one column on a phone


quiet = [False]


def sync_hall(_=None) -> None:
    """Sliders start at the hall's own window counts (one redraw, not one per slider)."""
    h = next(x for x in base.halls if x.name == hall_w.value)
    quiet[0] = True
    try:
        win_w.value = int(h.windows.get("综合窗口", 0))
        help_w.value = int(h.windows.get("帮办代办", 0))
    finally:
        quiet[0] = False


def levers() -> dict:
    return {"halls.{hall}.windows.综合窗口": win_w.value, "halls.{hall}.windows.帮办代办": help_w.value,
            "hours.extended_until": ext_w.value, "hours.lunch_open_share": lunch_w.value,
            "policy.appointment_share": appt_w.value, "policy.bundles": bundle_w.value,
            "policy.green_channel": green_w.value}


# %%
ROWS = [("hall_visits", "到访人次", "{:.0f}"), ("mean_wait_min", "平均等候（分钟）", "{:.1f}"),
        ("p90_wait_min", "90%等候（分钟）", "{:.1f}"), ("abandonment_rate", "放弃离开率", "{:.1%}"),
        ("one_visit_rate", "一次办成率", "{:.1%}"), ("utilisation", "窗口利用率", "{:.1%}")]


def table(b: dict, a: dict) -> str:
    rows = "".join(
        f'<tr id="row-{k}"><td>{label}</td><td>{f.format(b[k])}</td><td class="after">{f.format(a[k])}</td>'
        f'<td><div style="background:#000;height:10px;width:{min(100, 100 * a[k] / b[k]) if b[k] else 0:.0f}%">'
        f"</div></td></tr>" for k, label, f in ROWS)
    return (f'<p id="whatif-scope">{hall_w.value} · {kind_w.value}（合成数据，{REPLICAS} 次模拟平均）</p>'
            '<table id="whatif" style="border-collapse:collapse;width:100%;max-width:640px">'
            "<tr><th>指标</th><th>调整前</th><th>调整后</th><th>调整后/调整前</th></tr>" + rows + "</table>")


def typical_journey(rec) -> str:
    c = rec.cases
    hall = np.flatnonzero((c["channel"] == 0) & (c["t_called"] >= 0))
    if not len(hall):
        return "<p>当天无到厅办件。</p>"
    w = c["t_called"][hall] - c["t_number"][hall]
    pick = int(hall[np.argsort(w)[len(w) // 2]])
    steps = sb.case_journey(rec, int(c["case_id"][pick]))
    rows = "".join(f"<tr><td>{s['time']}</td><td>{s['step']}</td><td>{s.get('place', '')}</td>"
                   f"<td>{s.get('detail', '')}</td></tr>" for s in steps)
    return mask_text('<h3>典型办事群众的经历（调整后，等候为当日中位数）</h3><table id="journey">'
                     "<tr><th>时间</th><th>环节</th><th>地点</th><th>说明</th></tr>" + rows + "</table>")


last: dict = {}


def redraw(_=None) -> None:
    if quiet[0]:
        return
    b, _rb = before(hall_w.value, kind_w.value)
    a, ra = run(hall_w.value, kind_w.value, levers())
    last.update(before=b, after=a, hall=hall_w.value, kind=kind_w.value, levers=levers())
    out.value = table(b, a)
    journey.value = typical_journey(ra)


# %%
def save(_=None) -> None:
    """The 体验记录: levers, before/after and the leader's notes, as a Markdown file (合成数据)."""
    home = Path(os.environ.get("HOME", "."))
    folder = home / "体验记录"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).strftime("%Y%m%d-%H%M%S")
    path = folder / f"体验记录-{stamp}.md"
    lines = [f"# 一把手进大厅 体验记录（合成数据）", "", f"- 时间：{stamp}", f"- 大厅：{last.get('hall')}",
             f"- 日子：{last.get('kind')}", f"- 措施：{last.get('levers')}", "", "| 指标 | 调整前 | 调整后 |", "|---|---|---|"]
    for k, label, f in ROWS:
        lines.append(f"| {label} | {f.format(last['before'][k])} | {f.format(last['after'][k])} |")
    lines += ["", "## 体验发现", "", mask_text(notes_w.value or "（未填写）")]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    saved.value = f'<p id="saved">已保存体验记录：{path.name}</p>'


sync_hall()
hall_w.observe(lambda ch: (sync_hall(), redraw()), names="value")
for w in (kind_w, win_w, help_w, ext_w, lunch_w, appt_w, bundle_w, green_w):
    w.observe(redraw, names="value")
save_w.on_click(save)
redraw()
display(W.VBox([W.HBox([hall_w, kind_w], layout=W.Layout(flex_flow="row wrap")),
                W.HBox([win_w, help_w, ext_w, lunch_w, appt_w, bundle_w, green_w], layout=W.Layout(flex_flow="row wrap")),
                out, journey, notes_w, save_w, saved]))
