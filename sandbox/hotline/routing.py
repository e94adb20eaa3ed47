"""The routing catalogue (派单目录) and the handling units with their speed and quality.

A unit is a department of a county (``乐都区住建局``) or of the city (``海东市公安局``), or a county
utility (``民和县供水公司``). The catalogue maps a level-two category and a county to the lead unit
(主办), the assisting unit (协办) when the matter spans two, and the unit a 退单 is re-routed to
(改派). Units' speed and quality are drawn once per seed: they make some units slow or poorly rated,
which is what the bulletin's ranking must surface.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from ..base.geography import CITY, COUNTIES, County
from .taxonomy import CATEGORIES, Category, category

HOTLINE_CENTRE = "海东市12345热线中心"
# The catalogue's word for "the township (town) government where the matter is": 乡道村道 are the
# township's (「县道县管、乡道乡管、村道村管」, 国办发〔2019〕45号), 村级渠道 are kept by village and township.
TOWNSHIP = "属地乡镇"


def county_prefix(county: County) -> str:
    """乐都区 / 民和县: the short form used in unit names."""
    return county.name if county.name.endswith("区") and len(county.name) == 3 else county.short + "县"


def township_unit(county: str, town: str) -> str:
    """A township government as a unit (乐都区碾伯镇人民政府)."""
    c = next(c for c in COUNTIES if c.name == county)
    return f"{county_prefix(c)}{town}人民政府"


def unit_name(dept: str, county_name: str | None, town: str = "") -> str:
    """A department's unit name; ``属地乡镇`` is the ticket's own township government when ``town`` is known."""
    if dept == TOWNSHIP and town and county_name is not None:
        return township_unit(county_name, town)
    if county_name is None:
        return CITY + dept
    c = next(c for c in COUNTIES if c.name == county_name)
    return county_prefix(c) + dept


@dataclass(frozen=True)
class Unit:
    name: str
    dept: str
    county: str | None  # None: city level
    speed: float  # multiplier on handling time (>1 slower)
    sign_hours: float  # mean hours to sign for a ticket
    quality: float  # shift of the latent satisfaction (0 average, negative worse)


@dataclass(frozen=True)
class Route:
    lead: str
    assist: tuple[str, ...]
    # the unit a ticket of this category is commonly misrouted to (and which returns it, 退单); a
    # returned ticket is re-routed (改派) to ``lead``, so no widget shows this unit as advice
    alternative: str


def route_for(level2: str, county_name: str, *, town: str = "", with_assist: bool = True) -> Route:
    """The catalogue entry for a category in a county (``town``: the ticket's township, which names
    the township government where the catalogue says 属地乡镇)."""
    cat: Category = category(level2)
    where = None if cat.level == "city" else county_name
    lead = unit_name(cat.dept, where, town)
    alt = unit_name(cat.alt_dept, where, town)
    if alt == lead:
        alt = unit_name(cat.dept, None) if where is not None else unit_name(cat.dept, county_name)
    assist = (unit_name(cat.assist, county_name, town),) if (with_assist and cat.assist) else ()
    return Route(lead, assist, alt)


def all_unit_names() -> list[str]:
    names: dict[str, None] = {}
    for cat in CATEGORIES:
        for county in COUNTIES:
            r = route_for(cat.level2, county.name)
            names[r.lead] = None
            names[r.alternative] = None
            for a in r.assist:
                names[a] = None
    return list(names)


@lru_cache(maxsize=16)
def build_units(seed: int) -> dict[str, Unit]:
    """Every unit of the catalogue with its speed and quality, drawn from the seed.

    About one unit in eight is deliberately weak (slow and poorly rated) so that rankings and
    floors have something to find.
    """
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x12345]))
    units: dict[str, Unit] = {}
    for name in sorted(all_unit_names()):
        weak = rng.random() < 0.12
        speed = float(np.exp(rng.normal(0.45 if weak else 0.0, 0.25)))
        quality = float(rng.normal(-0.75 if weak else 0.1, 0.2))
        sign_hours = float(np.exp(rng.normal(np.log(5.0) + (0.8 if weak else 0.0), 0.3)))
        county = next((c.name for c in COUNTIES if name.startswith(county_prefix(c))), None)
        dept = name.removeprefix(CITY) if county is None else name[len(county_prefix(
            next(c for c in COUNTIES if c.name == county))):]
        units[name] = Unit(name, dept, county, speed, sign_hours, quality)
    # Each township government of a county works like the county's 属地乡镇 drawn above (no new draws,
    # so every other unit keeps its figures): the simulation routes to the ticket's own township.
    for c in COUNTIES:
        local = units.get(unit_name(TOWNSHIP, c.name))
        for town in c.townships if local is not None else ():
            name = township_unit(c.name, town)
            units[name] = replace(local, name=name, dept=f"{town}人民政府")
    units[HOTLINE_CENTRE] = Unit(HOTLINE_CENTRE, "12345热线中心", None, 1.0, 0.1, 0.2)
    return units
