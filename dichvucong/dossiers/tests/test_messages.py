"""Messages from the applicant to the agency on a dossier, with files under the upload rules."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dichvucong.documents.models import StoredFile
from dichvucong.documents.tests.corpus import SVG, pdf_bytes, png_bytes
from dichvucong.dossiers.models import Attachment, Message
from dichvucong.dossiers.services.messages import MessageError, message_post
from dichvucong.dossiers.tests.factories import make_dossier
from dichvucong.notifications.models import Outbox

pytestmark = pytest.mark.django_db


def post_message(client, dossier, body, *files, version=None):
    return client.post(
        reverse("dossiers:message_create", kwargs={"code": dossier.code}),
        {
            "lock_version": dossier.lock_version if version is None else version,
            "body": body,
            "files": list(files),
        },
    )


@pytest.fixture
def dossier(citizen_an, receptionist_chi):
    return make_dossier(citizen_an, received=True)


def test_a_message_creates_its_row_an_event_and_the_agencys_notices(
    client, citizen_an, receptionist_chi, dossier
):
    client.force_login(citizen_an)
    response = post_message(
        client, dossier, "Tôi bổ sung ảnh giấy chứng sinh rõ hơn.", SimpleUploadedFile("anh.png", png_bytes())
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#tin-nhan")
    message = Message.objects.get(dossier=dossier)
    assert (message.author, message.from_agency, message.body) == (
        citizen_an,
        False,
        "Tôi bổ sung ảnh giấy chứng sinh rõ hơn.",
    )
    attachment = Attachment.objects.get(message=message)
    assert (attachment.dossier, attachment.stored_file.content_type) == (dossier, "image/png")
    event = dossier.events.get(action="message")
    assert (event.actor, event.detail["message"]) == (citizen_an, message.pk)
    notices = Outbox.objects.filter(
        event="message_received", recipient=receptionist_chi, subject_id=dossier.code
    )
    assert notices.exists()
    assert all("Tôi bổ sung" not in str(n.context) for n in notices)  # the text stays on the portal


def test_the_conversation_is_shown_on_the_dossier_page_with_downloadable_files(client, citizen_an, dossier):
    message_post(
        dossier_id=dossier.pk,
        user=citizen_an,
        body="Xin hỏi khi nào có kết quả?",
        files=[SimpleUploadedFile("don.pdf", pdf_bytes())],
    )
    client.force_login(citizen_an)
    html = client.get(reverse("dossiers:dossier_detail", kwargs={"code": dossier.code})).content.decode()
    assert "Xin hỏi khi nào có kết quả?" in html
    attachment = Attachment.objects.get(message__dossier=dossier)
    download = reverse(
        "dossiers:attachment_download", kwargs={"code": dossier.code, "attachment_id": attachment.pk}
    )
    assert download in html
    assert client.get(download).status_code == 200


def test_an_empty_message_is_refused_with_a_message(client, citizen_an, dossier):
    client.force_login(citizen_an)
    response = post_message(client, dossier, "   ")
    assert response.status_code == 400
    assert "Hãy nhập nội dung tin nhắn." in response.content.decode()
    assert not Message.objects.exists()
    with pytest.raises(MessageError):
        message_post(dossier_id=dossier.pk, user=citizen_an, body="", files=[])


def test_a_refused_file_refuses_the_message_and_keeps_the_text(client, citizen_an, dossier):
    client.force_login(citizen_an)
    response = post_message(client, dossier, "Gửi kèm bản vẽ.", SimpleUploadedFile("ban-ve.png", SVG))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Gửi kèm bản vẽ." in html
    assert "ban-ve.png" in html  # the reason names the file
    assert not Message.objects.exists()
    assert not StoredFile.objects.exists()
    assert not Outbox.objects.filter(event="message_received").exists()


def test_files_count_towards_the_dossiers_total(settings, citizen_an, dossier):
    settings.UPLOAD_MAX_DOSSIER_MB = 0
    with pytest.raises(MessageError) as refused:
        message_post(
            dossier_id=dossier.pk,
            user=citizen_an,
            body="Kèm tệp",
            files=[SimpleUploadedFile("a.pdf", pdf_bytes())],
        )
    assert "tổng dung lượng" in refused.value.messages[0]
    assert not Message.objects.exists()


def test_a_message_from_a_stale_page_is_refused_clearly_and_the_text_kept(client, citizen_an, dossier):
    client.force_login(citizen_an)
    response = post_message(client, dossier, "Câu hỏi của tôi", version=dossier.lock_version - 1)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Hồ sơ vừa được cập nhật ở nơi khác" in html
    assert "Câu hỏi của tôi" in html
    assert not Message.objects.exists()


def test_only_the_applicant_can_write_on_the_dossier(client, citizen_binh, dossier):
    client.force_login(citizen_binh)
    assert post_message(client, dossier, "Xin chào").status_code == 404
    with pytest.raises(PermissionDenied):
        message_post(dossier_id=dossier.pk, user=citizen_binh, body="Xin chào", files=[])
    assert not Message.objects.exists()
