"""Statutory retirement ages in force at a date, with the gradual rise from January 2025.

Basis: 《全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定》(2024-09-13) and its annex
《国务院关于渐进式延迟职工法定退休年龄的办法》, in force 2025-01-01:

- men, original age 60: born from January 1965, one month later for every 4 months of birth, up to 63;
- women workers (女职工, original 50): born from January 1975, one month later for every 2 months of
  birth, up to 55;
- women cadres (女干部/管理岗位, original 55): born from January 1970, one month later for every 4 months
  of birth, up to 58.

Early retirement keeps the earlier rules (国发〔1978〕104号, 劳部发〔1999〕8号): special (arduous,
hazardous, high-altitude) jobs — men 55, women 45; complete loss of working capacity (病退) — men 50,
women 45. Pure functions of dates; no I/O.
"""
from __future__ import annotations

from datetime import date

__all__ = ["CATEGORIES", "EARLY", "retirement_age_months", "retirement_date"]

# category -> (original age in years, first birth (year, month) that retires later, birth months per
# month of delay, maximum delay in months)
CATEGORIES: dict[str, tuple[int, tuple[int, int], int, int]] = {
    "男职工": (60, (1965, 1), 4, 36),
    "女职工": (50, (1975, 1), 2, 60),
    "女干部": (55, (1970, 1), 4, 36),
}
# early retirement routes -> (men, women) age in years; not affected by the 2025 rise
EARLY: dict[str, tuple[int, int]] = {"特殊工种": (55, 45), "病退": (50, 45)}


def retirement_age_months(category: str, birth: date) -> int:
    """Statutory retirement age in months for a person of ``category`` born on ``birth``."""
    try:
        years, (y0, m0), per, cap = CATEGORIES[category]
    except KeyError:
        raise KeyError(f"没有退休人员类别 {category!r}；可选：{'、'.join(CATEGORIES)}") from None
    k = (birth.year - y0) * 12 + (birth.month - m0)  # birth months since the first delayed one
    delay = 0 if k < 0 else min(cap, k // per + 1)
    return years * 12 + delay


def retirement_date(category: str, birth: date, route: str = "") -> date:
    """The first day of the month after the person reaches the age (the pension starts then);
    ``route`` "特殊工种" or "病退" for early retirement at the unchanged early ages."""
    if route:
        men, women = EARLY[route]
        months = (men if category == "男职工" else women) * 12
    else:
        months = retirement_age_months(category, birth)
    total = birth.year * 12 + (birth.month - 1) + months + 1
    return date(total // 12, total % 12 + 1, 1)
