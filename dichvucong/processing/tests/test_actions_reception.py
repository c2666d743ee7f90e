"""Reception through the web: receive (form 1), refuse (form 3), ask for a supplement (form 2); the
refusals every action shares (wrong state, another agency, a stale page, missing input)."""

# ruff: noqa: F811 (pytest fixtures imported from .web are parameters of the tests)

import pytest

from dichvucong.documents.models import FileKind
from dichvucong.dossiers.models import Dossier, SupplementRequest
from dichvucong.dossiers.services.transitions import dossier_submit_supplement
from dichvucong.dossiers.workflow import InvalidTransition, State
from dichvucong.processing.permissions import NotPermitted

from .helpers import dossier_in
from .web import action_url, desk, dossier_url, messages_of, pdf_text, print_url, squeezed, stored_bytes  # noqa: F401

pytestmark = pytest.mark.django_db


def notices(dossier):
    return list(
        dossier.attachments.filter(stored_file__kind=FileKind.GENERATED).select_related("stored_file")
    )


def test_receiving_a_dossier_sets_the_appointment_and_issues_the_receipt(people, desk):
    dossier = dossier_in(people, State.SUBMITTED)
    response = desk.as_(people.receptionist_binh).post(dossier, "tiep-nhan")
    assert response.status_code == 302 and response.url == dossier_url(dossier) + "#thao-tac"
    dossier.refresh_from_db()
    assert dossier.state == State.RECEIVED and dossier.due_date
    assert any("Đã tiếp nhận hồ sơ" in m for m in messages_of(response))
    # The receipt is stored for the citizen as issued…
    (notice,) = notices(dossier)
    assert notice.stored_file.owner == people.citizen_an and not notice.stored_file.in_wallet
    assert notice.stored_file.original_name.startswith("Giấy tiếp nhận hồ sơ")
    assert dossier.code in squeezed(pdf_text(stored_bytes(notice.stored_file)))
    # …and the page offers to print it once.
    page = desk.get(dossier_url(dossier))
    assert print_url(dossier, "tiep-nhan") in page.content.decode()
    assert "In Giấy tiếp nhận" in page.content.decode()
    assert "In Giấy tiếp nhận" not in desk.get(dossier_url(dossier)).content.decode()


def test_receiving_a_dossier_already_received_says_who_did_it_and_changes_nothing(people, desk):
    dossier = dossier_in(people, State.SUBMITTED)
    stale_version = dossier.lock_version
    desk.as_(people.receptionist_em).post(dossier, "tiep-nhan")
    dossier.refresh_from_db()
    before = (dossier.lock_version, dossier.events.count(), len(notices(dossier)))
    response = desk.as_(people.receptionist_binh).post(dossier, "tiep-nhan", version=stale_version)
    assert response.status_code == 302
    assert any("Ngô Thị Em" in m and "hồ sơ không thay đổi" in m for m in messages_of(response))
    dossier.refresh_from_db()
    assert (dossier.lock_version, dossier.events.count(), len(notices(dossier))) == before


def test_an_action_the_state_does_not_allow_is_refused_with_a_message(people, desk):
    dossier = dossier_in(people, State.IN_PROGRESS)
    response = desk.as_(people.receptionist_binh).post(dossier, "tu-choi", {"reason": "Thiếu giấy tờ."})
    assert response.status_code == 302 and response.url.startswith(dossier_url(dossier))
    assert any("Không thực hiện được thao tác này" in m for m in messages_of(response))
    assert Dossier.objects.get(pk=dossier.pk).state == State.IN_PROGRESS


def test_an_official_of_another_agency_gets_a_404_and_nothing_changes(people, desk):
    dossier = dossier_in(people, State.SUBMITTED)
    response = desk.as_(people.official_giang).post(dossier, "tiep-nhan")
    assert response.status_code == 404
    assert desk.get(print_url(dossier, "kiem-soat")).status_code == 404
    assert Dossier.objects.get(pk=dossier.pk).state == State.SUBMITTED


def test_a_role_that_may_not_act_is_told_so_and_nothing_changes(people, desk):
    dossier = dossier_in(people, State.SUBMITTED)
    # The specialist's committee is competent for the dossier but does not receive.
    response = desk.as_(people.specialist_chi).post(dossier, "tiep-nhan")
    assert response.status_code == 302
    assert messages_of(response) and "Vai trò của bạn" in messages_of(response)[0]
    assert Dossier.objects.get(pk=dossier.pk).state == State.SUBMITTED


def test_a_stale_page_is_refused_with_the_reload_message(people, desk):
    dossier = dossier_in(people, State.SUBMITTED)
    response = desk.as_(people.receptionist_binh).post(
        dossier, "tu-choi", {"reason": "Không thuộc thẩm quyền."}, version=dossier.lock_version + 7
    )
    assert response.status_code == 302
    assert any("vừa được cập nhật ở nơi khác" in m for m in messages_of(response))
    assert Dossier.objects.get(pk=dossier.pk).state == State.SUBMITTED


def test_a_missing_lock_version_counts_as_a_stale_page(people, desk):
    dossier = dossier_in(people, State.SUBMITTED)
    desk.as_(people.receptionist_binh)
    response = desk.client.post(action_url(dossier, "tu-choi"), {"reason": "Không thuộc thẩm quyền."})
    assert response.status_code == 302
    assert any("vừa được cập nhật ở nơi khác" in m for m in messages_of(response))


def test_refusing_without_a_reason_shows_the_message_next_to_the_field(people, desk):
    dossier = dossier_in(people, State.SUBMITTED)
    response = desk.as_(people.receptionist_binh).post(dossier, "tu-choi", {"reason": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Hãy nêu lý do từ chối tiếp nhận." in html and 'aria-invalid="true"' in html
    assert Dossier.objects.get(pk=dossier.pk).state == State.SUBMITTED


def test_refusing_with_a_reason_issues_form_3_to_the_citizen(people, desk):
    dossier = dossier_in(people, State.SUBMITTED)
    response = desk.as_(people.receptionist_binh).post(
        dossier, "tu-choi", {"reason": "Thủ tục không thuộc thẩm quyền của xã."}
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == State.REFUSED
    assert dossier.events.get(action="refuse").note == "Thủ tục không thuộc thẩm quyền của xã."
    (notice,) = notices(dossier)
    assert "thẩmquyềncủaxã" in squeezed(pdf_text(stored_bytes(notice.stored_file)))
    printed = desk.get(print_url(dossier, "tu-choi"))
    assert printed["Content-Type"] == "application/pdf"
    assert "Thủ tục không thuộc thẩm quyền" in pdf_text(printed.content)


def test_a_supplement_request_needs_at_least_one_item(people, desk):
    dossier = dossier_in(people, State.RECEIVED)
    response = desk.as_(people.receptionist_binh).post(dossier, "yeu-cau-bo-sung", {})
    assert response.status_code == 400
    assert "Hãy chọn ít nhất một giấy tờ cần bổ sung" in response.content.decode()
    assert not SupplementRequest.objects.filter(dossier=dossier).exists()


def test_a_supplement_item_without_its_reason_is_refused_and_what_was_typed_stays(people, desk):
    dossier = dossier_in(people, State.RECEIVED)
    document = dossier.version.documents.order_by("position").first()
    response = desk.as_(people.receptionist_binh).post(
        dossier,
        "yeu-cau-bo-sung",
        {f"doc_{document.pk}": "on", f"doc_{document.pk}_guidance": "Chụp rõ cả hai mặt."},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Hãy nêu giấy tờ này chưa đạt vì sao." in html and "Chụp rõ cả hai mặt." in html


def test_an_itemised_supplement_request_pauses_the_clock_and_issues_form_2(people, desk):
    dossier = dossier_in(people, State.RECEIVED)
    document = dossier.version.documents.order_by("position").first()
    desk.as_(people.receptionist_binh)
    page = desk.get(action_url(dossier, "yeu-cau-bo-sung"))
    assert page.status_code == 200 and document.name in page.content.decode()
    response = desk.post(
        dossier,
        "yeu-cau-bo-sung",
        {
            f"doc_{document.pk}": "on",
            f"doc_{document.pk}_reason": "Ảnh chụp bị mờ.",
            "free_1_name": "Giấy xác nhận cư trú",
            "free_1_reason": "Địa chỉ trong tờ khai khác dữ liệu dân cư.",
            "free_1_guidance": "Xin xác nhận tại công an xã.",
        },
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == State.SUPPLEMENT_REQUESTED and dossier.clock_paused_at
    request = dossier.supplement_requests.get()
    assert [item["required_document"] for item in request.items] == [document.pk, None]
    assert request.items[1]["guidance"] == "Xin xác nhận tại công an xã."
    (notice,) = notices(dossier)
    assert "Giấyxácnhậncưtrú" in squeezed(pdf_text(stored_bytes(notice.stored_file)))
    assert "Giấyxácnhậncưtrú" in squeezed(pdf_text(desk.get(print_url(dossier, "bo-sung", 1)).content))


def test_a_second_supplement_request_is_flagged_as_counting_late(people, desk):
    dossier = dossier_in(people, State.SUPPLEMENT_REQUESTED)
    dossier_submit_supplement(dossier_id=dossier.pk, user=people.citizen_an)
    desk.as_(people.specialist_chi)
    page = desk.get(action_url(dossier, "yeu-cau-bo-sung"))
    assert "Yêu cầu bổ sung từ lần thứ hai được tính là quá hạn" in page.content.decode()
    response = desk.post(dossier, "yeu-cau-bo-sung", {"free_1_name": "Bản sao", "free_1_reason": "Mờ."})
    assert response.status_code == 302
    assert any("lần 2" in m and "quá hạn" in m for m in messages_of(response))
    dossier.refresh_from_db()
    assert dossier.counted_late
    assert notices(dossier)[-1].stored_file.original_name.startswith(
        "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ lần 2"
    )


def test_actions_change_nothing_without_a_post_and_its_csrf_token(people, desk):
    from django.test import Client

    from dichvucong.accounts.tests.officials import sign_in_verified

    dossier = dossier_in(people, State.SUBMITTED)
    strict = Client(enforce_csrf_checks=True)
    sign_in_verified(strict, people.receptionist_binh)
    response = strict.post(action_url(dossier, "tiep-nhan"), {"lock_version": dossier.lock_version})
    assert response.status_code == 403
    desk.as_(people.receptionist_binh)
    assert desk.client.put(action_url(dossier, "tiep-nhan")).status_code == 405
    assert desk.get(action_url(dossier, "tiep-nhan")).status_code == 200  # the form, nothing done
    assert Dossier.objects.get(pk=dossier.pk).state == State.SUBMITTED


def test_a_dossier_received_at_the_desk_gets_its_receipt_as_a_notice_too(people):
    from dichvucong.processing.services.notices import dossier_receipt_notice_issue
    from dichvucong.processing.services.reception import dossier_receive

    dossier = dossier_in(people, State.SUBMITTED)
    with pytest.raises(InvalidTransition):
        dossier_receipt_notice_issue(
            dossier_id=dossier.pk, official=people.receptionist_binh, agency=people.reception
        )
    dossier_receive(dossier_id=dossier.pk, official=people.receptionist_binh, agency=people.reception)
    with pytest.raises(NotPermitted):
        dossier_receipt_notice_issue(
            dossier_id=dossier.pk, official=people.official_giang, agency=people.other
        )
    attachment = dossier_receipt_notice_issue(
        dossier_id=dossier.pk, official=people.receptionist_binh, agency=people.reception
    )
    assert attachment.stored_file.kind == FileKind.GENERATED and notices(dossier) == [attachment]
