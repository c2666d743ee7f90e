"""Digital signatures on issued results (ký số, PAdES) and their public verification (/xac-thuc/<token>/).

The agency signs: each agency has a private key and a certificate under SIGNING_DIR
(`agencies/<Agency.code>/key.pem`, `cert.pem`, optional `chain.pem`); the approver's name goes in the
signature's /Name and on the verification page. Development machines get them from
`manage.py documents_make_dev_ca`; docs/signing.md says how production differs.

Signing fails closed: without a readable key, an unexpired certificate that this system trusts, and a
PDF that then verifies, nothing is issued and `SigningUnavailable` says in Vietnamese what is wrong.
No timestamp authority is reachable from this machine, so signatures are PAdES B-B (no signature
timestamp); the signing time recorded in SignedDocument stands in for one on the verification page.

The QR code is printed inside the PDF before it is signed, so the token comes first:

    identity = signing_identity_for_agency(agency.code, agency_name=agency.name)
    token = signed_document_new_token()
    url = verification_url(token)
    pdf = render_pdf(template, {..., "verification_url": url, "verification_qr": qr_svg(url)})
    document = signed_document_issue(pdf_bytes=pdf, identity=identity, token=token, title=..., ...)

pyHanko is imported inside the functions that use it: it takes most of a second to import.
"""

import asyncio
import concurrent.futures
import hashlib
import io
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import segno
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import FileKind, SignedDocument
from .services import storage_delete_quietly, stored_file_create_from_bytes
from .storage import private_storage

logger = logging.getLogger(__name__)

# 24 random bytes: 32 URL-safe characters, 192 bits; nobody finds a document by guessing.
TOKEN_BYTES = 24
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{22,64}$")
# An Agency.code ("10993.ttpvhcc") names a folder: nothing that could climb out of SIGNING_DIR.
AGENCY_CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
SIGNATURE_FIELD = "ChuKySoCoQuan"
CA_DIR, AGENCIES_DIR = "ca", "agencies"
KEY_FILE, CERT_FILE, CHAIN_FILE = "key.pem", "cert.pem", "chain.pem"
CA_CERT_FILE, CA_KEY_FILE = "ca.cert.pem", "ca.key.pem"


def signing_dir() -> Path:
    """SIGNING_DIR (default VAR_DIR/signing): the CA and one folder per agency."""
    configured = getattr(settings, "SIGNING_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "signing"


def agency_dir(agency_code: str) -> Path:
    return signing_dir() / AGENCIES_DIR / agency_code


# --- Identities ----------------------------------------------------------------------------------


class SigningUnavailable(Exception):
    """Nothing can be signed: `reason` (a code for logs and tests), `message` (Vietnamese, for people)."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class SigningIdentity:
    """An agency's private key and certificate (with the issuers' chain), checked and ready to sign."""

    agency_code: str
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    private_key: object  # a cryptography private key; kept out of repr and logs

    def __repr__(self):
        return f"SigningIdentity({self.agency_code!r}, {self.common_name!r})"

    @property
    def common_name(self) -> str:
        return _name_attribute(self.certificate.subject, NameOID.COMMON_NAME)

    @property
    def organization(self) -> str:
        """The agency's name as the certificate gives it (O=)."""
        return _name_attribute(self.certificate.subject, NameOID.ORGANIZATION_NAME) or self.common_name

    @property
    def fingerprint(self) -> str:
        return self.certificate.fingerprint(hashes.SHA256()).hex()


def signing_identity_for_agency(agency_code: str, *, agency_name: str = "") -> SigningIdentity:
    """The agency's signing identity, or SigningUnavailable saying what is missing (no certificate,
    expired, key unreadable or not matching, not trusted, not for signing). Call it before asking an
    approver to sign, to tell them early; `agency_name` only makes the messages friendlier."""
    label = agency_name or agency_code
    if not AGENCY_CODE_PATTERN.match(agency_code or ""):
        raise SigningUnavailable(
            "invalid_agency",
            _("Mã cơ quan “%(agency)s” không hợp lệ nên không tìm được chứng thư số.")
            % {"agency": agency_code},
        )
    folder = agency_dir(agency_code)
    key_path, cert_path = folder / KEY_FILE, folder / CERT_FILE
    if not key_path.exists() or not cert_path.exists():
        raise SigningUnavailable(
            "missing",
            _(
                "Cơ quan “%(agency)s” chưa có chứng thư số để ký văn bản điện tử nên không thể ký và phát "
                "hành kết quả. Đề nghị quản trị hệ thống cấp chứng thư số cho cơ quan."
            )
            % {"agency": label},
        )
    try:
        certificates = x509.load_pem_x509_certificates(cert_path.read_bytes())
        chain_path = folder / CHAIN_FILE
        chain = x509.load_pem_x509_certificates(chain_path.read_bytes()) if chain_path.exists() else []
    except (OSError, ValueError) as exc:
        logger.warning("Unreadable certificate for agency %s: %s", agency_code, exc)
        raise SigningUnavailable(
            "unreadable",
            _("Không đọc được chứng thư số của cơ quan “%(agency)s” (tệp bị hỏng hoặc không có quyền đọc).")
            % {"agency": label},
        ) from exc
    certificate, chain = certificates[0], tuple(certificates[1:]) + tuple(chain)
    label = agency_name or _name_attribute(certificate.subject, NameOID.ORGANIZATION_NAME) or label

    now = timezone.now()
    if certificate.not_valid_after_utc <= now:
        raise SigningUnavailable(
            "expired",
            _(
                "Chứng thư số của cơ quan “%(agency)s” đã hết hạn ngày %(date)s. Cần gia hạn hoặc cấp chứng "
                "thư số mới trước khi ký văn bản."
            )
            % {"agency": label, "date": _local_date(certificate.not_valid_after_utc)},
        )
    if certificate.not_valid_before_utc > now:
        raise SigningUnavailable(
            "not_yet_valid",
            _("Chứng thư số của cơ quan “%(agency)s” chỉ có hiệu lực từ ngày %(date)s.")
            % {"agency": label, "date": _local_date(certificate.not_valid_before_utc)},
        )
    if not _usable_for_signing(certificate):
        raise SigningUnavailable(
            "wrong_usage",
            _("Chứng thư số của cơ quan “%(agency)s” không được phép dùng để ký số văn bản.")
            % {"agency": label},
        )

    passphrase = getattr(settings, "SIGNING_KEY_PASSPHRASE", "") or None
    try:
        private_key = serialization.load_pem_private_key(
            key_path.read_bytes(), password=passphrase.encode() if passphrase else None
        )
    except (OSError, ValueError, TypeError) as exc:
        # TypeError: an encrypted key without a passphrase, or a passphrase for a plain key.
        logger.warning("Unreadable private key for agency %s: %s", agency_code, type(exc).__name__)
        raise SigningUnavailable(
            "key_unreadable",
            _(
                "Không đọc được khóa bí mật của cơ quan “%(agency)s” (tệp bị hỏng, không có quyền đọc hoặc "
                "sai mật khẩu của khóa). Đề nghị quản trị hệ thống kiểm tra."
            )
            % {"agency": label},
        ) from exc
    if _public_der(private_key.public_key()) != _public_der(certificate.public_key()):
        raise SigningUnavailable(
            "key_mismatch",
            _("Khóa bí mật của cơ quan “%(agency)s” không khớp với chứng thư số của cơ quan.")
            % {"agency": label},
        )
    if not _certificate_trusted(certificate, chain):
        raise SigningUnavailable(
            "untrusted",
            _(
                "Chứng thư số của cơ quan “%(agency)s” không do tổ chức chứng thực mà hệ thống tin cậy cấp, "
                "nên văn bản ký bằng chứng thư này sẽ không xác thực được."
            )
            % {"agency": label},
        )
    return SigningIdentity(
        agency_code=agency_code, certificate=certificate, chain=chain, private_key=private_key
    )


def trust_roots() -> list[x509.Certificate]:
    """The certificates signatures are checked against: the development CA in SIGNING_DIR when there is
    one, and every PEM file listed in SIGNING_TRUST_ROOTS (an agency CA in production)."""
    paths = [signing_dir() / CA_DIR / CA_CERT_FILE]
    paths += [Path(p) for p in getattr(settings, "SIGNING_TRUST_ROOTS", None) or ()]
    roots = []
    for path in paths:
        try:
            roots += x509.load_pem_x509_certificates(path.read_bytes())
        except FileNotFoundError:
            continue
        except (OSError, ValueError):
            logger.exception("Trust root %s cannot be read; it is ignored.", path)
    return roots


# --- Signing and verifying -------------------------------------------------------------------------


def pdf_sign(
    pdf_bytes: bytes, *, identity: SigningIdentity, reason: str, location: str = "", signer_name: str
) -> bytes:
    """Sign a PDF with the agency's key: PAdES baseline B (ETSI.CAdES.detached, SHA-256), the chain
    embedded, an invisible signature (the PDF prints its own signature block and QR code). An
    unreadable PDF raises SigningUnavailable."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    signer = signers.SimpleSigner(
        signing_cert=_asn1_certificate(identity.certificate),
        signing_key=_asn1_private_key(identity.private_key),
        cert_registry=SimpleCertificateStore.from_certs([_asn1_certificate(c) for c in identity.chain]),
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location or None,
        name=signer_name or None,
    )
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
        output = _outside_event_loop(signers.PdfSigner(metadata, signer=signer).sign_pdf, writer)
    except Exception as exc:  # noqa: BLE001 - pyHanko raises many kinds; all mean "not signed"
        logger.exception("Signing a PDF for agency %s failed", identity.agency_code)
        raise SigningUnavailable(
            "sign_failed",
            _("Không ký được văn bản: tệp PDF không hợp lệ hoặc không ký được. Hãy tạo lại văn bản."),
        ) from exc
    return output.getvalue()


class SignatureState(models.TextChoices):
    VALID = "valid", gettext_lazy("Chữ ký số hợp lệ")
    UNTRUSTED = "untrusted", gettext_lazy("Văn bản nguyên vẹn nhưng chữ ký số chưa được tin cậy")
    ALTERED = "altered", gettext_lazy("Văn bản đã bị thay đổi hoặc chữ ký số không hợp lệ")
    UNSIGNED = "unsigned", gettext_lazy("Tệp không có chữ ký số")


@dataclass(frozen=True)
class VerificationResult:
    """What `pdf_verify` found: `intact` (unchanged since signing), `trusted` (the certificate leads to
    a trust root and was valid), the signer's certificate names and the time the signer reported."""

    state: str
    intact: bool
    trusted: bool
    explanation: str
    sha256: str
    signer_common_name: str = ""
    signer_organization: str = ""
    certificate_issuer: str = ""
    signed_at: datetime | None = None

    @property
    def valid(self) -> bool:
        return self.state == SignatureState.VALID

    @property
    def status_text(self) -> str:
        return str(SignatureState(self.state).label)


def pdf_verify(pdf_bytes: bytes, *, at: datetime | None = None) -> VerificationResult:
    """Check the first (the issuer's) signature of a PDF against the trust roots, offline.

    Intact means the signed bytes are unchanged and nothing was appended after the signature except
    validation data (another signature or an edit counts as a change: the portal signs once).
    `at`: the moment the certificate must have been valid (the recorded signing time); default now.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    digest = hashlib.sha256(pdf_bytes).hexdigest()
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        signatures = reader.embedded_signatures
        if not signatures:
            return VerificationResult(
                state=SignatureState.UNSIGNED,
                intact=False,
                trusted=False,
                sha256=digest,
                explanation=_("Tệp không có chữ ký số nên không xác thực được nguồn gốc."),
            )
        first = min(signatures, key=lambda signature: signature.signed_revision)
        context = ValidationContext(
            trust_roots=[_asn1_certificate(root) for root in trust_roots()],
            allow_fetching=False,
            moment=at,
        )
        status = _outside_event_loop(validate_pdf_signature, first, context)
    except Exception:  # noqa: BLE001 - a damaged file or signature: it cannot be relied on
        # Anyone can upload a broken file to the verification page: not worth a warning.
        logger.info("A PDF signature could not be read", exc_info=True)
        return VerificationResult(
            state=SignatureState.ALTERED,
            intact=False,
            trusted=False,
            sha256=digest,
            explanation=_("Không đọc được tệp hoặc chữ ký số trong tệp: tệp đã bị hỏng hoặc bị chỉnh sửa."),
        )

    unchanged = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.modification_level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)
    )
    intact = bool(status.intact and status.valid and unchanged)
    trusted = bool(intact and status.trusted and not status.revoked)
    if not (status.intact and status.valid):
        state, explanation = (
            SignatureState.ALTERED,
            _("Nội dung tệp không còn khớp với chữ ký số: văn bản đã bị chỉnh sửa sau khi ký."),
        )
    elif not unchanged:
        state, explanation = (
            SignatureState.ALTERED,
            _("Tệp đã bị thêm hoặc sửa nội dung sau khi ký; phần đã ký không còn là toàn bộ văn bản."),
        )
    elif status.revoked:
        state, explanation = SignatureState.UNTRUSTED, _("Chứng thư số dùng để ký đã bị thu hồi.")
    elif not status.trusted:
        state, explanation = (
            SignatureState.UNTRUSTED,
            _(
                "Văn bản không bị thay đổi kể từ khi ký, nhưng chứng thư số dùng để ký không do tổ chức "
                "chứng thực mà hệ thống tin cậy cấp, hoặc đã hết hiệu lực vào thời điểm ký."
            ),
        )
    else:
        state, explanation = (
            SignatureState.VALID,
            _(
                "Văn bản không bị thay đổi kể từ khi ký và chữ ký số thuộc chứng thư số được hệ thống "
                "tin cậy."
            ),
        )
    certificate = x509.load_der_x509_certificate(status.signing_cert.dump())
    return VerificationResult(
        state=state,
        intact=intact,
        trusted=trusted,
        explanation=explanation,
        sha256=digest,
        signer_common_name=_name_attribute(certificate.subject, NameOID.COMMON_NAME),
        signer_organization=_name_attribute(certificate.subject, NameOID.ORGANIZATION_NAME),
        certificate_issuer=_name_attribute(certificate.issuer, NameOID.COMMON_NAME),
        signed_at=status.signer_reported_dt or first.self_reported_timestamp,
    )


# --- Issued documents ------------------------------------------------------------------------------


def signed_document_new_token() -> str:
    """A fresh verification token (32 URL-safe characters, 192 random bits)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def verification_url(token: str, request=None) -> str:
    """The absolute address of the verification page: from SITE_URL (what a printed QR code needs),
    or from `request`'s host when one is given."""
    path = reverse("documents:verify", args=[token])
    if request is not None:
        return request.build_absolute_uri(path)
    site = (getattr(settings, "SITE_URL", "") or "http://127.0.0.1:8000").rstrip("/")
    return f"{site}{path}"


def qr_svg(url: str) -> str:
    """An inline SVG QR code (paths only: safe in a page under CSP and in WeasyPrint PDFs, whose URL
    fetcher refuses data: URIs). It has a viewBox and no size: it fills the box the template gives it."""
    svg = segno.make(url, error="m").svg_inline(
        scale=3,
        border=4,
        omitsize=True,
        title=_("Mã QR xác thực văn bản"),
        svgclass="qr-code",
        lineclass=None,
        dark="#000",
        light="#fff",
    )
    # segno escapes the title and draws only paths from the matrix: the markup is ours.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308


def qr_data_uri(url: str) -> str:
    """The QR code as a data: URI, for an <img> in a page or an e-mail."""
    return segno.make(url, error="m").svg_data_uri(scale=3, border=4, dark="#000", light="#fff")


def signed_document_issue(
    *,
    pdf_bytes: bytes,
    identity: SigningIdentity,
    title: str,
    signer_name: str,
    filename: str,
    issuer_name: str = "",
    owner=None,
    reference: str = "",
    show_reference: bool = False,
    token: str | None = None,
    reason: str = "",
    location: str = "",
    in_wallet: bool = False,
) -> SignedDocument:
    """Sign a result, check that the signature verifies, store the signed PDF privately and record it
    for the verification page; storage and row in one transaction. Raises SigningUnavailable.

    `token`: the one printed in the PDF's QR code (signed_document_new_token()); `reference` (a dossier
    code) appears on the public page only with `show_reference`.
    """
    token = token or signed_document_new_token()
    if not TOKEN_PATTERN.match(token):
        raise ValueError("A verification token is 22–64 URL-safe characters.")
    issuer_name = issuer_name or identity.organization
    signed = pdf_sign(
        pdf_bytes,
        identity=identity,
        reason=reason or title,
        location=location,
        signer_name=signer_name,
    )
    check = pdf_verify(signed)
    if not check.valid:
        # Fail closed: never hand out a document whose own verification page would not confirm it.
        raise SigningUnavailable(
            "not_verifiable",
            _(
                "Văn bản vừa ký không xác thực được (%(status)s). Chưa phát hành văn bản; đề nghị quản trị "
                "hệ thống kiểm tra chứng thư số."
            )
            % {"status": check.explanation},
        )
    stored = None
    try:
        with transaction.atomic():
            stored = stored_file_create_from_bytes(
                owner=owner, content=signed, filename=filename, kind=FileKind.RESULT, in_wallet=in_wallet
            )
            return SignedDocument.objects.create(
                token=token,
                stored_file=stored,
                sha256=stored.sha256,
                title=title,
                issuer_name=issuer_name,
                issuer_code=identity.agency_code,
                signer_name=signer_name,
                signed_at=check.signed_at or timezone.now(),
                certificate_fingerprint=identity.fingerprint,
                reference=reference,
                show_reference=show_reference,
            )
    except BaseException:
        if stored is not None:  # its row was rolled back: the bytes would be an orphan
            storage_delete_quietly(stored.storage_name)
        raise


def signed_document_revoke(*, document: SignedDocument, reason: str) -> bool:
    """Mark an issued document revoked (thu hồi) with its reason; the verification page says so.
    Returns False when it already was."""
    if not reason.strip():
        raise ValueError("A revocation needs a reason.")
    now = timezone.now()
    updated = SignedDocument.objects.filter(pk=document.pk, revoked_at__isnull=True).update(
        revoked_at=now, revocation_reason=reason.strip()[:500]
    )
    if updated:
        document.revoked_at, document.revocation_reason = now, reason.strip()[:500]
    return bool(updated)


def signed_document_get_by_token(token: str) -> SignedDocument | None:
    """The document a verification link names, or None (unknown or malformed token)."""
    if not TOKEN_PATTERN.match(token or ""):
        return None
    # Uses the unique index on token.
    return SignedDocument.objects.select_related("stored_file").filter(token=token).first()


def signed_document_verify(document: SignedDocument) -> VerificationResult:
    """Verify the stored signed file of a document, as of its recorded signing time (no timestamp
    authority: our record of when it was signed stands in for one). Bytes that no longer match the
    recorded SHA-256 are reported as altered whatever their signature says."""
    try:
        with private_storage().open(document.stored_file.storage_name, "rb") as handle:
            content = handle.read()
    except OSError:
        logger.exception("The signed file of document %s cannot be read", document.pk)
        return VerificationResult(
            state=SignatureState.ALTERED,
            intact=False,
            trusted=False,
            sha256="",
            explanation=_("Không đọc được bản văn bản lưu tại hệ thống; đề nghị liên hệ cơ quan cấp."),
        )
    result = pdf_verify(content, at=document.signed_at)
    if result.sha256 != document.sha256:
        logger.error("The stored signed file of document %s no longer matches its SHA-256", document.pk)
        return VerificationResult(
            state=SignatureState.ALTERED,
            intact=False,
            trusted=False,
            sha256=result.sha256,
            explanation=_("Tệp lưu trên hệ thống không còn khớp với mã băm đã ghi khi ký."),
            signer_common_name=result.signer_common_name,
            signer_organization=result.signer_organization,
            certificate_issuer=result.certificate_issuer,
            signed_at=result.signed_at,
        )
    return result


# --- Helpers ---------------------------------------------------------------------------------------


def _outside_event_loop(function, *args):
    """pyHanko's synchronous calls use asyncio.run(), which fails inside a running event loop (an
    async view, a Playwright test): run them in a worker thread then."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


def _certificate_trusted(certificate: x509.Certificate, chain) -> bool:
    """Does the certificate lead to a trust root (path, signatures, validity now)? Offline."""
    from pyhanko_certvalidator import CertificateValidator, ValidationContext
    from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError, RevokedError

    roots = trust_roots()
    if not roots:
        return False
    context = ValidationContext(trust_roots=[_asn1_certificate(r) for r in roots], allow_fetching=False)
    validator = CertificateValidator(
        _asn1_certificate(certificate), [_asn1_certificate(c) for c in chain], validation_context=context
    )
    try:
        _outside_event_loop(asyncio.run, validator.async_validate_path())
    except (PathBuildingError, PathValidationError, RevokedError):
        return False
    return True


def _usable_for_signing(certificate: x509.Certificate) -> bool:
    """Not a CA, and allowed to sign (digitalSignature or nonRepudiation) when key usage is stated."""
    try:
        if certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca:
            return False
    except x509.ExtensionNotFound:
        pass
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return True
    return usage.digital_signature or usage.content_commitment


def _asn1_certificate(certificate: x509.Certificate):
    from asn1crypto import x509 as asn1_x509

    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _asn1_private_key(private_key):
    from asn1crypto import keys as asn1_keys

    return asn1_keys.PrivateKeyInfo.load(
        private_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )


def _public_der(public_key) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _name_attribute(name: x509.Name, oid) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def _local_date(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "d/m/Y")
