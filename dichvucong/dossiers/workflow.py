"""The dossier state machine: one table, pure Python, no ORM (ARCHITECTURE.md, docs/backoffice.md).

States are finer than the national portal's 10 sync codes (DOMAIN.md §3); every state maps to one code.
Each named transition says from which states it may fire, the state it leads to (or SAME for an action
that keeps the state, such as an extension), who may fire it, and its guard: a small function over the
facts the caller gives (a reason, the supplement items, an amount…) returning what is wrong, or None.
Services (dossiers/services/transitions.py, processing/services/) apply them: lock, check, timestamps,
event, outbox. Who may act on *which* dossier (the agency) is the back office's permission layer.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Mới nộp, chờ tiếp nhận")
    RECEIVED = "received", _("Đã tiếp nhận")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Cần bổ sung giấy tờ")
    AWAITING_PAYMENT = "awaiting_payment", _("Chờ nộp phí, lệ phí")
    AWAITING_APPROVAL = "awaiting_approval", _("Chờ lãnh đạo ký duyệt")
    RESULT_READY = "result_ready", _("Đã có kết quả")
    RETURNED = "returned", _("Đã trả kết quả")
    REFUSED = "refused", _("Không được tiếp nhận")
    STOPPED = "stopped", _("Dừng xử lý")
    WITHDRAWN = "withdrawn", _("Đã rút hồ sơ")


class Outcome(models.TextChoices):
    """The decision on a dossier that reached a result (result_ready, returned)."""

    GRANTED = "granted", _("Giải quyết")
    NOT_GRANTED = "not_granted", _("Không giải quyết")


# TrangThaiHoSo of the national portal's sync format.
SYNC_CODE = {
    State.DRAFT: None,
    State.SUBMITTED: 1,
    State.RECEIVED: 2,
    State.REFUSED: 3,
    State.IN_PROGRESS: 4,
    State.AWAITING_APPROVAL: 4,
    State.SUPPLEMENT_REQUESTED: 5,
    State.AWAITING_PAYMENT: 6,
    State.WITHDRAWN: 7,
    State.STOPPED: 8,
    State.RESULT_READY: 9,
    State.RETURNED: 10,
}

# What the citizen reads about each state, with what happens next.
STATE_EXPLANATION = {
    State.DRAFT: _("Hồ sơ chưa được nộp. Bạn có thể tiếp tục soạn và nộp khi đã đủ thông tin."),
    State.SUBMITTED: _("Hồ sơ đã được gửi tới cơ quan và đang chờ cán bộ tiếp nhận kiểm tra."),
    State.RECEIVED: _("Hồ sơ đã được tiếp nhận; thời hạn giải quyết được tính từ ngày tiếp nhận."),
    State.IN_PROGRESS: _("Cơ quan đang giải quyết hồ sơ."),
    State.SUPPLEMENT_REQUESTED: _(
        "Cơ quan yêu cầu bổ sung giấy tờ. Hãy bổ sung theo danh sách để hồ sơ được xử lý tiếp."
    ),
    State.AWAITING_PAYMENT: _("Hồ sơ chờ bạn nộp phí, lệ phí."),
    State.AWAITING_APPROVAL: _("Hồ sơ đang chờ lãnh đạo ký duyệt."),
    State.RESULT_READY: _("Đã có kết quả giải quyết; kết quả sẽ được trả theo cách bạn đã chọn."),
    State.RETURNED: _("Đã trả kết quả."),
    State.REFUSED: _("Hồ sơ không được tiếp nhận; xem lý do trong lịch sử hồ sơ."),
    State.STOPPED: _("Cơ quan đã dừng giải quyết hồ sơ; xem lý do trong lịch sử hồ sơ."),
    State.WITHDRAWN: _("Hồ sơ đã được rút theo yêu cầu của bạn."),
}

OPEN_STATES = frozenset(
    {
        State.SUBMITTED,
        State.RECEIVED,
        State.IN_PROGRESS,
        State.SUPPLEMENT_REQUESTED,
        State.AWAITING_PAYMENT,
        State.AWAITING_APPROVAL,
    }
)
# Not yet decided: the applicant may still withdraw (DOMAIN.md §3, code 7).
WITHDRAWABLE_STATES = OPEN_STATES - {State.AWAITING_APPROVAL}
# Received and not yet at a result: the deadline clock runs (it is paused while a supplement is awaited).
CLOCK_RUNNING_STATES = frozenset(
    {State.RECEIVED, State.IN_PROGRESS, State.AWAITING_PAYMENT, State.AWAITING_APPROVAL}
)
# On an agency's desk after reception: what the back-office inbox lists (its partial indexes use these).
DESK_STATES = (OPEN_STATES - {State.SUBMITTED}) | {State.RESULT_READY}
# Nothing changes state any more; only the SAME actions the table lists (a note, a rating) remain.
TERMINAL_STATES = frozenset({State.RETURNED, State.REFUSED, State.STOPPED, State.WITHDRAWN})


class Actor(models.TextChoices):
    APPLICANT = "applicant", _("Người nộp hồ sơ")
    RECEPTIONIST = "receptionist", _("Cán bộ tiếp nhận")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    APPROVER = "approver", _("Lãnh đạo ký duyệt")
    SYSTEM = "system", _("Hệ thống")


# Officials' roles (accounts.StaffRole values) that appear in the table.
STAFF_ACTORS = frozenset({Actor.RECEPTIONIST, Actor.SPECIALIST, Actor.APPROVER})

# A transition's target when it returns to where the dossier was before a supplement request.
PREVIOUS = "previous"
# The target of an action that keeps the state (an extension, an assignment, a note, a rating).
SAME = "same"

Guard = Callable[[dict], str | None]


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    actors: frozenset[str]
    label: str
    guard: Guard | None = None

    @property
    def changes_state(self) -> bool:
        return self.target != SAME


# --- Guards: what the facts of an action must say (messages are shown next to the action) ------------


def _text(facts: dict, key: str) -> str:
    return str(facts.get(key) or "").strip()


def _reason(message) -> Guard:
    def guard(facts: dict) -> str | None:
        return None if _text(facts, "reason") else str(message)

    return guard


def _items(facts: dict) -> str | None:
    items = facts.get("items") or []
    if not items or not all(
        isinstance(item, dict) and _text(item, "name") and _text(item, "reason") for item in items
    ):
        return str(_("Hãy liệt kê ít nhất một giấy tờ cần bổ sung; mỗi mục cần có tên giấy tờ và lý do."))
    return None


def _amount(facts: dict) -> str | None:
    amount = facts.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        return str(_("Số tiền phải là số nguyên dương, tính bằng đồng."))
    return None


def _decision(facts: dict) -> str | None:
    outcome = facts.get("outcome")
    if outcome not in Outcome.values:
        return str(_("Hãy chọn kết quả: giải quyết hoặc không giải quyết."))
    if outcome == Outcome.NOT_GRANTED and not _text(facts, "reason"):
        return str(_("Hãy nêu lý do không giải quyết."))
    return None


def _extension(facts: dict) -> str | None:
    if not _text(facts, "reason"):
        return str(_("Hãy nêu lý do gia hạn."))
    new_due, due = facts.get("new_due"), facts.get("due")
    if new_due is None or (due is not None and new_due <= due):
        return str(_("Ngày hẹn trả mới phải sau ngày hẹn hiện tại."))
    if not facts.get("approver"):
        return str(_("Văn bản gia hạn cần lãnh đạo ký duyệt."))
    return None


def _delivery(facts: dict) -> str | None:
    method = facts.get("method")
    if method not in ("online", "post", "desk"):
        return str(_("Cách trả kết quả không hợp lệ."))
    if method == "post" and not _text(facts, "tracking_number"):
        return str(_("Hãy nhập mã bưu gửi."))
    if method == "desk" and not _text(facts, "handed_to"):
        return str(_("Hãy ghi tên người nhận kết quả."))
    return None


def _transfer(facts: dict) -> str | None:
    target, current = facts.get("to_agency"), facts.get("from_agency")
    if not target or target == current:
        return str(_("Hãy chọn một đơn vị khác để chuyển hồ sơ."))
    return None


def _note(facts: dict) -> str | None:
    return None if _text(facts, "body") else str(_("Hãy nhập nội dung ghi chú."))


def _rating(facts: dict) -> str | None:
    return str(_("Bạn đã đánh giá hồ sơ này.")) if facts.get("already_rated") else None


def _t(name, sources, target, actors, label, guard=None) -> Transition:
    return Transition(name, frozenset(sources), target, frozenset(actors), label, guard)


AFTER_RECEPTION = OPEN_STATES - {State.SUBMITTED}
R, S, A = Actor.RECEPTIONIST, Actor.SPECIALIST, Actor.APPROVER

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        # The citizen's side.
        _t("submit", {State.DRAFT}, State.SUBMITTED, {Actor.APPLICANT}, _("Nộp hồ sơ")),
        _t(
            "submit_supplement",
            {State.SUPPLEMENT_REQUESTED},
            PREVIOUS,
            {Actor.APPLICANT},
            _("Nộp bổ sung giấy tờ"),
        ),
        _t("withdraw", WITHDRAWABLE_STATES, State.WITHDRAWN, {Actor.APPLICANT}, _("Rút hồ sơ")),
        _t("rate", {State.RETURNED}, SAME, {Actor.APPLICANT}, _("Đánh giá mức độ hài lòng"), _rating),
        # Reception (form 1 receipt, form 2 supplement, form 3 refusal).
        _t("submit_at_desk", {State.DRAFT}, State.SUBMITTED, {R}, _("Nộp hồ sơ tại bộ phận một cửa")),
        _t("receive", {State.SUBMITTED}, State.RECEIVED, {R}, _("Tiếp nhận hồ sơ")),
        _t(
            "refuse",
            {State.SUBMITTED},
            State.REFUSED,
            {R},
            _("Từ chối tiếp nhận"),
            _reason(_("Hãy nêu lý do từ chối tiếp nhận.")),
        ),
        _t(
            "request_supplement",
            {State.SUBMITTED, State.RECEIVED, State.IN_PROGRESS},
            State.SUPPLEMENT_REQUESTED,
            {R, S},
            _("Yêu cầu bổ sung giấy tờ"),
            _items,
        ),
        # Processing (form 6 is kept by the steps each of these opens and closes).
        _t("forward", {State.RECEIVED}, State.IN_PROGRESS, {R}, _("Chuyển xử lý")),
        _t(
            "request_payment",
            {State.IN_PROGRESS},
            State.AWAITING_PAYMENT,
            {S},
            _("Yêu cầu thực hiện nghĩa vụ tài chính"),
            _amount,
        ),
        _t(
            "payment_received",
            {State.AWAITING_PAYMENT},
            State.IN_PROGRESS,
            {Actor.SYSTEM, Actor.APPLICANT, R},
            _("Đã thực hiện nghĩa vụ tài chính"),
        ),
        _t("submit_for_approval", {State.IN_PROGRESS}, State.AWAITING_APPROVAL, {S}, _("Trình ký duyệt")),
        _t(
            "send_back",
            {State.AWAITING_APPROVAL},
            State.IN_PROGRESS,
            {A},
            _("Trả lại để xử lý lại"),
            _reason(_("Hãy nêu lý do trả lại.")),
        ),
        _t("approve", {State.AWAITING_APPROVAL}, State.RESULT_READY, {A}, _("Ký duyệt kết quả"), _decision),
        _t(
            "stop",
            AFTER_RECEPTION,
            State.STOPPED,
            {S, A},
            _("Dừng giải quyết hồ sơ"),
            _reason(_("Hãy nêu lý do dừng giải quyết.")),
        ),
        _t(
            "return_result",
            {State.RESULT_READY},
            State.RETURNED,
            {R, Actor.SYSTEM},
            _("Trả kết quả"),
            _delivery,
        ),
        # Actions that keep the state.
        _t("extend", CLOCK_RUNNING_STATES, SAME, {S, A}, _("Gia hạn, hẹn lại ngày trả kết quả"), _extension),
        _t("assign", DESK_STATES, SAME, {R, S, A}, _("Phân công xử lý")),
        _t(
            "hand_over",
            {State.IN_PROGRESS, State.AWAITING_APPROVAL, State.RESULT_READY},
            SAME,
            {S, A},
            _("Chuyển bước xử lý"),
        ),
        _t("transfer", AFTER_RECEPTION, SAME, {S, A}, _("Chuyển đơn vị xử lý"), _transfer),
        _t("add_note", set(State.values) - {State.DRAFT}, SAME, {R, S, A}, _("Ghi chú nội bộ"), _note),
        _t("attach_result", {State.RESULT_READY}, SAME, {R, S, A}, _("Đính kèm kết quả giải quyết")),
    ]
}


class InvalidTransition(Exception):
    """The transition may not fire now (wrong state or actor); views show a message, the API 409."""

    message = _("Không thực hiện được thao tác này với hồ sơ ở trạng thái hiện tại.")

    def __init__(self, transition: str, state: str, actor: str | None = None, message=None):
        super().__init__(f"{transition} not allowed from {state} by {actor}")
        self.transition, self.state, self.actor = transition, state, actor
        if message is not None:
            self.message = message


class GuardFailed(InvalidTransition):
    """The state and actor fit but the facts do not (no reason, no items…); `message` says what."""


class AlreadyDone(InvalidTransition):
    """Someone else fired the same transition first (two officials at once); `message` says who, when."""


def transition_target(name: str, *, state: str, actor: str, previous_state: str | None = None) -> str:
    """The state `name` leads to from `state` when fired by `actor`; InvalidTransition otherwise."""
    transition = TRANSITIONS.get(name)
    if transition is None or state not in transition.sources or actor not in transition.actors:
        raise InvalidTransition(name, state, actor)
    if transition.target == PREVIOUS:
        if previous_state not in OPEN_STATES - {State.SUPPLEMENT_REQUESTED}:
            raise InvalidTransition(name, state, actor)
        return previous_state
    if transition.target == SAME:
        return state
    return transition.target


def transition_check(name: str, *, state: str, actor: str, previous_state: str | None = None, **facts) -> str:
    """transition_target, then the transition's guard over `facts`: GuardFailed with its message."""
    target = transition_target(name, state=state, actor=actor, previous_state=previous_state)
    guard = TRANSITIONS[name].guard
    problem = guard(facts) if guard is not None else None
    if problem:
        raise GuardFailed(name, state, actor, message=problem)
    return target


def transitions_available(state: str, actor: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources and actor in t.actors]
