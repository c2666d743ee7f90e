"""Reading the project's catalogue fixtures (YAML) and checking them completely before any write.

Layout (dichvucong/catalog/data/):
    fields.yaml                 the fields (lĩnh vực)
    procedures/<code>.yaml      one procedure each; the format is documented in docs/catalog.md

A fixture with a fault stops the loader with a message naming the file and the path inside it, and the
database is left unchanged (all files are read and checked before the one write transaction).
"""

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from dichvucong.directory.blueprints import COMMUNE_ROLES, PROVINCE_ROLES

from .eform import EFormDefinitionError, validate_definition
from .fees import FeeRuleError, check_tiers
from .models import (
    ApplicantType,
    Channel,
    CopyKind,
    FeeKind,
    FileType,
    Level,
    Requirement,
    ServiceLevel,
    TimeUnit,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
CODE_PATTERN = re.compile(r"^\d\.\d{6}$")


class FixtureError(Exception):
    """A catalogue fixture is broken; the message names the file and the place."""


@dataclass(frozen=True)
class ProcedureSource:
    path: Path
    data: dict
    content_hash: str

    @property
    def code(self) -> str:
        return self.data["code"]


def _fail(where: str, message: str):
    raise FixtureError(f"{where}: {message}")


def _load_yaml(path: Path):
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError as exc:
        raise FixtureError(f"{path}: không tìm thấy tệp") from exc
    except (OSError, yaml.YAMLError) as exc:
        raise FixtureError(f"{path}: không đọc được YAML: {exc}") from exc


# --- a small declarative checker: {key: (type or tuple of types, required)} ----------------------
def _check_keys(obj, spec: dict, where: str) -> None:
    if not isinstance(obj, dict):
        _fail(where, "phải là một đối tượng (mapping)")
    unknown = set(obj) - set(spec)
    if unknown:
        _fail(where, f"khóa không hợp lệ: {', '.join(sorted(map(str, unknown)))}")
    for key, (types, required) in spec.items():
        if key not in obj or obj[key] is None:
            if required:
                _fail(where, f"thiếu {key}")
            continue
        if not isinstance(obj[key], types) or (isinstance(obj[key], bool) and bool not in _as_tuple(types)):
            _fail(f"{where}.{key}", f"kiểu không đúng ({type(obj[key]).__name__})")


def _as_tuple(types):
    return types if isinstance(types, tuple) else (types,)


def _check_choice(value, choices, where: str):
    if value not in choices:
        _fail(where, f"{value!r} không hợp lệ; dùng một trong {', '.join(map(str, choices))}")


def _check_list_of_str(values, where: str, *, choices=None, allow_empty=True):
    if not isinstance(values, list) or (not allow_empty and not values):
        _fail(where, "phải là một danh sách" + ("" if allow_empty else " không rỗng"))
    for i, value in enumerate(values):
        if not isinstance(value, str) or not value.strip():
            _fail(f"{where}[{i}]", "phải là chuỗi không rỗng")
        if choices is not None:
            _check_choice(value, choices, f"{where}[{i}]")


PROCEDURE_SPEC = {
    "code": (str, True),
    "field": (str, True),
    "name": (str, True),
    "popularity": (int, False),
    "levels": (list, True),
    "applicant_types": (list, True),
    "keywords": (list, False),
    "description": (str, False),
    "conditions": (str, False),
    "steps": (list, True),
    "competent_agency_text": (str, True),
    "agencies": (dict, True),
    "service_level": (str, True),
    "channels": (list, True),
    "processing_times": (list, True),
    "processing_time_text": (str, False),
    "fee_text": (str, False),
    "fees": (list, True),
    "form_templates": (list, False),
    "documents": (list, True),
    "results": (list, True),
    "legal_basis": (list, True),
    "publishing_decision": (str, False),
    "source_url": (str, False),
    "eform": (dict, False),
}
AGENCY_RULE_SPEC = {"agency": (str, True), "reception": (str, True)}
TIME_SPEC = {
    "channel": (str, True),
    "value": ((int, float), True),
    "unit": (str, True),
    "same_day_cutoff": (str, False),
    "note": (str, False),
}
FEE_SPEC = {
    "name": (str, True),
    "kind": (str, True),
    "amount": (int, False),
    "tiers": (list, False),
    "cap": (int, False),
    "channel": (str, False),
    "exemptions": (list, False),
    "note": (str, False),
}
TEMPLATE_SPEC = {
    "slug": (str, True),
    "name": (str, True),
    "template": (str, True),
    "legal_reference": (str, False),
}
DOCUMENT_SPEC = {
    "name": (str, True),
    "copies": (int, False),
    "copy_kind": (str, False),
    "requirement": (str, False),
    "condition": (str, False),
    "accepted_types": (list, False),
    "upload_online": (bool, False),
    "form_template": (str, False),
    "note": (str, False),
}
RESULT_SPEC = {"name": (str, True), "code": (str, False)}
EFORM_SPEC = {"title": (str, True), "sections": (list, True)}
_CUTOFF = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _check_agency_rules(rules: dict, levels: list[str], where: str) -> None:
    for level, rule in rules.items():
        _check_choice(level, [Level.PROVINCE, Level.COMMUNE], f"{where}.{level}")
        if level not in levels:
            _fail(f"{where}.{level}", f"cấp {level} không có trong levels")
        _check_keys(rule, AGENCY_RULE_SPEC, f"{where}.{level}")
        for key in ("agency", "reception"):
            role = rule[key]
            if level == Level.PROVINCE or role.startswith("province:"):
                _check_choice(
                    role.removeprefix("province:"), sorted(PROVINCE_ROLES), f"{where}.{level}.{key}"
                )
            else:
                _check_choice(role, sorted(COMMUNE_ROLES), f"{where}.{level}.{key}")


def check_procedure(data: dict, where: str, field_slugs: set[str], template_files: set[str] | None) -> None:
    """Raise FixtureError unless `data` is a complete, consistent procedure fixture."""
    _check_keys(data, PROCEDURE_SPEC, where)
    if not CODE_PATTERN.match(data["code"]):
        _fail(f"{where}.code", f"mã {data['code']!r} phải có dạng 1.001193")
    _check_choice(data["field"], sorted(field_slugs), f"{where}.field")
    _check_list_of_str(data["levels"], f"{where}.levels", choices=Level.values, allow_empty=False)
    _check_list_of_str(data["applicant_types"], f"{where}.applicant_types", choices=ApplicantType.values)
    _check_list_of_str(data.get("keywords", []), f"{where}.keywords")
    _check_list_of_str(data["steps"], f"{where}.steps", allow_empty=False)
    _check_list_of_str(data["legal_basis"], f"{where}.legal_basis", allow_empty=False)
    _check_choice(data["service_level"], ServiceLevel.values, f"{where}.service_level")
    _check_list_of_str(data["channels"], f"{where}.channels", choices=Channel.values, allow_empty=False)
    _check_agency_rules(data["agencies"], data["levels"], f"{where}.agencies")

    seen_channels = set()
    for i, time in enumerate(data["processing_times"]):
        at = f"{where}.processing_times[{i}]"
        _check_keys(time, TIME_SPEC, at)
        _check_choice(time["channel"], data["channels"], f"{at}.channel")
        _check_choice(time["unit"], TimeUnit.values, f"{at}.unit")
        if time["channel"] in seen_channels:
            _fail(at, "trùng cách thức")
        seen_channels.add(time["channel"])
        if time["value"] <= 0:
            _fail(f"{at}.value", "thời hạn phải lớn hơn 0")
        if time.get("same_day_cutoff") and not _CUTOFF.match(time["same_day_cutoff"]):
            _fail(f"{at}.same_day_cutoff", "giờ phải có dạng HH:MM")

    for i, fee in enumerate(data["fees"]):
        at = f"{where}.fees[{i}]"
        _check_keys(fee, FEE_SPEC, at)
        _check_choice(fee["kind"], FeeKind.values, f"{at}.kind")
        if fee.get("channel"):
            _check_choice(fee["channel"], Channel.values, f"{at}.channel")
        if fee.get("amount", 0) < 0 or fee.get("cap", 0) < 0:
            _fail(at, "số tiền không được âm")
        _check_list_of_str(fee.get("exemptions", []), f"{at}.exemptions")
        try:
            check_tiers(fee.get("tiers") or [])
        except FeeRuleError as exc:
            _fail(f"{at}.tiers", str(exc))
        if fee.get("tiers") and fee["kind"] != FeeKind.PER_PAGE:
            _fail(f"{at}.tiers", "chỉ dùng bậc với cách tính per_page")

    slugs = set()
    for i, template in enumerate(data.get("form_templates") or []):
        at = f"{where}.form_templates[{i}]"
        _check_keys(template, TEMPLATE_SPEC, at)
        if template["slug"] in slugs:
            _fail(f"{at}.slug", "trùng mã mẫu")
        slugs.add(template["slug"])
        if template_files is not None and template["template"] not in template_files:
            _fail(f"{at}.template", f"không có tệp mẫu {template['template']!r}")

    if not data["documents"]:
        _fail(f"{where}.documents", "cần ít nhất một thành phần hồ sơ")
    for i, document in enumerate(data["documents"]):
        at = f"{where}.documents[{i}]"
        _check_keys(document, DOCUMENT_SPEC, at)
        _check_choice(document.get("copy_kind", "original"), CopyKind.values, f"{at}.copy_kind")
        _check_choice(document.get("requirement", "required"), Requirement.values, f"{at}.requirement")
        if document.get("requirement") == Requirement.CONDITIONAL and not document.get("condition"):
            _fail(at, "thành phần có điều kiện cần ghi rõ condition")
        _check_list_of_str(
            document.get("accepted_types", []), f"{at}.accepted_types", choices=FileType.values
        )
        if document.get("form_template") and document["form_template"] not in slugs:
            _fail(f"{at}.form_template", f"không có mẫu {document['form_template']!r} trong form_templates")
        if document.get("copies", 1) < 1:
            _fail(f"{at}.copies", "số lượng phải từ 1")

    if not data["results"]:
        _fail(f"{where}.results", "cần ít nhất một kết quả")
    for i, result in enumerate(data["results"]):
        _check_keys(result, RESULT_SPEC, f"{where}.results[{i}]")

    if data.get("eform") is not None:
        _check_keys(data["eform"], EFORM_SPEC, f"{where}.eform")
        try:
            validate_definition(data["eform"])
        except EFormDefinitionError as exc:
            _fail(f"{where}.eform", str(exc))


def content_hash(data: dict) -> str:
    """SHA-256 of the fixture in canonical JSON: equal content, equal hash, whatever the YAML layout."""
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def read_fields(data_dir: Path = DATA_DIR) -> list[dict]:
    path = data_dir / "fields.yaml"
    fields = _load_yaml(path)
    if not isinstance(fields, list) or not fields:
        _fail(str(path), "cần một danh sách lĩnh vực")
    slugs = set()
    for i, field in enumerate(fields):
        _check_keys(
            field, {"slug": (str, True), "name": (str, True), "description": (str, False)}, f"{path}[{i}]"
        )
        if field["slug"] in slugs:
            _fail(f"{path}[{i}]", f"trùng mã lĩnh vực {field['slug']!r}")
        slugs.add(field["slug"])
    return fields


def read_procedures(
    data_dir: Path = DATA_DIR, *, field_slugs: set[str], template_files: set[str] | None = None
) -> list[ProcedureSource]:
    """Every procedure fixture, checked; FixtureError on the first fault."""
    paths = sorted((data_dir / "procedures").glob("*.yaml"))
    if not paths:
        _fail(str(data_dir / "procedures"), "không có tệp thủ tục nào")
    sources, codes = [], set()
    for path in paths:
        data = _load_yaml(path)
        check_procedure(data, path.name, field_slugs, template_files)
        if data["code"] in codes:
            _fail(path.name, f"mã thủ tục {data['code']} bị trùng với tệp khác")
        codes.add(data["code"])
        if path.stem != data["code"]:
            _fail(path.name, f"tên tệp phải là {data['code']}.yaml")
        sources.append(ProcedureSource(path=path, data=data, content_hash=content_hash(data)))
    return sources


def parse_cutoff(text: str | None) -> dt.time | None:
    if not text:
        return None
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))
