"""The citizen's side of a result: the signed result with its verification page, the notices the agency
issued (forms 1–5, stored as the dossier's files by the back office), and the satisfaction rating,
given once, on a returned dossier.

The back office is not imported (dossiers may not import processing): the signed result and a notice
are attached here the way the back office attaches them (documents services + dossiers.Attachment)."""

import shutil

import pytest
from django.urls import reverse

from dichvucong.documents.models import FileKind
from dichvucong.documents.services import stored_file_create_from_bytes
from dichvucong.documents.signing import signed_document_issue, signing_identity_for_agency
from dichvucong.documents.tests.signing_pki import AGENCY_CODE, build_pki, tiny_pdf
from dichvucong.dossiers.models import Attachment, Rating, RatingValue
from dichvucong.dossiers.workflow import State
from dichvucong.notifications.models import Outbox

from .factories import agency_official, make_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pki_template(tmp_path_factory):
    return build_pki(tmp_path_factory.mktemp("pki") / "signing")


@pytest.fixture
def signing_dir(settings, tmp_path, pki_template):
    settings.SIGNING_DIR = shutil.copytree(pki_template, tmp_path / "signing")
    return settings.SIGNING_DIR


def detail(client, dossier):
    return client.get(reverse("dossiers:dossier_detail", args=[dossier.code]))


def rate(client, dossier, value=RatingValue.VERY_SATISFIED, comment="", version=None):
    dossier.refresh_from_db()
    return client.post(
        reverse("dossiers:rate", args=[dossier.code]),
        {
            "value": value,
            "comment": comment,
            "lock_version": dossier.lock_version if version is None else version,
        },
    )


def attach_signed_result(dossier):
    document = signed_document_issue(
        pdf_bytes=tiny_pdf(),
        identity=signing_identity_for_agency(AGENCY_CODE),
        title="Giấy khai sinh",
        signer_name="Vũ Quốc Dũng",
        owner=dossier.applicant,
        reference=dossier.code,
        filename=f"Giấy khai sinh - {dossier.code}.pdf",
    )
    Attachment.objects.create(
        dossier=dossier, stored_file=document.stored_file, added_by=agency_official(dossier.offering)
    )
    return document


def test_the_result_is_offered_for_download_with_its_verification_page(client, citizen_an, signing_dir):
    dossier = make_dossier(citizen_an, returned=True)
    document = attach_signed_result(dossier)
    client.force_login(citizen_an)
    html = detail(client, dossier).content.decode()
    assert 'id="ket-qua"' in html and "Giấy khai sinh" in html
    assert reverse("documents:verify", args=[document.token]) in html
    attachment = dossier.attachments.get(stored_file=document.stored_file)
    download = client.get(reverse("dossiers:attachment_download", args=[dossier.code, attachment.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


def test_the_notices_of_the_agency_are_listed_apart_from_the_submitted_documents(client, citizen_an):
    dossier = make_dossier(citizen_an, received=True)
    notice = stored_file_create_from_bytes(
        owner=citizen_an,
        content=tiny_pdf(),
        filename=f"Giấy tiếp nhận hồ sơ và hẹn trả kết quả - {dossier.code}.pdf",
        kind=FileKind.GENERATED,
    )
    attachment = Attachment.objects.create(
        dossier=dossier, stored_file=notice, added_by=agency_official(dossier.offering)
    )
    client.force_login(citizen_an)
    html = detail(client, dossier).content.decode()
    section = html[html.index('id="notices-title"') :]
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in section
    assert "Giấy tiếp nhận" not in html[html.index('id="documents-title"') :]
    url = reverse("dossiers:attachment_download", args=[dossier.code, attachment.pk])
    assert url in section and client.get(url).status_code == 200


def test_a_returned_dossier_invites_a_rating_and_takes_it_once(client, citizen_an):
    dossier = make_dossier(citizen_an, returned=True)
    client.force_login(citizen_an)
    html = detail(client, dossier).content.decode()
    assert reverse("dossiers:rate", args=[dossier.code]) in html
    assert "Rất hài lòng" in html and "Không hài lòng" in html
    response = rate(client, dossier, RatingValue.SATISFIED, "Cán bộ hướng dẫn tận tình.")
    assert response.status_code == 302 and response.url.endswith("#danh-gia")
    rating = Rating.objects.get(dossier=dossier)
    assert (rating.value, rating.comment) == (RatingValue.SATISFIED, "Cán bộ hướng dẫn tận tình.")
    assert Outbox.objects.filter(event="dossier_rated").exists()
    html = detail(client, dossier).content.decode()
    assert "Bạn đã đánh giá: <strong>Hài lòng</strong>" in html
    assert reverse("dossiers:rate", args=[dossier.code]) not in html
    again = rate(client, dossier, RatingValue.DISSATISFIED)
    assert again.status_code == 409 and "Bạn đã đánh giá hồ sơ này." in again.content.decode()
    assert Rating.objects.filter(dossier=dossier).count() == 1


def test_a_rating_without_a_choice_is_refused_next_to_the_question_keeping_the_comment(client, citizen_an):
    dossier = make_dossier(citizen_an, returned=True)
    client.force_login(citizen_an)
    response = rate(client, dossier, value="", comment="Nhanh.")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Hãy chọn một mức độ hài lòng." in html and "Nhanh." in html
    assert not Rating.objects.exists()


def test_a_dossier_not_yet_returned_cannot_be_rated(client, citizen_an):
    dossier = make_dossier(citizen_an, result_ready=True)
    client.force_login(citizen_an)
    assert reverse("dossiers:rate", args=[dossier.code]) not in detail(client, dossier).content.decode()
    assert rate(client, dossier).status_code == 409
    assert not Rating.objects.exists()


def test_a_stale_page_cannot_rate(client, citizen_an):
    dossier = make_dossier(citizen_an, returned=True)
    client.force_login(citizen_an)
    response = rate(client, dossier, version=dossier.lock_version + 3)
    assert response.status_code == 409 and "vừa được cập nhật" in response.content.decode()
    assert not Rating.objects.exists()


def test_another_citizen_cannot_see_or_rate_the_dossier(client, citizen_an, citizen_binh):
    dossier = make_dossier(citizen_an, returned=True)
    client.force_login(citizen_binh)
    assert detail(client, dossier).status_code == 404
    assert rate(client, dossier).status_code == 404
    assert not Rating.objects.exists()
    assert State(dossier.state) == State.RETURNED
