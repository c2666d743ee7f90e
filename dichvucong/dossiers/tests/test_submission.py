import io
import re
import threading

import pytest
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from dichvucong.accounts.models import StaffMembership, StaffRole
from dichvucong.accounts.tests.factories import PASSWORD, make_citizen
from dichvucong.catalog.services import procedure_version_create_draft, procedure_version_publish
from dichvucong.directory.models import Agency
from dichvucong.documents.models import StoredFile
from dichvucong.documents.tests.corpus import pdf_bytes, upload
from dichvucong.dossiers.models import Dossier, DossierEvent
from dichvucong.dossiers.services.submission import IncompleteDossier, dossier_submit
from dichvucong.dossiers.workflow import State
from dichvucong.notifications.models import Outbox

from .drafts import BIRTH_FORM, birth_offering, complete_birth_draft

pytestmark = pytest.mark.django_db
CODE_PATTERN = r"10993\.01\.H31-\d{6}-\d{4}"


@pytest.fixture
def citizen_an():
    return make_citizen(
        full_name="Nguyễn Văn An", personal_id="031090123456", phone="+84912345678", email="an@example.vn"
    )


@pytest.fixture
def an_client(citizen_an):
    client = Client()
    client.post("/tai-khoan/dang-nhap/", {"username": citizen_an.username, "password": PASSWORD})
    return client


def test_starting_needs_a_signed_in_citizen(client):
    response = client.get(f"/thu-tuc/1.001193/nop/?noi-nop={birth_offering().pk}")
    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/dang-nhap/")


def test_starting_creates_one_prefilled_draft_even_on_a_double_click(an_client, citizen_an):
    offering = birth_offering()
    page = an_client.get(f"/thu-tuc/1.001193/nop/?noi-nop={offering.pk}").content.decode()
    assert "Trung tâm Phục vụ hành chính công xã Thượng Hồng" in page and "Toàn trình" in page
    first = an_client.post("/thu-tuc/1.001193/nop/", {"noi-nop": offering.pk})
    second = an_client.post("/thu-tuc/1.001193/nop/", {"noi-nop": offering.pk})
    assert first["Location"] == second["Location"]
    draft = Dossier.objects.get(applicant=citizen_an)
    assert draft.state == State.DRAFT and draft.code is None
    assert draft.version_id == offering.procedure.current_version_id
    assert draft.form_data["requester_full_name"] == "Nguyễn Văn An"
    assert draft.form_data["requester_id_number"] == "031090123456"
    assert draft.form_data["requester_address"]["commune"] == "10993"


def test_without_a_place_the_citizen_is_sent_to_choose_one(an_client):
    response = an_client.get("/thu-tuc/1.001193/nop/")
    assert response["Location"] == "/thu-tuc/1.001193/co-quan/"


def test_a_form_with_errors_is_saved_and_explained_next_to_each_field(an_client, citizen_an):
    an_client.post("/thu-tuc/1.001193/nop/", {"noi-nop": birth_offering().pk})
    draft = Dossier.objects.get(applicant=citizen_an)
    response = an_client.post(
        f"/ho-so/nhap/{draft.public_id}/to-khai/",
        {"child_full_name": "Nguyễn Minh Khôi", "child_birth_date": "2999-01-01"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ngày không được ở tương lai." in page and "Vui lòng chọn: Giới tính." in page
    assert 'value="Nguyễn Minh Khôi"' in page
    draft.refresh_from_db()
    assert draft.form_data["child_full_name"] == "Nguyễn Minh Khôi"  # the draft kept it


def test_the_htmx_check_saves_the_draft_and_answers_for_one_field(an_client, citizen_an):
    an_client.post("/thu-tuc/1.001193/nop/", {"noi-nop": birth_offering().pk})
    draft = Dossier.objects.get(applicant=citizen_an)
    url = f"/ho-so/nhap/{draft.public_id}/to-khai/kiem-tra/"
    answer = an_client.post(
        url,
        {**_flat(BIRTH_FORM), "requester_phone": "123", "_field": "requester_phone"},
        HTTP_HX_REQUEST="true",
    )
    assert "Số điện thoại không hợp lệ" in answer.content.decode()
    fine = an_client.post(url, {**_flat(BIRTH_FORM), "_field": "child_full_name"}, HTTP_HX_REQUEST="true")
    assert fine.content.decode().strip() == ""
    draft.refresh_from_db()
    assert draft.form_data["child_full_name"] == "Nguyễn Minh Khôi"


def _flat(raw: dict) -> dict:
    post = {}
    for key, value in raw.items():
        if isinstance(value, dict):
            post.update({f"{key}__{part}": v for part, v in value.items()})
        else:
            post[key] = value
    return post


def test_a_valid_form_moves_on_to_the_documents(an_client, citizen_an):
    an_client.post("/thu-tuc/1.001193/nop/", {"noi-nop": birth_offering().pk})
    draft = Dossier.objects.get(applicant=citizen_an)
    response = an_client.post(f"/ho-so/nhap/{draft.public_id}/to-khai/", _flat(BIRTH_FORM))
    assert response["Location"] == f"/ho-so/nhap/{draft.public_id}/giay-to/"


def test_an_html_file_renamed_pdf_is_refused_with_the_reason_and_nothing_is_attached(an_client, citizen_an):
    an_client.post("/thu-tuc/1.001193/nop/", {"noi-nop": birth_offering().pk})
    draft = Dossier.objects.get(applicant=citizen_an)
    certificate = draft.version.documents.get(name__startswith="Giấy chứng sinh")
    response = an_client.post(
        f"/ho-so/nhap/{draft.public_id}/giay-to/",
        {
            "action": "upload",
            "document": certificate.pk,
            "files": upload("giay-chung-sinh.pdf", b"<html><body>not a pdf</body></html>"),
        },
    )
    assert response.status_code == 400
    assert "nội dung không phải PDF" in response.content.decode()
    assert not draft.attachments.exists()
    ok = an_client.post(
        f"/ho-so/nhap/{draft.public_id}/giay-to/",
        {"action": "upload", "document": certificate.pk, "files": upload("gcs.pdf", pdf_bytes())},
    )
    assert ok.status_code == 302 and draft.attachments.count() == 1


def test_delivery_offers_only_what_the_agency_allows(an_client, citizen_an):
    an_client.post("/thu-tuc/1.001193/nop/", {"noi-nop": birth_offering().pk})
    draft = Dossier.objects.get(applicant=citizen_an)
    page = an_client.get(f"/ho-so/nhap/{draft.public_id}/nhan-ket-qua/").content.decode()
    assert 'value="desk"' in page and 'value="post"' in page and 'value="online"' in page
    refused = an_client.post(f"/ho-so/nhap/{draft.public_id}/nhan-ket-qua/", {"delivery": "post"})
    assert refused.status_code == 400 and "Nhập người nhận và địa chỉ" in refused.content.decode()
    an_client.post(
        f"/ho-so/nhap/{draft.public_id}/nhan-ket-qua/",
        {"delivery": "post", "post_recipient": "Nguyễn Văn An", "post_street": "Thôn Đông"},
    )
    draft.refresh_from_db()
    assert draft.delivery == "post" and draft.delivery_address["recipient"] == "Nguyễn Văn An"


def test_submitting_gives_a_code_an_event_outbox_rows_and_wallet_files(an_client, citizen_an):
    draft = complete_birth_draft(citizen_an)
    receptionist = make_citizen(full_name="Lê Thị Tiếp", personal_id="031080111111")
    StaffMembership.objects.create(
        user=receptionist, agency=Agency.objects.get(code="10993.ttpvhcc"), role=StaffRole.RECEPTIONIST
    )
    response = an_client.post(f"/ho-so/nhap/{draft.public_id}/nop/", {"declaration": "on"})
    dossier = Dossier.objects.get(pk=draft.pk)
    assert response["Location"] == f"/ho-so/{dossier.code}/da-nop/"
    local_day = timezone.localdate(dossier.submitted_at).strftime("%y%m%d")
    assert re.fullmatch(CODE_PATTERN, dossier.code) and dossier.code == f"10993.01.H31-{local_day}-0001"
    assert dossier.state == State.SUBMITTED and dossier.declaration_accepted_at
    event = DossierEvent.objects.get(dossier=dossier)
    assert (event.action, event.from_state, event.to_state, event.actor_id) == (
        "submit",
        "draft",
        "submitted",
        citizen_an.pk,
    )
    applicant_rows = Outbox.objects.filter(recipient=citizen_an, event="dossier_submitted")
    assert set(applicant_rows.values_list("channel", flat=True)) == {"email", "sms", "inapp"}
    assert applicant_rows.first().context["code"] == dossier.code
    assert Outbox.objects.filter(recipient=receptionist, event="dossier_new").exists()
    assert StoredFile.objects.filter(attachments__dossier=dossier, in_wallet=True).count() == 1
    page = an_client.get(response["Location"]).content.decode()
    assert dossier.code in page and "Dự kiến có kết quả" in page


def test_submitting_twice_makes_one_dossier(an_client, citizen_an):
    draft = complete_birth_draft(citizen_an)
    first = an_client.post(f"/ho-so/nhap/{draft.public_id}/nop/", {"declaration": "on"})
    second = an_client.post(f"/ho-so/nhap/{draft.public_id}/nop/", {"declaration": "on"})
    assert first["Location"] == second["Location"]
    assert Dossier.objects.filter(applicant=citizen_an).count() == 1
    assert DossierEvent.objects.filter(action="submit").count() == 1
    assert Outbox.objects.filter(event="dossier_submitted").count() == 3


def test_an_incomplete_draft_is_not_submitted_and_says_what_is_missing(an_client, citizen_an):
    an_client.post("/thu-tuc/1.001193/nop/", {"noi-nop": birth_offering().pk})
    draft = Dossier.objects.get(applicant=citizen_an)
    response = an_client.post(f"/ho-so/nhap/{draft.public_id}/nop/", {"declaration": "on"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Còn thiếu 1 thành phần hồ sơ bắt buộc." in page and "Giấy chứng sinh" in page
    assert Dossier.objects.get(pk=draft.pk).state == State.DRAFT


def test_the_declaration_must_be_accepted(citizen_an):
    draft = complete_birth_draft(citizen_an)
    with pytest.raises(IncompleteDossier):
        dossier_submit(dossier_id=draft.pk, user=citizen_an, declaration_accepted=False)


def test_another_citizen_cannot_open_or_submit_someone_elses_draft(citizen_an):
    draft = complete_birth_draft(citizen_an)
    binh = make_citizen(full_name="Trần Thị Bình", personal_id="031185000123")
    other = Client()
    other.post("/tai-khoan/dang-nhap/", {"username": binh.username, "password": PASSWORD})
    for path in ("to-khai/", "giay-to/", "nhan-ket-qua/", "nop/"):
        assert other.get(f"/ho-so/nhap/{draft.public_id}/{path}").status_code == 404
    assert other.post(f"/ho-so/nhap/{draft.public_id}/nop/", {"declaration": "on"}).status_code == 404
    assert Dossier.objects.get(pk=draft.pk).state == State.DRAFT


def test_a_dossier_keeps_its_version_when_the_catalogue_changes(citizen_an):
    draft = complete_birth_draft(citizen_an)
    dossier, _submitted = dossier_submit(dossier_id=draft.pk, user=citizen_an, declaration_accepted=True)
    pinned = dossier.version_id
    procedure_version_publish(procedure_version_create_draft(dossier.version))
    dossier.refresh_from_db()
    assert dossier.version_id == pinned
    assert dossier.procedure.current_version_id != pinned


def test_the_filled_declaration_downloads_as_the_paper_form(an_client, citizen_an, pdf_rendering):
    draft = complete_birth_draft(citizen_an)
    dossier, _ = dossier_submit(dossier_id=draft.pk, user=citizen_an, declaration_accepted=True)
    response = an_client.get(f"/ho-so/{dossier.code}/to-khai.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "TỜ KHAI ĐĂNG KÝ KHAI SINH" in text
    assert "Nguyễn Minh Khôi" in text and "20/11/2026" in text and "Trần Thị Bình" in text


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_at_one_agency_get_distinct_consecutive_codes(reference_data):
    """GIVEN eight complete drafts for the same centre
    WHEN they are submitted at the same moment from eight threads (eight database connections)
    THEN every dossier gets its own code, numbered 0001 to 0008."""
    citizens = [make_citizen(full_name=f"Công dân {i}", personal_id=f"0310901{i:05d}") for i in range(8)]
    drafts = [complete_birth_draft(c) for c in citizens]
    barrier, errors = threading.Barrier(len(drafts)), []

    def submit(draft, user):
        try:
            barrier.wait()
            dossier_submit(dossier_id=draft.pk, user=user, declaration_accepted=True)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=submit, args=(d, c)) for d, c in zip(drafts, citizens, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    codes = sorted(Dossier.objects.filter(pk__in=[d.pk for d in drafts]).values_list("code", flat=True))
    assert [code[-4:] for code in codes] == [f"{n:04d}" for n in range(1, 9)]


@pytest.mark.django_db(transaction=True)
def test_two_tabs_submitting_the_same_draft_at_once_make_one_dossier(reference_data):
    citizen = make_citizen(personal_id="031090777777")
    draft = complete_birth_draft(citizen)
    barrier, results = threading.Barrier(2), []

    def submit():
        try:
            barrier.wait()
            results.append(dossier_submit(dossier_id=draft.pk, user=citizen, declaration_accepted=True))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(submitted for _dossier, submitted in results) == [False, True]
    assert len({dossier.code for dossier, _ in results}) == 1
    assert DossierEvent.objects.filter(dossier_id=draft.pk, action="submit").count() == 1
