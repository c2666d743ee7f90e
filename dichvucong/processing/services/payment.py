"""Financial obligation (nghĩa vụ tài chính): the specialist assesses an amount, the dossier waits for
payment, processing resumes when it is paid.

The payments issue adds FeeAssessment/PaymentRequest and online payment; it resumes the dossier through
dossiers.services.transitions.dossier_payment_received (payments may not import processing). Until then
the amount lives on Dossier.amount_due (đồng) and cash taken at the desk is recorded here.
"""

from django.db import transaction

from dichvucong.core.money import format_vnd
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.notify import notify_applicant
from dichvucong.dossiers.services.transitions import dossier_move, dossier_payment_received

from .common import clean_text, dossier_begin, step_current, step_notify


@transaction.atomic
def dossier_request_payment(
    *, dossier_id: int, official, agency, amount: int, note: str = "", expected_version: int | None = None
) -> Dossier:
    """Put the dossier in awaiting_payment for `amount` đồng (a positive integer; GuardFailed otherwise)
    and tell the applicant. Hook: the payments issue creates its PaymentRequest here."""
    acting = dossier_begin(
        dossier_id=dossier_id,
        official=official,
        agency=agency,
        action="request_payment",
        expected_version=expected_version,
    )
    dossier = acting.dossier
    note = clean_text(note)
    dossier_move(
        dossier,
        "request_payment",
        actor=official,
        role=acting.role,
        note=note,
        facts={"amount": amount},
        amount=amount,
    )
    dossier.amount_due = amount
    dossier.paid_at = None
    dossier.save()
    notify_applicant(dossier, "payment_requested", amount=format_vnd(amount))
    return dossier


@transaction.atomic
def dossier_payment_received_at_desk(
    *, dossier_id: int, official, agency, receipt_number: str = "", expected_version: int | None = None
) -> Dossier:
    """A receptionist records the amount paid in cash at the desk (receipt number): processing resumes
    and the official holding the step is told."""
    acting = dossier_begin(
        dossier_id=dossier_id,
        official=official,
        agency=agency,
        action="payment_received",
        expected_version=expected_version,
        desk=False,
        holder=False,
    )
    dossier = dossier_payment_received(
        dossier_id=dossier_id, actor=official, role=acting.role, reference=clean_text(receipt_number, 100)
    )
    step = step_current(dossier)
    if step is not None:
        step_notify(dossier, step, "payment_received")
    return dossier
