"""Electronic seals: real signatures over SM3 digests; every failure names its reason."""
from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.base.ids import SYNTHETIC_MARK
from sandbox.platform import seals as S
from sandbox.base.population import build_population

SEED = 11


@pytest.fixture(scope="module")
def subjects() -> tuple[str, ...]:
    pop = build_population(42, 300, 10)
    return tuple(c.id_number for c in pop.citizens[:pop.adults])  # the adults: seals are about grown-ups


@pytest.fixture(scope="module")
def setup():
    sc = S.seal_scenario()
    reg, keys = S.build_registry(sc, SEED)
    return sc, reg, keys


def _doc(setup, subjects, *, seal_index: int = 0, on: date = date(2024, 5, 6)) -> S.SignedDocument:
    _, reg, keys = setup
    seal = reg.seals[seal_index]
    return S.sign_document(keys, reg, seal.seal_id, doc_no="海东电签〔2024〕0001号", title="住房公积金缴存证明",
                           subject_id=subjects[0], body="兹证明缴存正常。", signed_on=on)


def test_sm3_is_the_standard_digest():
    # GB/T 32905-2016 example 1: SM3("abc").
    assert S.sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_a_properly_sealed_document_verifies(setup, subjects):
    doc = _doc(setup, subjects)
    v = S.verify(doc, setup[1], expected_unit=doc.unit)
    assert v.ok and v.reasons == ()
    assert "验章通过" in v.describe() and SYNTHETIC_MARK in v.describe()


def test_registry_is_per_unit_and_deterministic():
    sc = S.seal_scenario()
    a, ka = S.build_registry(sc, SEED)
    b, _ = S.build_registry(sc, SEED)
    c, _ = S.build_registry(sc, SEED + 1)
    assert a == b and a != c
    assert len(a.seals) == len(sc.units) * len(sc.kinds)
    assert all(len(a.of_unit(u)) == len(sc.kinds) for u in sc.units)
    assert set(ka.keys) == {s.seal_id for s in a.seals}


def test_tampered_body_fails_with_reason(setup, subjects):
    doc = dataclasses.replace(_doc(setup, subjects), body="兹证明缴存正常，余额 90000 元。")
    v = S.verify(doc, setup[1])
    assert v.reasons == ("tampered",)
    assert "篡改" in v.describe()


def test_revoked_seal_fails_but_earlier_documents_stay_valid(setup, subjects):
    _, reg, _ = setup
    doc = _doc(setup, subjects, on=date(2024, 5, 6))
    revoked_before = reg.revoke(doc.seal_id, date(2024, 5, 1))
    revoked_after = reg.revoke(doc.seal_id, date(2024, 6, 1))
    assert S.verify(doc, revoked_before).reasons == ("revoked",)
    assert "已注销" in S.verify(doc, revoked_before).describe()
    assert S.verify(doc, revoked_after).ok  # status at signing time counts (GB/T 38540)


def test_seal_of_the_wrong_unit_fails(setup, subjects):
    _, reg, _ = setup
    doc = _doc(setup, subjects)
    other = next(s for s in reg.seals if s.unit != doc.unit)
    assert S.verify(doc, reg, expected_unit=other.unit).reasons == ("wrong_unit",)
    # The document names a unit whose seal it does not carry: re-sign with another unit's key.
    fields = {k: v for k, v in dataclasses.asdict(doc).items() if k not in ("sm3", "signature", "seal_id")}
    forged = S._sign(setup[2].keys[other.seal_id], **fields, seal_id=other.seal_id)
    assert S.verify(forged, reg).reasons == ("wrong_unit",)


def test_signature_of_another_key_fails(setup, subjects):
    _, reg, keys = setup
    doc = _doc(setup, subjects)
    other_key = keys.keys[reg.seals[1].seal_id]
    bad = dataclasses.replace(doc, signature=other_key.sign(bytes.fromhex(doc.sm3)))
    assert S.verify(bad, reg).reasons == ("bad_signature",)


def test_unknown_seal(setup, subjects):
    doc = dataclasses.replace(_doc(setup, subjects), seal_id="6302009999999")
    assert S.verify(doc, setup[1]).reasons == ("unknown_seal",)


@settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_byte_flip_fails_verification(setup, subjects, data):
    doc = _doc(setup, subjects)
    blob = S.to_bytes(doc)
    assert S.verify_bytes(blob, setup[1]).ok
    i = data.draw(st.integers(0, len(blob) - 1))
    bit = data.draw(st.integers(0, 7))
    flipped = blob[:i] + bytes([blob[i] ^ (1 << bit)]) + blob[i + 1:]
    assert not S.verify_bytes(flipped, setup[1]).ok


def test_non_canonical_encoding_is_refused(setup, subjects):
    blob = S.to_bytes(_doc(setup, subjects))
    # Upper-case hex decodes to the same signature: accepted it would let a byte change go unnoticed.
    i = blob.index(b'"signature":"') + len(b'"signature":"')
    j = next(k for k in range(i, len(blob)) if chr(blob[k]) in "abcdef")
    upper = blob[:j] + blob[j:j + 1].upper() + blob[j + 1:]
    assert S.verify_bytes(upper, setup[1]).reasons == ("malformed",)
    assert S.verify_bytes(blob.replace(b",", b", ", 1), setup[1]).reasons == ("malformed",)


def test_signing_with_a_revoked_seal_is_refused(setup, subjects):
    _, reg, keys = setup
    sid = reg.seals[0].seal_id
    reg2 = reg.revoke(sid, date(2024, 1, 10))
    with pytest.raises(S.SealError, match="已于 2024-01-10 注销"):
        S.sign_document(keys, reg2, sid, doc_no="x", title="t", subject_id=subjects[0], body="b",
                        signed_on=date(2024, 2, 1))
    with pytest.raises(S.SealError, match="不能重复注销"):
        reg2.revoke(sid, date(2024, 2, 1))


def test_render_masks_the_subject_and_marks_synthetic(setup, subjects):
    doc = _doc(setup, subjects)
    text = S.render_document(doc, setup[1])
    assert SYNTHETIC_MARK in text and subjects[0] not in text
    assert subjects[0][:4] + "*" in text
    assert SYNTHETIC_MARK in S.to_bytes(doc).decode()


def test_exercise_truth_matches_verification_and_is_deterministic(subjects):
    sc = S.seal_scenario({"documents": 120, "p_tampered": 0.15, "p_revoked": 0.15, "p_wrong_unit": 0.15})
    ex = S.seal_exercise(sc, 3, subjects)
    truth = S.seal_truth(sc, 3, subjects)
    got = tuple(S.verify_bytes(b, ex.registry, expected_unit=u).reasons for b, u in zip(ex.files, ex.expected_units))
    assert got == truth
    assert {r for t in truth for r in t} >= {"tampered", "revoked", "wrong_unit"}
    assert any(t == () for t in truth)
    assert S.seal_exercise(sc, 3, subjects) == ex and S.seal_exercise(sc, 4, subjects) != ex
    assert not hasattr(ex, "truth")  # the trainee's object carries no answers
    counts = S.verification_counts([S.verify_bytes(b, ex.registry) for b in ex.files])
    assert counts["checked"] == 120 and counts["passed"] == sum(t == () for t in truth)


@pytest.mark.parametrize("values, field", [
    ({"documents": 0}, "documents"),
    ({"documents": "10"}, "documents"),
    ({"p_tampered": 1.5}, "p_tampered"),
    ({"p_revoked": True}, "p_revoked"),
    ({"p_tampered": 0.6, "p_revoked": 0.6}, "p_tampered"),
    ({"kinds": ["私章"]}, "kinds[0]"),
    ({"units": []}, "units"),
    ({"units": ["海东市民政局"], "p_wrong_unit": 0.1}, "units"),
    ({"units": ["海东市民政局", "海东市民政局"]}, "units"),
    ({"valid_from": "2024/01/01"}, "valid_from"),
    ({"documets": 5}, "documets"),
])
def test_bad_scenario_values_name_the_field(values, field):
    with pytest.raises(S.SealScenarioError) as e:
        S.seal_scenario(values)
    assert e.value.field == field and "场景参数 seals." + field in str(e.value)


def test_empty_subjects_is_an_error():
    with pytest.raises(S.SealError, match="当事人"):
        S.seal_exercise(S.seal_scenario(), 1, ())


def test_golden_hash(subjects):
    # Same seed → the same bytes on every machine; a change here must be deliberate (update the hash).
    import hashlib
    ex = S.seal_exercise(S.seal_scenario(), 3, subjects)
    assert hashlib.sha256(b"".join(ex.files)).hexdigest() == \
        "e41cab08a5c2a477a4b116f755e7939dcabf72e9a954880fdb72c83ae77ba7c3"  # issue 14: IDs carry the region code of their time


def test_a_seal_not_made_by_the_seal_maker_fails(setup, subjects):
    # Someone adds a seal of their own to a copy of the registry and seals a document with it.
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    _, reg, _ = setup
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    real = reg.seals[0]
    fake = dataclasses.replace(real, seal_id="6302009999998", public_key=key.public_key().public_bytes_raw())
    reg2 = dataclasses.replace(reg, seals=reg.seals + (fake,))
    doc = S.sign_document(S.SealKeys({fake.seal_id: key}), reg2, fake.seal_id, doc_no="伪〔2024〕1号", title="证明",
                          subject_id=subjects[0], body="伪造", signed_on=date(2024, 5, 6))
    v = S.verify(doc, reg2, expected_unit=real.unit)
    assert v.reasons == ("uncertified",) and "制章者" in v.describe()
    # A real seal's registry entry moved to another unit no longer carries a valid maker signature.
    moved = dataclasses.replace(real, unit="海东市民政局")
    reg3 = dataclasses.replace(reg, seals=(moved,) + reg.seals[1:])
    assert "uncertified" in S.verify(_doc(setup, subjects), reg3).reasons
    assert all(reg.certified(s) for s in reg.seals)
    assert reg.certified(reg.revoke(real.seal_id, date(2024, 6, 1)).get(real.seal_id))  # status is not seal data


def test_exercise_documents_match_their_unit(subjects):
    # Review 2026-12: a 公安局 does not issue 住房公积金缴存证明; each title belongs to its 署名单位.
    ex = S.seal_exercise(S.seal_scenario({"documents": 120}), 5, subjects)
    own = {u: {t for t, _, _ in docs} for u, docs in S._UNIT_DOCS.items()}
    for f in ex.files:
        d = S.from_bytes(f)
        assert d.title in own[d.unit], (d.unit, d.title)
