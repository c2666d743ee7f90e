"""The interactive e-form definition language (FormDefinition.schema) and its checker.

A definition is a title and sections of typed fields:

    {"sections": [{"title": "Người yêu cầu", "fields": [
        {"name": "full_name", "label": "Họ, chữ đệm và tên", "type": "text", "required": true,
         "max_length": 100, "prefill": "profile.full_name"},
        {"name": "relationship", "label": "Quan hệ", "type": "choice",
         "choices": [{"value": "father", "label": "Cha"}, {"value": "other", "label": "Khác"}]},
        {"name": "relationship_other", "label": "Quan hệ khác", "type": "text",
         "required_if": {"field": "relationship", "equals": "other"}},
        {"name": "children", "label": "Con", "type": "group", "min_items": 1, "max_items": 5,
         "fields": [...]}]}]}

Field types are listed in FIELD_TYPES; the options each type accepts in TYPE_OPTIONS. The dossier
issue renders and validates citizens' data with the same definitions.
"""

import re
from collections.abc import Iterator

FIELD_TYPES = {
    "text": "Văn bản ngắn",
    "textarea": "Văn bản dài",
    "number": "Số",
    "date": "Ngày (dd/mm/yyyy)",
    "choice": "Chọn một",
    "yesno": "Có/Không",
    "personal_id": "Số định danh cá nhân",
    "phone": "Số điện thoại",
    "email": "Thư điện tử",
    "address": "Địa chỉ (tỉnh → xã, số nhà)",
    "group": "Nhóm lặp lại",
}
COMMON_OPTIONS = {
    "name",
    "label",
    "type",
    "required",
    "required_if",
    "help",
    "placeholder",
    "prefill",
    "default",
}
TYPE_OPTIONS = {
    "text": {"min_length", "max_length", "pattern", "pattern_message"},
    "textarea": {"min_length", "max_length"},
    "number": {"min", "max", "integer", "unit"},
    "date": {"not_future", "not_past"},
    "choice": {"choices"},
    "yesno": set(),
    "personal_id": set(),
    "phone": set(),
    "email": set(),
    "address": {"street_required"},
    "group": {"fields", "min_items", "max_items", "item_label"},
}
# What the portal can prefill from the signed-in user's profile (filled in by the accounts issue).
PREFILL_SOURCES = {
    "profile.full_name",
    "profile.personal_id",
    "profile.birth_date",
    "profile.gender",
    "profile.phone",
    "profile.email",
    "profile.address",
}
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,59}$")


class EFormDefinitionError(ValueError):
    """The definition is malformed; the message names the path of the faulty element."""


def _fail(path: str, message: str):
    raise EFormDefinitionError(f"{path}: {message}")


def _check_field(field: dict, path: str, names: dict[str, dict], nested: bool) -> None:
    if not isinstance(field, dict):
        _fail(path, "mỗi trường phải là một đối tượng")
    name = field.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        _fail(path, f"tên trường {name!r} phải gồm chữ thường không dấu, số, gạch dưới")
    path = f"{path}({name})"
    if name in names:
        _fail(path, "tên trường bị trùng")
    ftype = field.get("type")
    if ftype not in FIELD_TYPES:
        _fail(path, f"kiểu {ftype!r} không hợp lệ; dùng một trong {', '.join(FIELD_TYPES)}")
    unknown = set(field) - COMMON_OPTIONS - TYPE_OPTIONS[ftype]
    if unknown:
        _fail(path, f"thuộc tính không dùng được với kiểu {ftype}: {', '.join(sorted(unknown))}")
    if not isinstance(field.get("label"), str) or not field["label"].strip():
        _fail(path, "thiếu nhãn (label)")
    if "required" in field and not isinstance(field["required"], bool):
        _fail(path, "required phải là true hoặc false")
    if field.get("prefill") is not None and field["prefill"] not in PREFILL_SOURCES:
        _fail(path, f"nguồn điền sẵn {field['prefill']!r} không hợp lệ")
    for key in ("min_length", "max_length", "min_items", "max_items"):
        if key in field and (not isinstance(field[key], int) or field[key] < 0):
            _fail(path, f"{key} phải là số nguyên không âm")
    if "min_length" in field and "max_length" in field and field["min_length"] > field["max_length"]:
        _fail(path, "min_length lớn hơn max_length")
    for key in ("min", "max"):
        if key in field and not isinstance(field[key], int | float):
            _fail(path, f"{key} phải là số")
    if "pattern" in field:
        try:
            re.compile(field["pattern"])
        except (re.error, TypeError) as exc:
            _fail(path, f"biểu thức pattern không hợp lệ: {exc}")
        if not field.get("pattern_message"):
            _fail(path, "pattern cần pattern_message (thông báo lỗi tiếng Việt)")
    if ftype == "choice":
        choices = field.get("choices")
        if not isinstance(choices, list) or not choices:
            _fail(path, "kiểu choice cần danh sách choices")
        values = set()
        for i, choice in enumerate(choices):
            if not isinstance(choice, dict) or not choice.get("value") or not choice.get("label"):
                _fail(f"{path}.choices[{i}]", "mỗi lựa chọn cần value và label")
            # An unquoted YAML label with a comma ("Ông, bà") silently becomes two keys: refuse it.
            if set(choice) - {"value", "label"}:
                _fail(f"{path}.choices[{i}]", f"thuộc tính thừa {sorted(set(choice) - {'value', 'label'})}")
            if choice["value"] in values:
                _fail(f"{path}.choices[{i}]", "giá trị lựa chọn bị trùng")
            values.add(choice["value"])
    names[name] = field
    if ftype == "group":
        if nested:
            _fail(path, "không hỗ trợ nhóm lồng trong nhóm")
        subfields = field.get("fields")
        if not isinstance(subfields, list) or not subfields:
            _fail(path, "nhóm cần danh sách fields")
        inner: dict[str, dict] = {}
        for i, sub in enumerate(subfields):
            _check_field(sub, f"{path}.fields[{i}]", inner, nested=True)
        _check_conditions(inner, path)
        if field.get("min_items", 0) > field.get("max_items", 10**6):
            _fail(path, "min_items lớn hơn max_items")


def _check_conditions(names: dict[str, dict], path: str) -> None:
    """required_if must point at a sibling field of the same scope, with a value it can take."""
    for name, field in names.items():
        condition = field.get("required_if")
        if condition is None:
            continue
        where = f"{path}({name}).required_if"
        if not isinstance(condition, dict) or set(condition) - {"field", "equals", "in"}:
            _fail(where, "cần dạng {field, equals} hoặc {field, in}")
        target = names.get(condition.get("field"))
        if target is None:
            _fail(where, f"trường {condition.get('field')!r} không tồn tại")
        if ("equals" in condition) == ("in" in condition):
            _fail(where, "cần đúng một trong equals hoặc in")
        expected = condition["in"] if "in" in condition else [condition["equals"]]
        if not isinstance(expected, list):
            _fail(where, "in phải là một danh sách")
        if target["type"] == "choice":
            allowed = {c["value"] for c in target["choices"]}
            bad = [v for v in expected if v not in allowed]
            if bad:
                _fail(where, f"giá trị {bad!r} không có trong lựa chọn của {target['name']}")
        elif target["type"] == "yesno" and any(not isinstance(v, bool) for v in expected):
            _fail(where, "trường yesno chỉ so với true/false")


def validate_definition(schema: dict) -> None:
    """Raise EFormDefinitionError unless `schema` is a well-formed e-form definition."""
    if not isinstance(schema, dict):
        _fail("schema", "phải là một đối tượng")
    sections = schema.get("sections")
    if not isinstance(sections, list) or not sections:
        _fail("sections", "cần ít nhất một phần (section)")
    names: dict[str, dict] = {}
    for s_index, section in enumerate(sections):
        path = f"sections[{s_index}]"
        if not isinstance(section, dict) or not section.get("title"):
            _fail(path, "mỗi phần cần tiêu đề (title)")
        fields = section.get("fields")
        if not isinstance(fields, list) or not fields:
            _fail(path, "mỗi phần cần ít nhất một trường")
        for f_index, field in enumerate(fields):
            _check_field(field, f"{path}.fields[{f_index}]", names, nested=False)
    _check_conditions(names, "schema")


def iter_fields(schema: dict) -> Iterator[tuple[dict, dict]]:
    """(section, field) pairs in order, top-level fields only (groups carry their own fields)."""
    for section in schema.get("sections", []):
        for field in section.get("fields", []):
            yield section, field
