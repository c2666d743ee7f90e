"""Reception at the one-stop desk: accept (form 1), refuse (form 3), ask for a supplement (form 2), and
create a dossier for a citizen at the desk or received by post.

Form hooks: the PDF forms come in a later step. Form 1 (receipt and appointment) is drawn from the
received dossier (code, applicant, attachments, received_at, due_date; the `receive` event's detail
keeps the due date and the documents); form 2 from the SupplementRequest; form 3 from the `refuse`
event (its note is the reason).
"""

import datetime as dt
from dataclasses import dataclass, replace

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dichvucong.accounts.models import User
from dichvucong.catalog.models import Offering, StepKind
from dichvucong.core.identifiers import IdentifierError, personal_id_clean, personal_id_gender, phone_clean
from dichvucong.documents.services import (
    stored_file_add_to_wallet,
    stored_file_create,
    stored_file_delete_unreferenced,
)
from dichvucong.documents.validation import UploadRejected
from dichvucong.dossiers.codes import dossier_code_next
from dichvucong.dossiers.models import Attachment, Channel, Delivery, Dossier, SupplementRequest
from dichvucong.dossiers.notify import notify_applicant
from dichvucong.dossiers.services.drafts import delivery_options
from dichvucong.dossiers.services.transitions import dossier_move, dossier_request_supplement
from dichvucong.dossiers.workflow import Actor

from ..permissions import official_check
from .common import clean_text, dossier_begin, dossier_due_for, step_open, steps_plan


def _receive(dossier: Dossier, *, official, role: str, now: dt.datetime) -> None:
    """submitted → received on the locked dossier: appointment date, planned steps, reception step."""
    dossier.due_date = dossier_due_for(dossier, now)
    dossier_move(
        dossier,
        "receive",
        actor=official,
        role=role,
        due=dossier.due_date.isoformat() if dossier.due_date else None,
        channel=dossier.channel,
        documents=sorted({a.required_document.name[:200] for a in _documents(dossier)}),
    )
    dossier.received_at = now
    dossier.clock_paused_at = None
    steps_plan(dossier, received_at=now)
    # Form 6, first row: the applicant hands the dossier over, the receptionist receives it.
    step_open(dossier, StepKind.RECEPTION, by=dossier.applicant, now=now, assignee=official)


def _documents(dossier: Dossier):
    return dossier.attachments.filter(required_document__isnull=False).select_related("required_document")


@transaction.atomic
def dossier_receive(*, dossier_id: int, official, agency, expected_version: int | None = None) -> Dossier:
    """Accept a submitted dossier (receive): the appointment date from the procedure's processing time
    for the dossier's channel, the steps of its process planned with their due dates; the applicant is
    told (form 1 is the receipt)."""
    acting = dossier_begin(
        dossier_id=dossier_id,
        official=official,
        agency=agency,
        action="receive",
        expected_version=expected_version,
    )
    dossier = acting.dossier
    _receive(dossier, official=official, role=acting.role, now=timezone.now())
    dossier.save()
    notify_applicant(dossier, "dossier_received")
    return dossier


@transaction.atomic
def dossier_refuse(
    *, dossier_id: int, official, agency, reason: str, expected_version: int | None = None
) -> Dossier:
    """Refuse to receive a submitted dossier, with the reason (form 3; sync code 3)."""
    acting = dossier_begin(
        dossier_id=dossier_id,
        official=official,
        agency=agency,
        action="refuse",
        expected_version=expected_version,
    )
    dossier = acting.dossier
    reason = clean_text(reason)
    dossier_move(dossier, "refuse", actor=official, role=acting.role, note=reason, facts={"reason": reason})
    dossier.finished_at = timezone.now()
    dossier.clock_paused_at = None
    dossier.save()
    notify_applicant(dossier, "dossier_refused", reason=reason)
    return dossier


@transaction.atomic
def dossier_ask_for_supplement(
    *, dossier_id: int, official, agency, items: list[dict], expected_version: int | None = None
) -> SupplementRequest:
    """Ask the applicant for the itemised documents (form 2): at reception or during processing. The
    clock stops until they answer; a second request is recorded as late (dossiers service). Items:
    [{"name", "reason", "guidance", "required_document": id or None}], at least one with name and
    reason (GuardFailed otherwise)."""
    acting = dossier_begin(
        dossier_id=dossier_id,
        official=official,
        agency=agency,
        action="request_supplement",
        expected_version=expected_version,
    )
    items = [
        {
            "required_document": item.get("required_document") or None,
            "name": clean_text(item.get("name"), 500),
            "reason": clean_text(item.get("reason"), 1000),
            "guidance": clean_text(item.get("guidance"), 1000),
        }
        for item in (items or [])
        if isinstance(item, dict)
    ]
    request = dossier_request_supplement(
        dossier_id=dossier_id, official=official, role=acting.role, items=items
    )
    if acting.dossier.handling_agency_id is None:
        # Asked before reception: the dossier waits on the reception desk ("waiting for the citizen").
        Dossier.objects.filter(pk=dossier_id).update(handling_agency=acting.dossier.reception_agency)
    return request


# --- Walk-in and postal reception ---------------------------------------------------------------------


class WalkInError(Exception):
    """The desk's input cannot be taken as it is; `messages` are the Vietnamese reasons."""

    def __init__(self, *messages: str):
        super().__init__(" ".join(str(m) for m in messages))
        self.messages = [str(m) for m in messages]


@dataclass
class WalkInFile:
    """A scanned document: the file and the required document it is (None: another paper)."""

    uploaded_file: object
    required_document_id: int | None = None


@dataclass
class WalkInApplicant:
    """Who stands at the desk (from their ID card): found by personal ID, else given an account."""

    personal_id: str
    full_name: str = ""
    phone: str = ""
    email: str = ""
    birth_date: dt.date | None = None


def _citizen_for(person: WalkInApplicant) -> User:
    """The account of the personal ID, created when there is none: no password (the citizen signs in
    with VNeID, which matches the personal ID, or sets one through a reset by phone)."""
    user = User.objects.select_for_update().filter(personal_id=person.personal_id).first()
    if user is not None:
        return user
    if not person.full_name:
        raise WalkInError(_("Người nộp chưa có tài khoản: hãy nhập họ và tên theo căn cước."))
    user = User(
        username=person.personal_id,
        personal_id=person.personal_id,
        full_name=person.full_name,
        phone=person.phone,
        email=person.email,
        birth_date=person.birth_date,
        gender=personal_id_gender(person.personal_id),
    )
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # the same ID entered at another desk at the same moment
        user = User.objects.filter(personal_id=person.personal_id).first()
        if user is None:
            raise WalkInError(_("Số định danh cá nhân đã được dùng cho một tài khoản khác.")) from exc
    return user


def _walk_in_check(
    *, agency, offering: Offering, channel: int, delivery: str, person: WalkInApplicant
) -> tuple[list[str], WalkInApplicant]:
    """The reasons the desk's input cannot be taken, and the applicant with normalised numbers."""
    problems = []
    person = replace(person)
    if not (offering.is_active and offering.procedure.current_version_id):
        problems.append(_("Thủ tục này hiện không tiếp nhận hồ sơ tại cơ quan đã chọn."))
    # Decree 118/2025: any centre of the province may receive the province's procedures.
    if agency.pk != offering.reception_agency_id and agency.province_id != offering.province_id:
        problems.append(_("Cơ quan của bạn không tiếp nhận thủ tục này (khác tỉnh)."))
    if channel == Channel.IN_PERSON and not offering.in_person:
        problems.append(_("Thủ tục này không nhận hồ sơ nộp trực tiếp tại cơ quan đã chọn."))
    elif channel == Channel.POSTAL and not offering.postal:
        problems.append(_("Thủ tục này không nhận hồ sơ qua bưu chính tại cơ quan đã chọn."))
    elif channel not in (Channel.IN_PERSON, Channel.POSTAL):
        problems.append(_("Hồ sơ tại quầy chỉ có kênh trực tiếp hoặc bưu chính."))
    if delivery not in {*delivery_options(offering), Delivery.DESK}:
        problems.append(_("Cách nhận kết quả này không áp dụng tại cơ quan đã chọn."))
    try:
        person.personal_id = personal_id_clean(person.personal_id)
    except IdentifierError as exc:
        problems.append(exc.message)
    if person.phone:
        try:
            person.phone = phone_clean(person.phone, mobile_only=False)
        except IdentifierError as exc:
            problems.append(exc.message)
    person.full_name = clean_text(person.full_name, 150)
    return problems, person


def walk_in_dossier_create(
    *,
    official,
    agency,
    offering: Offering,
    applicant: WalkInApplicant,
    channel: int = Channel.IN_PERSON,
    delivery: str = Delivery.DESK,
    delivery_address: dict | None = None,
    form_data: dict | None = None,
    files: list[WalkInFile] = (),
) -> Dossier:
    """A dossier handed in at the desk (channel in person) or received by post (channel postal): found
    or new citizen account by personal ID, the scanned files attached as digitised, submitted and
    received at once (events submit_at_desk, receive) so the citizen sees it in "Hồ sơ của tôi" and
    gets the receipt (form 1). Raises NotPermitted or WalkInError; nothing is kept on failure."""
    official_check(official, agency, "walk_in")
    problems, applicant = _walk_in_check(
        agency=agency, offering=offering, channel=channel, delivery=delivery, person=applicant
    )
    version = offering.procedure.current_version
    documents = {d.pk: d for d in version.documents.all()} if version else {}
    if any(f.required_document_id and f.required_document_id not in documents for f in files):
        problems.append(_("Thành phần hồ sơ không hợp lệ."))
    if problems:
        raise WalkInError(*problems)
    # Files are written before the rows that point to them (owner set once the account is known).
    stored = []
    try:
        for item in files:
            document = documents.get(item.required_document_id)
            try:
                stored.append(
                    (
                        document,
                        stored_file_create(
                            owner=None,
                            uploaded_file=item.uploaded_file,
                            accepted_types=document.accepted_types if document else None,
                        ),
                    )
                )
            except UploadRejected as rejected:
                raise WalkInError(rejected.message) from rejected
        with transaction.atomic():
            dossier = _walk_in_rows(
                official=official,
                agency=agency,
                offering=offering,
                person=applicant,
                channel=channel,
                delivery=delivery,
                delivery_address=delivery_address,
                form_data=form_data,
                stored=stored,
            )
    except BaseException:
        for _document, file in stored:
            stored_file_delete_unreferenced(file)
        raise
    return dossier


def _walk_in_rows(
    *, official, agency, offering, person, channel, delivery, delivery_address, form_data, stored
):
    citizen = _citizen_for(person)
    now = timezone.now()
    dossier = Dossier.objects.create(
        applicant=citizen,
        procedure=offering.procedure,
        version=offering.procedure.current_version,
        offering=offering,
        competent_agency=offering.agency,
        reception_agency=agency,
        channel=channel,
        service_level=offering.service_level,
        form_data=form_data or {},
        delivery=delivery,
        delivery_address=delivery_address or {} if delivery == Delivery.POST else {},
    )
    dossier_move(dossier, "submit_at_desk", actor=official, role=Actor.RECEPTIONIST, channel=channel)
    dossier.code = dossier_code_next(agency=agency, when=now)
    dossier.submitted_at = now
    for document, file in stored:
        file.owner = citizen
        file.save(update_fields=["owner"])
        Attachment.objects.create(
            dossier=dossier, required_document=document, stored_file=file, added_by=official, digitised=True
        )
    # Scanned papers join the citizen's document wallet like the files of an online dossier.
    stored_file_add_to_wallet([file for _document, file in stored])
    _receive(dossier, official=official, role=Actor.RECEPTIONIST, now=now)
    dossier.save()
    notify_applicant(dossier, "dossier_received")
    return dossier
