import pytest

from dichvucong.catalog.models import ImmutableVersionError, Procedure, ProcedureVersion, VersionStatus
from dichvucong.catalog.services import procedure_version_create_draft, procedure_version_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    return Procedure.objects.get(code="1.001193").current_version


def test_a_published_version_cannot_be_edited(published):
    published.name = "Tên khác"
    with pytest.raises(ImmutableVersionError):
        published.save()
    assert ProcedureVersion.objects.get(pk=published.pk).name == "Đăng ký khai sinh"


def test_a_published_version_cannot_be_deleted(published):
    with pytest.raises(ImmutableVersionError):
        published.delete()


def test_the_parts_of_a_published_version_cannot_be_changed_or_deleted(published):
    document = published.documents.first()
    document.name = "Giấy tờ khác"
    with pytest.raises(ImmutableVersionError):
        document.save()
    with pytest.raises(ImmutableVersionError):
        published.fee_rules.first().delete()
    with pytest.raises(ImmutableVersionError):
        published.form_definition.save()


def test_a_draft_copies_every_part_and_can_be_edited(published):
    draft = procedure_version_create_draft(published)
    assert (draft.number, draft.status) == (published.number + 1, VersionStatus.DRAFT)
    assert draft.documents.count() == published.documents.count()
    assert draft.processing_times.count() == published.processing_times.count()
    assert draft.fee_rules.count() == published.fee_rules.count()
    assert draft.form_definition.schema == published.form_definition.schema
    copied = draft.documents.exclude(form_template=None).first()
    assert copied.form_template.version_id == draft.pk

    draft.name = "Đăng ký khai sinh (sửa đổi)"
    draft.save()
    document = draft.documents.first()
    document.note = "Ghi chú mới"
    document.save()


def test_publishing_a_draft_retires_the_previous_version(published):
    draft = procedure_version_create_draft(published)
    procedure_version_publish(draft)
    published.refresh_from_db()
    procedure = Procedure.objects.get(code="1.001193")
    assert procedure.current_version_id == draft.pk
    assert published.status == VersionStatus.RETIRED
    assert ProcedureVersion.objects.filter(procedure=procedure, status=VersionStatus.PUBLISHED).count() == 1
