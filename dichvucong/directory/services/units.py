"""Writes to the directory: loading administrative units, applying resolutions, generating agencies."""

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from dichvucong.core.progress import NullProgress, Progress
from dichvucong.core.text import fold, normalize_spelling, slugify_vi

from ..models import AdministrativeUnit, AdministrativeUnitChange, UnitLevel, UnitType
from ..selectors import PROVINCES_CACHE_KEY
from ..sources import SOURCE_TYPES, TWO_LEVEL_EFFECTIVE_DATE, TYPE_PREFIXES, SourceError, UnitRecord

DEFAULT_SCHEME = "2025"


@dataclass
class UnitLoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    missing: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)


def _apply_record(unit: AdministrativeUnit, record: UnitRecord, parent, changes: list) -> bool:
    """Update `unit` in place from `record`; append AdministrativeUnitChange rows; True if changed."""
    changed = False

    def note_change(field_name, old, new):
        changes.append(
            AdministrativeUnitChange(
                unit=unit,
                field=field_name,
                old_value=str(old),
                new_value=str(new),
                resolution=record.resolution,
                resolution_date=record.resolution_date,
            )
        )

    # A name that differs only in spelling (Hòa/Hoà, M'Drắk/M’Drắk) is the same name: keep the
    # stored spelling so that re-loading a differently spelt source does not churn the table.
    if fold(unit.name) != fold(record.name):
        note_change("name", unit.name, record.name)
        unit.name, unit.short_name = record.name, record.short_name
        unit.name_folded, unit.slug = fold(record.name), slugify_vi(record.name)
        changed = True
    if unit.unit_type != record.unit_type:
        note_change("unit_type", unit.unit_type, record.unit_type)
        unit.unit_type = record.unit_type
        changed = True
    parent_id = parent.pk if parent else None
    if unit.parent_id != parent_id:
        note_change("parent", unit.parent.code if unit.parent_id else "", parent.code if parent else "")
        unit.parent = parent
        changed = True
    for attr in ("legal_note", "resolution", "resolution_date"):
        if getattr(unit, attr) != getattr(record, attr):
            setattr(unit, attr, getattr(record, attr))
            changed = True
    if unit.valid_until is not None:
        unit.valid_until = None
        changed = True
    return changed


def _new_unit(record: UnitRecord, parent, scheme: str) -> AdministrativeUnit:
    return AdministrativeUnit(
        code_scheme=scheme,
        code=record.code,
        level=record.level,
        unit_type=record.unit_type,
        name=record.name,
        short_name=record.short_name,
        name_folded=fold(record.name),
        slug=slugify_vi(record.name),
        parent=parent,
        legal_note=record.legal_note,
        resolution=record.resolution,
        resolution_date=record.resolution_date,
        valid_from=TWO_LEVEL_EFFECTIVE_DATE,
    )


UNIT_FIELDS = [
    "name",
    "short_name",
    "name_folded",
    "slug",
    "unit_type",
    "parent",
    "legal_note",
    "resolution",
    "resolution_date",
    "valid_until",
]


@transaction.atomic
def unit_load_all(
    records: list[UnitRecord],
    *,
    scheme: str = DEFAULT_SCHEME,
    retire_missing: bool = False,
    progress: Progress | None = None,
) -> UnitLoadReport:
    """Insert or update every unit of `records` in place, matched by (scheme, code); one transaction."""
    progress = progress or NullProgress()
    report = UnitLoadReport()
    existing = {
        u.code: u for u in AdministrativeUnit.objects.filter(code_scheme=scheme).select_related("parent")
    }
    changes: list[AdministrativeUnitChange] = []

    for level in (UnitLevel.PROVINCE, UnitLevel.COMMUNE):
        to_create, to_update = [], []
        for record in (r for r in records if r.level == level):
            parent = existing.get(record.parent_code) if record.parent_code else None
            if record.parent_code and parent is None:
                raise SourceError(f"Đơn vị {record.code}: không có tỉnh mã {record.parent_code}")
            unit = existing.get(record.code)
            if unit is None:
                to_create.append(_new_unit(record, parent, scheme))
            elif _apply_record(unit, record, parent, changes):
                to_update.append(unit)
            else:
                report.unchanged += 1
            progress.advance()
        AdministrativeUnit.objects.bulk_create(to_create, batch_size=500)
        AdministrativeUnit.objects.bulk_update(to_update, UNIT_FIELDS, batch_size=500)
        report.created += len(to_create)
        report.updated += len(to_update)
        existing.update({u.code: u for u in to_create})

    AdministrativeUnitChange.objects.bulk_create(changes)
    report.changes = [f"{c.unit.code} {c.field}: {c.old_value} → {c.new_value}" for c in changes]

    source_codes = {r.code for r in records}
    missing = [u for code, u in existing.items() if code not in source_codes and u.valid_until is None]
    report.missing = sorted(u.code for u in missing)
    if retire_missing and missing:
        today = timezone.localdate()
        for unit in missing:
            unit.valid_until = today
        AdministrativeUnit.objects.bulk_update(missing, ["valid_until"])
        report.retired = len(missing)
    progress.finish()
    transaction.on_commit(lambda: cache.delete(PROVINCES_CACHE_KEY))
    return report


# --- Resolutions applied by hand ----------------------------------------------------------------
# A resolution takes effect before any dataset catches up; operators apply it from a small CSV:
#   province_code,unit,new_name,new_type,resolution,resolution_date
#   75,Xã Lộc Ninh,Phường Lộc Ninh,phuong,237/NQ-UBTVQH16,14/04/2026
# `unit` is a 5-digit code or a name in any spelling (Hòa/Hoà, M'Drắk/M’Drắk).

CHANGE_COLUMNS = ["province_code", "unit", "new_name", "new_type", "resolution", "resolution_date"]


@dataclass(frozen=True)
class UnitChangeRow:
    line: int
    province_code: str
    unit: str
    new_name: str
    new_type: str
    resolution: str
    resolution_date: dt.date | None


def read_unit_changes(path: Path) -> list[UnitChangeRow]:
    """The rows of a resolution CSV, checked; raises SourceError naming the line at fault."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames is None or set(CHANGE_COLUMNS) - set(reader.fieldnames):
                raise SourceError(f"{path}: cần các cột {', '.join(CHANGE_COLUMNS)}")
            rows = []
            for line, raw in enumerate(reader, start=2):
                new_type = (raw["new_type"] or "").strip()
                if new_type and new_type not in SOURCE_TYPES and new_type not in UnitType.values:
                    raise SourceError(f"{path}:{line}: loại đơn vị không hợp lệ {new_type!r}")
                date_text = (raw["resolution_date"] or "").strip()
                try:
                    date = dt.datetime.strptime(date_text, "%d/%m/%Y").date() if date_text else None
                except ValueError as exc:
                    raise SourceError(
                        f"{path}:{line}: ngày phải có dạng dd/mm/yyyy, không phải {date_text!r}"
                    ) from exc
                rows.append(
                    UnitChangeRow(
                        line=line,
                        province_code=(raw["province_code"] or "").strip(),
                        unit=(raw["unit"] or "").strip(),
                        new_name=normalize_spelling(raw["new_name"] or ""),
                        new_type=SOURCE_TYPES.get(new_type, new_type),
                        resolution=(raw["resolution"] or "").strip(),
                        resolution_date=date,
                    )
                )
            return rows
    except OSError as exc:
        raise SourceError(f"Không đọc được tệp {path}: {exc}") from exc


def unit_find(province_code: str, name_or_code: str, *, scheme: str = DEFAULT_SCHEME) -> AdministrativeUnit:
    """The commune of a province named `name_or_code` in any spelling; SourceError if none or several."""
    units = AdministrativeUnit.objects.filter(code_scheme=scheme, parent__code=province_code)
    if name_or_code.isdigit():
        matches = list(units.filter(code=name_or_code))
    else:
        matches = list(units.filter(name_folded=fold(name_or_code)))
    if len(matches) != 1:
        problem = "không tìm thấy" if not matches else "có nhiều đơn vị trùng tên"
        raise SourceError(f"{name_or_code!r} (tỉnh {province_code}): {problem}")
    return matches[0]


@transaction.atomic
def unit_apply_changes(rows: list[UnitChangeRow], *, scheme: str = DEFAULT_SCHEME) -> list[str]:
    """Rename or retype communes as resolutions say; all rows or none (one transaction)."""
    done = []
    for row in rows:
        try:
            unit = unit_find(row.province_code, row.unit, scheme=scheme)
        except SourceError as exc:
            raise SourceError(f"dòng {row.line}: {exc}") from exc
        new_type = row.new_type or unit.unit_type
        new_name = row.new_name or TYPE_PREFIXES[new_type] + unit.short_name
        record = UnitRecord(
            code=unit.code,
            level=unit.level,
            unit_type=new_type,
            name=new_name,
            short_name=new_name[len(TYPE_PREFIXES[new_type]) :]
            if new_name.startswith(TYPE_PREFIXES[new_type])
            else new_name,
            parent_code=unit.parent.code,
            legal_note=f"{unit.legal_note} Số: {row.resolution}; Ngày: "
            f"{row.resolution_date.strftime('%d/%m/%Y') if row.resolution_date else ''}".strip(),
            resolution=row.resolution,
            resolution_date=row.resolution_date,
        )
        changes: list[AdministrativeUnitChange] = []
        if _apply_record(unit, record, unit.parent, changes):
            unit.save()
            AdministrativeUnitChange.objects.bulk_create(changes)
            done.extend(f"{unit.code} {c.field}: {c.old_value} → {c.new_value}" for c in changes)
    return done
