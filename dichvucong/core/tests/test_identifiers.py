import datetime as dt

import pytest

from dichvucong.core.identifiers import (
    IdentifierError,
    personal_id_clean,
    personal_id_gender,
    phone_clean,
    phone_display,
    tax_code_clean,
)


@pytest.mark.parametrize(
    ("number", "birth_date", "gender"),
    [
        ("001090123456", dt.date(1990, 5, 1), "male"),  # Hà Nội, 1900s male
        ("031185000001", dt.date(1985, 1, 1), "female"),  # Hải Phòng, 1900s female
        ("079205123456", dt.date(2005, 12, 31), "male"),  # TP HCM, 2000s male
        ("096312000000", dt.date(2012, 2, 2), "female"),  # Cà Mau, 2000s female
        ("001 090 123 456", None, None),
    ],
)
def test_valid_personal_ids_are_accepted_and_compacted(number, birth_date, gender):
    assert personal_id_clean(number, birth_date=birth_date, gender=gender) == number.replace(" ", "")


@pytest.mark.parametrize(
    ("number", "birth_date", "gender", "message"),
    [
        ("00109012345", None, None, "đúng 12 chữ số"),
        ("00109012345a", None, None, "đúng 12 chữ số"),
        ("003090123456", None, None, "mã tỉnh"),  # 003 is not a province code
        ("099090123456", None, None, "mã tỉnh"),
        ("001090123456", dt.date(1991, 5, 1), None, "năm sinh"),  # year 1990 in the ID
        ("001290123456", dt.date(1990, 5, 1), None, "năm sinh"),  # century digit 2 means 2090
        ("001090123456", dt.date(1990, 5, 1), "female", "giới tính"),
        ("001190123456", dt.date(1990, 5, 1), "male", "giới tính"),
    ],
)
def test_invalid_personal_ids_are_refused_with_a_reason(number, birth_date, gender, message):
    with pytest.raises(IdentifierError, match=message):
        personal_id_clean(number, birth_date=birth_date, gender=gender)


def test_the_fourth_digit_tells_the_gender():
    assert personal_id_gender("001090123456") == "male"
    assert personal_id_gender("001390123456") == "female"


@pytest.mark.parametrize(
    ("value", "clean"),
    [
        ("0100109106", "0100109106"),
        ("0300588569", "0300588569"),
        (" 0100109106 ", "0100109106"),
        ("0100109106-001", "0100109106-001"),
        ("0100109106001", "0100109106-001"),
        ("001090123456", "001090123456"),  # household business: the personal ID
    ],
)
def test_valid_tax_codes_are_normalised(value, clean):
    assert tax_code_clean(value) == clean


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0100109107", "chữ số kiểm tra"),
        ("010010910", "10 chữ số"),
        ("0100109106-000", "001 đến 999"),
        ("0100109107-001", "chữ số kiểm tra"),
        ("003090123456", "định danh cá nhân hợp lệ"),
        ("abcdefghij", "10 chữ số"),
    ],
)
def test_invalid_tax_codes_are_refused_with_a_reason(value, message):
    with pytest.raises(IdentifierError, match=message):
        tax_code_clean(value)


@pytest.mark.parametrize(
    "value",
    [
        "0912345678",
        "091 234 5678",
        "+84912345678",
        "84912345678",
        "(+84) 912-345-678",
        "0321234567",
        "0562123456",
        "0702123456",
        "0862123456",
    ],
)
def test_vietnamese_mobile_numbers_are_normalised_to_e164(value):
    assert phone_clean(value).startswith("+84")
    assert len(phone_clean(value)) == 12


def test_numbers_are_shown_in_the_national_format():
    assert phone_display("+84912345678") == "0912 345 678"


@pytest.mark.parametrize(
    "value", ["", "0123456789", "12345", "+1 202 555 0100", "09123456789012", "số điện thoại"]
)
def test_invalid_numbers_are_refused(value):
    with pytest.raises(IdentifierError):
        phone_clean(value)


def test_landlines_are_refused_where_a_mobile_is_needed_but_accepted_otherwise():
    with pytest.raises(IdentifierError, match="di động"):
        phone_clean("02253888999")
    assert phone_clean("02253888999", mobile_only=False) == "+842253888999"
