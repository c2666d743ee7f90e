"""`manage.py documents_make_dev_ca`: a development CA and agency certificates, idempotent, keys 0600."""

import stat

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID
from django.core.management import CommandError, call_command

from dichvucong.accounts.models import StaffRole
from dichvucong.accounts.tests.officials import AGENCY_A, AGENCY_B, make_official
from dichvucong.directory.models import Agency
from dichvucong.documents.signing import signing_identity_for_agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def signing_dir(settings, tmp_path):
    settings.SIGNING_DIR = tmp_path / "signing"
    return settings.SIGNING_DIR


def make_ca(*agencies, **options):
    call_command("documents_make_dev_ca", *[f"--agency={a}" for a in agencies], verbosity=0, **options)


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def certificate(path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def test_it_makes_a_ca_and_an_agency_certificate_with_private_keys_readable_by_the_owner_only(signing_dir):
    make_ca(AGENCY_A)
    ca_cert = certificate(signing_dir / "ca" / "ca.cert.pem")
    assert "không dùng cho sản xuất" in ca_cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert ca_cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    folder = signing_dir / "agencies" / AGENCY_A
    assert mode(signing_dir / "ca" / "ca.key.pem") == 0o600
    assert mode(folder / "key.pem") == 0o600
    for directory in (signing_dir, signing_dir / "ca", signing_dir / "agencies", folder):
        assert mode(directory) == 0o700
    assert not list(folder.glob(".tmp-*"))


def test_the_agency_certificate_names_the_agency_in_viet_nam_and_is_for_signing(signing_dir):
    make_ca(AGENCY_A)
    agency = Agency.objects.get(code=AGENCY_A)
    cert = certificate(signing_dir / "agencies" / AGENCY_A / "cert.pem")
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == agency.name
    assert cert.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == "VN"
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    cert.verify_directly_issued_by(certificate(signing_dir / "ca" / "ca.cert.pem"))
    assert signing_identity_for_agency(AGENCY_A).organization == agency.name


def test_running_it_again_changes_nothing(signing_dir):
    make_ca(AGENCY_A)
    files = sorted(p for p in signing_dir.rglob("*") if p.is_file())
    before = {p: p.read_bytes() for p in files}
    make_ca(AGENCY_A)
    assert {p: p.read_bytes() for p in sorted(p for p in signing_dir.rglob("*") if p.is_file())} == before


def test_force_makes_a_new_agency_key_but_keeps_the_ca(signing_dir):
    make_ca(AGENCY_A)
    ca_before = (signing_dir / "ca" / "ca.cert.pem").read_bytes()
    key_before = (signing_dir / "agencies" / AGENCY_A / "key.pem").read_bytes()
    make_ca(AGENCY_A, force=True)
    assert (signing_dir / "ca" / "ca.cert.pem").read_bytes() == ca_before
    assert (signing_dir / "agencies" / AGENCY_A / "key.pem").read_bytes() != key_before
    assert mode(signing_dir / "agencies" / AGENCY_A / "key.pem") == 0o600
    signing_identity_for_agency(AGENCY_A)


def test_a_damaged_agency_key_is_replaced_on_the_next_run(signing_dir):
    make_ca(AGENCY_A)
    (signing_dir / "agencies" / AGENCY_A / "key.pem").write_text("hỏng")
    make_ca(AGENCY_A)
    signing_identity_for_agency(AGENCY_A)


def test_an_agency_can_be_named_by_its_identifier(signing_dir):
    agency = Agency.objects.get(code=AGENCY_B)
    make_ca(agency.identifier)
    assert (signing_dir / "agencies" / AGENCY_B / "cert.pem").exists()


def test_without_agency_options_it_covers_the_agencies_that_have_staff(signing_dir):
    make_official(
        "le-cuong",
        full_name="Lê Văn Cường",
        agency=Agency.objects.get(code=AGENCY_A),
        roles=[StaffRole.APPROVER],
    )
    make_ca()
    assert sorted(p.name for p in (signing_dir / "agencies").iterdir()) == [AGENCY_A]


def test_an_unknown_agency_is_an_error(signing_dir):
    with pytest.raises(CommandError, match="Không có cơ quan với mã: 99999.khong-co"):
        make_ca("99999.khong-co")


def test_it_refuses_to_run_in_production(signing_dir, settings):
    settings.DEBUG, settings.TESTING = False, False
    with pytest.raises(CommandError, match="không dùng cho sản xuất"):
        make_ca(AGENCY_A)
    assert not signing_dir.exists()
    make_ca(AGENCY_A, allow_production=True)  # a staging machine says so explicitly
    assert (signing_dir / "agencies" / AGENCY_A / "cert.pem").exists()
