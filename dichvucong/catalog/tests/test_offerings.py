import pytest

from dichvucong.catalog.models import Offering, Procedure
from dichvucong.catalog.services import offering_generate_all
from dichvucong.directory.models import AdministrativeUnit, UnitLevel

pytestmark = pytest.mark.django_db

COMMUNES = 3321
PROVINCES = 34


def test_a_commune_level_procedure_is_offered_by_every_commune():
    offerings = Offering.objects.filter(procedure__code="1.001193")
    assert offerings.count() == COMMUNES
    assert offerings.filter(level="commune").count() == COMMUNES
    thuong_hong = offerings.select_related("agency", "reception_agency").get(unit__code="10993")
    assert thuong_hong.agency.name == "Ủy ban nhân dân xã Thượng Hồng"
    assert thuong_hong.reception_agency.name == "Trung tâm Phục vụ hành chính công xã Thượng Hồng"
    assert thuong_hong.province.code == "31"
    assert (thuong_hong.service_level, thuong_hong.online) == ("full", True)


def test_a_province_level_procedure_is_offered_by_every_province():
    offerings = Offering.objects.filter(procedure__code="1.012790")
    assert offerings.count() == PROVINCES
    assert set(offerings.values_list("agency__role", flat=True)) == {"van-phong-dang-ky-dat-dai"}


def test_social_insurance_is_settled_by_the_province_and_received_at_communes():
    offering = Offering.objects.select_related("agency", "reception_agency").get(
        procedure__code="2.000821", unit__code="10993"
    )
    assert offering.agency.code == "31.bhxh"
    assert offering.reception_agency.code == "10993.ttpvhcc"


def test_an_in_person_only_procedure_is_offered_offline():
    offering = Offering.objects.get(procedure__code="2.000815", unit__code="10993")
    assert offering.service_level == "offline"
    assert (offering.online, offering.postal, offering.in_person) == (False, False, True)


def test_generating_again_creates_nothing_and_keeps_an_administrators_changes():
    offering = Offering.objects.get(procedure__code="1.001193", unit__code="10993")
    offering.service_level = "partial"
    offering.postal = False
    offering.save()

    report = offering_generate_all()

    assert report.created == 0
    offering.refresh_from_db()
    assert (offering.service_level, offering.postal) == ("partial", False)


def test_every_active_procedure_is_offered_somewhere():
    procedures = Procedure.objects.filter(is_active=True)
    assert procedures.exists()
    assert not procedures.exclude(offerings__isnull=False).exists()


def test_every_commune_offers_the_commune_level_civil_status_procedures():
    communes = AdministrativeUnit.objects.filter(level=UnitLevel.COMMUNE).count()
    for code in ("1.000656", "1.000894", "1.004873"):
        assert Offering.objects.filter(procedure__code=code, level="commune").count() == communes
