"""Approving issues a signed result (or a signed reasoned refusal) in the approval's transaction; without
a usable certificate nothing changes. Results made outside the templates can be uploaded and signed."""

# ruff: noqa: F811 (pytest fixtures imported from .web are parameters of the tests)

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dichvucong.documents.models import FileKind, SignedDocument, StoredFile
from dichvucong.documents.signing import pdf_verify
from dichvucong.documents.tests.corpus import pdf_bytes
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.workflow import Outcome, State
from dichvucong.notifications.models import Outbox
from dichvucong.processing.services import results as results_service
from dichvucong.processing.services.results import dossier_approve_and_issue

from .helpers import dossier_in
from .web import (  # noqa: F401
    action_url,
    desk,
    dossier_url,
    messages_of,
    no_signing,
    pdf_text,
    pki_template,
    signing_dir,
    squeezed,
    stored_bytes,
)

pytestmark = pytest.mark.django_db


def files_on_disk(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_approving_signs_the_result_with_the_agency_certificate_and_attaches_it(people, desk, signing_dir):
    dossier = dossier_in(people, State.AWAITING_APPROVAL)
    response = desk.as_(people.approver_dung).post(
        dossier, "ky-duyet", {"outcome": Outcome.GRANTED, "number": "15/TLKS"}
    )
    assert response.status_code == 302 and any("ký số" in m for m in messages_of(response))
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.state == State.RESULT_READY and dossier.outcome == Outcome.GRANTED
    attachment = dossier.attachments.get(stored_file__kind=FileKind.RESULT)
    document = SignedDocument.objects.get(stored_file=attachment.stored_file)
    assert document.signer_name == "Vũ Quốc Dũng" and document.issuer_code == people.competent.code
    assert document.reference == dossier.code and attachment.stored_file.owner == people.citizen_an
    content = stored_bytes(attachment.stored_file)
    check = pdf_verify(content)
    assert check.valid and check.trusted and check.intact
    text = squeezed(pdf_text(content))
    assert "VũQuốcDũng" in text and document.token in text  # the QR code's address is printed too
    verification = desk.client.get(reverse("documents:verify", args=[document.token]))
    assert verification.status_code == 200 and "Chữ ký số hợp lệ" in verification.content.decode()
    # The officials' panel lists the signed result with its verification page.
    page = desk.get(dossier_url(dossier)).content.decode()
    assert reverse("documents:verify", args=[document.token]) in page


def test_not_granting_needs_a_reason_and_signs_the_reasoned_reply(people, desk, signing_dir):
    dossier = dossier_in(people, State.AWAITING_APPROVAL)
    desk.as_(people.approver_dung)
    missing = desk.post(dossier, "ky-duyet", {"outcome": Outcome.NOT_GRANTED})
    assert missing.status_code == 400 and "Hãy nêu lý do không giải quyết." in missing.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).state == State.AWAITING_APPROVAL
    response = desk.post(
        dossier,
        "ky-duyet",
        {"outcome": Outcome.NOT_GRANTED, "reason": "Người được khai sinh đã có giấy khai sinh."},
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.state == State.RESULT_READY and dossier.outcome == Outcome.NOT_GRANTED
    stored = dossier.attachments.get(stored_file__kind=FileKind.RESULT).stored_file
    content = stored_bytes(stored)
    assert pdf_verify(content).valid
    assert "đãcógiấykhaisinh" in squeezed(pdf_text(content))
    assert SignedDocument.objects.get(stored_file=stored).title == "Văn bản trả lời không giải quyết hồ sơ"


def test_approving_without_a_certificate_fails_closed_and_changes_nothing(
    people, desk, no_signing, private_media
):
    dossier = dossier_in(people, State.AWAITING_APPROVAL)
    before = (dossier.lock_version, dossier.events.count(), Outbox.objects.count())
    response = desk.as_(people.approver_dung).post(
        dossier, "ky-duyet", {"outcome": Outcome.GRANTED, "decision_text": "Cấp trích lục khai sinh."}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "chưa có chứng thư số" in html and "Cấp trích lục khai sinh." in html  # typed text kept
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.state == State.AWAITING_APPROVAL and not dossier.outcome and not dossier.finished_at
    assert (dossier.lock_version, dossier.events.count(), Outbox.objects.count()) == before
    assert not SignedDocument.objects.exists()
    assert not StoredFile.objects.filter(kind=FileKind.RESULT).exists()
    assert files_on_disk(private_media) == []


def test_a_failure_after_signing_rolls_everything_back_and_removes_the_signed_bytes(
    people, signing_dir, private_media, monkeypatch
):
    dossier = dossier_in(people, State.AWAITING_APPROVAL)

    def broken_attach(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(results_service, "dossier_result_attach", broken_attach)
    with pytest.raises(RuntimeError):
        dossier_approve_and_issue(
            dossier_id=dossier.pk,
            official=people.approver_dung,
            agency=people.competent,
            outcome=Outcome.GRANTED,
        )
    assert Dossier.objects.get(pk=dossier.pk).state == State.AWAITING_APPROVAL
    assert not SignedDocument.objects.exists() and not StoredFile.objects.exists()
    assert files_on_disk(private_media) == []


def test_an_uploaded_result_is_signed_before_it_is_attached(people, desk, signing_dir):
    dossier = dossier_in(people, State.RESULT_READY)
    desk.as_(people.specialist_chi)
    page = desk.get(action_url(dossier, "dinh-kem-ket-qua"))
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.content.decode()
    upload = SimpleUploadedFile("trich-luc.pdf", pdf_bytes(), content_type="application/pdf")
    response = desk.post(
        dossier, "dinh-kem-ket-qua", {"file": upload, "title": "Trích lục khai sinh", "sign": "on"}
    )
    assert response.status_code == 302
    stored = Dossier.objects.get(pk=dossier.pk).attachments.get(stored_file__kind=FileKind.RESULT).stored_file
    document = SignedDocument.objects.get(stored_file=stored)
    assert document.title == "Trích lục khai sinh" and document.signer_name == "Phạm Minh Chi"
    assert pdf_verify(stored_bytes(stored)).valid


def test_an_uploaded_result_that_is_not_a_pdf_is_refused_next_to_the_field(people, desk, signing_dir):
    dossier = dossier_in(people, State.RESULT_READY)
    upload = SimpleUploadedFile(
        "ket-qua.pdf", b"<html><body>not a pdf</body></html>", content_type="application/pdf"
    )
    response = desk.as_(people.specialist_chi).post(
        dossier, "dinh-kem-ket-qua", {"file": upload, "sign": "on"}
    )
    assert response.status_code == 400
    assert 'id="id_file-error"' in response.content.decode()
    assert (
        not Dossier.objects.get(pk=dossier.pk).attachments.filter(stored_file__kind=FileKind.RESULT).exists()
    )
