from collections import Counter

from sandbox.base.geography import COUNTIES
from sandbox.base.ids import county_code_of, id_birth_date, id_is_male, is_valid_id_number, is_valid_uscc
from sandbox.base.population import build_population


def test_identifiers_are_consistent_with_the_person():
    pop = build_population(7, n_citizens=2000, n_firms=200)
    codes = {c.name: c.code for c in COUNTIES}
    for c in pop.citizens:
        assert is_valid_id_number(c.id_number)
        assert county_code_of(c.id_number) == codes[c.county]  # 6321xx numbers of their time included
        assert id_birth_date(c.id_number) == c.birth_date
        assert id_is_male(c.id_number) == (c.gender == "男")
        assert c.elderly == (c.age >= 60)
        assert c.address.startswith("海东市" + c.county)
    assert all(is_valid_uscc(f.uscc) for f in pop.firms)


def test_same_seed_same_people_and_county_mix():
    a = build_population(11, n_citizens=3000, n_firms=10)
    b = build_population.__wrapped__(11, n_citizens=3000, n_firms=10)
    assert a.citizens == b.citizens and a.firms == b.firms
    share = Counter(c.county for c in a.citizens)
    # Huzhu and Minhe are the most populous counties, Ping'an the least (2020 census).
    assert share["互助土族自治县"] > share["平安区"] and share["民和回族土族自治县"] > share["平安区"]
    xunhua = [c for c in a.citizens if c.county == "循化撒拉族自治县"]
    assert sum(c.ethnicity != "汉族" for c in xunhua) / len(xunhua) > 0.8
