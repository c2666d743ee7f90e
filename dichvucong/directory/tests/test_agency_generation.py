import pytest
from django.core.management import call_command
from django.db.models import Count

from dichvucong.directory.blueprints import COMMUNE_AGENCIES, PROVINCE_AGENCIES
from dichvucong.directory.models import AdministrativeUnit, Agency, AgencyKind, UnitLevel
from dichvucong.directory.services import agency_generate_all

pytestmark = pytest.mark.django_db


def test_every_unit_has_its_agencies():
    per_unit = dict(Agency.objects.values_list("unit__code").annotate(n=Count("id")))
    provinces = AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE).values_list("code", flat=True)
    communes = AdministrativeUnit.objects.filter(level=UnitLevel.COMMUNE).values_list("code", flat=True)
    assert all(per_unit[code] == len(PROVINCE_AGENCIES) for code in provinces)
    assert all(per_unit[code] == len(COMMUNE_AGENCIES) for code in communes)
    assert Agency.objects.count() == 34 * len(PROVINCE_AGENCIES) + 3321 * len(COMMUNE_AGENCIES)


def test_hai_phong_has_its_committee_departments_insurance_police_and_service_centre():
    names = set(Agency.objects.filter(unit__code="31").values_list("name", flat=True))
    assert {
        "Ủy ban nhân dân thành phố Hải Phòng",
        "Sở Tư pháp thành phố Hải Phòng",
        "Sở Nông nghiệp và Môi trường thành phố Hải Phòng",
        "Sở Y tế thành phố Hải Phòng",
        "Bảo hiểm xã hội thành phố Hải Phòng",
        "Công an thành phố Hải Phòng",
        "Trung tâm Phục vụ hành chính công thành phố Hải Phòng",
    } <= names


def test_agencies_form_a_tree_from_commune_to_province():
    centre = Agency.objects.select_related("parent__parent").get(code="10993.ttpvhcc")
    assert centre.name == "Trung tâm Phục vụ hành chính công xã Thượng Hồng"
    assert centre.kind == AgencyKind.SERVICE_CENTRE
    assert centre.parent.code == "10993.ubnd"
    assert centre.parent.parent.code == "31.ubnd"
    assert centre.province.code == "31"
    land_office = Agency.objects.get(code="31.van-phong-dang-ky-dat-dai")
    assert land_office.parent.code == "31.so-nong-nghiep-moi-truong"
    assert Agency.objects.get(code="10993.cong-an").parent.code == "31.cong-an"
    assert Agency.objects.get(code="31.bhxh").parent is None


def test_identifiers_follow_the_configured_format_and_are_unique():
    assert Agency.objects.get(code="10993.ttpvhcc").identifier == "10993.01.H31"
    assert Agency.objects.get(code="31.so-tu-phap").identifier == "00000.11.H31"
    assert Agency.objects.values("identifier").distinct().count() == Agency.objects.count()


def test_generating_again_changes_nothing():
    report = agency_generate_all()
    assert (report.created, report.updated) == (0, 0)


def test_a_renamed_commune_renames_its_agencies_but_keeps_what_an_administrator_edited():
    centre = Agency.objects.get(code="10993.ttpvhcc")
    centre.address = "Số 1 đường Trung tâm, xã Thượng Hồng"
    centre.phone = "0225 3888 999"
    centre.identifier = "000.10.31.H31"
    centre.save()
    AdministrativeUnit.objects.filter(code="10993").update(name="Phường Thượng Hồng", unit_type="phuong")

    agency_generate_all()

    centre.refresh_from_db()
    assert centre.name == "Trung tâm Phục vụ hành chính công phường Thượng Hồng"
    assert (centre.address, centre.phone, centre.identifier) == (
        "Số 1 đường Trung tâm, xã Thượng Hồng",
        "0225 3888 999",
        "000.10.31.H31",
    )


def test_the_command_reports_what_it_did(capsys):
    call_command("directory_generate_agencies", verbosity=1)
    assert "thêm 0, cập nhật 0" in capsys.readouterr().out
