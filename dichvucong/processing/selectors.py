"""Back-office reads, every one scoped by the official's active agency (permissions.py's rule).

The inbox is the agency's desk: dossiers whose current step is there (`handling_agency`), plus the new
online submissions addressed to it (`reception_agency`, state submitted). Each bucket is one indexed
range, ordered by due date through the index (dossiers.Dossier.Meta.indexes), so the inbox stays fast
with 100,000 open dossiers in one agency; the views paginate. An official without a role in the agency
gets empty results.
"""

import contextlib
import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import F, Lookup, Q, QuerySet
from django.utils import timezone

from dichvucong.accounts.models import StaffMembership, User
from dichvucong.core.calendar import add_working_days, office_day_end
from dichvucong.core.identifiers import IdentifierError, phone_clean
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.workflow import CLOCK_RUNNING_STATES, DESK_STATES, OPEN_STATES, State

from .models import DossierStep, Extension, InternalNote
from .permissions import EXTRA_ACTIONS, dossier_agency_ids, official_roles
from .services.common import dossier_pauses, step_effective_due


class StatesIn(Lookup):
    """`state IN ('a', 'b')` with the states written as literals, not bound parameters.

    The partial indexes of the inbox (dossiers.Dossier.Meta.indexes) hold only some states. SQLite uses a
    partial index only when the query repeats the index's condition, and it cannot see through bound
    parameters; PostgreSQL proves the implication either way. The values are the workflow's own state
    names, checked to be plain identifiers, never user input.
    """

    lookup_name = "states_in"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        states = sorted(self.rhs)
        if not all(re.fullmatch(r"[a-z_]+", state) for state in states):
            raise ValueError("StatesIn takes workflow state names only")
        return f"{lhs} IN ({', '.join(repr(str(state)) for state in states)})", params


def states_in(states) -> StatesIn:
    """A filter on Dossier.state matching the partial indexes' conditions (StatesIn)."""
    return StatesIn(F("state"), [str(state) for state in states])


def may_view(official, agency) -> bool:
    """Whether `official` holds a back-office role in `agency` (an agency administrator manages staff
    and sees no dossier)."""
    return bool(official_roles(official, agency) & EXTRA_ACTIONS["view"])


DUE_SOON_WORKING_DAYS = 2
MAX_SEARCH_RESULTS = 50


class Bucket:
    """The inbox's lists (query values the views may use as they are)."""

    NEW = "new"  # new online submissions, waiting for reception
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    DUE_SOON = "due_soon"  # due within 2 working days
    OVERDUE = "overdue"
    WAITING_CITIZEN = "waiting_citizen"  # supplement requested
    WAITING_PAYMENT = "waiting_payment"
    MY_APPROVAL = "my_approval"  # waiting for approval, assigned to me or in the approvers' pool
    RESULT_READY = "result_ready"  # result ready to return
    ASSIGNED_TO_ME = "assigned_to_me"
    ALL = "all"  # everything on the desk

    ALL_BUCKETS = (
        NEW,
        RECEIVED,
        IN_PROGRESS,
        DUE_SOON,
        OVERDUE,
        WAITING_CITIZEN,
        WAITING_PAYMENT,
        MY_APPROVAL,
        RESULT_READY,
        ASSIGNED_TO_ME,
        ALL,
    )


_STATE_BUCKETS = {
    Bucket.RECEIVED: State.RECEIVED,
    Bucket.IN_PROGRESS: State.IN_PROGRESS,
    Bucket.WAITING_CITIZEN: State.SUPPLEMENT_REQUESTED,
    Bucket.WAITING_PAYMENT: State.AWAITING_PAYMENT,
    Bucket.RESULT_READY: State.RESULT_READY,
}


def due_soon_limit(now: dt.datetime) -> dt.datetime:
    """The end of the office day DUE_SOON_WORKING_DAYS working days from today."""
    return office_day_end(add_working_days(timezone.localdate(now), DUE_SOON_WORKING_DAYS))


def _bucket_queryset(bucket: str, *, official, agency, now: dt.datetime) -> QuerySet[Dossier]:
    # Every desk query repeats the state list of its partial index (states_in).
    desk = Dossier.objects.filter(states_in(DESK_STATES), handling_agency=agency)
    running = Dossier.objects.filter(states_in(CLOCK_RUNNING_STATES), handling_agency=agency)
    if bucket == Bucket.NEW:
        # dossier_reception_idx (reception_agency, state, -submitted_at), read backwards: oldest first.
        return Dossier.objects.filter(reception_agency=agency, state=State.SUBMITTED).order_by(
            "submitted_at", "id"
        )
    if bucket in _STATE_BUCKETS:
        # dossier_desk_state_due_idx (handling_agency, state, due_date, id).
        return desk.filter(state=_STATE_BUCKETS[bucket]).order_by("due_date", "id")
    if bucket == Bucket.MY_APPROVAL:
        return (
            desk.filter(state=State.AWAITING_APPROVAL)
            .filter(Q(assigned_to=official) | Q(assigned_to__isnull=True))
            .order_by("due_date", "id")
        )
    if bucket == Bucket.DUE_SOON:
        # dossier_desk_running_due_idx (handling_agency, due_date, id) over the running states.
        return running.filter(due_date__gte=now, due_date__lte=due_soon_limit(now)).order_by("due_date", "id")
    if bucket == Bucket.OVERDUE:
        return running.filter(due_date__lt=now).order_by("due_date", "id")
    if bucket == Bucket.ASSIGNED_TO_ME:
        # dossier_assigned_desk_due_idx (assigned_to, handling_agency, due_date, id) over the desk states.
        return Dossier.objects.filter(
            states_in(DESK_STATES), assigned_to=official, handling_agency=agency
        ).order_by("due_date", "id")
    # ALL — dossier_desk_due_idx (handling_agency, due_date, id) over the desk states.
    return desk.order_by("due_date", "id")


def inbox_list(
    *, official, agency, bucket: str = Bucket.ALL, now: dt.datetime | None = None
) -> QuerySet[Dossier]:
    """The dossiers of one inbox bucket of `agency`, earliest due first (new submissions: oldest
    first), with what a row shows; empty for an official without a role there or an unknown bucket."""
    if bucket not in Bucket.ALL_BUCKETS or not may_view(official, agency):
        return Dossier.objects.none()
    return _bucket_queryset(
        bucket, official=official, agency=agency, now=now or timezone.now()
    ).select_related("applicant", "version", "assigned_to", "competent_agency")


# Counts stop here: the inbox says "5.000+" beyond it. Counting a busy desk's 100,000 index entries for
# each of the 11 tabs on every page cost more than the rest of the page (docs/benchmarks.md); exact
# figures for a period are the register's and the statistics' job.
INBOX_COUNT_CAP = 5000


def inbox_counts(*, official, agency, now: dt.datetime | None = None) -> dict[str, int]:
    """How many dossiers each bucket holds, up to INBOX_COUNT_CAP + 1 (more than the cap: capped) — one
    bounded indexed count per bucket; all zero without a role."""
    if not may_view(official, agency):
        return dict.fromkeys(Bucket.ALL_BUCKETS, 0)
    now = now or timezone.now()
    return {
        bucket: _bucket_queryset(bucket, official=official, agency=agency, now=now)
        .order_by()
        .values("pk")[: INBOX_COUNT_CAP + 1]
        .count()
        for bucket in Bucket.ALL_BUCKETS
    }


def _agency_scope(agency) -> Q:
    return Q(reception_agency=agency) | Q(competent_agency=agency) | Q(handling_agency=agency)


def dossier_search_for_agency(*, official, agency, query: str) -> QuerySet[Dossier]:
    """Dossiers of `agency` (received, competent or holding) matching `query`: a code (exact, or its
    beginning), a 12-digit personal ID, a phone number in any spelling, or words of the applicant's
    name. Newest first, at most MAX_SEARCH_RESULTS.

    Each kind of match reads its own index first — the unique code, the applicant's personal ID or phone,
    then the applicant's dossiers — and only that short list of ids is checked against the agency: one
    query OR-ing the three agency columns with the matches read a busy agency's 100,000 dossiers row by
    row (bench/inbox.py: 350–500 ms). A code prefix, which no index serves on every database, is the
    one search that reads the agency's dossiers, and only when no whole code matched."""
    query = (query or "").strip()[:100]
    if not query or not may_view(official, agency):
        return Dossier.objects.none()
    compact = query.replace(" ", "")
    ids = set(Dossier.objects.filter(code__in={compact, compact.upper()}).values_list("pk", flat=True))
    applicants = User.objects.none()
    if compact.isdigit() and len(compact) == 12:
        applicants = applicants | User.objects.filter(personal_id=compact)
    with contextlib.suppress(IdentifierError):
        applicants = applicants | User.objects.filter(phone=phone_clean(query, mobile_only=False))
    if not any(ch.isdigit() for ch in query):
        applicants = applicants | User.objects.filter(full_name__icontains=query)
    applicant_ids = list(applicants.values_list("pk", flat=True)[:200])
    if applicant_ids:
        ids.update(
            Dossier.objects.filter(applicant__in=applicant_ids)
            .exclude(state=State.DRAFT)
            .values_list("pk", flat=True)[:1000]
        )
    matches = Dossier.objects.filter(pk__in=ids)
    if not ids and any(ch.isdigit() for ch in compact):
        matches = Dossier.objects.filter(code__startswith=compact.upper())
    return (
        matches.filter(_agency_scope(agency))
        .exclude(state=State.DRAFT)
        .select_related("applicant", "version", "handling_agency")
        .order_by("-submitted_at", "-id")[:MAX_SEARCH_RESULTS]
    )


def dossier_get_for_agency(*, official, agency, code: str) -> Dossier | None:
    """One dossier of `agency` by its code, or None (another agency's dossier looks like an unknown one)."""
    if not code or not may_view(official, agency):
        return None
    return (
        Dossier.objects.filter(_agency_scope(agency), code=code[:40])
        .exclude(state=State.DRAFT)
        .select_related(
            "applicant",
            "version",
            "offering",
            "reception_agency",
            "competent_agency",
            "handling_agency",
            "assigned_to",
            "organization",
        )
        .first()
    )


@dataclass(frozen=True)
class StepRow:
    """A row of form 6 as shown: the step and its due date with the supplement pauses applied."""

    step: DossierStep
    due_at: dt.datetime | None
    timeliness: str


def dossier_steps(dossier: Dossier, *, now: dt.datetime | None = None) -> list[StepRow]:
    """Form 6 of a dossier: the steps started so far in the order they were handed over, then the
    planned ones; the caller has checked the dossier is the official's agency's."""
    now = now or timezone.now()
    pauses = dossier_pauses(dossier)
    steps = DossierStep.objects.filter(dossier=dossier).select_related(
        "agency", "assigned_to", "handed_over_by", "finished_by"
    )
    started = sorted((s for s in steps if s.received_at), key=lambda s: (s.received_at, s.id))
    planned = sorted((s for s in steps if not s.received_at), key=lambda s: (s.position, s.id))
    return [StepRow(s, step_effective_due(s, pauses, now=now), s.timeliness) for s in started + planned]


def dossier_extensions(dossier: Dossier) -> list[Extension]:
    """Form 4 history of a dossier, first extension first."""
    return list(dossier.extensions.select_related("requested_by", "approved_by").order_by("number"))


def dossier_internal_notes(dossier: Dossier) -> list[InternalNote]:
    """Officials' notes on a dossier, oldest first (internal_note_dossier_idx)."""
    return list(dossier.internal_notes.select_related("author", "agency").order_by("created_at", "id"))


def staff_for_step(*, agency, role: str) -> QuerySet[User]:
    """Who a step of `role` at `agency` may be assigned to (the assignment picker), by name."""
    users = StaffMembership.objects.filter(agency=agency, role=role, is_active=True).values("user_id")
    return User.objects.filter(pk__in=users, is_active=True).order_by("full_name", "username")


def dossier_visible_to(official, agency, dossier: Dossier) -> bool:
    """Whether `official`, working in `agency`, may read `dossier` (role there, dossier of the agency)."""
    return may_view(official, agency) and agency.pk in dossier_agency_ids(dossier)


def dossiers_due_before(when: dt.datetime) -> QuerySet[Dossier]:
    """Every open dossier whose clock runs and whose due date is before `when`, earliest first: the
    deadline scan (late: `when` = now; about to be late: due_soon_limit(now)). The state filter repeats
    the condition of dossier_open_due_idx (partial index on due_date over OPEN_STATES), so the scan reads
    that index only, never the whole table."""
    return (
        Dossier.objects.filter(states_in(OPEN_STATES), due_date__lt=when)
        .exclude(state=State.SUPPLEMENT_REQUESTED)
        .order_by("due_date", "id")
    )
