"""The one-stop notices handed to the applicant (forms 1–5), issued with the action that causes them.

The citizen's dossier page belongs to the dossiers app, which may not import processing (the PDF
builders live in processing.paper). So the notice is rendered here, in the action's transaction, from
the rows the action has just written, stored privately (documents, kind `generated`, owned by the
applicant, outside the wallet) and attached to the dossier (dossiers.Attachment): the citizen's page
lists and downloads it like any other file of their dossier, with the ownership check it already has.
The stored copy is also the paper exactly as issued; officials can still print any form again from the
recorded data (views/printing.py).

Each service wraps one transition service and adds the notice; when the PDF engine is missing on a
machine (core.pdf.PdfUnavailable) the action still happens and the notice is left out (logged).
"""

import logging
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dichvucong.core.pdf import PdfUnavailable
from dichvucong.documents.models import FileKind
from dichvucong.documents.services import storage_delete_quietly, stored_file_create_from_bytes
from dichvucong.dossiers.models import Attachment, Dossier, DossierEvent, SupplementRequest
from dichvucong.dossiers.workflow import InvalidTransition

from .. import paper
from ..models import Extension
from ..permissions import official_check
from .approval import dossier_stop
from .deadlines import dossier_extend
from .reception import dossier_ask_for_supplement, dossier_receive, dossier_refuse

logger = logging.getLogger(__name__)


class NoticeKind:
    """The forms handed to the applicant (their numbers in Circular 01/2018 and 03/2025)."""

    RECEIPT = "receipt"  # 1
    SUPPLEMENT = "supplement"  # 2
    REFUSAL = "refusal"  # 3
    EXTENSION = "extension"  # 4
    STOP = "stop"  # 5


# Titles as printed on the file name; official papers are in Vietnamese whatever the session's language.
NOTICE_TITLES = {
    NoticeKind.RECEIPT: gettext_noop("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    NoticeKind.SUPPLEMENT: gettext_noop("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    NoticeKind.REFUSAL: gettext_noop("Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    NoticeKind.EXTENSION: gettext_noop("Văn bản xin lỗi và hẹn lại ngày trả kết quả"),
    NoticeKind.STOP: gettext_noop("Thông báo dừng giải quyết hồ sơ"),
}


def notice_filename(kind: str, dossier: Dossier, number: int | None = None) -> str:
    """'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ lần 2 - <code>.pdf'."""
    with translation.override(settings.LANGUAGE_CODE):
        title = _(NOTICE_TITLES[kind])
        if number and number > 1:
            title = _("%(title)s lần %(number)s") % {"title": title, "number": number}
    return f"{title} - {dossier.code}.pdf"


@contextmanager
def files_removed_on_failure():
    """Collect the storage names of files written inside a transaction; if the block fails (the rows
    pointing to them are rolled back), delete the bytes too. Django has no on-rollback hook, so the
    service that opens the transaction wraps it: `with files_removed_on_failure() as written,
    transaction.atomic(): ...`. A crash in between leaves bytes for the orphan sweep."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        for name in written:
            storage_delete_quietly(name)
        raise


def _notice_attach(dossier: Dossier, kind: str, *, render, added_by, written: list, number=None):
    """Render the notice (`render()` → PDF bytes), store it privately for the applicant and attach it to
    the dossier, in the action's transaction. Returns the Attachment, or None when PDFs cannot be
    rendered on this machine (the action stands; officials print the form from the records)."""
    try:
        pdf = render()
    except PdfUnavailable:
        logger.error("Notice %s of dossier %s not issued: PDF rendering is unavailable", kind, dossier.pk)
        return None
    stored = stored_file_create_from_bytes(
        owner=dossier.applicant,
        content=pdf,
        filename=notice_filename(kind, dossier, number),
        kind=FileKind.GENERATED,
    )
    written.append(stored.storage_name)
    return Attachment.objects.create(dossier=dossier, stored_file=stored, added_by=added_by)


def _fresh(dossier_id: int) -> Dossier:
    return Dossier.objects.select_related(
        "applicant", "version", "procedure", "reception_agency", "competent_agency", "organization"
    ).get(pk=dossier_id)


def dossier_receive_with_notice(*, dossier_id: int, official, agency, expected_version=None) -> Dossier:
    """Receive the dossier (reception.dossier_receive) and issue its receipt (form 1) to the applicant."""
    with files_removed_on_failure() as written, transaction.atomic():
        dossier_receive(
            dossier_id=dossier_id, official=official, agency=agency, expected_version=expected_version
        )
        dossier = _fresh(dossier_id)
        _notice_attach(
            dossier,
            NoticeKind.RECEIPT,
            render=lambda: paper.receipt_pdf(dossier, received_by=official),
            added_by=official,
            written=written,
        )
        return dossier


def dossier_refuse_with_notice(
    *, dossier_id: int, official, agency, reason: str, expected_version=None
) -> Dossier:
    """Refuse the dossier (reception.dossier_refuse) and issue the refusal (form 3) with its reason."""
    with files_removed_on_failure() as written, transaction.atomic():
        dossier_refuse(
            dossier_id=dossier_id,
            official=official,
            agency=agency,
            reason=reason,
            expected_version=expected_version,
        )
        dossier = _fresh(dossier_id)
        note = _event(dossier, "refuse").note
        _notice_attach(
            dossier,
            NoticeKind.REFUSAL,
            render=lambda: paper.refusal_pdf(dossier, reason=note, refused_by=official),
            added_by=official,
            written=written,
        )
        return dossier


def dossier_ask_for_supplement_with_notice(
    *, dossier_id: int, official, agency, items: list[dict], expected_version=None
) -> SupplementRequest:
    """Ask for a supplement (reception.dossier_ask_for_supplement) and issue the itemised request
    (form 2, numbered: a second request counts as late)."""
    with files_removed_on_failure() as written, transaction.atomic():
        request = dossier_ask_for_supplement(
            dossier_id=dossier_id,
            official=official,
            agency=agency,
            items=items,
            expected_version=expected_version,
        )
        dossier = _fresh(dossier_id)
        _notice_attach(
            dossier,
            NoticeKind.SUPPLEMENT,
            render=lambda: paper.supplement_request_pdf(dossier, request),
            added_by=official,
            written=written,
            number=request.number,
        )
        return request


def dossier_extend_with_notice(
    *, dossier_id: int, official, agency, reason: str, new_due, approver=None, expected_version=None
) -> Extension:
    """Extend the appointment (deadlines.dossier_extend, which tells the applicant) and issue the apology
    with the new date (form 4, numbered)."""
    with files_removed_on_failure() as written, transaction.atomic():
        extension = dossier_extend(
            dossier_id=dossier_id,
            official=official,
            agency=agency,
            reason=reason,
            new_due=new_due,
            approver=approver,
            expected_version=expected_version,
        )
        dossier = _fresh(dossier_id)
        _notice_attach(
            dossier,
            NoticeKind.EXTENSION,
            render=lambda: paper.extension_pdf(dossier, extension),
            added_by=official,
            written=written,
            number=extension.number,
        )
        return extension


def dossier_stop_with_notice(
    *, dossier_id: int, official, agency, reason: str, legal_basis: str = "", expected_version=None
) -> Dossier:
    """Stop processing (approval.dossier_stop) and issue the notice (form 5) with the reason and the
    legal basis; the legal basis is kept in the `stop` event's detail for printing it again."""
    legal_basis = str(legal_basis or "").strip()[:1000]
    with files_removed_on_failure() as written, transaction.atomic():
        dossier_stop(
            dossier_id=dossier_id,
            official=official,
            agency=agency,
            reason=reason,
            expected_version=expected_version,
        )
        dossier = _fresh(dossier_id)
        event = _event(dossier, "stop")
        if legal_basis:
            # Completes the event written a moment ago in this same transaction (dossier_stop has no
            # legal-basis argument yet); committed events are never changed.
            event.detail = {**(event.detail or {}), "legal_basis": legal_basis}
            DossierEvent.objects.filter(pk=event.pk).update(detail=event.detail)
        _notice_attach(
            dossier,
            NoticeKind.STOP,
            render=lambda: paper.stop_notice_pdf(
                dossier, reason=event.note, stopped_by=official, legal_basis=legal_basis
            ),
            added_by=official,
            written=written,
        )
        return dossier


def _event(dossier: Dossier, action: str) -> DossierEvent:
    return DossierEvent.objects.filter(dossier=dossier, action=action).latest("created_at", "id")


def dossier_receipt_notice_issue(*, dossier_id: int, official, agency) -> Attachment | None:
    """Issue the receipt (form 1) of a dossier received by another path than dossier_receive_with_notice
    (the walk-in reception creates and receives in one service): for the desk to call after it. A
    receptionist of one of the dossier's agencies only; a dossier not received raises InvalidTransition."""
    with files_removed_on_failure() as written, transaction.atomic():
        dossier = _fresh(dossier_id)
        official_check(official, agency, "receive", dossier)
        if dossier.received_at is None:
            raise InvalidTransition("receive", dossier.state)
        return _notice_attach(
            dossier,
            NoticeKind.RECEIPT,
            render=lambda: paper.receipt_pdf(dossier, received_by=official),
            added_by=official,
            written=written,
        )
