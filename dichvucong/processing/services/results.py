"""Issuing a dossier's result: the leader approves, the result (or the reasoned "not granted" reply) is
rendered, signed digitally with the approving agency's certificate (documents.signing, PAdES) and
attached to the dossier as its result — all in one transaction with the `approve` transition.

Fail closed: without a usable certificate (SigningUnavailable, checked before anything changes), or if
rendering or signing fails, nothing is kept: the dossier stays awaiting approval and the approver reads
the Vietnamese reason. The signed PDF carries a QR code to /xac-thuc/<token>/; the token is chosen
before rendering because the code is printed inside the signed bytes.

An official may instead attach a result made elsewhere (an uploaded PDF), signed the same way on
request (`result_upload_attach`); such a file carries no QR code of its own, but its verification page
exists and the signature is checked against the uploaded bytes.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dichvucong.core.pdf import PdfUnavailable
from dichvucong.documents.models import FileKind, SignedDocument
from dichvucong.documents.services import stored_file_create
from dichvucong.documents.signing import (
    SigningUnavailable,
    signed_document_issue,
    signed_document_new_token,
    signing_identity_for_agency,
    verification_url,
)
from dichvucong.documents.validation import check_upload
from dichvucong.dossiers.models import Attachment, Dossier
from dichvucong.dossiers.workflow import Outcome

from .. import paper
from .approval import dossier_approve
from .delivery import dossier_result_attach
from .notices import files_removed_on_failure

GRANTED_TITLE = gettext_noop("Kết quả giải quyết thủ tục hành chính")
NOT_GRANTED_TITLE = gettext_noop("Văn bản trả lời không giải quyết hồ sơ")
DEFAULT_DECISION = gettext_noop("Hồ sơ đủ điều kiện; cơ quan giải quyết theo đề nghị của người nộp hồ sơ.")
MAX_RESULT_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class IssuedResult:
    """What approving produced: the dossier (result_ready), the signed document and its attachment."""

    dossier: Dossier
    document: SignedDocument
    attachment: Attachment


def result_title(dossier: Dossier, outcome: str) -> str:
    """The title of the issued paper: the procedure's first published result ('Giấy khai sinh') when
    granted, else the reply not granting it. Always Vietnamese (an official paper)."""
    with translation.override(settings.LANGUAGE_CODE):
        if outcome != Outcome.GRANTED:
            return _(NOT_GRANTED_TITLE)
        results = [r for r in (dossier.version.results or []) if isinstance(r, dict) and r.get("name")]
        return str(results[0]["name"])[:200] if results else _(GRANTED_TITLE)


def signing_identity_for(agency):
    """The approving agency's signing identity, or SigningUnavailable (Vietnamese message)."""
    return signing_identity_for_agency(agency.code, agency_name=agency.name)


def _signer_name(official) -> str:
    return official.get_full_name() or official.get_username()


def dossier_approve_and_issue(
    *,
    dossier_id: int,
    official,
    agency,
    outcome: str,
    reason: str = "",
    decision_text: str = "",
    number: str = "",
    expected_version: int | None = None,
) -> IssuedResult:
    """Approve (approval.dossier_approve) and issue the signed result: granted → the procedure's result
    paper (decision_text optional), not granted → the reply with `reason`. Signed by `agency` (the
    approver's active agency) in the approver's name, attached with delivery.dossier_result_attach.
    Raises SigningUnavailable (nothing changed), or the approve service's errors."""
    reason, number = str(reason or "").strip(), str(number or "").strip()[:50]
    with files_removed_on_failure() as written, transaction.atomic():
        dossier_approve(
            dossier_id=dossier_id,
            official=official,
            agency=agency,
            outcome=outcome,
            reason=reason,
            expected_version=expected_version,
        )
        # After the approve service's checks (permission, version, state) so those are said first;
        # any failure from here on rolls the approval back.
        identity = signing_identity_for(agency)
        dossier = Dossier.objects.select_related(
            "applicant", "version", "procedure", "reception_agency", "competent_agency", "organization"
        ).get(pk=dossier_id)
        if outcome == Outcome.GRANTED:
            text = str(decision_text or "").strip()
            if not text:
                with translation.override(settings.LANGUAGE_CODE):
                    text = _(DEFAULT_DECISION)
        else:
            text = reason
        token = signed_document_new_token()
        signer = _signer_name(official)
        try:
            pdf = paper.result_pdf(
                dossier,
                outcome=outcome,
                decision_text=text,
                signer_name=signer,
                verification_url=verification_url(token),
                number=number,
            )
        except PdfUnavailable as exc:
            raise SigningUnavailable(
                "pdf_unavailable",
                _("Máy chủ chưa tạo được tệp PDF của kết quả nên chưa ký và phát hành. Hãy báo quản trị."),
            ) from exc
        title = result_title(dossier, outcome)
        document = signed_document_issue(
            pdf_bytes=pdf,
            identity=identity,
            token=token,
            title=title,
            issuer_name=agency.name,
            signer_name=signer,
            owner=dossier.applicant,
            reference=dossier.code or "",
            filename=f"{title} - {dossier.code}.pdf",
            location=agency.province.name if agency.province_id else "",
        )
        written.append(document.stored_file.storage_name)
        attachment = dossier_result_attach(
            dossier_id=dossier_id, official=official, agency=agency, stored_file=document.stored_file
        )
        dossier.refresh_from_db()
        return IssuedResult(dossier=dossier, document=document, attachment=attachment)


def result_upload_attach(
    *, dossier_id: int, official, agency, uploaded_file, title: str = "", sign: bool = True
) -> Attachment:
    """Attach a result made outside the templates (an uploaded PDF) to a dossier whose result is ready;
    when `sign`, it is first signed with `agency`'s certificate (SigningUnavailable: nothing kept).
    Raises documents.validation.UploadRejected for a file that is not an acceptable PDF."""
    identity = signing_identity_for(agency) if sign else None
    with files_removed_on_failure() as written, transaction.atomic():
        dossier = Dossier.objects.select_related("applicant", "version").get(pk=dossier_id)
        if identity is None:
            stored = stored_file_create(
                owner=dossier.applicant,
                uploaded_file=uploaded_file,
                accepted_types=["pdf"],
                max_bytes=MAX_RESULT_BYTES,
                kind=FileKind.RESULT,
            )
        else:
            # Checked by content like any upload, then only the signed bytes are stored.
            checked = check_upload(uploaded_file, accepted_types=["pdf"], max_bytes=MAX_RESULT_BYTES)
            title = str(title or "").strip()[:200] or result_title(dossier, dossier.outcome)
            stored = signed_document_issue(
                pdf_bytes=uploaded_file.read(),
                identity=identity,
                title=title,
                issuer_name=agency.name,
                signer_name=_signer_name(official),
                owner=dossier.applicant,
                reference=dossier.code or "",
                filename=checked.display_name,
                location=agency.province.name if agency.province_id else "",
            ).stored_file
        written.append(stored.storage_name)
        return dossier_result_attach(
            dossier_id=dossier_id, official=official, agency=agency, stored_file=stored
        )
