"""Reads of dossiers, scoped by who asks: an applicant sees their own, the public sees a few facts.

Back-office selectors (an agency's inbox) belong to the processing app.
"""

import contextlib
import datetime as dt
import hmac
import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from dichvucong.core.identifiers import IdentifierError, phone_clean
from dichvucong.core.text import fold_tokens

from .models import Attachment, Dossier, DossierEvent, Message, SupplementRequest
from .workflow import OPEN_STATES, STATE_EXPLANATION, SYNC_CODE, TRANSITIONS, State

# The tabs of "Hồ sơ của tôi" (English names here; the view maps its Vietnamese query values).
NEEDS_ACTION_STATES = frozenset({State.SUPPLEMENT_REQUESTED, State.AWAITING_PAYMENT})
FINISHED_STATES = frozenset(State) - OPEN_STATES - {State.DRAFT}
STATE_GROUPS: dict[str, frozenset[str]] = {
    "drafts": frozenset({State.DRAFT}),
    "submitted": frozenset(State) - {State.DRAFT},
    "open": OPEN_STATES,
    "needs_action": NEEDS_ACTION_STATES,
    "finished": FINISHED_STATES,
}
MAX_QUERY_CHARS = 100


def dossier_list_for_applicant(user, *, state_group: str | None = None, query: str = "") -> QuerySet[Dossier]:
    """The user's own dossiers, drafts included, most recently changed first (the view paginates).

    `state_group`: one of STATE_GROUPS (None: all); `query`: part of the code, or words of the
    procedure's name with or without diacritics. Uses dossier_applicant_idx (applicant, state,
    -updated_at); one citizen's rows are few, so the text filter runs on them only.
    """
    if not user.is_authenticated:
        return Dossier.objects.none()
    dossiers = Dossier.objects.filter(applicant=user)
    if state_group in STATE_GROUPS:
        dossiers = dossiers.filter(state__in=sorted(STATE_GROUPS[state_group]))
    query = (query or "").strip()[:MAX_QUERY_CHARS]
    if query:
        by_name = Q()
        for token in fold_tokens(query):
            by_name &= Q(procedure__name_folded__contains=token)
        by_code = Q(code__icontains=query.replace(" ", ""))
        dossiers = dossiers.filter(by_code | by_name) if by_name else dossiers.filter(by_code)
    return dossiers.select_related("procedure", "version", "reception_agency").order_by("-updated_at", "-id")


def dossier_get_for_applicant(user, code: str) -> Dossier | None:
    """A submitted dossier of the user by its code (unique index), or None: someone else's dossier, an
    unknown code and a draft all look the same, so views answer 404 and codes cannot be probed."""
    if not user.is_authenticated or not code:
        return None
    return (
        Dossier.objects.filter(code=code[:40], applicant=user)
        .exclude(state=State.DRAFT)
        .select_related(
            "procedure", "version", "offering", "reception_agency", "competent_agency", "organization"
        )
        .first()
    )


# Not on the applicant's timeline: messages have their own section; files added to or removed from a
# supplement are bookkeeping for the audit log (services/supplements.py).
# Back-office bookkeeping (who holds the step, the result file before its return) stays internal.
HIDDEN_EVENT_ACTIONS = frozenset(
    {"message", "supplement_file_added", "supplement_file_removed", "assign", "hand_over", "attach_result"}
)


def dossier_timeline(dossier: Dossier) -> list[DossierEvent]:
    """The events the applicant sees, oldest first (dossier_event_timeline_idx), with their notes."""
    return [
        event
        for event in dossier.events.order_by("created_at", "id")
        if event.action not in HIDDEN_EVENT_ACTIONS
    ]


def event_label(event: DossierEvent) -> str:
    """What the timeline calls an event: the transition's label, else the state it led to."""
    return event_label_for(event.action, event.to_state)


def event_label_for(action: str, to_state: str) -> str:
    transition = TRANSITIONS.get(action)
    if transition is not None:
        return str(transition.label)
    if to_state in State.values:
        return str(State(to_state).label)
    return action


def supplement_open(dossier: Dossier) -> SupplementRequest | None:
    """The unanswered supplement request of a dossier waiting for one, else None."""
    if dossier.state != State.SUPPLEMENT_REQUESTED:
        return None
    return dossier.supplement_requests.filter(fulfilled_at=None).order_by("-created_at", "-id").first()


def dossier_attachments(dossier: Dossier) -> list[Attachment]:
    """Files of the dossier outside messages (documents, supplements, results), in order added."""
    return list(
        dossier.attachments.filter(message=None).select_related(
            "stored_file", "required_document", "supplement"
        )
    )


def dossier_messages(dossier: Dossier) -> list[Message]:
    """The conversation on a dossier, oldest first, with each message's files."""
    return list(dossier.messages.prefetch_related("attachments__stored_file").order_by("created_at", "id"))


def attachment_get_for_applicant(user, code: str, attachment_id: int) -> Attachment | None:
    """A file of the user's own submitted dossier (a download), or None."""
    dossier = dossier_get_for_applicant(user, code)
    if dossier is None:
        return None
    return dossier.attachments.filter(pk=attachment_id).select_related("stored_file").first()


# --- Public lookup (/tra-cuu/) -----------------------------------------------------------------------


@dataclass(frozen=True)
class PublicDossierStatus:
    """What anyone holding the code and the applicant's identity may learn: no name, number, address,
    contact or document of the applicant, no note and no official's name."""

    code: str
    procedure_name: str
    reception_agency: str
    state: str
    state_label: str
    state_explanation: str
    sync_code: int | None
    submitted_at: dt.datetime | None
    received_at: dt.datetime | None
    due_date: dt.datetime | None
    timeline: tuple[tuple[dt.datetime, str], ...]


_CODE_CHARS = re.compile(r"[^0-9A-Za-z.\-_/]")


def dossier_code_normalize(code: str) -> str:
    """A code as typed or pasted (spaces, a trailing dot…) reduced to the characters codes are made of."""
    return _CODE_CHARS.sub("", code or "")[:40]


def dossier_lookup_public(code: str, identity: str) -> PublicDossierStatus | None:
    """The public facts of the dossier `code` when `identity` is its applicant's personal ID or phone
    number (any spelling: 0912 345 678, +84912345678), or — for a business's dossier — its tax code.

    Any mismatch returns None, whatever did not match, so the answer never tells whether a code exists.
    One indexed query on the unique code, reading only the columns shown (this page is the busiest
    public one: see docs/benchmarks.md); the timeline is read only on a match.
    """
    code = dossier_code_normalize(code)
    identity = (identity or "").strip()[:30]
    if not code or not identity:
        return None
    row = (
        Dossier.objects.filter(code__in={code, code.upper()})
        .exclude(state=State.DRAFT)
        .values(
            "pk",
            "code",
            "state",
            "submitted_at",
            "received_at",
            "due_date",
            "applicant__personal_id",
            "applicant__phone",
            "organization__tax_code",
            "version__name",
            "reception_agency__name",
        )
        .first()
    )
    known = row and (row["applicant__personal_id"], row["applicant__phone"], row["organization__tax_code"])
    if row is None or not _identity_matches(known, identity):
        return None
    state = State(row["state"])
    timeline = tuple(
        (created_at, event_label_for(action, to_state))
        for action, to_state, created_at in DossierEvent.objects.filter(dossier_id=row["pk"])
        .exclude(to_state="")  # state changes only: messages and file handling are not public
        .order_by("created_at", "id")
        .values_list("action", "to_state", "created_at")
    )
    return PublicDossierStatus(
        code=row["code"],
        procedure_name=row["version__name"],
        reception_agency=row["reception_agency__name"],
        state=state.value,
        state_label=str(state.label),
        state_explanation=str(STATE_EXPLANATION[state]),
        sync_code=SYNC_CODE[state],
        submitted_at=row["submitted_at"],
        received_at=row["received_at"],
        due_date=row["due_date"],
        timeline=timeline,
    )


def _identity_matches(known: tuple[str | None, ...], identity: str) -> bool:
    """Whether `identity` (as typed) is one of the `known` numbers (personal ID, phone, tax code)."""
    candidates = {identity.replace(" ", ""), re.sub(r"[\s.\-]", "", identity)}
    with contextlib.suppress(IdentifierError):
        candidates.add(phone_clean(identity, mobile_only=False))
    # Constant-time comparisons: the time taken does not tell how much of a number was right.
    matched = False
    for value in known:
        for candidate in candidates:
            if value and candidate and hmac.compare_digest(value.encode(), candidate.encode()):
                matched = True
    return matched
