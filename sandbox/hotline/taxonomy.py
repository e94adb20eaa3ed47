"""Two-level category taxonomy of 12345 tickets, with the shape of demand for each category.

Level-one names follow the issue (物业, 消费维权, 城市管理 …; cf. GB/T 39666-2020); each level-two
category carries its share of volume, its seasonal profile, the mix of ticket types it draws, whether
it is a utility matter (水电气暖: 24-hour deadline), how often it is life-or-property urgent (特急),
and whether it is more urban or rural. All of this is data: change the tuples, not the engine.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TICKET_TYPES: tuple[str, ...] = ("咨询", "求助", "投诉", "举报", "建议", "表扬", "其他")

# Monthly multipliers (Jan..Dec). Heating season in Haidong runs from mid-October to mid-April.
SEASONS: dict[str, tuple[float, ...]] = {
    "flat": (1,) * 12,
    "heating": (2.4, 1.9, 1.3, 0.6, 0.15, 0.1, 0.1, 0.1, 0.3, 1.6, 2.8, 2.7),
    "arrears": (2.3, 1.5, 0.8, 0.7, 0.7, 0.8, 0.8, 0.8, 0.9, 1.0, 1.4, 2.2),  # before the Spring Festival
    "farming": (0.4, 0.6, 1.9, 2.3, 1.8, 1.0, 0.9, 0.9, 0.8, 0.8, 0.5, 0.4),  # irrigation, seeds, subsidies
    "roads": (0.8, 0.9, 1.6, 1.6, 1.3, 1.1, 1.2, 1.1, 1.0, 0.9, 0.8, 0.7),  # frost heave and thaw, summer rain
    "summer": (0.7, 0.7, 0.8, 0.9, 1.1, 1.3, 1.5, 1.4, 1.1, 0.9, 0.8, 0.8),
    "school": (0.6, 0.9, 1.0, 0.8, 1.0, 1.8, 2.0, 2.2, 1.5, 0.7, 0.6, 0.6),  # enrolment in summer
    "insurance": (1.4, 0.8, 0.9, 0.8, 0.8, 0.8, 0.9, 0.9, 1.3, 1.4, 1.5, 1.5),  # contribution drive Sept–Dec
    "burning": (0.5, 0.5, 1.4, 1.2, 0.5, 0.5, 0.5, 0.6, 1.2, 2.0, 1.7, 0.6),  # straw burning, coal smoke
    "festival": (1.6, 1.5, 0.9, 0.9, 1.0, 0.9, 0.9, 0.9, 1.1, 1.2, 1.0, 1.2),  # prepaid cards, holiday shopping
}


@dataclass(frozen=True)
class Category:
    level1: str
    level2: str
    weight: float  # share of citywide volume before seasonality (relative)
    season: str
    types: tuple[float, ...]  # weights over TICKET_TYPES
    dept: str  # lead department kind in the 派单目录
    alt_dept: str  # where a 退单 is most often re-routed (改派)
    assist: str | None = None  # assisting department (协办) when a matter spans two
    level: str = "county"  # county / city: which level's department leads
    utility: bool = False  # 水电气暖: deadline in hours
    p_critical: float = 0.0  # share that is 特急 (life or property at risk)
    urban: float = 1.0  # >1: more in Ledu/Ping'an, <1: more in rural counties


_C, _H, _T, _R, _S, _P, _O = range(7)


def _t(**kw: float) -> tuple[float, ...]:
    w = [0.0] * 7
    for k, v in kw.items():
        w[TICKET_TYPES.index(k)] = v
    return tuple(w)


CATEGORIES: tuple[Category, ...] = (
    # 物业
    Category("物业", "物业服务质量", 3.0, "flat", _t(投诉=0.6, 求助=0.25, 建议=0.1, 表扬=0.05), "住建局", "综合行政执法局", urban=2.2),
    Category("物业", "物业收费", 2.0, "flat", _t(咨询=0.3, 投诉=0.6, 举报=0.1), "住建局", "市场监管局", assist="市场监管局", urban=2.2),
    Category("物业", "电梯故障", 1.0, "flat", _t(求助=0.7, 投诉=0.3), "市场监管局", "住建局", p_critical=0.25, urban=2.8),
    Category("物业", "小区停车", 1.2, "flat", _t(投诉=0.6, 求助=0.2, 建议=0.2), "住建局", "公安局", urban=2.5),
    Category("物业", "物业撤场", 0.3, "flat", _t(求助=0.6, 投诉=0.4), "住建局", "属地乡镇", urban=2.5),
    # 消费维权
    Category("消费维权", "商品质量", 2.2, "festival", _t(投诉=0.75, 咨询=0.15, 举报=0.1), "市场监管局", "商务局"),
    Category("消费维权", "预付卡退费", 1.4, "festival", _t(投诉=0.85, 求助=0.15), "市场监管局", "商务局", urban=1.8),
    Category("消费维权", "餐饮服务", 1.0, "summer", _t(投诉=0.8, 举报=0.2), "市场监管局", "卫健局"),
    Category("消费维权", "网购纠纷", 1.2, "festival", _t(投诉=0.7, 咨询=0.3), "市场监管局", "商务局"),
    # 城市管理
    Category("城市管理", "占道经营", 1.2, "summer", _t(投诉=0.6, 举报=0.3, 建议=0.1), "综合行政执法局", "交通运输局", urban=2.0),
    Category("城市管理", "噪音扰民", 1.4, "summer", _t(投诉=0.85, 举报=0.15), "综合行政执法局", "公安局", urban=1.8),
    Category("城市管理", "环境卫生", 1.3, "summer", _t(投诉=0.6, 建议=0.3, 表扬=0.1), "综合行政执法局", "属地乡镇"),
    Category("城市管理", "违章搭建", 0.9, "roads", _t(举报=0.7, 投诉=0.3), "综合行政执法局", "自然资源局"),
    # 住房
    Category("住房", "老旧小区改造", 1.4, "summer", _t(咨询=0.3, 投诉=0.4, 建议=0.3), "住建局", "属地乡镇", urban=2.0),
    Category("住房", "不动产登记", 1.2, "flat", _t(咨询=0.7, 投诉=0.3), "自然资源局", "住建局", urban=1.5),
    Category("住房", "公租房", 0.7, "flat", _t(咨询=0.6, 求助=0.3, 投诉=0.1), "住建局", "民政局", urban=1.6),
    Category("住房", "商品房延期交付", 0.6, "flat", _t(投诉=0.8, 求助=0.2), "住建局", "自然资源局", urban=2.0),
    # 社保医保
    Category("社保医保", "养老保险", 1.6, "flat", _t(咨询=0.75, 求助=0.15, 投诉=0.1), "人社局", "医保局"),
    Category("社保医保", "医保报销", 1.5, "flat", _t(咨询=0.6, 求助=0.2, 投诉=0.2), "医保局", "卫健局"),
    Category("社保医保", "社保卡", 1.0, "flat", _t(咨询=0.8, 求助=0.2), "人社局", "医保局"),
    Category("社保医保", "居民医保缴费", 1.2, "insurance", _t(咨询=0.85, 求助=0.1, 投诉=0.05), "医保局", "人社局"),
    # 教育
    Category("教育", "入学招生", 1.1, "school", _t(咨询=0.7, 投诉=0.2, 建议=0.1), "教育局", "公安局"),
    Category("教育", "学校收费", 0.6, "school", _t(投诉=0.6, 举报=0.3, 咨询=0.1), "教育局", "市场监管局"),
    Category("教育", "校外培训", 0.5, "school", _t(举报=0.5, 投诉=0.4, 咨询=0.1), "教育局", "市场监管局", urban=1.6),
    Category("教育", "校车安全", 0.3, "school", _t(举报=0.4, 投诉=0.4, 建议=0.2), "教育局", "交通运输局", urban=0.7),
    # 交通
    # Roads by who maintains them: 城市道路 the 住建（市政）department (《城市道路管理条例》第六条), 公路 the
    # 交通运输局; 乡道村道 the township (「县道县管、乡道乡管、村道村管」, 国办发〔2019〕45号), below under 农业农村.
    Category("交通", "城市道路破损", 0.7, "roads", _t(投诉=0.5, 求助=0.3, 建议=0.2), "住建局", "交通运输局", urban=2.5),
    Category("交通", "公路（县道）破损", 0.5, "roads", _t(投诉=0.5, 求助=0.3, 建议=0.2), "交通运输局", "住建局", urban=0.8),
    Category("交通", "公交线路", 0.9, "flat", _t(建议=0.5, 投诉=0.4, 咨询=0.1), "交通运输局", "住建局", urban=1.6),
    Category("交通", "出租车服务", 0.8, "flat", _t(投诉=0.8, 表扬=0.15, 咨询=0.05), "交通运输局", "公安局", urban=1.8),
    Category("交通", "交通信号与标志", 0.4, "flat", _t(建议=0.6, 投诉=0.4), "公安局", "交通运输局", urban=1.8),
    # 劳动欠薪
    Category("劳动欠薪", "农民工工资拖欠", 2.6, "arrears", _t(求助=0.55, 投诉=0.4, 举报=0.05), "人社局", "住建局", assist="住建局", p_critical=0.02),
    Category("劳动欠薪", "劳动合同纠纷", 0.9, "flat", _t(咨询=0.5, 投诉=0.5), "人社局", "总工会"),
    Category("劳动欠薪", "工伤认定", 0.4, "flat", _t(咨询=0.7, 求助=0.3), "人社局", "医保局"),
    # 农业农村
    Category("农业农村", "灌溉用水", 1.0, "farming", _t(求助=0.6, 投诉=0.3, 建议=0.1), "水务局", "农业农村局", assist="属地乡镇", urban=0.4),
    Category("农业农村", "惠农补贴", 1.1, "farming", _t(咨询=0.7, 投诉=0.3), "农业农村局", "财政局", urban=0.4),
    Category("农业农村", "农资质量", 0.6, "farming", _t(投诉=0.7, 举报=0.3), "农业农村局", "市场监管局", urban=0.4),
    Category("农业农村", "乡道、村道破损", 0.8, "roads", _t(求助=0.4, 建议=0.4, 投诉=0.2), "属地乡镇", "交通运输局",
             assist="交通运输局", urban=0.4),
    Category("农业农村", "宅基地", 0.6, "flat", _t(咨询=0.6, 投诉=0.4), "自然资源局", "农业农村局", urban=0.4),
    # 市场监管
    Category("市场监管", "食品安全", 1.2, "summer", _t(举报=0.6, 投诉=0.4), "市场监管局", "卫健局", p_critical=0.03),
    Category("市场监管", "价格违法", 0.6, "festival", _t(举报=0.7, 投诉=0.3), "市场监管局", "发改局"),
    Category("市场监管", "无证经营", 0.5, "flat", _t(举报=1.0), "市场监管局", "综合行政执法局"),
    # 生态环境
    Category("生态环境", "大气污染", 0.7, "burning", _t(投诉=0.5, 举报=0.5), "生态环境局", "综合行政执法局"),
    Category("生态环境", "水污染", 0.4, "summer", _t(举报=0.7, 投诉=0.3), "生态环境局", "水务局", urban=0.7),
    Category("生态环境", "工地扬尘噪声", 0.8, "summer", _t(投诉=0.7, 举报=0.3), "生态环境局", "住建局", urban=1.8),
    # 水电气暖
    Category("水电气暖", "停水", 1.6, "summer", _t(求助=0.7, 投诉=0.25, 咨询=0.05), "供水公司", "水务局", utility=True),
    Category("水电气暖", "停电", 1.2, "summer", _t(求助=0.7, 投诉=0.25, 咨询=0.05), "供电公司", "发改局", utility=True),
    Category("水电气暖", "供暖不热", 3.0, "heating", _t(求助=0.5, 投诉=0.5), "供热公司", "住建局", utility=True, urban=2.0),
    Category("水电气暖", "燃气问题", 0.8, "heating", _t(求助=0.6, 投诉=0.3, 举报=0.1), "燃气公司", "住建局", utility=True, p_critical=0.12, urban=2.0),
    Category("水电气暖", "水质问题", 0.4, "summer", _t(投诉=0.7, 求助=0.3), "供水公司", "卫健局", utility=True),
    # 户籍证件
    Category("户籍证件", "户口迁移", 0.9, "school", _t(咨询=0.9, 投诉=0.1), "公安局", "政务服务中心"),
    Category("户籍证件", "身份证办理", 0.8, "flat", _t(咨询=0.85, 求助=0.15), "公安局", "政务服务中心"),
    Category("户籍证件", "出入境证件", 0.4, "summer", _t(咨询=0.9, 投诉=0.1), "公安局", "政务服务中心", level="city"),
    # 政务服务
    Category("政务服务", "办事指南咨询", 1.4, "flat", _t(咨询=0.9, 建议=0.1), "政务服务中心", "政务服务中心"),
    Category("政务服务", "窗口服务态度", 0.5, "flat", _t(投诉=0.7, 表扬=0.3), "政务服务中心", "政务服务中心"),
    Category("政务服务", "跨省通办", 0.6, "arrears", _t(咨询=0.7, 求助=0.3), "政务服务中心", "政务服务中心", urban=0.7),
    Category("政务服务", "网上办事系统", 0.5, "flat", _t(求助=0.5, 投诉=0.3, 建议=0.2), "政务服务中心", "政务服务中心", level="city"),
    # 卫生健康
    Category("卫生健康", "医疗服务", 1.0, "flat", _t(投诉=0.6, 咨询=0.2, 表扬=0.2), "卫健局", "医保局"),
    Category("卫生健康", "疫苗接种", 0.4, "flat", _t(咨询=0.9, 投诉=0.1), "卫健局", "医保局"),
    # 其他
    Category("其他", "其他事项", 1.0, "flat", _t(咨询=0.4, 建议=0.3, 表扬=0.1, 其他=0.2), "政务服务中心", "政务服务中心"),
)

LEVEL1: tuple[str, ...] = tuple(dict.fromkeys(c.level1 for c in CATEGORIES))
BY_LEVEL2: dict[str, Category] = {c.level2: c for c in CATEGORIES}
UTILITY_CATEGORIES = frozenset(c.level2 for c in CATEGORIES if c.utility)


def category(level2: str) -> Category:
    try:
        return BY_LEVEL2[level2]
    except KeyError:
        raise KeyError(f"分类目录中没有二级分类 {level2!r}") from None


def tree() -> dict[str, list[str]]:
    """{level1: [level2, …]} — what a classification form shows."""
    out: dict[str, list[str]] = {}
    for c in CATEGORIES:
        out.setdefault(c.level1, []).append(c.level2)
    return out


def monthly_weights(month: int) -> np.ndarray:
    """Unnormalised weight of each category (in CATEGORIES order) in a calendar month (1..12)."""
    return np.array([c.weight * SEASONS[c.season][month - 1] for c in CATEGORIES])


def type_matrix() -> np.ndarray:
    """Row-stochastic matrix: category → ticket type probabilities."""
    m = np.array([c.types for c in CATEGORIES], dtype=float)
    return m / m.sum(axis=1, keepdims=True)
