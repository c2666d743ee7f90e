"""Returning the result through the web: online (the signed result reaches the citizen's dossier page and
document wallet), by post (tracking number), at the desk (who received it)."""

# ruff: noqa: F811 (pytest fixtures imported from .web are parameters of the tests)

import pytest
from django.urls import reverse

from dichvucong.documents.models import FileKind, SignedDocument
from dichvucong.documents.selectors import wallet_list_for
from dichvucong.dossiers.models import Delivery, Dossier
from dichvucong.dossiers.workflow import Outcome, State
from dichvucong.notifications.models import Outbox
from dichvucong.processing.models import ResultDelivery

from .helpers import dossier_in
from .web import action_url, desk, messages_of, pki_template, signing_dir  # noqa: F401

pytestmark = pytest.mark.django_db


def test_an_online_return_puts_the_signed_result_in_the_dossier_page_and_the_wallet(
    people, desk, signing_dir, client
):
    dossier = dossier_in(people, State.AWAITING_APPROVAL)
    Dossier.objects.filter(pk=dossier.pk).update(delivery=Delivery.ONLINE)
    desk.as_(people.approver_dung).post(dossier, "ky-duyet", {"outcome": Outcome.GRANTED})
    response = desk.as_(people.receptionist_binh).post(dossier, "tra-ket-qua", {"method": "online"})
    assert response.status_code == 302 and any("kho dữ liệu" in m for m in messages_of(response))
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.state == State.RETURNED and dossier.returned_at
    assert ResultDelivery.objects.get(dossier=dossier).method == "online"
    stored = dossier.attachments.get(stored_file__kind=FileKind.RESULT).stored_file
    document = SignedDocument.objects.get(stored_file=stored)
    assert stored in wallet_list_for(people.citizen_an)
    assert Outbox.objects.filter(event="rating_invited", recipient=people.citizen_an).exists()

    desk.client.logout()
    desk.client.force_login(people.citizen_an)
    page = desk.client.get(reverse("dossiers:dossier_detail", args=[dossier.code])).content.decode()
    assert stored.original_name in page
    assert reverse("documents:verify", args=[document.token]) in page
    assert reverse("dossiers:rate", args=[dossier.code]) in page
    wallet = desk.client.get(reverse("documents:wallet")).content.decode()
    assert stored.original_name in wallet


def test_an_online_return_without_a_result_file_is_refused_with_the_form_kept(people, desk):
    dossier = dossier_in(people, State.RESULT_READY)
    response = desk.as_(people.receptionist_binh).post(dossier, "tra-ket-qua", {"method": "online"})
    assert response.status_code == 400
    assert "Chưa có tệp kết quả điện tử" in response.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).state == State.RESULT_READY


def test_a_postal_return_needs_the_tracking_number_and_records_it(people, desk):
    dossier = dossier_in(people, State.RESULT_READY)
    desk.as_(people.receptionist_binh)
    missing = desk.post(dossier, "tra-ket-qua", {"method": "post"})
    assert missing.status_code == 400 and "Hãy nhập mã bưu gửi." in missing.content.decode()
    response = desk.post(dossier, "tra-ket-qua", {"method": "post", "tracking_number": "EB123456789VN"})
    assert response.status_code == 302 and any("EB123456789VN" in m for m in messages_of(response))
    delivery = ResultDelivery.objects.get(dossier=dossier)
    assert delivery.tracking_number == "EB123456789VN" and delivery.sent_at
    assert Dossier.objects.get(pk=dossier.pk).state == State.RETURNED


def test_a_desk_return_records_who_received_the_result(people, desk):
    dossier = dossier_in(people, State.RESULT_READY)
    desk.as_(people.receptionist_binh)
    missing = desk.post(dossier, "tra-ket-qua", {"method": "desk"})
    assert missing.status_code == 400 and "Hãy ghi tên người nhận kết quả." in missing.content.decode()
    data = {"method": "desk", "handed_to": "Nguyễn Văn An", "originals_collected": "on"}
    assert desk.post(dossier, "tra-ket-qua", data).status_code == 302
    delivery = ResultDelivery.objects.get(dossier=dossier)
    assert delivery.handed_to == "Nguyễn Văn An" and delivery.handed_over_at
    assert Dossier.objects.get(pk=dossier.pk).state == State.RETURNED


def test_only_the_reception_desk_returns_results(people, desk):
    dossier = dossier_in(people, State.RESULT_READY)
    desk.as_(people.specialist_chi)
    assert (
        action_url(dossier, "tra-ket-qua")
        not in desk.get(reverse("processing:dossier", args=[dossier.code])).content.decode()
    )
    response = desk.post(dossier, "tra-ket-qua", {"method": "post", "tracking_number": "EB1VN"})
    assert response.status_code == 302 and "Vai trò của bạn" in messages_of(response)[0]
    assert Dossier.objects.get(pk=dossier.pk).state == State.RESULT_READY
