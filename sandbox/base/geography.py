"""Haidong's public geography: county-level units, their codes, populations and townships.

Figures from ../shared/DOMAIN.md §1 (2020 census). Minority mixes per county are approximate shares
among the minority population (unconfirmed; used only to make synthetic names and languages
plausible).
"""
from __future__ import annotations

from dataclasses import dataclass

CITY = "海东市"
CITY_CODE = "630200"


@dataclass(frozen=True)
class County:
    name: str
    short: str
    code: str
    population: int
    minority_share: float
    minority_mix: tuple[tuple[str, float], ...]  # ethnicity -> share among the minority population
    townships: tuple[str, ...]
    out_of_province_share: float  # working-age people working in another province (跨省通办 demand)


COUNTIES: tuple[County, ...] = (
    County("乐都区", "乐都", "630202", 240_949, 0.158, (("土族", 0.35), ("藏族", 0.35), ("回族", 0.3)),
           ("碾伯镇", "雨润镇", "寿乐镇", "高庙镇", "洪水镇", "高店镇", "瞿昙镇", "共和乡", "中岭乡", "李家乡"),
           0.06),
    County("平安区", "平安", "630203", 117_883, 0.252, (("回族", 0.55), ("藏族", 0.35), ("土族", 0.1)),
           ("平安镇", "小峡镇", "三合镇", "洪水泉回族乡", "石灰窑回族乡", "古城回族乡", "沙沟回族乡", "巴藏沟回族乡"),
           0.05),
    County("民和回族土族自治县", "民和", "630222", 326_964, 0.571, (("回族", 0.55), ("土族", 0.4), ("藏族", 0.05)),
           ("川口镇", "古鄯镇", "马营镇", "官亭镇", "巴州镇", "满坪镇", "李二堡镇", "峡门镇", "中川乡", "甘沟乡"),
           0.09),
    County("互助土族自治县", "互助", "630223", 337_941, 0.277, (("土族", 0.65), ("藏族", 0.25), ("回族", 0.1)),
           ("威远镇", "丹麻镇", "高寨镇", "南门峡镇", "加定镇", "五十镇", "五峰镇", "塘川镇", "东沟乡", "林川乡"),
           0.08),
    County("化隆回族自治县", "化隆", "630224", 200_474, 0.827, (("回族", 0.62), ("藏族", 0.3), ("撒拉族", 0.08)),
           ("巴燕镇", "群科镇", "牙什尕镇", "甘都镇", "扎巴镇", "昂思多镇", "德恒隆乡", "初麻乡", "二塘乡", "石大仓乡"),
           0.22),
    County("循化撒拉族自治县", "循化", "630225", 134_260, 0.940, (("撒拉族", 0.66), ("藏族", 0.26), ("回族", 0.08)),
           ("积石镇", "街子镇", "白庄镇", "查汗都斯乡", "清水乡", "道帏藏族乡", "文都藏族乡", "尕楞藏族乡"),
           0.13),
)

# 河湟新区 is a branch service area, not a county: its residents are registered in 平安 / 乐都.
HEHUANG = "河湟新区"

COUNTY_BY_NAME = {c.name: c for c in COUNTIES}
COUNTY_BY_SHORT = {c.short: c for c in COUNTIES}
TOTAL_POPULATION = sum(c.population for c in COUNTIES)  # 1,358,471

# Provinces where Haidong's migrant workers (the noodle-shop owners of 化隆 among them) mostly live.
WORK_PROVINCES = ("广东省", "浙江省", "江苏省", "上海市", "北京市", "福建省", "四川省", "新疆维吾尔自治区", "西藏自治区", "山东省")

LANGUAGE_BY_ETHNICITY = {
    "汉族": "河湟方言",
    "回族": "河湟方言",
    "土族": "土族语",
    "撒拉族": "撒拉语",
    "藏族": "安多藏语",
}

VILLAGE_STEMS = ("上庄", "下庄", "东沟", "西沟", "红崖", "新庄", "河滩", "马家", "李家", "韩家", "祁家",
                 "大庄", "阳山", "阴坡", "沙塘", "古城", "草滩", "旱台", "水磨", "桥头")
STREETS = ("古城大街", "平安大道", "湟中路", "滨河路", "文化路", "建设路", "团结路", "民族路", "河湟大道")


def county(name_or_short: str) -> County:
    try:
        return COUNTY_BY_NAME.get(name_or_short) or COUNTY_BY_SHORT[name_or_short]
    except KeyError:
        raise KeyError(f"海东市没有县区 {name_or_short!r}") from None
