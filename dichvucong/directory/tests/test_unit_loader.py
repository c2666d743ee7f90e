import datetime as dt
import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from dichvucong.directory.models import AdministrativeUnit, AdministrativeUnitChange, UnitLevel, UnitType
from dichvucong.directory.services import unit_find
from dichvucong.directory.sources import SourceError, default_source_dir

pytestmark = pytest.mark.django_db


@pytest.fixture
def source_copy(tmp_path):
    """A writable copy of the bundled source, to simulate older or broken datasets."""
    target = tmp_path / "source"
    shutil.copytree(default_source_dir(), target)
    return target


def _edit_commune(source, province_code, commune_code, **changes):
    path = source / "xa-phuong" / f"{province_code}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data[commune_code].update(changes)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_it_loads_34_provinces_and_3321_commune_level_units():
    assert AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE).count() == 34
    assert AdministrativeUnit.objects.filter(level=UnitLevel.COMMUNE).count() == 3321


def test_the_counts_by_type_are_those_of_august_2026():
    communes = AdministrativeUnit.objects.filter(level=UnitLevel.COMMUNE)
    assert communes.filter(unit_type=UnitType.COMMUNE).count() == 2599
    assert communes.filter(unit_type=UnitType.WARD).count() == 709
    assert communes.filter(unit_type=UnitType.SPECIAL_ZONE).count() == 13


def test_xa_thuong_hong_10993_belongs_to_thanh_pho_hai_phong_31():
    unit = AdministrativeUnit.objects.select_related("parent").get(code="10993")
    assert unit.name == "Xã Thượng Hồng"
    assert unit.unit_type == UnitType.COMMUNE
    assert (unit.parent.code, unit.parent.name) == ("31", "Thành phố Hải Phòng")
    assert str(unit) == "Xã Thượng Hồng, Thành phố Hải Phòng"


def test_each_unit_keeps_its_resolution_and_date():
    unit = AdministrativeUnit.objects.get(code="10993")
    assert unit.resolution == "1669/NQ-UBTVQH15"
    assert unit.resolution_date == dt.date(2025, 6, 16)
    assert "Thượng Hồng" in unit.legal_note
    loc_ninh = AdministrativeUnit.objects.get(code="25270")
    assert (loc_ninh.name, loc_ninh.resolution) == ("Phường Lộc Ninh", "237/NQ-UBTVQH16")
    assert loc_ninh.resolution_date == dt.date(2026, 4, 14)


def test_loading_again_changes_nothing(capsys):
    before = dict(AdministrativeUnit.objects.values_list("code", "updated_at"))
    call_command("directory_load_units", verbosity=1)
    assert "thêm 0, cập nhật 0, không đổi 3355" in capsys.readouterr().out
    assert dict(AdministrativeUnit.objects.values_list("code", "updated_at")) == before
    assert not AdministrativeUnitChange.objects.exists()


def test_a_resolution_turning_a_xa_into_a_phuong_updates_the_unit_in_place(source_copy):
    """GIVEN the units as they were before Resolution 237 (Lộc Ninh was a xã)
    WHEN the current dataset is loaded
    THEN the same row becomes Phường Lộc Ninh and the change is recorded with its resolution."""
    _edit_commune(
        source_copy,
        "75",
        "25270",
        name="Xã Lộc Ninh",
        name_with_type="Xã Lộc Ninh",
        type="xa",
        note="Hợp nhất thị trấn Lộc Ninh. Số: 1662/NQ-UBTVQH15; Ngày: 16/06/2025",
    )
    call_command("directory_load_units", source=source_copy, verbosity=0)
    old = AdministrativeUnit.objects.get(code="25270")
    assert (old.name, old.unit_type) == ("Xã Lộc Ninh", UnitType.COMMUNE)

    call_command("directory_load_units", verbosity=0)
    new = AdministrativeUnit.objects.get(code="25270")
    assert new.pk == old.pk
    assert (new.name, new.unit_type, new.resolution) == ("Phường Lộc Ninh", UnitType.WARD, "237/NQ-UBTVQH16")
    latest = AdministrativeUnitChange.objects.filter(unit=new, resolution="237/NQ-UBTVQH16")
    assert set(latest.values_list("field", "old_value", "new_value")) == {
        ("name", "Xã Lộc Ninh", "Phường Lộc Ninh"),
        ("unit_type", "xa", "phuong"),
    }


def test_a_source_spelling_hoa_differently_is_the_same_name(source_copy):
    unit = AdministrativeUnit.objects.get(code="24412")
    assert unit.name == "Xã M’Drắk"
    _edit_commune(source_copy, "66", "24412", name="Xã M'Drắk", name_with_type="Xã M'Drắk")
    call_command("directory_load_units", source=source_copy, verbosity=0)
    unit.refresh_from_db()
    assert unit.name == "Xã M’Drắk"
    assert not AdministrativeUnitChange.objects.filter(unit=unit).exists()


def test_units_can_be_found_by_name_in_any_spelling():
    with_hoa = AdministrativeUnit.objects.filter(level=UnitLevel.COMMUNE, name__contains="Hòa")
    hoa = next(
        u
        for u in with_hoa
        if not AdministrativeUnit.objects.filter(name_folded=u.name_folded).exclude(pk=u.pk)
    )
    assert unit_find(hoa.parent.code, hoa.name.replace("Hòa", "Hoà")).pk == hoa.pk
    assert unit_find("66", "Xã M'Drắk").code == "24412"
    assert unit_find("66", "xa mdrak").code == "24412"
    assert unit_find("31", "Xã Thượng Hồng").code == "10993"
    with pytest.raises(SourceError):
        unit_find("31", "Xã Không Có")


def test_a_resolution_csv_renames_in_place_matching_any_spelling(tmp_path):
    unit = AdministrativeUnit.objects.get(code="24412")
    changes = tmp_path / "nq.csv"
    changes.write_text(
        "province_code,unit,new_name,new_type,resolution,resolution_date\n"
        "66,Xã M'Drắk,,phuong,999/NQ-UBTVQH16,01/10/2026\n",
        encoding="utf-8",
    )
    call_command("directory_load_units", changes=changes, verbosity=0)
    updated = AdministrativeUnit.objects.get(code="24412")
    assert updated.pk == unit.pk
    assert (updated.name, updated.unit_type, updated.resolution) == (
        "Phường M’Drắk",
        UnitType.WARD,
        "999/NQ-UBTVQH16",
    )
    assert updated.resolution_date == dt.date(2026, 10, 1)


def test_a_resolution_csv_naming_an_unknown_unit_changes_nothing(tmp_path):
    changes = tmp_path / "nq.csv"
    changes.write_text(
        "province_code,unit,new_name,new_type,resolution,resolution_date\n"
        "75,Phường Lộc Ninh,Phường Lộc Ninh Mới,,1/NQ,01/01/2026\n"
        "31,Xã Không Tồn Tại,,phuong,1/NQ,01/01/2026\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="dòng 3"):
        call_command("directory_load_units", changes=changes, verbosity=0)
    assert AdministrativeUnit.objects.get(code="25270").name == "Phường Lộc Ninh"


@pytest.mark.parametrize(
    ("province", "commune", "change", "message"),
    [
        ("31", "10993", {"type": "huyen"}, "loại đơn vị không hợp lệ"),
        ("31", "10993", {"code": "1099"}, "phải gồm 5 chữ số"),
        ("31", "10993", {"name": "", "name_with_type": ""}, "thiếu tên"),
        ("31", "10993", {"parent_code": "01"}, "thuộc tỉnh"),
    ],
)
def test_a_broken_source_stops_with_a_clear_message_and_changes_nothing(
    source_copy, province, commune, change, message
):
    _edit_commune(source_copy, "75", "25270", name="Xã Lộc Ninh", name_with_type="Xã Lộc Ninh", type="xa")
    _edit_commune(source_copy, province, commune, **change)
    with pytest.raises(CommandError, match=message):
        call_command("directory_load_units", source=source_copy, verbosity=0)
    assert AdministrativeUnit.objects.get(code="25270").name == "Phường Lộc Ninh"


def test_a_source_that_is_not_json_stops_with_a_clear_message(source_copy):
    (source_copy / "xa-phuong" / "31.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="31.json"):
        call_command("directory_load_units", source=source_copy, verbosity=0)


def test_the_loader_shows_its_progress(capsys):
    call_command("directory_load_units", verbosity=1)
    out = capsys.readouterr().out
    assert "Đơn vị hành chính: 3355/3355 (100%)" in out
