"""The dossier page of the desk (/mot-cua/ho-so/<code>/): everything an official needs, the actions
partial, files downloaded through the agency scope; other agencies, citizens and agency administrators
see nothing of it."""

import datetime as dt

import pytest
from django.urls import reverse

from dichvucong.accounts.models import StaffRole
from dichvucong.accounts.tests.officials import make_official, sign_in_verified
from dichvucong.documents.tests.corpus import pdf_bytes, upload
from dichvucong.dossiers.services.messages import message_post
from dichvucong.dossiers.tests.drafts import BIRTH_FORM
from dichvucong.dossiers.tests.factories import default_offering
from dichvucong.dossiers.workflow import State
from dichvucong.processing.services.deadlines import dossier_extend
from dichvucong.processing.services.reception import WalkInApplicant, WalkInFile, walk_in_dossier_create
from dichvucong.processing.services.steps import dossier_forward, internal_note_add

from .helpers import dossier_in

pytestmark = pytest.mark.django_db


def page_url(dossier) -> str:
    return reverse("processing:dossier", args=[dossier.code])


@pytest.fixture
def walked_in(people):
    """A dossier handed in at the desk with the e-form and a scan, forwarded to the specialist, with a
    note, a message from the citizen and an extension."""
    offering = default_offering()
    certificate = offering.procedure.current_version.documents.get(name__startswith="Giấy chứng sinh")
    dossier = walk_in_dossier_create(
        official=people.receptionist_binh,
        agency=people.reception,
        offering=offering,
        applicant=WalkInApplicant(personal_id=people.citizen_an.personal_id),
        form_data=BIRTH_FORM,
        files=[WalkInFile(upload("giay-chung-sinh.pdf", pdf_bytes()), certificate.pk)],
    )
    dossier_forward(
        dossier_id=dossier.pk,
        official=people.receptionist_binh,
        agency=people.reception,
        assignee=people.specialist_chi,
    )
    internal_note_add(
        dossier_id=dossier.pk,
        official=people.specialist_chi,
        agency=people.competent,
        body="Gọi lại cho bà mẹ.",
    )
    message_post(dossier_id=dossier.pk, user=people.citizen_an, body="Khi nào có kết quả ạ?", files=[])
    dossier.refresh_from_db()
    dossier_extend(
        dossier_id=dossier.pk,
        official=people.specialist_chi,
        agency=people.competent,
        approver=people.approver_dung,
        reason="Cần xác minh nơi cư trú.",
        new_due=dossier.due_date + dt.timedelta(days=3),
    )
    dossier.refresh_from_db()
    return dossier


def test_the_page_shows_what_an_official_needs(client, people, walked_in):
    sign_in_verified(client, people.specialist_chi)
    response = client.get(page_url(walked_in))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Nguyễn Văn An",  # applicant
        people.citizen_an.personal_id,
        "Trực tiếp",  # channel
        "Nhận tại bộ phận một cửa",  # delivery
        "Nguyễn Minh Khôi",  # e-form answer
        "Bệnh viện Phụ sản Hải Phòng",
        "giay-chung-sinh.pdf",
        "số hóa tại quầy",
        "Chuyên viên thẩm định",  # form 6 step
        "Gọi lại cho bà mẹ.",  # internal note
        "Khi nào có kết quả ạ?",  # message
        "Cần xác minh nơi cư trú.",  # extension
        "Tiếp nhận hồ sơ",  # timeline
        "Quá hạn",  # an extended dossier counts as late
    ):
        assert text in page, text
    attachment = walked_in.attachments.get()
    assert reverse("processing:attachment_download", args=[walked_in.code, attachment.pk]) in page
    context = response.context
    assert context["dossier"] == walked_in and context["agency"] == people.competent
    assert context["roles"] == {StaffRole.SPECIALIST} and context["lock_version"] == walked_in.lock_version
    assert context["step"].name == "Chuyên viên thẩm định" and context["step"].is_current


def test_the_paused_clock_is_shown_while_the_citizen_is_asked_for_more(client, people):
    dossier = dossier_in(people, State.SUPPLEMENT_REQUESTED)
    sign_in_verified(client, people.specialist_chi)
    page = client.get(page_url(dossier)).content.decode()
    assert "Thời hạn tạm dừng từ" in page and "Giấy xác nhận nơi cư trú của người mẹ" in page


def test_an_official_downloads_a_file_of_their_agency(client, people, walked_in):
    attachment = walked_in.attachments.get()
    url = reverse("processing:attachment_download", args=[walked_in.code, attachment.pk])
    sign_in_verified(client, people.receptionist_binh)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF") and len(content) == attachment.stored_file.size
    assert (
        response["Cache-Control"] == "private, no-store" and "attachment;" in response["Content-Disposition"]
    )


def test_another_agency_gets_a_clear_404_and_nothing_of_the_dossier(client, people, walked_in):
    attachment = walked_in.attachments.get()
    sign_in_verified(client, people.official_giang)
    response = client.get(page_url(walked_in))
    assert response.status_code == 404
    page = response.content.decode()
    assert "thuộc cơ quan khác" in page and people.citizen_an.full_name not in page
    download = client.get(reverse("processing:attachment_download", args=[walked_in.code, attachment.pk]))
    assert download.status_code == 404 and not hasattr(download, "streaming_content")
    assert client.get(reverse("processing:dossier", args=["KHONG-CO-0001"])).status_code == 404


def test_a_file_of_another_dossier_is_not_served_under_this_code(client, people, walked_in):
    other = dossier_in(people, State.RECEIVED)
    attachment = walked_in.attachments.get()
    sign_in_verified(client, people.receptionist_binh)
    response = client.get(reverse("processing:attachment_download", args=[other.code, attachment.pk]))
    assert response.status_code == 404


def test_citizens_and_agency_administrators_are_kept_out(client, people, walked_in):
    client.force_login(people.citizen_an)
    assert client.get(page_url(walked_in)).status_code == 403
    admin = make_official(
        "hoa.le", full_name="Lê Văn Hòa", agency=people.reception, roles=[StaffRole.AGENCY_ADMIN]
    )
    sign_in_verified(client, admin)
    assert client.get(page_url(walked_in)).status_code == 403
    client.logout()
    assert client.get(page_url(walked_in))["Location"].startswith(reverse("accounts:sign_in"))


def test_a_draft_is_not_a_dossier_of_the_desk(client, people):
    from dichvucong.dossiers.tests.factories import make_dossier

    draft = make_dossier(people.citizen_an, draft=True)
    sign_in_verified(client, people.receptionist_binh)
    assert draft.code is None
    assert client.get(reverse("processing:inbox"), {"q": "Nguyễn Văn An"}).context["rows"] == []


@pytest.mark.parametrize("state", [s for s in State.values if s != State.DRAFT])
def test_the_page_is_drawn_in_every_state(client, people, state):
    dossier = dossier_in(people, state)
    for official in (people.receptionist_binh, people.specialist_chi):
        sign_in_verified(client, official)
        response = client.get(page_url(dossier))
        assert response.status_code == 200, (state, official)
        assert dossier.get_state_display() in response.content.decode()
