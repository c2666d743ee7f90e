"""PAdES signatures: a signed PDF validates as intact and trusted; tampering and a foreign CA are caught."""

import io
import re

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pypdf import PdfReader

from dichvucong.core.pdf import render_pdf
from dichvucong.documents.signing import (
    SignatureState,
    SigningIdentity,
    pdf_sign,
    pdf_verify,
    qr_svg,
    signing_identity_for_agency,
)

from .signing_pki import AGENCY_CODE, AGENCY_NAME, build_pki, copy_pki, issue_from_other_ca, tiny_pdf


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


def sign(pdf: bytes, identity) -> bytes:
    return pdf_sign(
        pdf, identity=identity, reason="Trích lục khai sinh", location="Hải Phòng", signer_name="Lê Văn Cường"
    )


def changed_in_signed_range(signed: bytes) -> bytes:
    """One digit of the page's MediaBox changed: still a well-formed PDF, inside the signed bytes."""
    start = signed.index(b"/MediaBox")
    digit = re.compile(rb"[1-9]").search(signed, start).start()
    tampered = bytearray(signed)
    tampered[digit] = ord("1") if signed[digit] != ord("1") else ord("2")
    return bytes(tampered)


def changed_by_incremental_update(signed: bytes) -> bytes:
    """Text drawn over the page in an update appended after the signature, as an editor would save it."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    stamp = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 12 Tf 10 10 Td (DA SUA) Tj ET"))
    writer.add_stream_to_page(0, stamp)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def test_a_signed_pdf_is_intact_and_trusted(identity):
    result = pdf_verify(sign(tiny_pdf(), identity))
    assert result.state == SignatureState.VALID
    assert result.intact and result.trusted and result.valid
    assert result.signer_organization == AGENCY_NAME
    assert result.certificate_issuer.startswith("dichvucong development CA")
    assert result.signed_at is not None


def test_the_signature_is_pades_with_the_chain_embedded_and_the_signer_named(identity):
    from pyhanko.pdf_utils.reader import PdfFileReader

    signed = sign(tiny_pdf(), identity)
    signature = PdfFileReader(io.BytesIO(signed), strict=False).embedded_signatures[0]
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.sig_object["/Name"] == "Lê Văn Cường"
    assert signature.sig_object["/Reason"] == "Trích lục khai sinh"
    embedded = {cert.chosen.subject.human_friendly for cert in signature.signed_data["certificates"]}
    assert any("development CA" in subject for subject in embedded)  # the chain travels with the file
    assert PdfReader(io.BytesIO(signed)).pages[0] is not None  # still an ordinary PDF for readers


def test_a_weasyprint_result_with_its_qr_code_signs_and_validates(pdf_rendering, identity):
    pdf = render_pdf(
        "documents/verify_specimen.html",
        {
            "title": "Trích lục khai sinh",
            "body": "Nội dung văn bản mẫu.",
            "issuer_name": AGENCY_NAME,
            "signer_name": "Lê Văn Cường",
            "verification_url": "http://127.0.0.1:8000/xac-thuc/abc/",
            "verification_qr": qr_svg("http://127.0.0.1:8000/xac-thuc/abc/"),
        },
    )
    signed = sign(pdf, identity)
    assert pdf_verify(signed).state == SignatureState.VALID
    text = PdfReader(io.BytesIO(signed)).pages[0].extract_text()
    assert "Trích lục khai sinh" in text and "/xac-thuc/abc/" in text


def test_changing_a_byte_inside_the_signed_range_is_detected(identity):
    result = pdf_verify(changed_in_signed_range(sign(tiny_pdf(), identity)))
    assert result.state == SignatureState.ALTERED
    assert not result.intact and not result.trusted
    assert "chỉnh sửa" in result.explanation


def test_content_added_by_an_incremental_update_after_signing_is_detected(identity):
    result = pdf_verify(changed_by_incremental_update(sign(tiny_pdf(), identity)))
    assert result.state == SignatureState.ALTERED
    assert not result.intact


def test_a_certificate_from_another_ca_is_intact_but_untrusted(signing_dir, tmp_path):
    issue_from_other_ca(tmp_path / "other", into=signing_dir)
    folder = signing_dir / "agencies" / AGENCY_CODE
    foreign = SigningIdentity(
        agency_code=AGENCY_CODE,
        certificate=x509.load_pem_x509_certificate((folder / "cert.pem").read_bytes()),
        chain=tuple(x509.load_pem_x509_certificates((folder / "chain.pem").read_bytes())),
        private_key=serialization.load_pem_private_key((folder / "key.pem").read_bytes(), password=None),
    )
    result = pdf_verify(sign(tiny_pdf(), foreign))
    assert result.state == SignatureState.UNTRUSTED
    assert result.intact and not result.trusted


def test_without_any_trust_root_nothing_is_trusted(identity, signing_dir):
    signed = sign(tiny_pdf(), identity)
    (signing_dir / "ca" / "ca.cert.pem").unlink()
    assert pdf_verify(signed).state == SignatureState.UNTRUSTED


def test_an_unsigned_pdf_says_so():
    result = pdf_verify(tiny_pdf())
    assert result.state == SignatureState.UNSIGNED
    assert not result.intact and not result.trusted


def test_garbage_is_reported_as_altered_not_as_an_error():
    result = pdf_verify(b"%PDF-1.7\n" + b"\x00garbage" * 50 + b"\n%%EOF\n")
    assert result.state == SignatureState.ALTERED
    assert not result.trusted and "Không đọc được tệp" in result.explanation


def test_a_pdf_that_cannot_be_parsed_fails_closed_with_an_explanation(identity):
    from dichvucong.documents.signing import SigningUnavailable

    with pytest.raises(SigningUnavailable) as raised:
        sign(b"not a pdf at all", identity)
    assert raised.value.reason == "sign_failed"
    assert "PDF" in raised.value.message
