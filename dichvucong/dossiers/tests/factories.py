"""Dossiers in any state for tests, without going through the wizard (STYLE.md: one trait per state).

    make_dossier(citizen_an, received=True)
    make_dossier(citizen_an, in_progress=True, procedure_code="1.001193", unit_code="10993")

Each trait walks the path a real dossier takes to its state, writing the events on the way; the
agency's supplement request goes through `dossier_request_supplement` like the back office's will.
"""

import datetime as dt

from django.utils import timezone

from dichvucong.accounts.models import StaffRole, User
from dichvucong.accounts.tests.officials import make_official
from dichvucong.catalog.models import Offering

from ..codes import dossier_code_next
from ..models import Delivery, Dossier, DossierEvent, SupplementRequest
from ..services.transitions import dossier_request_supplement
from ..workflow import Actor, State

TRAITS = (
    "draft",
    "submitted",
    "received",
    "in_progress",
    "supplement_requested",
    "awaiting_payment",
    "awaiting_approval",
    "result_ready",
    "returned",
    "refused",
    "stopped",
    "withdrawn",
)
# The states each state is reached through, after submission (the happy path of the back office).
PATHS = {
    State.SUBMITTED: [],
    State.RECEIVED: [State.RECEIVED],
    State.IN_PROGRESS: [State.RECEIVED, State.IN_PROGRESS],
    State.AWAITING_PAYMENT: [State.RECEIVED, State.IN_PROGRESS, State.AWAITING_PAYMENT],
    State.AWAITING_APPROVAL: [State.RECEIVED, State.IN_PROGRESS, State.AWAITING_APPROVAL],
    State.RESULT_READY: [State.RECEIVED, State.IN_PROGRESS, State.AWAITING_APPROVAL, State.RESULT_READY],
    State.RETURNED: [
        State.RECEIVED,
        State.IN_PROGRESS,
        State.AWAITING_APPROVAL,
        State.RESULT_READY,
        State.RETURNED,
    ],
    State.REFUSED: [State.REFUSED],
    State.STOPPED: [State.RECEIVED, State.IN_PROGRESS, State.STOPPED],
    State.WITHDRAWN: [State.RECEIVED, State.WITHDRAWN],
}
# The event action that leads into each state (names the back office's transitions will use).
ACTION_INTO = {
    State.RECEIVED: ("receive", Actor.RECEPTIONIST),
    State.IN_PROGRESS: ("forward", Actor.RECEPTIONIST),
    State.AWAITING_PAYMENT: ("request_payment", Actor.SPECIALIST),
    State.AWAITING_APPROVAL: ("submit_for_approval", Actor.SPECIALIST),
    State.RESULT_READY: ("approve", Actor.APPROVER),
    State.RETURNED: ("return_result", Actor.RECEPTIONIST),
    State.REFUSED: ("refuse", Actor.RECEPTIONIST),
    State.STOPPED: ("stop", Actor.SPECIALIST),
    State.WITHDRAWN: ("withdraw", Actor.APPLICANT),
}
SUPPLEMENT_ITEMS = [
    {
        "required_document": None,
        "name": "Giấy xác nhận nơi cư trú của người mẹ",
        "reason": "Tờ khai ghi nơi cư trú khác với dữ liệu dân cư.",
        "guidance": "Xin xác nhận tại công an xã nơi cư trú; chụp rõ cả dấu đỏ.",
    },
    {
        "required_document": None,
        "name": "Bản sao giấy chứng nhận kết hôn",
        "reason": "Bản đã nộp bị mờ, không đọc được số đăng ký.",
        "guidance": "",
    },
]


def default_offering() -> Offering:
    """Khai sinh (1.001193) at the service centre of Xã Thượng Hồng (reference data)."""
    return Offering.objects.select_related("procedure__current_version", "agency", "reception_agency").get(
        procedure__code="1.001193", unit__code="10993"
    )


def agency_official(offering: Offering, role: str = StaffRole.RECEPTIONIST) -> User:
    """An official of the dossier's receiving agency holding `role` (made once per agency and role)."""
    username = f"{role[:6]}.{offering.reception_agency_id}"
    user = User.objects.filter(username=username).first()
    return user or make_official(
        username, full_name="Trần Thị Bình", agency=offering.reception_agency, roles=[role]
    )


def make_dossier(
    applicant: User,
    *,
    offering: Offering | None = None,
    submitted_at: dt.datetime | None = None,
    supplement_items: list[dict] | None = None,
    organization=None,
    **traits,
) -> Dossier:
    """A dossier of `applicant` in the state named by one keyword trait (default: submitted).

    `supplement_requested=True` requests `supplement_items` (default SUPPLEMENT_ITEMS) from
    `in_progress` unless `received=True` or `submitted=True` is also given as where it comes from.
    """
    unknown = set(traits) - set(TRAITS)
    if unknown:
        raise TypeError(f"unknown traits: {sorted(unknown)}")
    chosen = [name for name in TRAITS if traits.get(name) and name != "supplement_requested"]
    supplement = bool(traits.get("supplement_requested"))
    if len(chosen) > 1:
        raise TypeError(f"one state trait at a time: {chosen}")
    state = State(chosen[0]) if chosen else (State.IN_PROGRESS if supplement else State.SUBMITTED)
    if supplement and state not in (State.SUBMITTED, State.RECEIVED, State.IN_PROGRESS):
        raise TypeError(f"a supplement is requested from submitted, received or in_progress, not {state}")
    offering = offering or default_offering()
    dossier = Dossier.objects.create(
        applicant=applicant,
        organization=organization,
        procedure=offering.procedure,
        version=offering.procedure.current_version,
        offering=offering,
        competent_agency=offering.agency,
        reception_agency=offering.reception_agency,
        service_level=offering.service_level,
        delivery=Delivery.DESK,
    )
    if state == State.DRAFT:
        return dossier

    when = submitted_at or timezone.now() - dt.timedelta(days=3)
    dossier.code = dossier_code_next(agency=offering.reception_agency, when=when)
    dossier.submitted_at = dossier.declaration_accepted_at = when
    _event(dossier, "submit", State.DRAFT, State.SUBMITTED, applicant, Actor.APPLICANT, when)
    current = State.SUBMITTED
    for step, target in enumerate(PATHS[state], start=1):
        at = when + dt.timedelta(hours=step)
        action, role = ACTION_INTO[target]
        actor = applicant if role == Actor.APPLICANT else agency_official(offering)
        _event(dossier, action, current, target, actor, role, at)
        if target == State.RECEIVED:
            dossier.received_at = at
            dossier.due_date = at + dt.timedelta(days=5)
        elif target in (State.RESULT_READY, State.REFUSED, State.STOPPED, State.WITHDRAWN):
            dossier.finished_at = at
            if target == State.WITHDRAWN:
                dossier.withdrawn_at = at
        elif target == State.RETURNED:
            dossier.returned_at = at
        current = target
    dossier.state = current
    dossier.lock_version = len(PATHS[state]) + 1
    dossier.save()
    if supplement:
        request_supplement(dossier, items=supplement_items)
        dossier.refresh_from_db()
    return dossier


def request_supplement(dossier: Dossier, *, items: list[dict] | None = None) -> SupplementRequest:
    """The agency asks for more documents, through the real service (state, event, outbox)."""
    return dossier_request_supplement(
        dossier_id=dossier.pk,
        official=agency_official(dossier.offering),
        role=Actor.RECEPTIONIST,
        items=items or SUPPLEMENT_ITEMS,
    )


def _event(dossier, action, from_state, to_state, actor, role, at) -> DossierEvent:
    event = DossierEvent.objects.create(
        dossier=dossier, action=action, from_state=from_state, to_state=to_state, actor=actor, actor_role=role
    )
    DossierEvent.objects.filter(pk=event.pk).update(created_at=at)  # auto_now_add ignores a given time
    return event
