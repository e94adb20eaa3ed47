"""A matter's path, step by step, with Chinese labels (course 2's timelines): a view of the records.

Apart from :mod:`.records` because naming the missing materials needs the item table (the catalog
as the engine sees it); records themselves depend on nothing but numpy.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .items import item_table
from .records import CHANNELS, OUTCOMES, RATING_LEVELS, Records, to_datetime
from .scenario import WINDOW_KINDS


def _missing_list(records: Records, row: int) -> list[str]:
    mask = int(records.cases["missing"][row])
    if not mask:
        return []
    try:
        table = item_table()
        b = int(records.cases["bundle"][row])
        if b >= 0:
            if table.bundle_names[b] == records.bundle_names[b]:
                names = table.bundle_material_names[b]
                return [names[j] for j in range(len(names)) if mask >> j & 1]
            return [f"共 {bin(mask).count('1')} 项材料"]
        item = int(records.cases["item"][row])
        if table.codes[item] == records.item_codes[item]:
            return table.missing_names(item, mask)
    except Exception:  # a stored run from another catalog version: fall back to a count
        pass
    return [f"缺少材料 {bin(mask).count('1')} 项"]


def _result_detail(records: Records, r: int, out: str) -> str:
    """What the applicant is told at the end of a contact: the decision, e-licences, 跨省通办."""
    c = records.cases
    if out == "补正":
        miss = "、".join(_missing_list(records, r))
        detail = f"材料不齐全或不符合法定形式，出具补正材料一次性告知书：{miss}"
    elif out == "不予受理":
        detail = ("补正后材料仍不齐全，不予受理" if c["visit_no"][r] > 1 else
                  "申请事项不属于本机关职权范围或依法不需要取得行政许可，不予受理并告知向有关机关申请")
    elif out == "当场更正":
        fixed = "、".join(_missing_list(records, r))
        detail = f"材料存在可以当场更正的错误（{fixed}），窗口当场更正后" + (
            "当场办结" if c["t_done"][r] - c["t_end"][r] <= 60 else "受理，转后台审批")
    elif out == "即办":
        detail = "当场办结"
    elif out == "受理":
        detail = f"受理，承诺 {int(c['promised'][r])} 个工作日内办结，转后台审批"
    elif out == "容缺受理":
        miss = "、".join(_missing_list(records, r))
        detail = f"容缺受理，签署承诺书；需在 {to_datetime(int(c['t_due'][r])):%Y-%m-%d} 前补齐：{miss}"
    elif out == "告知承诺":
        detail = "告知承诺受理，申请人签署承诺书，以承诺代替证明"
    else:
        detail = out
    if c["elicence"][r] > 0:
        detail += f"；{int(c['elicence'][r])} 项材料由电子证照免交"
    cm = int(c["cross"][r])
    if cm:
        detail += f"；跨省通办（{('', '全程网办', '异地代收代办', '多地联办')[cm]}）"
    return detail


def case_journey(records: Records, case_id: int) -> list[dict[str, Any]]:
    """The path of the matter containing ``case_id``: every step of every contact, in time order.

    Each step: ``{"time": datetime, "step": "叫号", "place": "海东市政务服务中心 综合窗口 3号窗口",
    "detail": "…", "case_id": …, "visit_no": …}`` (Chinese labels, for course 2's timelines).
    """
    c = records.cases
    matter = int(c["matter_id"][records.row(case_id)])
    rows = np.flatnonzero(c["matter_id"] == matter)
    rows = rows[np.argsort(c["t_arrive"][rows], kind="stable")]
    steps: list[dict[str, Any]] = []

    def add(t: int, step: str, place: str, detail: str, row: int) -> None:
        if t >= 0:
            steps.append({"time": to_datetime(t), "step": step, "place": place, "detail": detail,
                          "case_id": int(c["case_id"][row]), "visit_no": int(c["visit_no"][row])})

    for r in rows.tolist():
        item = int(c["item"][r])
        b = int(c["bundle"][r])
        what = f"一件事：{records.bundle_names[b]}" if b >= 0 and records.bundle_names else records.item_names[item]
        ch = int(c["channel"][r])
        out = OUTCOMES[int(c["outcome"][r])]
        visit = int(c["visit_no"][r])
        nth = f"（第{visit}次）" if visit > 1 else ""
        if ch == 0:
            hall = records.hall_names[int(c["hall"][r])]
            pool = WINDOW_KINDS[int(c["pool"][r])]
            appt = "预约" if c["appointment"][r] else "现场"
            add(int(c["t_arrive"][r]), "到达大厅", hall, f"{appt}办理 {what}{nth}", r)
            green = "，走绿色通道" if c["green"][r] else ""
            add(int(c["t_number"][r]), "取号", f"{hall} 取号机",
                f"{pool} {chr(65 + int(c['pool'][r]))}{int(c['ticket'][r]):03d} 号，前面还有 {int(c['ahead'][r])} 人{green}", r)
            if c["t_called"][r] >= 0:
                wait = (int(c["t_called"][r]) - int(c["t_number"][r])) / 60
                extra = "（延时服务）" if c["overtime"][r] else ""
                add(int(c["t_called"][r]), "叫号", f"{hall} {pool} {int(c['window'][r])}号窗口",
                    f"等候 {wait:.0f} 分钟{extra}", r)
                place = f"{hall} {pool} {int(c['window'][r])}号窗口"
            else:
                why = "等候太久，放弃离开" if out == "放弃离开" else "到下班时间仍未叫到号，闭厅未办"
                add(int(c["t_left"][r]), out, hall, why, r)
                place = hall
        else:
            place = {1: "网上办事大厅（青海政务服务网）", 2: "自助服务终端", 3: "外省政务服务中心（跨省通办异地代收）",
                     4: "免申即享（数据比对后推送）"}[ch]
            if ch == 4:
                add(int(c["t_arrive"][r]), "系统推送", place, f"数据比对符合条件，推送 {what}，申请人在线确认", r)
            else:
                add(int(c["t_arrive"][r]), "提交申请", place, f"{CHANNELS[ch]} {what}{nth}", r)
        if c["t_end"][r] >= 0:
            detail = _result_detail(records, r, out)
            add(int(c["t_end"][r]), "窗口办理结束" if ch == 0 else "审核结果", place, detail, r)
            if out in ("受理", "容缺受理", "告知承诺") and c["t_done"][r] > c["t_end"][r] + 60:
                add(int(c["t_end"][r]), "后台审批", "审批部门（后台）",
                    f"承诺时限 {int(c['promised'][r])} 个工作日" if c["promised"][r] > 0 else "待补齐材料后出件", r)
        if c["t_check"][r] >= 0:
            add(int(c["t_check"][r]), "承诺核查", "审批部门",
                "核查发现承诺不实，撤销决定并记入信用记录" if c["pledge_false"][r] else "核查属实", r)
        if c["t_done"][r] >= 0 and out != "即办":
            ok = "按时办结" if c["on_time"][r] == 1 else "超期办结"
            add(int(c["t_done"][r]), "办结", "审批部门", f"{ok}，结果送达申请人", r)
        if c["rating"][r] > 0:
            add(int(c["t_rating"][r]), "好差评", "评价器/政务服务好差评系统", RATING_LEVELS[int(c["rating"][r])], r)
    steps.sort(key=lambda s: s["time"])  # stable: steps at the same moment keep their order
    return steps
