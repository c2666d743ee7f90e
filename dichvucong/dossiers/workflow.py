"""The dossier state machine: one table, pure Python, no ORM (ARCHITECTURE.md).

States are finer than the national portal's 10 sync codes (DOMAIN.md §3); every state maps to one code.
Each named transition says from which states it may fire, the state it leads to, and who may fire it.
Services in dossiers/services/transitions.py apply them (lock, check, timestamps, event, outbox).
"""

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


class Actor(models.TextChoices):
    APPLICANT = "applicant", _("Người nộp hồ sơ")
    RECEPTIONIST = "receptionist", _("Cán bộ tiếp nhận")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    APPROVER = "approver", _("Lãnh đạo ký duyệt")
    SYSTEM = "system", _("Hệ thống")


# A transition's target when it returns to where the dossier was before a supplement request.
PREVIOUS = "previous"


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    actors: frozenset[str]
    label: str


def _t(name, sources, target, actors, label) -> Transition:
    return Transition(name, frozenset(sources), target, frozenset(actors), label)


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        _t("submit", {State.DRAFT}, State.SUBMITTED, {Actor.APPLICANT}, _("Nộp hồ sơ")),
        _t("receive", {State.SUBMITTED}, State.RECEIVED, {Actor.RECEPTIONIST}, _("Tiếp nhận hồ sơ")),
        _t("refuse", {State.SUBMITTED}, State.REFUSED, {Actor.RECEPTIONIST}, _("Từ chối tiếp nhận")),
        _t(
            "request_supplement",
            {State.SUBMITTED, State.RECEIVED, State.IN_PROGRESS},
            State.SUPPLEMENT_REQUESTED,
            {Actor.RECEPTIONIST, Actor.SPECIALIST},
            _("Yêu cầu bổ sung giấy tờ"),
        ),
        _t(
            "submit_supplement",
            {State.SUPPLEMENT_REQUESTED},
            PREVIOUS,
            {Actor.APPLICANT},
            _("Nộp bổ sung giấy tờ"),
        ),
        _t("withdraw", WITHDRAWABLE_STATES, State.WITHDRAWN, {Actor.APPLICANT}, _("Rút hồ sơ")),
    ]
}


class InvalidTransition(Exception):
    """The transition may not fire now (wrong state or actor); views show a message, the API 409."""

    def __init__(self, transition: str, state: str, actor: str | None = None):
        super().__init__(f"{transition} not allowed from {state} by {actor}")
        self.transition, self.state, self.actor = transition, state, actor


def transition_target(name: str, *, state: str, actor: str, previous_state: str | None = None) -> str:
    """The state `name` leads to from `state` when fired by `actor`; InvalidTransition otherwise."""
    transition = TRANSITIONS.get(name)
    if transition is None or state not in transition.sources or actor not in transition.actors:
        raise InvalidTransition(name, state, actor)
    if transition.target == PREVIOUS:
        if previous_state not in OPEN_STATES - {State.SUPPLEMENT_REQUESTED}:
            raise InvalidTransition(name, state, actor)
        return previous_state
    return transition.target


def transitions_available(state: str, actor: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources and actor in t.actors]
