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
