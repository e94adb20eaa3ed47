from datetime import date

import pytest

from sandbox.base import ids


def test_known_id_check_char():
    # GB 11643 example: 11010519491231002X
    assert ids.id_check_char("11010519491231002") == "X"
    assert ids.is_valid_id_number("11010519491231002X")
    assert not ids.is_valid_id_number("110105194912310021")


def test_make_id_number_encodes_birth_and_gender():
    male = ids.make_id_number("630224", date(1960, 5, 17), 123, male=True)
    female = ids.make_id_number("630224", date(1960, 5, 17), 123, male=False)
    assert ids.is_valid_id_number(male) and ids.is_valid_id_number(female)
    assert ids.id_is_male(male) and not ids.id_is_male(female)
    assert ids.id_birth_date(male) == date(1960, 5, 17)
    assert male.startswith("630224")


def test_uscc_check_chars():
    # A published sample code (Tencent Technology (Shenzhen)): 9144030071526726XG
    assert ids.is_valid_uscc("9144030071526726XG")
    assert not ids.is_valid_uscc("9144030071526726XH")
    code = ids.make_uscc("630202", "A1B2C3D4")
    assert ids.is_valid_uscc(code) and code[2:8] == "630202"


@pytest.mark.parametrize("func,value,expected", [
    (ids.mask_id, "63222419600517123X", "6322**********123X"),
    (ids.mask_phone, "13812341234", "138****1234"),
    (ids.mask_name, "韩穆萨", "韩*萨"),
    (ids.mask_name, "卓玛", "卓*"),
])
def test_masking(func, value, expected):
    assert func(value) == expected
