"""The actions an official can take on a dossier, one entry each: its URL slug, label, group, form, the
one service it calls, the message said on success and the form it offers to print.

`desk` and `holder` repeat what each service passes to services.common.dossier_begin, so the menu
offers only what the service will accept (the service checks again, under the row lock).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dichvucong.core.money import format_vnd
from dichvucong.dossiers.workflow import Outcome

from .. import forms_actions as f
from ..models import DeliveryMethod
from ..services.approval import dossier_send_back, dossier_submit_for_approval
from ..services.delivery import dossier_return_result
from ..services.notices import (
    dossier_ask_for_supplement_with_notice,
    dossier_extend_with_notice,
    dossier_receive_with_notice,
    dossier_refuse_with_notice,
    dossier_stop_with_notice,
)
from ..services.payment import dossier_payment_received_at_desk, dossier_request_payment
from ..services.results import dossier_approve_and_issue, result_upload_attach
from ..services.steps import dossier_forward, dossier_transfer, internal_note_add, step_assign, step_hand_over


class Group:
    RECEPTION = gettext_lazy("Tiếp nhận hồ sơ")
    PROCESSING = gettext_lazy("Xử lý hồ sơ")
    APPROVAL = gettext_lazy("Lãnh đạo ký duyệt")
    RESULT = gettext_lazy("Kết quả và trả kết quả")
    ASSIGNMENT = gettext_lazy("Phân công, chuyển bước")
    DEADLINE = gettext_lazy("Thời hạn, dừng giải quyết")
    NOTES = gettext_lazy("Ghi chú nội bộ")

    # The moves of the dossier's state first, then who holds it, then deadlines and notes.
    ORDER = (RECEPTION, PROCESSING, APPROVAL, RESULT, ASSIGNMENT, DEADLINE, NOTES)


@dataclass(frozen=True)
class Call:
    """What a service call needs: the dossier, the official, their agency and the cleaned form."""

    dossier: Any
    official: Any
    agency: Any
    data: dict
    files: Any = None

    @property
    def base(self) -> dict:
        return {
            "dossier_id": self.dossier.pk,
            "official": self.official,
            "agency": self.agency,
            "expected_version": self.data["lock_version"],
        }


@dataclass(frozen=True)
class ActionSpec:
    key: str  # our name (several may share one transition: take and assign)
    transition: str  # the name in dossiers.workflow / processing.permissions
    slug: str
    label: Any
    group: Any
    form_class: type
    run: Callable[[Call], Any]  # exactly one service
    success: Callable[[Any, dict], str]
    desk: bool = True
    holder: bool = True
    inline: bool = True  # drawn in the dossier page's panel; else a link to its own page
    button: str = ""  # extra CSS class of the submit button
    description: Any = ""
    offer: Callable[[Any], tuple[str, int | None]] | None = None  # (print kind, number)
    confirm: Any = ""  # a sentence the form shows before the button
    extra: dict = field(default_factory=dict)


def _date(value) -> str:
    return formats.date_format(timezone.localtime(value), "d/m/Y") if value else ""


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


# --- run: each calls exactly one service ----------------------------------------------------------------


def _receive(call):
    return dossier_receive_with_notice(**call.base)


def _refuse(call):
    return dossier_refuse_with_notice(**call.base, reason=call.data["reason"])


def _supplement(call):
    return dossier_ask_for_supplement_with_notice(**call.base, items=call.data["items"])


def _forward(call):
    return dossier_forward(**call.base, assignee=call.data.get("assignee"), note=call.data.get("note", ""))


def _take(call):
    return step_assign(**call.base, assignee=call.official)


def _assign(call):
    return step_assign(**call.base, assignee=call.data.get("assignee"))


def _hand_over(call):
    return step_hand_over(**call.base, assignee=call.data.get("assignee"), note=call.data.get("note", ""))


def _transfer(call):
    return dossier_transfer(**call.base, to_agency=call.data["to_agency"], note=call.data["note"])


def _note(call):
    return internal_note_add(
        dossier_id=call.dossier.pk, official=call.official, agency=call.agency, body=call.data["body"]
    )


def _request_payment(call):
    return dossier_request_payment(**call.base, amount=call.data["amount"], note=call.data.get("note", ""))


def _payment_received(call):
    return dossier_payment_received_at_desk(**call.base, receipt_number=call.data["receipt_number"])


def _submit_for_approval(call):
    return dossier_submit_for_approval(
        **call.base, assignee=call.data.get("assignee"), note=call.data.get("note", "")
    )


def _send_back(call):
    return dossier_send_back(**call.base, reason=call.data["reason"], assignee=call.data.get("assignee"))


def _approve(call):
    return dossier_approve_and_issue(
        **call.base,
        outcome=call.data["outcome"],
        reason=call.data.get("reason", ""),
        decision_text=call.data.get("decision_text", ""),
        number=call.data.get("number", ""),
    )


def _stop(call):
    return dossier_stop_with_notice(
        **call.base, reason=call.data["reason"], legal_basis=call.data["legal_basis"]
    )


def _extend(call):
    return dossier_extend_with_notice(
        **call.base,
        reason=call.data["reason"],
        new_due=call.data["new_due"],
        approver=call.data["approver"],
    )


def _attach_result(call):
    return result_upload_attach(
        dossier_id=call.dossier.pk,
        official=call.official,
        agency=call.agency,
        uploaded_file=call.data["file"],
        title=call.data.get("title", ""),
        sign=bool(call.data.get("sign")),
    )


def _return(call):
    return dossier_return_result(
        **call.base,
        method=call.data["method"],
        tracking_number=call.data.get("tracking_number", ""),
        handed_to=call.data.get("handed_to", ""),
        originals_collected=bool(call.data.get("originals_collected")),
    )


# --- success messages ----------------------------------------------------------------------------------


def _received(dossier, data):
    if dossier.due_date:
        return _("Đã tiếp nhận hồ sơ %(code)s; hẹn trả kết quả ngày %(date)s.") % {
            "code": dossier.code,
            "date": _date(dossier.due_date),
        }
    return _("Đã tiếp nhận hồ sơ %(code)s.") % {"code": dossier.code}


def _supplement_sent(request, data):
    message = _("Đã gửi yêu cầu bổ sung lần %(number)s cho người nộp; thời hạn giải quyết tạm dừng.") % {
        "number": request.number
    }
    if request.number >= 2:
        message += " " + _("Yêu cầu bổ sung từ lần thứ hai: hồ sơ được tính là quá hạn trong chỉ số phục vụ.")
    return message


def _assigned(step, data):
    if step.assigned_to is None:
        return _("Đã trả bước “%(step)s” về nhóm.") % {"step": step.name}
    return _("Đã giao bước “%(step)s” cho %(name)s.") % {"step": step.name, "name": _name(step.assigned_to)}


def _moved(step, data):
    who = _name(step.assigned_to) if step.assigned_to else _("nhóm %(agency)s") % {"agency": step.agency.name}
    return _("Đã chuyển hồ sơ sang bước “%(step)s” (%(who)s).") % {"step": step.name, "who": who}


def _approved(issued, data):
    if data["outcome"] == Outcome.GRANTED:
        return _("Đã ký duyệt; kết quả “%(title)s” đã được ký số và đính kèm hồ sơ.") % {
            "title": issued.document.title
        }
    return _("Đã ký văn bản trả lời không giải quyết hồ sơ; văn bản đã được ký số và đính kèm hồ sơ.")


def _returned(delivery, data):
    text = {
        DeliveryMethod.ONLINE: _(
            "Đã trả kết quả trực tuyến: kết quả có trên trang hồ sơ và trong kho dữ liệu của người nộp."
        ),
        DeliveryMethod.POST: _("Đã ghi nhận gửi kết quả qua bưu chính, mã bưu gửi %(number)s.")
        % {"number": delivery.tracking_number},
        DeliveryMethod.DESK: _("Đã trả kết quả tại bộ phận một cửa cho %(name)s.")
        % {"name": delivery.handed_to},
    }[delivery.method]
    return text + " " + _("Người nộp được mời đánh giá mức độ hài lòng.")


ACTIONS: list[ActionSpec] = [
    ActionSpec(
        "receive",
        "receive",
        "tiep-nhan",
        gettext_lazy("Tiếp nhận hồ sơ"),
        Group.RECEPTION,
        f.ReceiveForm,
        _receive,
        _received,
        description=gettext_lazy("Hồ sơ đầy đủ, hợp lệ: tính ngày hẹn trả và cấp giấy tiếp nhận (mẫu 01)."),
        offer=lambda dossier: ("tiep-nhan", None),
    ),
    ActionSpec(
        "request_supplement",
        "request_supplement",
        "yeu-cau-bo-sung",
        gettext_lazy("Yêu cầu bổ sung, hoàn thiện hồ sơ"),
        Group.RECEPTION,
        f.SupplementForm,
        _supplement,
        _supplement_sent,
        inline=False,
        button="button-secondary",
        description=gettext_lazy("Liệt kê từng giấy tờ cần bổ sung, lý do và hướng dẫn (mẫu 02)."),
        offer=lambda request: ("bo-sung", request.number),
    ),
    ActionSpec(
        "refuse",
        "refuse",
        "tu-choi",
        gettext_lazy("Từ chối tiếp nhận"),
        Group.RECEPTION,
        f.RefuseForm,
        _refuse,
        lambda dossier, data: (
            _("Đã từ chối tiếp nhận hồ sơ %(code)s; người nộp đã được thông báo lý do.")
            % {"code": dossier.code}
        ),
        button="button-danger",
        offer=lambda dossier: ("tu-choi", None),
    ),
    ActionSpec(
        "forward",
        "forward",
        "chuyen-xu-ly",
        gettext_lazy("Chuyển xử lý"),
        Group.PROCESSING,
        f.ForwardForm,
        _forward,
        _moved,
        description=gettext_lazy("Chuyển hồ sơ đã tiếp nhận đến chuyên viên của cơ quan giải quyết."),
    ),
    ActionSpec(
        "take",
        "assign",
        "nhan-xu-ly",
        gettext_lazy("Nhận xử lý"),
        Group.ASSIGNMENT,
        f.TakeForm,
        _take,
        lambda step, data: _("Bạn đã nhận xử lý bước “%(step)s”.") % {"step": step.name},
        holder=False,
        description=gettext_lazy("Bước này đang ở nhóm; nhận để tự xử lý."),
    ),
    ActionSpec(
        "assign",
        "assign",
        "phan-cong",
        gettext_lazy("Phân công"),
        Group.ASSIGNMENT,
        f.AssignForm,
        _assign,
        _assigned,
        holder=False,
        button="button-secondary",
    ),
    ActionSpec(
        "hand_over",
        "hand_over",
        "chuyen-buoc",
        gettext_lazy("Chuyển bước tiếp theo"),
        Group.ASSIGNMENT,
        f.HandOverForm,
        _hand_over,
        _moved,
        button="button-secondary",
    ),
    ActionSpec(
        "request_payment",
        "request_payment",
        "yeu-cau-nop-phi",
        gettext_lazy("Yêu cầu thực hiện nghĩa vụ tài chính"),
        Group.PROCESSING,
        f.PaymentRequestForm,
        _request_payment,
        lambda dossier, data: (
            _("Đã yêu cầu người nộp nộp %(amount)s.") % {"amount": format_vnd(data["amount"])}
        ),
        button="button-secondary",
    ),
    ActionSpec(
        "payment_received",
        "payment_received",
        "da-nop-phi",
        gettext_lazy("Ghi nhận đã nộp tiền tại quầy"),
        Group.PROCESSING,
        f.PaymentReceivedForm,
        _payment_received,
        lambda dossier, data: (
            _("Đã ghi nhận khoản nộp %(amount)s; hồ sơ tiếp tục được xử lý.")
            % {"amount": format_vnd(dossier.amount_due) or "—"}
        ),
        desk=False,
        holder=False,
    ),
    ActionSpec(
        "submit_for_approval",
        "submit_for_approval",
        "trinh-ky",
        gettext_lazy("Trình lãnh đạo ký duyệt"),
        Group.PROCESSING,
        f.SubmitForApprovalForm,
        _submit_for_approval,
        _moved,
    ),
    ActionSpec(
        "transfer",
        "transfer",
        "chuyen-don-vi",
        gettext_lazy("Chuyển đơn vị khác"),
        Group.ASSIGNMENT,
        f.TransferForm,
        _transfer,
        lambda step, data: _("Đã chuyển hồ sơ đến %(agency)s.") % {"agency": step.agency.name},
        inline=False,
        button="button-secondary",
        description=gettext_lazy("Chuyển bước hiện tại sang đơn vị khác (xin ý kiến, phối hợp)."),
    ),
    ActionSpec(
        "approve",
        "approve",
        "ky-duyet",
        gettext_lazy("Ký duyệt kết quả"),
        Group.APPROVAL,
        f.ApproveForm,
        _approve,
        _approved,
        description=gettext_lazy(
            "Kết quả (hoặc văn bản trả lời không giải quyết) được tạo từ mẫu và ký số bằng chứng thư số "
            "của cơ quan."
        ),
    ),
    ActionSpec(
        "send_back",
        "send_back",
        "tra-lai",
        gettext_lazy("Trả lại để xử lý lại"),
        Group.APPROVAL,
        f.SendBackForm,
        _send_back,
        _moved,
        button="button-secondary",
    ),
    ActionSpec(
        "attach_result",
        "attach_result",
        "dinh-kem-ket-qua",
        gettext_lazy("Đính kèm tệp kết quả"),
        Group.RESULT,
        f.ResultUploadForm,
        _attach_result,
        lambda attachment, data: (
            _("Đã đính kèm tệp kết quả “%(name)s”.") % {"name": attachment.stored_file.original_name}
        ),
        desk=False,
        holder=False,
        inline=False,
        button="button-secondary",
        description=gettext_lazy("Khi kết quả được lập ngoài hệ thống: tải lên tệp PDF, có thể ký số."),
    ),
    ActionSpec(
        "return_result",
        "return_result",
        "tra-ket-qua",
        gettext_lazy("Trả kết quả"),
        Group.RESULT,
        f.ReturnForm,
        _return,
        _returned,
        desk=False,
        holder=False,
    ),
    ActionSpec(
        "extend",
        "extend",
        "gia-han",
        gettext_lazy("Gia hạn, hẹn lại ngày trả"),
        Group.DEADLINE,
        f.ExtendForm,
        _extend,
        lambda extension, data: (
            _("Đã gia hạn lần %(number)s; ngày hẹn trả mới %(date)s. Người nộp đã được thông báo.")
            % {"number": extension.number, "date": _date(extension.new_due)}
        ),
        desk=False,
        holder=False,
        button="button-secondary",
        offer=lambda extension: ("gia-han", extension.number),
    ),
    ActionSpec(
        "stop",
        "stop",
        "dung-xu-ly",
        gettext_lazy("Dừng giải quyết"),
        Group.DEADLINE,
        f.StopForm,
        _stop,
        lambda dossier, data: (
            _("Đã dừng giải quyết hồ sơ %(code)s; người nộp đã được thông báo.") % {"code": dossier.code}
        ),
        desk=False,
        holder=False,
        button="button-danger",
        offer=lambda dossier: ("dung", None),
    ),
    ActionSpec(
        "add_note",
        "add_note",
        "ghi-chu",
        gettext_lazy("Thêm ghi chú nội bộ"),
        Group.NOTES,
        f.NoteForm,
        _note,
        lambda note, data: _("Đã lưu ghi chú nội bộ."),
        desk=False,
        holder=False,
        button="button-secondary",
    ),
]
ACTIONS_BY_SLUG = {spec.slug: spec for spec in ACTIONS}
ACTIONS_BY_KEY = {spec.key: spec for spec in ACTIONS}
