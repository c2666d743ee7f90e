import shutil

import pytest
import yaml
from django.core.management import CommandError, call_command

from dichvucong.catalog.models import (
    FeeRule,
    FormDefinition,
    Procedure,
    ProcedureVersion,
    RequiredDocument,
    VersionStatus,
)
from dichvucong.catalog.services import catalog_load_all
from dichvucong.catalog.sources import DATA_DIR

pytestmark = pytest.mark.django_db

# Every verified procedure of the reference catalogue (DOMAIN.md §7).
VERIFIED_CODES = {
    "1.001193", "1.000656", "1.000894", "1.004873", "2.000635", "2.000815", "2.000986", "2.001023",
    "1.004222", "1.013978", "1.012796", "1.012790", "1.001939", "1.002759", "2.000821", "1.001710",
}  # fmt: skip
# The issue names these as needing a complete interactive e-form.
EFORM_CODES = {
    "1.001193": "đăng ký khai sinh",
    "1.000656": "đăng ký khai tử",
    "1.000894": "đăng ký kết hôn",
    "1.004873": "xác nhận tình trạng hôn nhân",
    "2.000635": "cấp bản sao trích lục hộ tịch",
    "2.000815": "chứng thực bản sao từ bản chính",
    "1.013978": "đăng ký đất đai, cấp GCN lần đầu",
    "1.012796": "đính chính GCN",
    "1.001939": "đăng ký thẻ BHYT",
    "2.000821": "chế độ tử tuất",
    "1.001710": "điều chỉnh hưởng BHXH",
}


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _edit(data_dir, code, mutate):
    path = data_dir / "procedures" / f"{code}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    mutate(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_every_verified_procedure_is_published():
    published = set(
        Procedure.objects.filter(current_version__status=VersionStatus.PUBLISHED).values_list(
            "code", flat=True
        )
    )
    assert published == VERIFIED_CODES


@pytest.mark.parametrize("code", sorted(EFORM_CODES))
def test_the_procedures_named_by_the_issue_have_a_complete_e_form(code):
    definition = FormDefinition.objects.get(
        version__procedure__code=code, version__status=VersionStatus.PUBLISHED
    )
    fields = [field for _section, field in definition.iter_fields()]
    assert len(fields) >= 5, f"{code} ({EFORM_CODES[code]}) has only {len(fields)} fields"
    assert any(field.get("required") for field in fields)


def test_birth_registration_has_its_facts():
    version = Procedure.objects.get(code="1.001193").current_version
    assert version.name == "Đăng ký khai sinh"
    assert version.service_level == "full"
    assert set(version.channels) == {"online", "postal", "in_person"}
    online = version.processing_times.get(channel="online")
    assert online.same_day_cutoff.strftime("%H:%M") == "15:00"
    shown = version.documents.filter(copy_kind="shown")
    assert shown.exists() and not shown.filter(upload_online=True).exists()
    assert version.form_templates.filter(slug="to-khai-dang-ky-khai-sinh").exists()
    assert "Luật Hộ tịch số 60/2014/QH13" in version.legal_basis


def test_certified_copies_have_the_tiered_fee_with_its_cap():
    rule = FeeRule.objects.get(
        version__procedure__code="2.000815", version__status="published", kind="per_page"
    )
    assert rule.tiers == [{"from_page": 1, "amount": 2000}, {"from_page": 3, "amount": 1000}]
    assert rule.cap == 200000


def test_land_registration_times_differ_by_channel():
    version = Procedure.objects.get(code="1.013978").current_version
    times = {t.channel: (int(t.value), t.unit) for t in version.processing_times.all()}
    assert times == {
        "online": (17, "working_days"),
        "postal": (20, "working_days"),
        "in_person": (27, "working_days"),
    }


def test_loading_again_changes_nothing():
    versions = ProcedureVersion.objects.count()
    report = catalog_load_all()
    assert report.created == [] and report.new_versions == []
    assert len(report.unchanged) == len(VERIFIED_CODES)
    assert ProcedureVersion.objects.count() == versions


def test_a_changed_fixture_publishes_a_new_version_and_keeps_the_old_one(data_copy):
    old = Procedure.objects.get(code="1.001193").current_version

    _edit(data_copy, "1.001193", lambda d: d["steps"].append("Bước mới theo quy định sửa đổi."))
    report = catalog_load_all(data_copy)

    procedure = Procedure.objects.get(code="1.001193")
    new = procedure.current_version
    assert report.new_versions == ["1.001193"]
    assert (new.number, new.status) == (old.number + 1, VersionStatus.PUBLISHED)
    assert new.steps[-1] == "Bước mới theo quy định sửa đổi."
    old.refresh_from_db()
    assert old.status == VersionStatus.RETIRED
    assert "Bước mới theo quy định sửa đổi." not in old.steps
    # The old version keeps all its parts for the dossiers filed under it.
    assert (
        RequiredDocument.objects.filter(version=old).count()
        == RequiredDocument.objects.filter(version=new).count()
    )


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(service_level="nhanh"), "service_level: 'nhanh' không hợp lệ"),
        (lambda d: d["documents"][0].update(copy_kind="ban-nhap"), "documents[0].copy_kind"),
        (lambda d: d.pop("steps"), "thiếu steps"),
        (lambda d: d.update(field="khong-co"), "field: 'khong-co' không hợp lệ"),
        (lambda d: d["eform"]["sections"][0]["fields"][0].update(type="slider"), "eform"),
        (
            lambda d: d["fees"].append(
                {"name": "x", "kind": "per_page", "tiers": [{"from_page": 2, "amount": 1}]}
            ),
            "bậc đầu tiên",
        ),
        (lambda d: d["form_templates"][0].update(template="catalog/forms/khong_co.html"), "không có tệp mẫu"),
        (lambda d: d["agencies"]["commune"].update(agency="so-khong-co"), "agencies.commune.agency"),
    ],
)
def test_a_broken_fixture_stops_the_loader_with_a_clear_message_and_changes_nothing(
    data_copy, mutate, message
):
    _edit(data_copy, "1.000656", lambda d: d.update(name="Tên đã đổi nhưng không được lưu"))
    _edit(data_copy, "1.001193", mutate)
    versions = ProcedureVersion.objects.count()

    with pytest.raises(CommandError) as error:
        call_command("catalog_load", data_dir=data_copy, verbosity=0)

    assert "1.001193.yaml" in str(error.value) and message in str(error.value)
    assert ProcedureVersion.objects.count() == versions
    assert Procedure.objects.get(code="1.000656").name != "Tên đã đổi nhưng không được lưu"


def test_a_fixture_that_is_not_yaml_is_refused(data_copy):
    (data_copy / "procedures" / "1.001193.yaml").write_text("code: [unclosed", encoding="utf-8")
    with pytest.raises(CommandError, match="không đọc được YAML"):
        call_command("catalog_load", data_dir=data_copy, verbosity=0)
