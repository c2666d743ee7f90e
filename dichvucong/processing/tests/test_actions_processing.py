"""Processing through the web: forward, take from the pool, assign, hand over, transfer, notes, payment,
submit for approval, send back, stop (form 5) and extend (form 4)."""

# ruff: noqa: F811 (pytest fixtures imported from .web are parameters of the tests)

import datetime as dt

import pytest
from django.utils import timezone

from dichvucong.accounts.models import StaffRole
from dichvucong.accounts.tests.officials import make_official
from dichvucong.documents.models import FileKind
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.workflow import State
from dichvucong.notifications.models import Outbox
from dichvucong.processing.models import Extension, InternalNote
from dichvucong.processing.services.steps import dossier_forward

from .helpers import dossier_in
from .web import action_url, desk, dossier_url, messages_of, pdf_text, print_url, squeezed, stored_bytes  # noqa: F401

pytestmark = pytest.mark.django_db


def fresh(dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def test_forwarding_hands_the_dossier_to_the_chosen_specialist(people, desk):
    dossier = dossier_in(people, State.RECEIVED)
    response = desk.as_(people.receptionist_binh).post(
        dossier, "chuyen-xu-ly", {"assignee": people.specialist_chi.pk, "note": "Hồ sơ đủ."}
    )
    assert response.status_code == 302
    dossier = fresh(dossier)
    assert dossier.state == State.IN_PROGRESS and dossier.assigned_to == people.specialist_chi
    assert dossier.handling_agency == people.competent
    assert Outbox.objects.filter(event="dossier_assigned", recipient=people.specialist_chi).exists()


def test_forwarding_to_someone_without_the_role_there_is_refused(people, desk):
    dossier = dossier_in(people, State.RECEIVED)
    response = desk.as_(people.receptionist_binh).post(
        dossier, "chuyen-xu-ly", {"assignee": people.receptionist_em.pk}
    )
    assert response.status_code == 400  # not one of the choices offered
    assert "Select a valid choice" not in response.content.decode()
    assert fresh(dossier).state == State.RECEIVED


def test_a_specialist_takes_a_step_from_the_pool(people, desk):
    dossier = dossier_in(people, State.RECEIVED)
    dossier_forward(dossier_id=dossier.pk, official=people.receptionist_binh, agency=people.reception)
    desk.as_(people.specialist_chi)
    assert action_url(dossier, "nhan-xu-ly") in desk.get(dossier_url(dossier)).content.decode()
    response = desk.post(dossier, "nhan-xu-ly")
    assert response.status_code == 302 and any("Bạn đã nhận xử lý" in m for m in messages_of(response))
    assert fresh(dossier).assigned_to == people.specialist_chi
    assert action_url(dossier, "nhan-xu-ly") not in desk.get(dossier_url(dossier)).content.decode()


def test_a_leader_assigns_the_step_to_another_specialist(people, desk):
    dossier = dossier_in(people, State.IN_PROGRESS)
    other = make_official(
        "hai.le", full_name="Lê Văn Hải", agency=people.competent, roles=[StaffRole.SPECIALIST]
    )
    response = desk.as_(people.approver_dung).post(dossier, "phan-cong", {"assignee": other.pk})
    assert response.status_code == 302 and any("Lê Văn Hải" in m for m in messages_of(response))
    assert fresh(dossier).assigned_to == other


def test_handing_over_moves_issuance_to_the_return_step(people, desk):
    dossier = dossier_in(people, State.RESULT_READY)
    desk.as_(people.specialist_chi)
    desk.post(dossier, "nhan-xu-ly")
    response = desk.post(dossier, "chuyen-buoc", {"assignee": people.receptionist_binh.pk, "note": "Đã in."})
    assert response.status_code == 302
    dossier = fresh(dossier)
    assert dossier.state == State.RESULT_READY and dossier.assigned_to == people.receptionist_binh
    assert dossier.steps.get(received_at__isnull=False, finished_at__isnull=True).kind == "return"


def test_transferring_sends_the_step_to_another_agency_of_the_province(people, desk):
    dossier = dossier_in(people, State.IN_PROGRESS)
    desk.as_(people.specialist_chi)
    page = desk.get(action_url(dossier, "chuyen-don-vi"))
    assert page.status_code == 200 and people.reception.name in page.content.decode()
    missing = desk.post(dossier, "chuyen-don-vi", {"to_agency": people.reception.pk})
    assert missing.status_code == 400 and "Hãy ghi nội dung đề nghị" in missing.content.decode()
    response = desk.post(dossier, "chuyen-don-vi", {"to_agency": people.reception.pk, "note": "Xin ý kiến."})
    assert response.status_code == 302
    dossier = fresh(dossier)
    assert dossier.handling_agency == people.reception and dossier.assigned_to is None


def test_an_internal_note_is_kept_for_officials_only(people, desk):
    dossier = dossier_in(people, State.IN_PROGRESS)
    empty = desk.as_(people.receptionist_binh).post(dossier, "ghi-chu", {"body": ""})
    assert empty.status_code == 400 and "Hãy nhập nội dung ghi chú." in empty.content.decode()
    response = desk.post(dossier, "ghi-chu", {"body": "Công dân gọi điện hỏi tiến độ."})
    assert response.status_code == 302
    assert InternalNote.objects.get(dossier=dossier).body == "Công dân gọi điện hỏi tiến độ."
    assert not dossier.events.filter(action="add_note").exists()


def test_a_payment_request_takes_the_amount_as_people_write_it(people, desk):
    dossier = dossier_in(people, State.IN_PROGRESS)
    bad = desk.as_(people.specialist_chi).post(dossier, "yeu-cau-nop-phi", {"amount": "một triệu"})
    assert bad.status_code == 400 and "số nguyên dương" in bad.content.decode()
    assert "một triệu" in bad.content.decode()  # what was typed stays
    response = desk.post(dossier, "yeu-cau-nop-phi", {"amount": "1.000.000 đ", "note": "Lệ phí."})
    assert response.status_code == 302
    assert any("1.000.000 đ" in m for m in messages_of(response))
    dossier = fresh(dossier)
    assert dossier.state == State.AWAITING_PAYMENT and dossier.amount_due == 1_000_000


def test_cash_taken_at_the_desk_resumes_processing(people, desk):
    dossier = dossier_in(people, State.AWAITING_PAYMENT)
    missing = desk.as_(people.receptionist_binh).post(dossier, "da-nop-phi", {"receipt_number": ""})
    assert missing.status_code == 400
    response = desk.post(dossier, "da-nop-phi", {"receipt_number": "BL-0012"})
    assert response.status_code == 302 and any("8.000 đ" in m for m in messages_of(response))
    dossier = fresh(dossier)
    assert dossier.state == State.IN_PROGRESS and dossier.paid_at
    assert dossier.events.get(action="payment_received").detail["reference"] == "BL-0012"


def test_submitting_for_approval_and_sending_back_with_a_reason(people, desk):
    dossier = dossier_in(people, State.IN_PROGRESS)
    desk.as_(people.specialist_chi).post(dossier, "trinh-ky", {"assignee": people.approver_dung.pk})
    assert fresh(dossier).state == State.AWAITING_APPROVAL
    desk.as_(people.approver_dung)
    missing = desk.post(dossier, "tra-lai", {"reason": ""})
    assert missing.status_code == 400 and "Hãy nêu lý do trả lại." in missing.content.decode()
    assert fresh(dossier).state == State.AWAITING_APPROVAL
    response = desk.post(dossier, "tra-lai", {"reason": "Thiếu chữ ký người làm chứng."})
    assert response.status_code == 302
    dossier = fresh(dossier)
    assert dossier.state == State.IN_PROGRESS and dossier.assigned_to == people.specialist_chi


def test_a_specialist_cannot_approve(people, desk):
    dossier = dossier_in(people, State.AWAITING_APPROVAL)
    response = desk.as_(people.specialist_chi).post(dossier, "ky-duyet", {"outcome": "granted"})
    assert response.status_code == 302
    assert messages_of(response) and "Vai trò của bạn" in messages_of(response)[0]
    assert fresh(dossier).state == State.AWAITING_APPROVAL


def test_stopping_needs_a_reason_and_a_legal_basis_and_issues_form_5(people, desk):
    dossier = dossier_in(people, State.IN_PROGRESS)
    desk.as_(people.specialist_chi)
    missing = desk.post(dossier, "dung-xu-ly", {"reason": "Người nộp đề nghị dừng."})
    assert missing.status_code == 400 and "Hãy nêu căn cứ pháp lý" in missing.content.decode()
    assert "Người nộp đề nghị dừng." in missing.content.decode()
    response = desk.post(
        dossier,
        "dung-xu-ly",
        {"reason": "Người nộp đề nghị dừng.", "legal_basis": "Khoản 2 Điều 18 Nghị định 118/2025/NĐ-CP"},
    )
    assert response.status_code == 302
    dossier = fresh(dossier)
    assert dossier.state == State.STOPPED and dossier.stopped_at
    notice = dossier.attachments.get(stored_file__kind=FileKind.GENERATED).stored_file
    assert "Nghịđịnh118/2025" in squeezed(pdf_text(stored_bytes(notice)))
    printed = desk.get(print_url(dossier, "dung"))
    assert "Nghịđịnh118/2025" in squeezed(pdf_text(printed.content))


def test_extending_sets_a_new_appointment_tells_the_citizen_and_issues_form_4(people, desk):
    dossier = dossier_in(people, State.IN_PROGRESS)
    new_day = timezone.localtime(dossier.due_date).date() + dt.timedelta(days=7)
    desk.as_(people.specialist_chi)
    early = desk.post(
        dossier,
        "gia-han",
        {"reason": "Chờ xác minh.", "new_due": timezone.localtime(dossier.due_date).date().isoformat()},
        **{},
    )
    assert early.status_code == 400 and "phải sau ngày hẹn hiện tại" in early.content.decode()
    response = desk.post(
        dossier,
        "gia-han",
        {
            "reason": "Chờ kết quả xác minh.",
            "new_due": new_day.isoformat(),
            "approver": people.approver_dung.pk,
        },
    )
    assert response.status_code == 302
    extension = Extension.objects.get(dossier=dossier)
    assert extension.approved_by == people.approver_dung
    assert timezone.localtime(extension.new_due).date() == new_day
    assert Outbox.objects.filter(event="dossier_extended", recipient=people.citizen_an).exists()
    notice = dossier.attachments.get(stored_file__kind=FileKind.GENERATED).stored_file
    assert new_day.strftime("%d/%m/%Y") in pdf_text(stored_bytes(notice))
    printed = desk.get(print_url(dossier, "gia-han", 1))
    assert printed.status_code == 200 and dossier.code in squeezed(pdf_text(printed.content))
    assert desk.get(print_url(dossier, "gia-han", 2)).status_code == 404
