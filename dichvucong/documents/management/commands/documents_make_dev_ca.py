"""Make a development certificate authority and agencies' signing certificates (never for production).

Idempotent: the CA is made once and kept (replacing it would make every document signed so far
untrusted); an agency's key and certificate are made when missing, unreadable, not issued by this CA or
expiring within RENEW_BEFORE_DAYS, and kept otherwise (`--force` makes new ones). Private keys are
written with mode 0600, folders 0700. See docs/signing.md.

The functions below are plain (a folder and values, no database) so tests can build their own PKI.
"""

import os
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from dichvucong.documents.signing import (
    AGENCIES_DIR,
    AGENCY_CODE_PATTERN,
    CA_CERT_FILE,
    CA_DIR,
    CA_KEY_FILE,
    CERT_FILE,
    CHAIN_FILE,
    KEY_FILE,
    signing_dir,
)

CA_COMMON_NAME = "dichvucong development CA — không dùng cho sản xuất"
CA_ORGANIZATION = "dichvucong (môi trường phát triển)"
CA_DAYS = 10 * 365
AGENCY_DAYS = 2 * 365
RENEW_BEFORE_DAYS = 30
KEY_BITS = 2048
# X.520 upper bound of a common name, counted by cryptography in UTF-8 bytes (a Vietnamese letter takes
# 2–3): a longer agency name is shortened in CN=; O= keeps it whole.
COMMON_NAME_MAX_BYTES = 64


def dev_ca_ensure(directory: Path) -> tuple[x509.Certificate, object, bool]:
    """The development CA in `directory`/ca (certificate, private key, created now?), made if missing."""
    folder = _private_folder(directory / CA_DIR)
    cert_path, key_path = folder / CA_CERT_FILE, folder / CA_KEY_FILE
    if cert_path.exists() and key_path.exists():
        try:
            certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
            key = serialization.load_pem_private_key(key_path.read_bytes(), password=_passphrase())
        except (OSError, ValueError, TypeError) as exc:
            raise CommandError(
                f"Không đọc được CA phát triển trong {folder} ({type(exc).__name__}). Xóa thư mục này để tạo "
                "CA mới (mọi văn bản đã ký bằng CA cũ sẽ không còn được tin cậy)."
            ) from exc
        if certificate.not_valid_after_utc <= timezone.now():
            raise CommandError(
                f"CA phát triển trong {folder} đã hết hạn. Xóa thư mục này để tạo CA mới (mọi văn bản đã ký "
                "bằng CA cũ sẽ không còn được tin cậy)."
            )
        return certificate, key, False

    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, CA_COMMON_NAME),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, CA_ORGANIZATION),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        ]
    )
    now = timezone.now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(key_cert_sign=True, crl_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    write_private_key(key_path, key)
    write_public_file(cert_path, certificate.public_bytes(serialization.Encoding.PEM))
    return certificate, key, True


def agency_certificate_issue(
    directory: Path,
    *,
    ca_certificate: x509.Certificate,
    ca_key,
    agency_code: str,
    agency_name: str,
    province_name: str = "",
    not_before: datetime | None = None,
    not_after: datetime | None = None,
) -> x509.Certificate:
    """A new key and certificate for one agency in `directory`/agencies/<code>/ (key first, then the
    certificate, then the chain: a crash in between leaves a pair the next run sees as not matching)."""
    if not AGENCY_CODE_PATTERN.match(agency_code):
        raise CommandError(f"Mã cơ quan không dùng được làm tên thư mục: {agency_code!r}")
    _private_folder(directory / AGENCIES_DIR)
    folder = _private_folder(directory / AGENCIES_DIR / agency_code)
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    attributes = [
        x509.NameAttribute(NameOID.COMMON_NAME, _shortened(agency_name, COMMON_NAME_MAX_BYTES)),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, agency_name),
    ]
    if province_name:
        attributes.append(x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, province_name))
    attributes.append(x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"))
    now = timezone.now()
    not_before = not_before or now - timedelta(minutes=5)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attributes))
        .issuer_name(ca_certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after or not_before + timedelta(days=AGENCY_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(digital_signature=True, content_commitment=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_certificate.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    write_private_key(folder / KEY_FILE, key)
    write_public_file(folder / CERT_FILE, certificate.public_bytes(serialization.Encoding.PEM))
    write_public_file(folder / CHAIN_FILE, ca_certificate.public_bytes(serialization.Encoding.PEM))
    return certificate


def agency_certificate_current(directory: Path, agency_code: str, ca_certificate: x509.Certificate) -> bool:
    """Is the agency's pair there, readable, matching, issued by this CA and valid for a while yet?"""
    folder = directory / AGENCIES_DIR / agency_code
    try:
        certificate = x509.load_pem_x509_certificate((folder / CERT_FILE).read_bytes())
        key = serialization.load_pem_private_key((folder / KEY_FILE).read_bytes(), password=_passphrase())
        certificate.verify_directly_issued_by(ca_certificate)
    except (OSError, ValueError, TypeError, InvalidSignature):
        return False
    same_key = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) == certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return same_key and certificate.not_valid_after_utc > timezone.now() + timedelta(days=RENEW_BEFORE_DAYS)


def write_private_key(path: Path, key) -> None:
    """PEM, encrypted when SIGNING_KEY_PASSPHRASE is set, mode 0600 from the moment it exists."""
    passphrase = _passphrase()
    encryption = (
        serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    )
    data = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    _write_atomically(path, data, mode=0o600)


def write_public_file(path: Path, data: bytes) -> None:
    _write_atomically(path, data, mode=0o644)


def _write_atomically(path: Path, data: bytes, *, mode: int) -> None:
    # mkstemp creates the file 0600; it is renamed over the old one only once complete.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as output:
            os.fchmod(output.fileno(), mode)
            output.write(data)
            output.flush()
            os.fsync(output.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _private_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)
    return folder


def _shortened(text: str, max_bytes: int) -> str:
    while len(text.encode()) > max_bytes:
        text = text[:-1]
    return text.rstrip()


def _passphrase() -> bytes | None:
    passphrase = getattr(settings, "SIGNING_KEY_PASSPHRASE", "") or ""
    return passphrase.encode() if passphrase else None


def _key_usage(**chosen) -> x509.KeyUsage:
    names = [
        "digital_signature",
        "content_commitment",
        "key_encipherment",
        "data_encipherment",
        "key_agreement",
        "key_cert_sign",
        "crl_sign",
        "encipher_only",
        "decipher_only",
    ]
    return x509.KeyUsage(**{name: chosen.get(name, False) for name in names})


class Command(BaseCommand):
    help = (
        "Tạo CA phát triển và chứng thư số ký văn bản cho cơ quan trong SIGNING_DIR "
        "(không dùng cho sản xuất). Mặc định: các cơ quan có cán bộ."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--agency",
            action="append",
            default=[],
            metavar="CODE",
            help="Mã nội bộ (10993.ttpvhcc) hoặc mã định danh của cơ quan; lặp lại cho nhiều cơ quan.",
        )
        parser.add_argument("--all", dest="every", action="store_true", help="Mọi cơ quan đang hoạt động.")
        parser.add_argument(
            "--force", action="store_true", help="Tạo khóa và chứng thư mới cho các cơ quan đã chọn."
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Chạy cả khi DEBUG tắt (máy thử nghiệm, trình diễn); không bao giờ dùng cho hệ thống thật.",
        )

    def handle(self, *args, agency, every, force, allow_production, verbosity, **options):
        if not (settings.DEBUG or getattr(settings, "TESTING", False) or allow_production):
            raise CommandError(
                "documents_make_dev_ca tạo CA phát triển, không dùng cho sản xuất: DEBUG đang tắt. Hệ thống "
                "thật dùng chứng thư số do tổ chức chứng thực cấp (docs/signing.md). Trên máy thử nghiệm, "
                "thêm --allow-production."
            )
        agencies = self._agencies(agency, every)
        directory = signing_dir()
        _private_folder(directory)
        ca_certificate, ca_key, ca_created = dev_ca_ensure(directory)
        issued = kept = 0
        for chosen in agencies:
            if not force and agency_certificate_current(directory, chosen.code, ca_certificate):
                kept += 1
                continue
            agency_certificate_issue(
                directory,
                ca_certificate=ca_certificate,
                ca_key=ca_key,
                agency_code=chosen.code,
                agency_name=chosen.name,
                province_name=chosen.province.name,
            )
            issued += 1
        if verbosity:
            ca_state = "đã tạo" if ca_created else "đã có"
            self.stdout.write(
                f"documents_make_dev_ca: CA phát triển {ca_state} ({directory / CA_DIR}); "
                f"đã cấp {issued} chứng thư số cơ quan, giữ nguyên {kept}."
            )
            if not agencies:
                self.stdout.write(
                    "Chưa chọn cơ quan nào (chưa có cơ quan có cán bộ): dùng --agency hoặc --all."
                )

    def _agencies(self, codes, every):
        from dichvucong.directory.models import Agency

        agencies = Agency.objects.select_related("province").order_by("code")
        if every:
            return list(agencies.filter(is_active=True))
        if not codes:
            return list(agencies.filter(is_active=True, staff__is_active=True).distinct())
        chosen = list(agencies.filter(Q(code__in=codes) | Q(identifier__in=codes)))
        found = {a.code for a in chosen} | {a.identifier for a in chosen}
        missing = [code for code in codes if code not in found]
        if missing:
            raise CommandError(f"Không có cơ quan với mã: {', '.join(missing)}")
        return chosen
