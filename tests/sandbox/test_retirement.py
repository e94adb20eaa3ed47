"""Statutory retirement ages (issue 14 point 9). Each test fails on the old behaviour."""
from __future__ import annotations

from datetime import date

from sandbox.base.retirement import retirement_age_months, retirement_date


def test_statutory_retirement_ages_2025_rise():
    # 全国人大常委会决定 (2024-09-13) 附件: men +1 month per 4 birth months from 1965-01, up to 63 …
    assert retirement_age_months("男职工", date(1964, 12, 5)) == 60 * 12
    assert retirement_age_months("男职工", date(1965, 1, 5)) == 60 * 12 + 1
    assert retirement_age_months("男职工", date(1965, 5, 5)) == 60 * 12 + 2
    assert retirement_age_months("男职工", date(1976, 9, 1)) == 63 * 12
    assert retirement_age_months("女职工", date(1975, 3, 1)) == 50 * 12 + 2
    assert retirement_age_months("女职工", date(1984, 11, 1)) == 55 * 12
    assert retirement_age_months("女干部", date(1970, 4, 30)) == 55 * 12 + 1
    assert retirement_age_months("女干部", date(1981, 9, 1)) == 58 * 12
    assert retirement_date("男职工", date(1965, 1, 15)) == date(2025, 3, 1)  # 60y1m in 2025-02
    assert retirement_date("男职工", date(1970, 6, 15), "特殊工种") == date(2025, 7, 1)


def test_applicants_fit_the_item():
    """Issue 14 point 9: retirement applicants at the statutory age, 高龄补贴 80+, women for 生育津贴,
    a first ID card once per person, food licences for food firms, legal representatives of working age."""
    import numpy as np
    import sandbox as sb
    from hall_runs import CITY
    s = sb.default_scenario().only_hall(CITY)
    rec = sb.simulate(s, 20, 3, start=date(2025, 6, 2))
    c = rec.cases
    pop = sb.get_population(s.population.seed)
    code = {x: i for i, x in enumerate(rec.item_codes)}
    day = c["t_arrive"] // 86400 + 719163
    age = pop.ages_on(c["person"], day)
    first = c["visit_no"] == 1
    ret = (c["item"] == code["630200-GF-09004"]) & first & (c["bundle"] < 0)
    male = np.array([pop.citizens[int(p)].gender == "男" for p in c["person"]])
    assert ret.sum() > 30
    assert (age[ret & male] >= 50).all() and (age[ret & male] <= 61).all()
    assert (age[ret & ~male] >= 45).all() and (age[ret & ~male] <= 58).all()
    assert (age[ret & male] >= 60).mean() > 0.8  # most men at the statutory age (60 + months in 2025)
    old = (c["item"] == code["630200-GF-08010"]) & first
    assert old.any() and (age[old] >= 80).all()
    birth = (c["item"] == code["630200-GF-09102"]) & first
    assert birth.any() and not male[birth].any()
    idc = (c["item"] == code["630200-QR-01001"]) & first & (c["channel"] == 0)
    people = c["person"][idc]
    # once per person while the synthetic pool lasts (it had 50 adults applying twice within 20 days)
    assert len(people) > 10 and len(set(people.tolist())) >= 0.95 * len(people)
    food = (c["item"] == code["630200-XK-02006"]) & (c["firm"] >= 0)
    assert food.any() and all(pop.firms[int(f)].industry in ("餐饮", "拉面", "超市", "农产品")
                              for f in c["firm"][food])
    assert all(22 <= pop.citizens[f.legal_rep_pid].age <= 70 for f in pop.firms)
