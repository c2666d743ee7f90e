"""Issuing a signed document: token and QR code first, then sign, check, store privately and record."""

import re

import pytest
from django.db import IntegrityError, transaction

from dichvucong.documents.models import FileKind, SignedDocument, StoredFile
from dichvucong.documents.signing import (
    SignatureState,
    SigningUnavailable,
    qr_data_uri,
    qr_svg,
    signed_document_get_by_token,
    signed_document_issue,
    signed_document_new_token,
    signed_document_revoke,
    signed_document_verify,
    signing_identity_for_agency,
    verification_url,
)
from dichvucong.documents.storage import private_storage

from .signing_pki import AGENCY_CODE, AGENCY_NAME, build_pki, copy_pki, tiny_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pki_template(tmp_path_factory):
    return build_pki(tmp_path_factory.mktemp("pki") / "signing")


@pytest.fixture
def signing_dir(settings, tmp_path, pki_template):
    settings.SIGNING_DIR = copy_pki(pki_template, tmp_path / "signing")
    return settings.SIGNING_DIR


@pytest.fixture
def identity(signing_dir):
    return signing_identity_for_agency(AGENCY_CODE)


def issue(identity, **overrides):
    values = {
        "pdf_bytes": tiny_pdf(),
        "identity": identity,
        "title": "Trích lục khai sinh",
        "signer_name": "Lê Văn Cường",
        "filename": "Trích lục khai sinh.pdf",
        "reference": "10993.01.H31-261128-0001",
    }
    return signed_document_issue(**values | overrides)


def stored_files_on_disk(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_tokens_are_long_url_safe_and_never_repeat():
    tokens = {signed_document_new_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{32}", token) for token in tokens)


def test_the_verification_url_is_absolute_from_site_url(settings):
    settings.SITE_URL = "https://dichvucong.haiphong.gov.vn/"
    assert verification_url("abcdefghijklmnopqrstuvwxyz") == (
        "https://dichvucong.haiphong.gov.vn/xac-thuc/abcdefghijklmnopqrstuvwxyz/"
    )


def test_the_verification_url_follows_the_request_when_given(rf):
    request = rf.get("/", HTTP_HOST="127.0.0.1:8000")
    assert verification_url("abcdefghijklmnopqrstuvwxyz", request) == (
        "http://127.0.0.1:8000/xac-thuc/abcdefghijklmnopqrstuvwxyz/"
    )


def test_the_qr_code_is_an_accessible_inline_svg_and_a_data_uri():
    url = "http://127.0.0.1:8000/xac-thuc/abcdefghijklmnopqrstuvwxyz/"
    svg = qr_svg(url)
    assert svg.startswith('<svg role="img" ') and "<title>Mã QR xác thực văn bản</title>" in svg
    assert "<script" not in svg and "style=" not in svg
    assert qr_data_uri(url).startswith("data:image/svg+xml")


def test_issuing_signs_stores_privately_and_records_the_document(identity, citizen_an, private_media):
    token = signed_document_new_token()
    document = issue(identity, token=token, owner=citizen_an)
    document.refresh_from_db()
    assert document.token == token
    assert document.title == "Trích lục khai sinh"
    assert document.issuer_name == AGENCY_NAME  # from the certificate when not given
    assert document.issuer_code == AGENCY_CODE
    assert document.signer_name == "Lê Văn Cường"
    assert document.certificate_fingerprint == identity.fingerprint
    assert document.signed_at is not None and document.revoked_at is None
    stored = document.stored_file
    assert stored.kind == FileKind.RESULT and stored.owner == citizen_an and not stored.in_wallet
    assert stored.content_type == "application/pdf" and stored.original_name == "Trích lục khai sinh.pdf"
    with private_storage().open(stored.storage_name, "rb") as handle:
        signed = handle.read()
    assert signed != tiny_pdf() and signed.startswith(b"%PDF")
    assert document.sha256 == stored.sha256
    assert signed_document_verify(document).state == SignatureState.VALID
    assert signed_document_get_by_token(token) == document


def test_a_signed_result_is_not_an_orphan_for_the_sweep(identity):
    from django.utils import timezone

    from dichvucong.documents.selectors import stored_file_list_unreferenced

    document = issue(identity)
    assert document.stored_file not in stored_file_list_unreferenced(created_before=timezone.now())


def test_a_signature_that_would_not_verify_is_never_issued(identity, signing_dir, private_media):
    (signing_dir / "ca" / "ca.cert.pem").unlink()  # the trust root vanished after the identity was loaded
    with pytest.raises(SigningUnavailable) as raised:
        issue(identity)
    assert raised.value.reason == "not_verifiable"
    assert "Chưa phát hành văn bản" in raised.value.message
    assert not SignedDocument.objects.exists() and not StoredFile.objects.exists()
    assert stored_files_on_disk(private_media) == []


def test_when_recording_fails_nothing_is_left_behind(identity, private_media):
    existing = issue(identity)
    before = stored_files_on_disk(private_media)
    with pytest.raises(IntegrityError):
        issue(identity, token=existing.token)  # the token is unique
    assert SignedDocument.objects.count() == 1 and StoredFile.objects.count() == 1
    assert stored_files_on_disk(private_media) == before


def test_a_malformed_token_is_refused_before_signing(identity):
    with pytest.raises(ValueError):
        issue(identity, token="short")


def test_revoking_records_when_and_why_once(identity):
    document = issue(identity)
    assert signed_document_revoke(document=document, reason="Cấp nhầm người")
    assert not signed_document_revoke(document=document, reason="Lần nữa")
    document.refresh_from_db()
    assert document.revoked_at is not None and document.revocation_reason == "Cấp nhầm người"
    with pytest.raises(ValueError):
        signed_document_revoke(document=issue(identity), reason="  ")


def test_the_database_refuses_a_revocation_without_a_reason(identity):
    from django.utils import timezone

    document = issue(identity)
    with pytest.raises(IntegrityError), transaction.atomic():
        SignedDocument.objects.filter(pk=document.pk).update(revoked_at=timezone.now())


def test_unknown_and_malformed_tokens_find_nothing():
    assert signed_document_get_by_token(signed_document_new_token()) is None
    assert signed_document_get_by_token("x") is None
    assert signed_document_get_by_token("' OR 1=1 --") is None
