"""政务服务码: signed, time-limited payload in a real QR image, read back by the window's scanner."""
from __future__ import annotations

import io
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from sandbox.base.ids import SYNTHETIC_MARK
from sandbox.platform import servicecode as C
from sandbox.base.population import build_population

NOW = 1_750_000_000
SETTINGS = settings(deadline=None, max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def pop():
    return build_population(42, 400, 10)


@pytest.fixture(scope="module")
def world(pop):
    sc = C.servicecode_scenario()
    accounts = C.link_accounts(pop, sc, 5)
    issuer, verifier = C.build_issuer(sc, accounts, 5)
    return sc, accounts, issuer, verifier


def test_code_round_trips_through_a_real_qr_image(world):
    sc, accounts, issuer, verifier = world
    code = issuer.issue(accounts[7], NOW, 1)
    png = C.render_png(code, sc)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and Image.open(io.BytesIO(png)).size[0] > 100
    assert C.read_qr(png) == code.payload
    assert SYNTHETIC_MARK in code.payload  # the mark travels inside the code itself
    res = C.scan(png, verifier, NOW + 30)
    assert res.ok and res.account == accounts[7]
    text = res.message
    assert SYNTHETIC_MARK in text and accounts[7].id_number not in text and accounts[7].name not in text
    assert accounts[7].medical_code not in text and accounts[7].ss_card not in text


@SETTINGS
@given(offset=st.integers(-3600, 3600))
def test_code_valid_exactly_within_its_time_window(world, offset):
    sc, accounts, issuer, verifier = world
    code = issuer.issue(accounts[0], NOW, 2)
    res = C.check_payload(code.payload, verifier, NOW + offset)
    if -sc.skew_s <= offset <= sc.ttl_s + sc.skew_s:
        assert res.ok
    else:
        assert res.reason == ("future" if offset < 0 else "expired")
        assert "过期" in res.message or "晚于" in res.message


@SETTINGS
@given(data=st.data())
def test_any_changed_character_is_refused(world, data):
    _, accounts, issuer, verifier = world
    payload = issuer.issue(accounts[3], NOW, 3).payload
    i = data.draw(st.integers(0, len(payload) - 1))
    ch = data.draw(st.characters(codec="utf-8").filter(lambda c: c != payload[i]))
    forged = payload[:i] + ch + payload[i + 1:]
    res = C.check_payload(forged, verifier, NOW)
    assert not res.ok and res.reason in ("forged", "foreign")


def test_code_signed_by_another_key_is_forged(pop, world):
    sc, accounts, _, verifier = world
    other_issuer, _ = C.build_issuer(sc, accounts, 99)
    res = C.scan(C.render_png(other_issuer.issue(accounts[1], NOW, 4), sc), verifier, NOW)
    assert res.reason == "forged" and "伪造" in res.message


def test_someone_elses_account_in_a_genuine_code_is_forged(world):
    _, accounts, issuer, verifier = world
    parts = issuer.issue(accounts[1], NOW, 5).payload.split("|")
    parts[2] = accounts[2].account
    assert C.check_payload("|".join(parts), verifier, NOW).reason == "forged"


def test_other_codes_and_unreadable_images_are_refused(world):
    sc, accounts, issuer, verifier = world
    assert C.scan(C.render_png("https://pay.example.invalid/1", sc), verifier, NOW).reason == "foreign"
    blank = io.BytesIO()
    Image.new("L", (200, 200), 255).save(blank, format="PNG")
    assert C.scan(blank.getvalue(), verifier, NOW).reason == "unreadable"
    assert C.scan(b"not an image", verifier, NOW).reason == "unreadable"
    stranger = C.ServiceAccount("9999999999", -1, "某某", accounts[0].id_number, "", "", "", ())
    assert C.check_payload(issuer.issue(stranger, NOW, 6).payload, verifier, NOW).reason == "unknown_account"


def test_accounts_link_the_three_credentials_and_elicences(pop):
    sc = C.servicecode_scenario()
    a = C.link_accounts(pop, sc, 5)
    assert a == C.link_accounts(pop, sc, 5) and a != C.link_accounts(pop, sc, 6)
    assert len(a) == len(pop.citizens)
    assert all(x.id_number == c.id_number and "居民身份证" in x.elicences for x, c in zip(a, pop.citizens))
    share = sum(bool(x.fund_account) for x in a) / len(a)
    assert abs(share - sc.fund_share) < 0.08
    assert all(("残疾人证" in x.elicences) == c.disabled for x, c in zip(a, pop.citizens))


def test_scan_exercise_truth_matches_and_is_deterministic(world):
    sc, accounts, _, _ = world
    ex = C.scan_exercise(sc, 8, accounts, 16, NOW)
    truth = C.scan_truth(sc, 8, accounts, 16, NOW)
    assert tuple(C.scan(img, ex.verifier, ex.now).reason for img in ex.images) == truth
    assert {"", "expired", "forged"} <= set(truth)
    assert C.scan_exercise(sc, 8, accounts, 16, NOW).images == ex.images


def test_three_practices_with_before_after_figures():
    flows = C.practice_flows()
    assert [f.name for f in flows] == ['社保卡居民服务"一卡通"', "医保电子凭证全流程应用", '公积金个人证明事项"亮码可办"']
    for f in flows:
        assert f.after[0] <= f.before[0] and f.after[1] < f.before[1] and f.after[2] <= f.before[2]


@pytest.mark.parametrize("uptake", [0.0, 0.6, 1.0])
def test_practice_records_and_before_after(uptake):
    sc = C.servicecode_scenario({"uptake": uptake, "cases_per_day": 50.0})
    rec = C.simulate_practices(sc, 3, date(2024, 3, 1), 31, 400)
    again = C.simulate_practices(sc, 3, date(2024, 3, 1), 31, 400)
    assert all((getattr(rec, k) == getattr(again, k)).all() for k in rec.__dataclass_fields__)
    assert len(rec) > 500 and not rec.minutes.flags.writeable
    figs = C.before_after(rec)
    flows = C.practice_flows()
    for i, f in enumerate(flows):
        row = figs[f.name]
        n = row["matters"]
        assert row["before"]["visits"] == n * f.before[0] and row["before"]["papers"] == n * f.before[2]
        used = row["used_code"]
        assert row["after"]["papers"] == used * f.after[2] + (n - used) * f.before[2]
        if uptake == 0.0:
            assert row["after"] == row["before"]
        if uptake == 1.0:
            assert row["after"]["visits"] == n * f.after[0]
            assert row["saved"]["minutes"] > 0
        assert row["mark"] == SYNTHETIC_MARK


def test_no_working_days_gives_empty_records():
    rec = C.simulate_practices(C.servicecode_scenario(), 1, date(2024, 10, 1), 3, 10)  # 国庆 holiday
    assert len(rec) == 0


@pytest.mark.parametrize("values, field", [
    ({"ttl_s": 5}, "ttl_s"), ({"ttl_s": 60.0}, "ttl_s"), ({"uptake": 2}, "uptake"),
    ({"skew_s": 200}, "skew_s"), ({"qr_error": "X"}, "qr_error"), ({"p_forged": 0.6, "p_expired": 0.6}, "p_expired"),
    ({"colour": "red"}, "colour"), ({"fund_share": True}, "fund_share"),
])
def test_bad_scenario_values_name_the_field(values, field):
    with pytest.raises(C.ServiceCodeScenarioError) as e:
        C.servicecode_scenario(values)
    assert e.value.field == field and "servicecode." + field in str(e.value)


def test_bad_practice_file_names_the_field(tmp_path):
    p = tmp_path / "servicecode_bad.toml"
    p.write_text('[[practice]]\nkey = "x"\nname = "x"\n', encoding="utf-8")
    with pytest.raises(C.ServiceCodeScenarioError) as e:
        C.practice_flows(p)
    assert e.value.field.startswith("practice[0].")
    q = tmp_path / "servicecode_neg.toml"
    q.write_text(C.PRACTICES_FILE.read_text(encoding="utf-8").replace("visits = 2, minutes = 70", "visits = -2, minutes = 70"),
                 encoding="utf-8")
    with pytest.raises(C.ServiceCodeScenarioError, match="不能为负"):
        C.practice_flows(q)


def test_non_canonical_signature_spelling_is_refused(world):
    # 64 bytes → 86 base64 characters carry 516 bits: the last character has 4 spare bits. A code
    # whose spare bits differ decodes to the same signature; accepting it would let a changed
    # character pass unnoticed.
    _, accounts, issuer, verifier = world
    payload = issuer.issue(accounts[4], NOW, 7).payload
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    last = alphabet.index(payload[-1])
    twin = payload[:-1] + alphabet[last ^ 1]
    assert C.check_payload(payload, verifier, NOW).ok
    assert C.check_payload(twin, verifier, NOW).reason == "forged"


def test_golden_hash(world):
    # Accounts, payloads and practice records are the same bytes on every machine for a seed.
    import hashlib
    sc, accounts, issuer, _ = world
    h = hashlib.sha256()
    for a in accounts[:50]:
        h.update(repr(a).encode())
        h.update(issuer.issue(a, 1_750_000_000, a.pid).payload.encode())
    rec = C.simulate_practices(sc, 3, date(2024, 3, 1), 31, 400)
    for k in rec.__dataclass_fields__:
        h.update(getattr(rec, k).tobytes())
    assert h.hexdigest() == "504a4c708b8a3a8c086bdc7370c2f63e6ea66a48dd8ad584aa4e394bba066fdb"  # issue 14: IDs carry the region code of their time


def test_housing_fund_matters_come_from_fund_holders(world):
    sc, accounts, _, _ = world
    rec = C.simulate_practices(sc, 3, date(2024, 3, 1), 31, len(accounts), accounts=accounts)
    flows = C.practice_flows()
    fund = next(i for i, f in enumerate(flows) if f.credential == "住房公积金账户")
    holders = {a.pid for a in accounts if a.fund_account}
    people = set(rec.person[rec.practice == fund].tolist())
    assert people and people <= holders
    others = set(rec.person[rec.practice != fund].tolist())
    assert others - holders  # the card practices reach people without a fund account too
