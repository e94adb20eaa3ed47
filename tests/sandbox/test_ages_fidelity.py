"""Ages at the case date, not at the population reference date (issue 14 point 10). Each test fails on the old behaviour."""
from __future__ import annotations

from datetime import date

import numpy as np

import sandbox as sb

from hall_runs import CITY


def test_ages_at_the_case_date():
    pop = sb.get_population()
    idx = np.arange(len(pop.citizens))
    later = date(2026, 12, 1).toordinal()
    ages = pop.ages_on(idx, later)
    ref = np.array([c.age for c in pop.citizens])
    assert ((ages - ref >= 2) & (ages - ref <= 3)).all()
    assert ((ages >= 60) & ~pop.elderly).sum() > 100  # turned 60 since 2024-01-01


def test_elderly_flag_at_the_case_date():
    rec = sb.simulate(sb.default_scenario().only_hall(CITY), 3, 2, start=date(2026, 6, 1), online=False)
    pop = sb.get_population(sb.default_scenario().population.seed)
    c = rec.cases
    day = c["t_arrive"] // 86400 + 719163
    ages = np.array([pop.citizens[int(p)].age_on(date.fromordinal(int(d)))
                     for p, d in zip(c["person"], day)])
    assert (c["elderly"] == (ages >= 60)).all()
    assert (c["elderly"] != pop.elderly[c["person"]]).any()  # some turned 60 since 2024-01-01
