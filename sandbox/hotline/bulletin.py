"""The monthly 12345 bulletin (通报): numbers from the stored tickets, HTML with charts, JSON.

:func:`build` reads one month of a run (plus the month before, for month-on-month change and the
warnings, and monthly counts of the whole run for the forecast) and returns a JSON-ready dict with
every number the report shows. :func:`render_html` turns that dict into a Chinese report with
charts (matplotlib, WenQuanYi Micro Hei, embedded as base64 PNG); :func:`write` writes
``bulletin.html`` and ``bulletin.json``. All of it is marked 合成数据 and callers are masked.
"""
from __future__ import annotations

import base64
import io
import warnings
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from ..base.calendar import now_beijing
from ..base.ids import SYNTHETIC_MARK, mask_name, mask_phone
from ..storage import hotline as storage
from .forecast import forecast_next
from .metrics import DEFAULT_WEIGHT, counts, enrich, rates
from .warnings import WarningConfig, all_warnings, spikes

SCHEMA_VERSION = "hotline-bulletin/1"


class NoTicketsError(LookupError):
    """The month has no tickets in the run."""


@dataclass(frozen=True)
class BulletinConfig:
    weight: float = DEFAULT_WEIGHT  # 基本满意 weight in 满意率
    satisfaction_floor: float = 0.85
    reply_floor: float = 0.92
    min_followups: int = 10  # units with fewer follow-ups are not judged on 满意率
    min_dispatched: int = 20  # … nor on 按时回复率
    top_n: int = 8
    examples: int = 2
    warnings: WarningConfig = WarningConfig()


def _month_bounds(month: str) -> tuple[datetime, datetime, str]:
    try:
        start = datetime.strptime(month, "%Y-%m")
    except ValueError:
        raise ValueError(f"月份格式应为 YYYY-MM，收到 {month!r}") from None
    end = datetime(start.year + 1, 1, 1) if start.month == 12 else datetime(start.year, start.month + 1, 1)
    prev = datetime(start.year - 1, 12, 1) if start.month == 1 else datetime(start.year, start.month - 1, 1)
    return start, end, f"{prev:%Y-%m}"


def _mom(cur: int, prev: int | None) -> float | None:
    if not prev:
        return None
    return round((cur - prev) / prev, 4)


def build(db, month: str, run_id: str | None = None, cfg: BulletinConfig = BulletinConfig()) -> dict:
    """The month's 通报 as a dict (JSON-ready). Reads the database only (opened read-only)."""
    eng = storage.engine_for(db, create=False) if not hasattr(db, "connect") else db
    run_id = run_id or storage.latest_run(eng)
    if run_id is None:
        raise NoTicketsError("数据库中没有热线模拟数据，请先运行 python -m sandbox hotline")
    start, end, prev_month = _month_bounds(month)
    raw = storage.load(eng, run_id, start=start, end=end)
    if raw.empty:
        raise NoTicketsError(f"运行 {run_id} 在 {month} 没有工单")
    pstart, _, _ = _month_bounds(prev_month)
    praw = storage.load(eng, run_id, start=pstart, end=start)
    cur = enrich(raw)
    prev = enrich(praw) if not praw.empty else None
    monthly_l1 = storage.monthly_counts(eng, run_id, "level1")
    r = rates(cur, cfg.weight)
    pr = rates(prev, cfg.weight) if prev is not None else None

    hot = _hot_topics(cur, prev, cfg)
    l1 = _level_one(cur, prev)
    units = _unit_ranking(cur, cfg)
    below = [u for u in units if u["未达标"]]

    warns = all_warnings(cur, prev, cfg.warnings)
    fc = forecast_next(monthly_l1, month)
    info = storage.run_info(eng, run_id) or {}
    data = {
        "schema_version": SCHEMA_VERSION, "数据性质": SYNTHETIC_MARK, "run_id": run_id, "月份": month,
        "上月": prev_month if prev is not None else None, "生成时间": now_beijing().isoformat(timespec="seconds"),
        "运行": {"seed": info.get("seed"), "起始月": info.get("start"), "月数": info.get("months")},
        "口径": {"满意率": f"(满意 + {cfg.weight} × 基本满意) / 回访量；满意 = 非常满意 + 满意", "满意率权重": cfg.weight,
               "响应率": "按时签收 / 派单", "解决率": "回访确认已解决 / 回访量", "按时回复率": "按时限回复 / 派单",
               "按期办结率": "按时限办结 / 派单", "回访率": "回访量 / 办结量", "直接办结率": "直接办结 / 有效工单",
               "统计范围": "本月受理的工单（含其后续办理、回访结果）"},
        "基本情况": {
            **{k: r[k] for k in ("受理量", "有效工单", "不予受理", "并单", "直接办结", "派单", "直接办结率")},
            "环比": _mom(r["受理量"], pr["受理量"] if pr else None),
            "渠道": counts(cur, "channel"), "类型": counts(cur, "ticket_type"), "县区": counts(cur, "county"),
            "一级分类": l1, "紧急程度": counts(cur, "urgency"),
            "不予受理原因": counts(cur[cur["refused"]], "refused_reason"),
            "日受理量": {str(k): int(v) for k, v in cur["received_at"].dt.date.value_counts().sort_index().items()},
        },
        "办理情况": {k: r[k] for k in ("派单", "按时签收", "按时回复", "按期办结", "超期", "延期", "退单", "督办", "重办",
                                  "办结", "响应率", "按时回复率", "按期办结率")},
        "回访评价": {**{k: r[k] for k in ("回访", "满意", "基本满意", "不满意", "已解决", "回访率", "响应率", "解决率",
                                       "满意率", "差评率")},
                 "评价分布": counts(cur[cur["followed"]], "final_rating"),
                 "上月": {k: pr[k] for k in ("响应率", "解决率", "满意率")} if pr else None},
        "热点分析": {"二级分类前列": hot, "一级分类": l1},
        "单位排名": {"标准": {"满意率": cfg.satisfaction_floor, "按时回复率": cfg.reply_floor,
                          "最少回访": cfg.min_followups, "最少派单": cfg.min_dispatched},
                 "单位": units, "未达标单位": [u["单位"] for u in below]},
        "预警": warns,
        "预测": fc,
    }
    data["下步工作"] = next_steps(data)
    return data


def month_figures(cur: pd.DataFrame, prev: pd.DataFrame | None, cfg: BulletinConfig = BulletinConfig()) -> dict:
    """The figures of :func:`build` that depend on the month's tickets alone (no database, no forecast,
    no unit ranking): the rates, the hot topics and the spike warnings, by the same functions ``build``
    calls. ``cur`` and ``prev`` are enriched frames (``metrics.enrich``). For exercises graded against
    the bulletin (sandbox.hotline.drill) where building the whole report per submission costs too much."""
    return {"rates": rates(cur, cfg.weight), "热点": _hot_topics(cur, prev, cfg),
            "突增": spikes(cur, prev, cfg.warnings)}


def _hot_topics(cur: pd.DataFrame, prev: pd.DataFrame | None, cfg: BulletinConfig) -> list[dict]:
    """热点: top level-two categories with month-on-month change and masked examples."""
    c2 = cur["level2"].value_counts()
    p2 = prev["level2"].value_counts() if prev is not None else pd.Series(dtype=int)
    hot = []
    for cat, n in c2.head(cfg.top_n).items():
        pn = int(p2.get(cat, 0)) if prev is not None else None
        ex = cur[cur["level2"] == cat].sort_values("received_at").head(cfg.examples)
        hot.append({
            "分类": cat, "一级分类": str(ex["level1"].iloc[0]), "本月": int(n), "上月": pn, "环比": _mom(int(n), pn),
            "占比": round(int(n) / len(cur), 4),
            "示例": [{"工单编号": e.number, "县区": e.county, "来电人": f"{mask_name(e.caller_name)} {mask_phone(e.caller_mobile)}",
                    "诉求": e.text} for e in ex.itertuples()],
        })
    return hot


def _level_one(cur: pd.DataFrame, prev: pd.DataFrame | None) -> list[dict]:
    """Level-one categories, this month against the last."""
    l1 = []
    p1 = prev["level1"].value_counts() if prev is not None else pd.Series(dtype=int)
    for cat, n in cur["level1"].value_counts().items():
        pn = int(p1.get(cat, 0)) if prev is not None else None
        l1.append({"分类": cat, "本月": int(n), "上月": pn, "环比": _mom(int(n), pn)})
    return l1


def _unit_ranking(cur: pd.DataFrame, cfg: BulletinConfig) -> list[dict]:
    """单位排名 (lead units of dispatched tickets), with the standards each one misses."""
    units = []
    disp = cur[cur["dispatched"]]
    for unit, g in disp.groupby("lead_unit"):
        ur = rates(g, cfg.weight)
        below = []
        if ur["回访"] >= cfg.min_followups and ur["满意率"] is not None and ur["满意率"] < cfg.satisfaction_floor:
            below.append(f"满意率低于{cfg.satisfaction_floor:.0%}")
        if ur["派单"] >= cfg.min_dispatched and ur["按时回复率"] is not None and ur["按时回复率"] < cfg.reply_floor:
            below.append(f"按时回复率低于{cfg.reply_floor:.0%}")
        units.append({"单位": unit, "派单": ur["派单"], "响应率": ur["响应率"], "按时回复率": ur["按时回复率"],
                      "超期": ur["超期"], "回访": ur["回访"], "满意率": ur["满意率"], "解决率": ur["解决率"],
                      "差评": ur["不满意"], "未达标": below})
    units.sort(key=lambda u: (-(u["满意率"] or 0) - (u["按时回复率"] or 0), u["单位"]))
    for i, u in enumerate(units, 1):
        u["名次"] = i
    return units


def next_steps(data: dict) -> list[str]:
    out = []
    w = data["预警"]
    for s in w["突增"][:3]:
        out.append(f"针对{s['县区']}「{s['分类']}」诉求突增，督促主办单位查明原因、统一答复口径，做到未诉先办。")
    if data["单位排名"]["未达标单位"]:
        names = "、".join(data["单位排名"]["未达标单位"][:5])
        out.append(f"对未达标单位（{names}等）进行点名通报，限期整改并跟踪回访。")
    if w["超期集中"]:
        out.append("对超期工单集中的单位开展专项督办，分析超期原因，压实签收和办理时限。")
    if w["重复来电"]:
        out.append(f"对 {len(w['重复来电'])} 名重复来电人建立台账，逐一回访，化解诉求根源。")
    if w["差评上升"]:
        out.append("对差评率上升的单位启动好差评整改闭环：回访核实、限期整改、复评。")
    top = data["热点分析"]["二级分类前列"][:2]
    if top:
        out.append("持续关注「" + "」「".join(t["分类"] for t in top) + "」等高频诉求，推动从个案办理向类案治理转变。")
    out.append("坚持实事求是，不唯排名，重在解决群众急难愁盼。")
    return out


# ---- rendering -----------------------------------------------------------------------------------
def _charts(data: dict) -> dict[str, str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..charts import use_cjk_font

    with warnings.catch_warnings():
        if use_cjk_font() is None:  # warned once; the charts are drawn anyway, Chinese as boxes
            warnings.filterwarnings("ignore", message="Glyph .* missing from", category=UserWarning)
        return _draw_charts(data, plt)


def _draw_charts(data: dict, plt) -> dict[str, str]:
    out = {}

    def emit(fig, key):
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
        plt.close(fig)
        out[key] = base64.b64encode(buf.getvalue()).decode("ascii")

    daily = data["基本情况"]["日受理量"]
    fig, ax = plt.subplots(figsize=(8, 2.8))
    ax.plot(list(range(1, len(daily) + 1)), list(daily.values()), marker="o", ms=3, color="#c0392b")
    ax.set_title(f"{data['月份']} 每日受理量（合成数据）")
    ax.set_xlabel("日")
    ax.set_ylabel("件")
    ax.grid(alpha=0.3)
    emit(fig, "daily")

    l1 = data["热点分析"]["一级分类"]
    fig, ax = plt.subplots(figsize=(8, 3.6))
    names = [x["分类"] for x in l1][::-1]
    ax.barh(names, [x["本月"] for x in l1][::-1], color="#2e86c1", label="本月")
    if l1 and l1[0]["上月"] is not None:
        ax.scatter([x["上月"] for x in l1][::-1], names, color="#f39c12", zorder=3, label="上月", s=18)
    ax.set_title("诉求分类（一级）本月与上月")
    ax.legend(loc="lower right")
    emit(fig, "categories")

    county = data["基本情况"]["县区"]
    fig, ax = plt.subplots(figsize=(8, 2.8))
    ax.bar(list(county), list(county.values()), color="#27ae60")
    ax.set_title("各县区受理量")
    ax.tick_params(axis="x", labelsize=8)
    emit(fig, "counties")
    return out


def render_html(data: dict, charts: dict[str, str] | None = None) -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                      autoescape=select_autoescape(["html", "j2"]))
    env.filters["pct"] = lambda v: "—" if v is None else f"{v * 100:.1f}%"
    env.filters["mom"] = lambda v: "—" if v is None else (f"+{v * 100:.1f}%" if v >= 0 else f"{v * 100:.1f}%")
    return env.get_template("bulletin.html.j2").render(d=data, charts=charts if charts is not None else _charts(data))
