"""IDs keep the region code of their time (issue 14 point 11; DOMAIN §7). Each test fails on the old behaviour."""
from __future__ import annotations

from collections import Counter

import sandbox as sb
from sandbox.base.geography import county
from sandbox.base.ids import county_code_of, is_valid_id_number


def test_ids_keep_the_code_of_their_time():
    pop = sb.get_population()
    adults = pop.citizens[:pop.adults]
    codes = Counter(c.id_number[:6] for c in adults)
    old = sum(v for k, v in codes.items() if k.startswith("6321"))
    assert old > 0.9 * len(adults)  # adults today were born before 2013: 6321xx numbers
    kids = pop.citizens[pop.adults:]
    assert kids and sum(c.id_number.startswith("6302") for c in kids) > 0.5 * len(kids)  # born since 2013
    for c in pop.citizens:
        assert is_valid_id_number(c.id_number)
        assert county_code_of(c.id_number) == county(c.county).code  # county readable from any code
        if c.birth_date.year >= 2015:
            assert c.id_number[:6] == county(c.county).code
    assert county_code_of("630221200305010012"[:6] + "0" * 12) == "630203"


def test_platform_uses_the_base_rule():
    from sandbox.base import ids
    from sandbox.platform import identity
    assert identity.registry_id is ids.as_issued and identity.OLD_CODES is ids.OLD_CODES
