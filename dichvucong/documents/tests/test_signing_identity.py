"""Signing fails closed: without a usable certificate nothing is signed, and the message says why."""

import pytest
from cryptography import x509

from dichvucong.documents.signing import SigningUnavailable, signing_identity_for_agency

from .signing_pki import (
    AGENCY_CODE,
    AGENCY_NAME,
    build_pki,
    copy_pki,
    issue_expired,
    issue_from_other_ca,
)


@pytest.fixture(scope="module")
def pki_template(tmp_path_factory):
    return build_pki(tmp_path_factory.mktemp("pki") / "signing")


@pytest.fixture
def signing_dir(settings, tmp_path, pki_template):
    settings.SIGNING_DIR = copy_pki(pki_template, tmp_path / "signing")
    return settings.SIGNING_DIR


def unavailable(code=AGENCY_CODE, **kwargs) -> SigningUnavailable:
    with pytest.raises(SigningUnavailable) as raised:
        signing_identity_for_agency(code, **kwargs)
    return raised.value


def test_an_agency_with_a_valid_certificate_gets_its_identity(signing_dir):
    identity = signing_identity_for_agency(AGENCY_CODE)
    assert identity.organization == AGENCY_NAME
    assert identity.chain and "development CA" in identity.chain[0].subject.rfc4514_string()
    assert len(identity.fingerprint) == 64
    assert "PRIVATE" not in repr(identity) and "key" not in repr(identity).lower()


def test_an_agency_without_a_certificate_cannot_sign_and_is_told_so(signing_dir):
    error = unavailable("31.ttpvhcc", agency_name="Trung tâm Phục vụ hành chính công thành phố Hải Phòng")
    assert error.reason == "missing"
    assert "Trung tâm Phục vụ hành chính công thành phố Hải Phòng" in error.message
    assert "chưa có chứng thư số" in error.message


def test_no_signing_folder_at_all_fails_closed(settings, tmp_path):
    settings.SIGNING_DIR = tmp_path / "nothing-here"
    assert unavailable().reason == "missing"


def test_an_expired_certificate_cannot_sign_and_the_date_is_given(signing_dir):
    issue_expired(signing_dir)
    expired = x509.load_pem_x509_certificate(
        (signing_dir / "agencies" / AGENCY_CODE / "cert.pem").read_bytes()
    )
    error = unavailable()
    assert error.reason == "expired"
    assert "đã hết hạn" in error.message
    assert expired.not_valid_after_utc.strftime("%Y") in error.message


def test_an_unreadable_private_key_cannot_sign(signing_dir):
    (signing_dir / "agencies" / AGENCY_CODE / "key.pem").write_bytes(b"-----BEGIN PRIVATE KEY-----\nxx\n")
    error = unavailable()
    assert error.reason == "key_unreadable"
    assert "Không đọc được khóa bí mật" in error.message


def test_an_encrypted_key_without_its_passphrase_cannot_sign(signing_dir, settings, tmp_path):
    settings.SIGNING_KEY_PASSPHRASE = "mật-khẩu-khóa"
    build_pki(tmp_path / "encrypted")  # keys written encrypted
    (signing_dir / "agencies" / AGENCY_CODE / "key.pem").write_bytes(
        (tmp_path / "encrypted" / "agencies" / AGENCY_CODE / "key.pem").read_bytes()
    )
    settings.SIGNING_KEY_PASSPHRASE = ""
    assert unavailable().reason == "key_unreadable"


def test_a_key_that_does_not_match_the_certificate_cannot_sign(signing_dir, tmp_path):
    other = build_pki(tmp_path / "other")
    (signing_dir / "agencies" / AGENCY_CODE / "key.pem").write_bytes(
        (other / "agencies" / AGENCY_CODE / "key.pem").read_bytes()
    )
    assert unavailable().reason == "key_mismatch"


def test_a_certificate_from_a_ca_the_system_does_not_trust_cannot_sign(signing_dir, tmp_path):
    issue_from_other_ca(tmp_path / "other", into=signing_dir)
    error = unavailable()
    assert error.reason == "untrusted"
    assert "không do tổ chức chứng thực mà hệ thống tin cậy cấp" in error.message


def test_a_ca_listed_in_signing_trust_roots_is_trusted(signing_dir, settings, tmp_path):
    issue_from_other_ca(tmp_path / "other", into=signing_dir)
    settings.SIGNING_TRUST_ROOTS = [str(tmp_path / "other" / "ca" / "ca.cert.pem")]
    assert signing_identity_for_agency(AGENCY_CODE).organization == AGENCY_NAME


def test_an_agency_code_cannot_climb_out_of_the_signing_folder(signing_dir):
    for code in ("../ca", "/etc/passwd", "", "a/b"):
        assert unavailable(code).reason == "invalid_agency"
