"""Building back-office scenarios through the real services (no state written by hand)."""

from dataclasses import dataclass

from dichvucong.accounts.models import StaffRole, User
from dichvucong.accounts.tests.factories import make_citizen
from dichvucong.accounts.tests.officials import make_official
from dichvucong.directory.models import Agency
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.services.transitions import dossier_withdraw
from dichvucong.dossiers.tests.factories import SUPPLEMENT_ITEMS, default_offering, make_dossier
from dichvucong.dossiers.workflow import Outcome, State
from dichvucong.processing.services.approval import (
    dossier_approve,
    dossier_stop,
    dossier_submit_for_approval,
)
from dichvucong.processing.services.delivery import dossier_return_result
from dichvucong.processing.services.payment import dossier_request_payment
from dichvucong.processing.services.reception import (
    dossier_ask_for_supplement,
    dossier_receive,
    dossier_refuse,
)
from dichvucong.processing.services.steps import dossier_forward

RECEPTION_A = "10993.ttpvhcc"
COMPETENT_A = "10993.ubnd"
AGENCY_B = "10507.ttpvhcc"


@dataclass
class People:
    reception: Agency  # agency A, the desk
    competent: Agency  # agency A, the People's Committee deciding
    other: Agency  # agency B
    receptionist_binh: User
    receptionist_em: User
    specialist_chi: User
    approver_dung: User
    official_giang: User  # every role, but at agency B
    citizen_an: User

    def __getitem__(self, name):
        return getattr(self, name)


def make_people() -> People:
    reception = Agency.objects.get(code=RECEPTION_A)
    competent = Agency.objects.get(code=COMPETENT_A)
    other = Agency.objects.get(code=AGENCY_B)
    return People(
        reception=reception,
        competent=competent,
        other=other,
        receptionist_binh=make_official(
            "binh.tran", full_name="Trần Thị Bình", agency=reception, roles=[StaffRole.RECEPTIONIST]
        ),
        receptionist_em=make_official(
            "em.ngo", full_name="Ngô Thị Em", agency=reception, roles=[StaffRole.RECEPTIONIST]
        ),
        specialist_chi=make_official(
            "chi.pham", full_name="Phạm Minh Chi", agency=competent, roles=[StaffRole.SPECIALIST]
        ),
        approver_dung=make_official(
            "dung.vu", full_name="Vũ Quốc Dũng", agency=competent, roles=[StaffRole.APPROVER]
        ),
        official_giang=make_official(
            "giang.do",
            full_name="Đỗ Thu Giang",
            agency=other,
            roles=[StaffRole.RECEPTIONIST, StaffRole.SPECIALIST, StaffRole.APPROVER],
        ),
        citizen_an=make_citizen(full_name="Nguyễn Văn An"),
    )


# The path of services that leads to each state (after submission).
PATH = {
    State.SUBMITTED: [],
    State.RECEIVED: ["receive"],
    State.IN_PROGRESS: ["receive", "forward"],
    State.SUPPLEMENT_REQUESTED: ["receive", "forward", "supplement"],
    State.AWAITING_PAYMENT: ["receive", "forward", "payment"],
    State.AWAITING_APPROVAL: ["receive", "forward", "submit_for_approval"],
    State.RESULT_READY: ["receive", "forward", "submit_for_approval", "approve"],
    State.RETURNED: ["receive", "forward", "submit_for_approval", "approve", "return"],
    State.REFUSED: ["refuse"],
    State.STOPPED: ["receive", "forward", "stop"],
    State.WITHDRAWN: ["receive", "withdraw"],
}


def step(people: People, dossier: Dossier, name: str) -> Dossier:
    """Apply one named service as the persona whose job it is."""
    p, pk = people, dossier.pk
    desk, committee = p.reception, p.competent
    if name == "receive":
        dossier_receive(dossier_id=pk, official=p.receptionist_binh, agency=desk)
    elif name == "refuse":
        dossier_refuse(
            dossier_id=pk, official=p.receptionist_binh, agency=desk, reason="Không thuộc thẩm quyền."
        )
    elif name == "forward":
        dossier_forward(dossier_id=pk, official=p.receptionist_binh, agency=desk, assignee=p.specialist_chi)
    elif name == "supplement":
        dossier_ask_for_supplement(
            dossier_id=pk, official=p.specialist_chi, agency=committee, items=SUPPLEMENT_ITEMS
        )
    elif name == "payment":
        dossier_request_payment(dossier_id=pk, official=p.specialist_chi, agency=committee, amount=8000)
    elif name == "submit_for_approval":
        dossier_submit_for_approval(
            dossier_id=pk, official=p.specialist_chi, agency=committee, assignee=p.approver_dung
        )
    elif name == "approve":
        dossier_approve(dossier_id=pk, official=p.approver_dung, agency=committee, outcome=Outcome.GRANTED)
    elif name == "return":
        dossier_return_result(
            dossier_id=pk,
            official=p.receptionist_binh,
            agency=desk,
            method="desk",
            handed_to="Nguyễn Văn An",
            originals_collected=True,
        )
    elif name == "stop":
        dossier_stop(
            dossier_id=pk, official=p.specialist_chi, agency=committee, reason="Người yêu cầu đề nghị dừng."
        )
    elif name == "withdraw":
        dossier_withdraw(dossier_id=pk, user=dossier.applicant, reason="Nộp nhầm.")
    else:  # pragma: no cover
        raise ValueError(name)
    dossier.refresh_from_db()
    return dossier


def dossier_in(
    people: People, state: str, *, applicant: User | None = None, offering=None, **kwargs
) -> Dossier:
    """A submitted dossier of the default offering walked by the services to `state`."""
    dossier = make_dossier(applicant or people.citizen_an, offering=offering or default_offering(), **kwargs)
    for name in PATH[State(state)]:
        dossier = step(people, dossier, name)
    assert dossier.state == state, (dossier.state, state)
    return dossier
