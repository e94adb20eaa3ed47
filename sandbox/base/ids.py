"""Identifiers of synthetic people and firms, valid in form, and their masking for display.

- 居民身份证号 (GB 11643-1999): 6-digit region + 8-digit birth date + 3-digit sequence (odd = male)
  + ISO 7064 MOD 11-2 check character.
- 统一社会信用代码 (GB 32100-2015): registration authority + entity type + 6-digit region
  + 9-character organisation code (GB 11714 with its own check) + MOD 31 check character.
"""
from __future__ import annotations

from datetime import date

SYNTHETIC_MARK = "合成数据"

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
_USCC_VALUE = {c: i for i, c in enumerate(_USCC_CHARS)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def id_check_char(first17: str) -> str:
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError(f"身份证号前17位应为数字: {first17!r}")
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


def make_id_number(region_code: str, birth: date, sequence: int, male: bool) -> str:
    """Build an 18-character ID number; the sequence's last digit is forced odd/even by gender."""
    if not (0 <= sequence <= 999):
        raise ValueError("sequence must be 0..999")
    seq = sequence - sequence % 2 + (1 if male else 0)
    if seq > 999:
        seq -= 2
    body = f"{region_code}{birth:%Y%m%d}{seq:03d}"
    return body + id_check_char(body)


# ---- region codes as issued (DOMAIN §7) -------------------------------------------------------------
# An ID number keeps the region code in force where and when it was first issued (birth registration)
# and never changes when codes change. Haidong became a prefecture-level city in 2013 (海东地区 →
# 海东市, 乐都县 → 乐都区): its codes went from 6321xx to 6302xx; 平安 went 632121 → 630221 (平安县 of the
# new city, 2013–2014) → 630203 (平安区 from 2015). Current code → the codes it had before, oldest first.
OLD_CODES: dict[str, tuple[str, ...]] = {
    "630202": ("632123",), "630203": ("632121", "630221"), "630222": ("632122",), "630223": ("632126",),
    "630224": ("632127",), "630225": ("632128",),
}
CITY_STATUS_YEAR = 2013  # 海东撤地设市 (first 6302xx numbers)
PINGAN_DISTRICT_YEAR = 2015  # 平安撤县设区 (630221 → 630203)
_SAME_COUNTY: dict[str, tuple[str, ...]] = {}
for _new, _olds in OLD_CODES.items():
    for _c in (_new, *_olds):
        _SAME_COUNTY[_c] = (_new, *_olds)


def issued_code(current_code: str, first_issued: date) -> str:
    """The region code a number first issued on ``first_issued`` carries for a county known today by
    ``current_code`` (codes outside Haidong are returned unchanged)."""
    olds = OLD_CODES.get(current_code, ())
    if olds and first_issued.year < CITY_STATUS_YEAR:
        return olds[0]
    if current_code == "630203" and first_issued.year < PINGAN_DISTRICT_YEAR:
        return "630221"
    return current_code


def county_code_of(id_number: str) -> str | None:
    """Today's county code of an ID number, accepting every code the county was ever issued under."""
    codes = _SAME_COUNTY.get(id_number[:6])
    return codes[0] if codes else None


def with_region(id_number: str, region: str) -> str:
    """The same birth date and sequence under another region code (check character recomputed)."""
    body = region + id_number[6:17]
    return body + id_check_char(body)


def as_issued(id_number: str, birth: date) -> str:
    """A number written with today's county code, put back to the code it was issued under (birth)."""
    code = issued_code(id_number[:6], birth)
    return id_number if code == id_number[:6] else with_region(id_number, code)


def same_county_codes(code: str) -> tuple[str, ...]:
    """Every code of the county ``code`` belongs to, today's first; () outside Haidong."""
    return _SAME_COUNTY.get(code, ())


def is_valid_id_number(value: str) -> bool:
    if len(value) != 18 or not value[:17].isdigit():
        return False
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return id_check_char(value[:17]) == value[17].upper()


def id_birth_date(value: str) -> date:
    return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def id_is_male(value: str) -> bool:
    return int(value[16]) % 2 == 1


def _org_check_char(first8: str) -> str:
    total = sum(_org_char_value(c) * w for c, w in zip(first8, _ORG_WEIGHTS))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _org_char_value(c: str) -> int:
    return int(c) if c.isdigit() else ord(c) - ord("A") + 10


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, _USCC_WEIGHTS))
    return _USCC_CHARS[(31 - total % 31) % 31]


def make_uscc(region_code: str, org_body: str, *, authority: str = "9", kind: str = "1") -> str:
    """Build a 统一社会信用代码 from an 8-character organisation-code body (digits/USCC letters)."""
    if len(org_body) != 8 or any(c not in _USCC_CHARS for c in org_body):
        raise ValueError(f"organisation code body must be 8 USCC characters: {org_body!r}")
    org = org_body + _org_check_char(org_body)
    if org[-1] not in _USCC_VALUE:  # 'X' is a valid USCC char, so this never trips; kept as a guard
        raise ValueError(org)
    body = f"{authority}{kind}{region_code}{org}"
    return body + uscc_check_char(body)


def is_valid_uscc(value: str) -> bool:
    if len(value) != 18 or any(c not in _USCC_VALUE for c in value):
        return False
    if _org_check_char(value[8:16]) != value[16]:
        return False
    return uscc_check_char(value[:17]) == value[17]


def mask_id(value: str) -> str:
    """6322**********123X: keep the first 4 and last 4 characters."""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """138****1234."""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str) -> str:
    """张*丰 / 张* : keep the surname (first character) and, for three or more, the last one."""
    if len(value) <= 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


def mask_uscc(value: str) -> str:
    """Firm codes are public in China, but the academy masks the organisation part all the same."""
    if len(value) != 18:
        return mask_id(value)
    return value[:8] + "*" * 6 + value[14:]


def mask_address(value: str, keep: int = 9) -> str:
    """Keep the county/township part, hide the house."""
    return value[:keep] + "***" if len(value) > keep else value
