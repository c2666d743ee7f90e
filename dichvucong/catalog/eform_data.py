"""Citizens' answers to an e-form: reading them from a form post, checking them, prefilling them.

Raw data (what was typed, kept in the draft so nothing is lost) is a dict of strings, with
{"province", "commune", "street"} for addresses and a list of such dicts for repeating groups.
`validate_data` turns raw data into clean values and Vietnamese error messages keyed by field path
("child_name", "extracts.0.copies", "home.commune").
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from dichvucong.core.identifiers import IdentifierError, personal_id_clean, phone_clean, phone_display
from dichvucong.directory.models import AdministrativeUnit, UnitLevel

from .eform import iter_fields

GROUP_MAX_ITEMS_DEFAULT = 20
ADDRESS_PARTS = ("province", "commune", "street")


@dataclass
class EFormResult:
    cleaned: dict = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.errors


def _fields(schema: dict) -> list[dict]:
    return [f for _section, f in iter_fields(schema)]


# --- Reading a form post ---------------------------------------------------------------------------


def _read_value(post, spec: dict, name: str):
    if spec["type"] == "address":
        return {part: (post.get(f"{name}__{part}") or "").strip() for part in ADDRESS_PARTS}
    return (post.get(name) or "").strip()


def raw_from_post(schema: dict, post) -> dict:
    """The raw answers in a form post (QueryDict); groups are `<group>-<i>-<field>` with a
    `<group>-count` hidden field."""
    raw = {}
    for spec in _fields(schema):
        name = spec["name"]
        if spec["type"] == "group":
            try:
                count = max(
                    0, min(int(post.get(f"{name}-count", 0)), spec.get("max_items", GROUP_MAX_ITEMS_DEFAULT))
                )
            except (TypeError, ValueError):
                count = 0
            raw[name] = [
                {sub["name"]: _read_value(post, sub, f"{name}-{i}-{sub['name']}") for sub in spec["fields"]}
                for i in range(count)
            ]
        else:
            raw[name] = _read_value(post, spec, name)
    return raw


# --- Checking ---------------------------------------------------------------------------------------


def _empty(spec: dict, value) -> bool:
    if spec["type"] == "address":
        return not any((value or {}).get(part) for part in ("province", "commune"))
    if spec["type"] == "group":
        return not value
    return value in (None, "")


def _clean_scalar(spec: dict, value: str, today: dt.date):
    kind = spec["type"]
    if kind in ("text", "textarea"):
        if "min_length" in spec and len(value) < spec["min_length"]:
            raise ValueError(_("Cần ít nhất %(count)s ký tự.") % {"count": spec["min_length"]})
        if "max_length" in spec and len(value) > spec["max_length"]:
            raise ValueError(_("Tối đa %(count)s ký tự.") % {"count": spec["max_length"]})
        if spec.get("pattern") and not re.fullmatch(spec["pattern"], value):
            raise ValueError(spec["pattern_message"])
        return value
    if kind == "number":
        text = value.replace(" ", "").replace(",", ".")
        try:
            number = float(text)
        except ValueError as exc:
            raise ValueError(_("Nhập một số.")) from exc
        if spec.get("integer"):
            if not number.is_integer():
                raise ValueError(_("Nhập một số nguyên."))
            number = int(number)
        if ("min" in spec and number < spec["min"]) or ("max" in spec and number > spec["max"]):
            raise ValueError(
                _("Giá trị phải từ %(min)s đến %(max)s.")
                % {"min": spec.get("min", "…"), "max": spec.get("max", "…")}
            )
        return number
    if kind == "date":
        parsed = None
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                parsed = dt.datetime.strptime(value, pattern).date()
                break
            except ValueError:
                continue
        if parsed is None or parsed.year < 1850:
            raise ValueError(_("Nhập ngày dạng dd/mm/yyyy."))
        if spec.get("not_future") and parsed > today:
            raise ValueError(_("Ngày không được ở tương lai."))
        if spec.get("not_past") and parsed < today:
            raise ValueError(_("Ngày không được ở quá khứ."))
        return parsed.isoformat()
    if kind == "choice":
        if value not in {c["value"] for c in spec["choices"]}:
            raise ValueError(_("Lựa chọn không hợp lệ."))
        return value
    if kind == "yesno":
        if value not in ("yes", "no"):
            raise ValueError(_("Chọn Có hoặc Không."))
        return value == "yes"
    if kind == "personal_id":
        try:
            return personal_id_clean(value)
        except IdentifierError as exc:
            raise ValueError(str(exc.message)) from exc
    if kind == "phone":
        try:
            return phone_clean(value, mobile_only=False)
        except IdentifierError as exc:
            raise ValueError(str(exc.message)) from exc
    if kind == "email":
        try:
            validate_email(value)
        except ValidationError as exc:
            raise ValueError(_("Địa chỉ thư điện tử không hợp lệ.")) from exc
        return value.lower()
    raise ValueError(_("Kiểu trường không hỗ trợ."))


def _clean_address(spec: dict, value: dict, errors: dict, path: str):
    value = value or {}
    province = AdministrativeUnit.objects.filter(
        level=UnitLevel.PROVINCE, code=value.get("province", "")[:2], valid_until=None
    ).first()
    if province is None:
        errors[f"{path}.province"] = _("Chọn tỉnh, thành phố.")
        return None
    commune = AdministrativeUnit.objects.filter(
        level=UnitLevel.COMMUNE, code=value.get("commune", "")[:5], valid_until=None
    ).first()
    if commune is None:
        errors[f"{path}.commune"] = _("Chọn xã, phường, đặc khu.")
        return None
    if commune.parent_id != province.pk:
        errors[f"{path}.commune"] = _("Xã, phường không thuộc tỉnh, thành phố đã chọn.")
        return None
    street = (value.get("street") or "")[:200]
    if spec.get("street_required") and not street:
        errors[f"{path}.street"] = _("Nhập số nhà, đường, thôn, tổ.")
        return None
    return {
        "province": province.code,
        "province_name": province.name,
        "commune": commune.code,
        "commune_name": commune.name,
        "street": street,
    }


def _required_now(spec: dict, cleaned_scope: dict) -> bool:
    condition = spec.get("required_if")
    if not condition:
        return bool(spec.get("required")) or (spec["type"] == "group" and spec.get("min_items", 0) > 0)
    actual = cleaned_scope.get(condition["field"])
    expected = condition["in"] if "in" in condition else [condition["equals"]]
    return actual in expected


def _clean_scope(specs: list[dict], raw: dict, errors: dict, prefix: str, today: dt.date) -> dict:
    """Clean every field of one scope (the form, or one group item); required_if sees this scope."""
    cleaned: dict = {}
    # Conditions may point at fields declared later: clean unconditioned fields first.
    ordered = sorted(specs, key=lambda s: "required_if" in s)
    for spec in ordered:
        name, path = spec["name"], f"{prefix}{spec['name']}"
        value = raw.get(name)
        if _empty(spec, value):
            if _required_now(spec, cleaned):
                label = spec["label"]
                errors[path] = (
                    _("Vui lòng chọn: %(label)s.")
                    if spec["type"] in ("choice", "yesno", "address")
                    else _("Vui lòng nhập: %(label)s.")
                ) % {"label": label}
                if spec["type"] == "address":
                    errors.setdefault(f"{path}.province", _("Chọn tỉnh, thành phố."))
            cleaned[name] = [] if spec["type"] == "group" else None
            continue
        if spec["type"] == "group":
            items = value if isinstance(value, list) else []
            low, high = spec.get("min_items", 0), spec.get("max_items", GROUP_MAX_ITEMS_DEFAULT)
            if len(items) < low or len(items) > high:
                errors[path] = _("Cần từ %(min)s đến %(max)s mục.") % {"min": low, "max": high}
            cleaned[name] = [
                _clean_scope(
                    spec["fields"], item if isinstance(item, dict) else {}, errors, f"{path}.{i}.", today
                )
                for i, item in enumerate(items[:high])
            ]
        elif spec["type"] == "address":
            cleaned[name] = _clean_address(spec, value, errors, path)
        else:
            try:
                cleaned[name] = _clean_scalar(spec, str(value), today)
            except ValueError as exc:
                errors[path] = str(exc)
                cleaned[name] = None
    return cleaned


def validate_data(schema: dict, raw: dict, *, today: dt.date | None = None) -> EFormResult:
    """Clean values and field-level errors for `raw` answers to `schema`."""
    result = EFormResult()
    result.cleaned = _clean_scope(
        _fields(schema), raw or {}, result.errors, "", today or timezone.localdate()
    )
    return result


def group_min_items(schema: dict) -> dict[str, int]:
    return {s["name"]: max(1, s.get("min_items", 1)) for s in _fields(schema) if s["type"] == "group"}


# --- Prefill from the profile -------------------------------------------------------------------------


def _profile_value(source: str, user):
    if source == "profile.full_name":
        return user.full_name or ""
    if source == "profile.personal_id":
        return user.personal_id or ""
    if source == "profile.birth_date":
        return user.birth_date.isoformat() if user.birth_date else ""
    if source == "profile.gender":
        return user.gender or ""
    if source == "profile.phone":
        return phone_display(user.phone) if user.phone else ""
    if source == "profile.email":
        return user.email or ""
    if source == "profile.address":
        return {
            "province": user.address_province.code if user.address_province_id else "",
            "commune": user.address_commune.code if user.address_commune_id else "",
            "street": user.address_street or "",
        }
    return ""


def initial_raw(schema: dict, user=None) -> dict:
    """The answers a new draft starts with: defaults, then what the profile already knows."""
    raw = {}
    for spec in _fields(schema):
        name = spec["name"]
        if spec["type"] == "group":
            raw[name] = [{} for _ in range(max(1, spec.get("min_items", 1)))]
            continue
        value = spec.get("default", "")
        if spec["type"] == "yesno" and isinstance(value, bool):
            value = "yes" if value else "no"
        if user is not None and getattr(user, "is_authenticated", False) and spec.get("prefill"):
            value = _profile_value(spec["prefill"], user) or value
        raw[name] = value if value is not None else ""
    return raw


# --- Values as a person reads them (review page, the printed declaration) -----------------------------


def display_value(spec: dict, value) -> str:
    """A clean value as text: dates dd/mm/yyyy, choices by label, yes/no, addresses in one line."""
    if value in (None, "", []):
        return ""
    kind = spec["type"]
    if kind == "date":
        return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
    if kind == "choice":
        return next((c["label"] for c in spec["choices"] if c["value"] == value), str(value))
    if kind == "yesno":
        return _("Có") if value else _("Không")
    if kind == "phone":
        return phone_display(value)
    if kind == "address":
        return ", ".join(
            part
            for part in (value.get("street"), value.get("commune_name"), value.get("province_name"))
            if part
        )
    if kind == "number" and isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def print_context(schema: dict, cleaned: dict) -> dict:
    """Values for the paper-form templates: `<name>` as display text, `<name>_label` for choices,
    raw booleans for yes/no, groups as lists of such dicts (catalog/forms/*.html)."""

    def scope(specs, values):
        out = {}
        for spec in specs:
            value = values.get(spec["name"])
            if spec["type"] == "group":
                out[spec["name"]] = [scope(spec["fields"], item) for item in (value or [])]
            elif spec["type"] == "yesno":
                out[spec["name"]] = value
            else:
                out[spec["name"]] = display_value(spec, value)
                if spec["type"] == "choice":
                    out[f"{spec['name']}_label"] = out[spec["name"]]
        return out

    return scope(_fields(schema), cleaned)
