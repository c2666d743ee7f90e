"""Vietnamese identifiers: personal ID number (CCCD), tax code (MST), phone numbers.

Each checker returns the normalised value or raises IdentifierError with a Vietnamese message that a
form can show next to the field.
"""

import datetime as dt
import re

import phonenumbers
from django.utils.translation import gettext_lazy as _


class IdentifierError(ValueError):
    """The value is not a valid identifier; str(error) is the user-facing Vietnamese message."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


# Digits 1–3 of a personal ID: the province where the birth was registered, in the 63-province coding
# of Circular 07/2016/TT-BCA (the codes did not change with the 2025 merger).
BIRTH_PROVINCE_CODES = frozenset(
    [
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    ]
)
# Digit 4: century of birth and gender (even = male, odd = female).
CENTURY_BY_DIGIT = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100, 6: 2200, 7: 2200, 8: 2300, 9: 2300}
MALE, FEMALE = "male", "female"
_DIGITS = re.compile(r"^\d+$")


def _compact(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "")


def personal_id_clean(value: str, *, birth_date: dt.date | None = None, gender: str | None = None) -> str:
    """A 12-digit personal ID, checked for structure and, when given, against birth date and gender."""
    number = _compact(value)
    if not _DIGITS.match(number) or len(number) != 12:
        raise IdentifierError(_("Số định danh cá nhân gồm đúng 12 chữ số."))
    if number[:3] not in BIRTH_PROVINCE_CODES:
        raise IdentifierError(_("Ba chữ số đầu của số định danh cá nhân không phải mã tỉnh hợp lệ."))
    century_digit = int(number[3])
    birth_year = CENTURY_BY_DIGIT[century_digit] + int(number[4:6])
    if birth_date is not None and birth_date.year != birth_year:
        raise IdentifierError(
            _("Số định danh cá nhân không khớp năm sinh %(year)s: kiểm tra lại số hoặc ngày sinh.")
            % {"year": birth_date.year}
        )
    if gender in (MALE, FEMALE) and (FEMALE if century_digit % 2 else MALE) != gender:
        raise IdentifierError(_("Số định danh cá nhân không khớp giới tính đã khai."))
    return number


def personal_id_gender(number: str) -> str:
    return FEMALE if int(number[3]) % 2 else MALE


TAX_CODE_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def tax_code_check_digit(first_nine: str) -> int | None:
    """The 10th digit of an organisation's tax code, or None when no digit can be valid."""
    remainder = sum(int(d) * w for d, w in zip(first_nine, TAX_CODE_WEIGHTS, strict=True)) % 11
    check = 10 - remainder
    if check == 10:
        return None
    return 0 if check == 11 else check


def tax_code_clean(value: str) -> str:
    """A tax code: 10 digits with a check digit, the branch form NNNNNNNNNN-NNN, or a 12-digit personal
    ID (individuals and household businesses since 1 July 2025)."""
    raw = (value or "").strip().replace(" ", "")
    if re.fullmatch(r"\d{10}-\d{3}", raw) or re.fullmatch(r"\d{13}", raw):
        base, branch = raw[:10], raw[-3:]
        if branch == "000":
            raise IdentifierError(_("Mã đơn vị phụ thuộc (3 số cuối) phải từ 001 đến 999."))
        return f"{tax_code_clean(base)}-{branch}"
    if re.fullmatch(r"\d{12}", raw):
        try:
            return personal_id_clean(raw)
        except IdentifierError as exc:
            raise IdentifierError(_("Mã số thuế 12 số phải là số định danh cá nhân hợp lệ.")) from exc
    if not re.fullmatch(r"\d{10}", raw):
        raise IdentifierError(
            _("Mã số thuế gồm 10 chữ số, 13 chữ số (dạng 0100109106-001) hoặc 12 chữ số định danh cá nhân.")
        )
    if tax_code_check_digit(raw[:9]) != int(raw[9]):
        raise IdentifierError(_("Mã số thuế không đúng (chữ số kiểm tra sai)."))
    return raw


def phone_clean(value: str, *, mobile_only: bool = True) -> str:
    """A Vietnamese phone number in E.164 (+84…); mobile numbers only unless `mobile_only` is False."""
    raw = (value or "").strip()
    if not raw or not re.fullmatch(r"[+\d\s().\-]{8,20}", raw):
        raise IdentifierError(_("Số điện thoại không hợp lệ; ví dụ 0912 345 678."))
    try:
        number = phonenumbers.parse(raw, "VN")
    except phonenumbers.NumberParseException as exc:
        raise IdentifierError(_("Số điện thoại không hợp lệ; ví dụ 0912 345 678.")) from exc
    if number.country_code != 84 or not phonenumbers.is_valid_number(number):
        raise IdentifierError(_("Số điện thoại không hợp lệ; ví dụ 0912 345 678."))
    kind = phonenumbers.number_type(number)
    if mobile_only and kind not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise IdentifierError(_("Cần số điện thoại di động (03x, 05x, 07x, 08x, 09x)."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(e164: str) -> str:
    """+84912345678 -> 0912 345 678"""
    if not e164:
        return ""
    try:
        return phonenumbers.format_number(
            phonenumbers.parse(e164, "VN"), phonenumbers.PhoneNumberFormat.NATIONAL
        )
    except phonenumbers.NumberParseException:
        return e164
