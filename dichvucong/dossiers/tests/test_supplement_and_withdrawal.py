"""The citizen's side of a supplement request and of a withdrawal, including stale pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dichvucong.documents.tests.corpus import HTML, jpeg_bytes, pdf_bytes
from dichvucong.dossiers.models import Attachment, Dossier, DossierEvent
from dichvucong.dossiers.tests.factories import make_dossier, request_supplement
from dichvucong.dossiers.workflow import State
from dichvucong.notifications.models import Outbox

pytestmark = pytest.mark.django_db


def url(name, dossier):
    return reverse(f"dossiers:{name}", kwargs={"code": dossier.code})


def pdf(name="xac-nhan-cu-tru.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def upload(client, dossier, item, *files, version=None):
    dossier.refresh_from_db()
    return client.post(
        url("supplement_upload", dossier),
        {
            "lock_version": dossier.lock_version if version is None else version,
            "item": item,
            "files": list(files),
        },
    )


def send(client, dossier, *, version=None):
    dossier.refresh_from_db()
    return client.post(
        url("supplement_send", dossier),
        {"lock_version": dossier.lock_version if version is None else version},
    )


@pytest.fixture
def signed_in(client, citizen_an):
    client.force_login(citizen_an)
    return client


# --- Supplement ----------------------------------------------------------------------------------------


def test_the_dossier_page_shows_the_itemised_request_with_an_upload_per_item(signed_in, citizen_an):
    dossier = make_dossier(citizen_an, supplement_requested=True)
    html = signed_in.get(url("dossier_detail", dossier)).content.decode()
    assert "Giấy tờ cần bổ sung" in html
    for text in (
        "Giấy xác nhận nơi cư trú của người mẹ",
        "Tờ khai ghi nơi cư trú khác với dữ liệu dân cư.",
        "Xin xác nhận tại công an xã nơi cư trú; chụp rõ cả dấu đỏ.",
        "Bản sao giấy chứng nhận kết hôn",
    ):
        assert text in html
    assert html.count('name="item"') == 2
    assert "Nộp bổ sung" in html


def test_uploading_for_an_item_attaches_the_files_to_the_request_and_records_the_item(signed_in, citizen_an):
    dossier = make_dossier(citizen_an, supplement_requested=True)
    request = dossier.supplement_requests.get()
    response = upload(signed_in, dossier, 1, pdf("ket-hon-trang-1.pdf"), pdf("ket-hon-trang-2.pdf"))
    assert response.status_code == 302
    assert response["Location"].endswith("#bo-sung")
    attachments = Attachment.objects.filter(dossier=dossier, supplement=request)
    assert sorted(a.stored_file.original_name for a in attachments) == [
        "ket-hon-trang-1.pdf",
        "ket-hon-trang-2.pdf",
    ]
    events = DossierEvent.objects.filter(dossier=dossier, action="supplement_file_added")
    assert {(e.detail["item"], e.detail["attachment"]) for e in events} == {(1, a.pk) for a in attachments}
    dossier.refresh_from_db()
    assert dossier.state == State.SUPPLEMENT_REQUESTED  # uploading alone does not answer


def test_a_file_refused_by_content_is_reported_next_to_its_item_and_not_attached(signed_in, citizen_an):
    dossier = make_dossier(citizen_an, supplement_requested=True)
    response = upload(signed_in, dossier, 0, SimpleUploadedFile("giay-xac-nhan.pdf", HTML))
    assert response.status_code == 400
    assert "nội dung không phải PDF" in response.content.decode()
    assert not Attachment.objects.filter(dossier=dossier).exists()


def test_the_supplement_cannot_be_sent_before_every_item_has_a_file(signed_in, citizen_an):
    dossier = make_dossier(citizen_an, supplement_requested=True)
    upload(signed_in, dossier, 0, pdf())
    response = send(signed_in, dossier)
    assert response.status_code == 400
    assert "Còn 1 mục chưa có tệp bổ sung" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == State.SUPPLEMENT_REQUESTED
    assert dossier.supplement_requests.get().fulfilled_at is None


@pytest.mark.parametrize("before", ["submitted", "received", "in_progress"])
def test_sending_the_supplement_returns_the_dossier_to_the_state_it_was_in(signed_in, citizen_an, before):
    dossier = make_dossier(citizen_an, supplement_requested=True, **{before: True})
    assert Outbox.objects.filter(event="supplement_requested", recipient=citizen_an).exists()
    upload(signed_in, dossier, 0, pdf())
    upload(signed_in, dossier, 1, SimpleUploadedFile("ket-hon.jpg", jpeg_bytes()))
    response = send(signed_in, dossier)
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == before
    assert dossier.state_before_supplement == ""
    request = dossier.supplement_requests.get()
    assert request.fulfilled_at is not None
    event = dossier.events.get(action="submit_supplement")
    assert (event.from_state, event.to_state, event.actor_id) == (
        State.SUPPLEMENT_REQUESTED,
        before,
        citizen_an.pk,
    )
    assert Outbox.objects.filter(event="supplement_received", subject_id=dossier.code).exists()
    assert all(a.stored_file.in_wallet for a in request.attachments.all())  # reusable later


def test_an_item_naming_a_catalogue_document_takes_its_files_under_that_document(signed_in, citizen_an):
    dossier = make_dossier(citizen_an, received=True)
    birth_certificate = dossier.version.documents.get(name__startswith="Giấy chứng sinh")
    request_supplement(
        dossier,
        items=[
            {
                "required_document": birth_certificate.pk,
                "name": "Giấy chứng sinh",
                "reason": "Ảnh bị cắt mất góc.",
            }
        ],
    )
    upload(signed_in, dossier, 0, pdf("giay-chung-sinh.pdf"))
    assert Attachment.objects.get(dossier=dossier).required_document == birth_certificate
    assert send(signed_in, dossier).status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == State.RECEIVED


def test_a_file_can_be_taken_back_before_sending(signed_in, citizen_an):
    dossier = make_dossier(citizen_an, supplement_requested=True)
    upload(signed_in, dossier, 0, pdf("nham-tep.pdf"))
    attachment = Attachment.objects.get(dossier=dossier)
    response = signed_in.post(
        url("supplement_file_delete", dossier),
        {"lock_version": dossier.lock_version, "attachment": attachment.pk},
    )
    assert response.status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert dossier.events.filter(action="supplement_file_removed").exists()


def test_a_stale_supplement_page_gets_a_clear_message_and_changes_nothing(signed_in, citizen_an):
    dossier = make_dossier(citizen_an, supplement_requested=True)
    stale = dossier.lock_version - 1
    response = upload(signed_in, dossier, 0, pdf(), version=stale)
    assert response.status_code == 409
    assert "Hồ sơ vừa được cập nhật ở nơi khác" in response.content.decode()
    assert not Attachment.objects.filter(dossier=dossier).exists()
    assert send(signed_in, dossier, version=stale).status_code == 409


def test_sending_twice_from_two_tabs_answers_the_second_with_a_message(signed_in, citizen_an):
    dossier = make_dossier(citizen_an, supplement_requested=True)
    upload(signed_in, dossier, 0, pdf())
    upload(signed_in, dossier, 1, pdf())
    version = dossier.lock_version
    assert send(signed_in, dossier, version=version).status_code == 302
    second = send(signed_in, dossier, version=version)
    assert second.status_code == 409
    assert "Hồ sơ vừa được cập nhật ở nơi khác" in second.content.decode()
    assert dossier.events.filter(action="submit_supplement").count() == 1


def test_another_citizen_cannot_answer_the_request(client, citizen_an, citizen_binh):
    dossier = make_dossier(citizen_an, supplement_requested=True)
    client.force_login(citizen_binh)
    assert upload(client, dossier, 0, pdf()).status_code == 404
    assert send(client, dossier).status_code == 404
    assert not Attachment.objects.filter(dossier=dossier).exists()


# --- Withdrawal ----------------------------------------------------------------------------------------


def withdraw(client, dossier, *, reason="Tôi nộp nhầm thủ tục.", confirm=True, version=None):
    data = {"lock_version": dossier.lock_version if version is None else version, "reason": reason}
    if confirm:
        data["confirm"] = "on"
    return client.post(url("withdraw", dossier), data)


@pytest.mark.parametrize(
    "state", ["submitted", "received", "in_progress", "supplement_requested", "awaiting_payment"]
)
def test_an_undecided_dossier_can_be_withdrawn(signed_in, citizen_an, receptionist_chi, state):
    dossier = make_dossier(citizen_an, **{state: True})
    response = withdraw(signed_in, dossier)
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == State.WITHDRAWN
    assert dossier.withdrawn_at is not None
    event = dossier.events.get(action="withdraw")
    assert (event.from_state, event.note, event.actor_id) == (state, "Tôi nộp nhầm thủ tục.", citizen_an.pk)
    assert Outbox.objects.filter(event="dossier_withdrawn", recipient=citizen_an).exists()
    assert (
        Outbox.objects.filter(event="dossier_withdrawn").exclude(recipient=citizen_an).exists()
    )  # the agency
    assert "Đã rút hồ sơ" in signed_in.get(url("dossier_detail", dossier)).content.decode()


@pytest.mark.parametrize("state", ["result_ready", "returned", "awaiting_approval", "refused"])
def test_a_decided_dossier_cannot_be_withdrawn_and_the_answer_says_why(signed_in, citizen_an, state):
    dossier = make_dossier(citizen_an, **{state: True})
    page = signed_in.get(url("dossier_detail", dossier)).content.decode()
    assert url("withdraw", dossier) not in page  # no form offered
    response = withdraw(signed_in, dossier)
    assert response.status_code == 409
    assert "Không thể rút hồ sơ này nữa" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == state
    assert not dossier.events.filter(action="withdraw").exists()


def test_withdrawing_needs_a_reason_and_the_confirmation(signed_in, citizen_an):
    dossier = make_dossier(citizen_an, received=True)
    response = withdraw(signed_in, dossier, reason="", confirm=False)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Hãy cho biết lý do rút hồ sơ." in html
    assert "Hãy đánh dấu xác nhận để rút hồ sơ." in html
    dossier.refresh_from_db()
    assert dossier.state == State.RECEIVED


def test_a_withdrawal_from_a_stale_page_is_refused_clearly_and_keeps_the_reason(signed_in, citizen_an):
    dossier = make_dossier(citizen_an, received=True)
    shown = dossier.lock_version
    Dossier.objects.filter(pk=dossier.pk).update(
        state=State.IN_PROGRESS, lock_version=shown + 1
    )  # agency acts
    response = withdraw(signed_in, dossier, reason="Đã nộp ở nơi khác.", version=shown)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Hồ sơ vừa được cập nhật ở nơi khác" in html
    assert "Đã nộp ở nơi khác." in html  # what was typed is kept
    assert f'name="lock_version" value="{shown + 1}"' in html  # the form now carries the current version
    dossier.refresh_from_db()
    assert dossier.state == State.IN_PROGRESS


def test_a_post_without_its_version_is_treated_as_stale_not_as_an_error(signed_in, citizen_an):
    dossier = make_dossier(citizen_an, received=True)
    response = signed_in.post(url("withdraw", dossier), {"reason": "x", "confirm": "on"})
    assert response.status_code == 409
    dossier.refresh_from_db()
    assert dossier.state == State.RECEIVED


def test_another_citizen_cannot_withdraw_the_dossier(client, citizen_an, citizen_binh):
    dossier = make_dossier(citizen_an, received=True)
    client.force_login(citizen_binh)
    assert withdraw(client, dossier).status_code == 404
    dossier.refresh_from_db()
    assert dossier.state == State.RECEIVED
