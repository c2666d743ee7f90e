"""Hồ sơ của tôi (/ho-so/) and one dossier's page (/ho-so/<code>/): only the applicant sees them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dichvucong.documents.services import stored_file_create
from dichvucong.documents.tests.corpus import pdf_bytes
from dichvucong.dossiers.models import Attachment, Dossier
from dichvucong.dossiers.selectors import dossier_get_for_applicant, dossier_list_for_applicant
from dichvucong.dossiers.tests.factories import make_dossier
from dichvucong.dossiers.workflow import STATE_EXPLANATION, State

pytestmark = pytest.mark.django_db

LIST = reverse("dossiers:my_dossiers")


def detail_url(dossier):
    return reverse("dossiers:dossier_detail", kwargs={"code": dossier.code})


def codes_in(response) -> set[str]:
    return {d.code for d in response.context["page"].object_list}


def test_the_list_shows_only_the_citizens_own_dossiers(client, citizen_an, citizen_binh):
    own = make_dossier(citizen_an, received=True)
    other = make_dossier(citizen_binh, received=True)
    client.force_login(citizen_an)
    response = client.get(LIST)
    assert response.status_code == 200
    assert codes_in(response) == {own.code}
    assert other.code not in response.content.decode()


def test_the_list_asks_a_signed_out_visitor_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert reverse("accounts:sign_in") in response["Location"]


def test_drafts_are_listed_apart_with_a_link_to_continue(client, citizen_an):
    draft = make_dossier(citizen_an, draft=True)
    make_dossier(citizen_an, submitted=True)
    client.force_login(citizen_an)
    response = client.get(LIST)
    assert [d.pk for d in response.context["drafts"]] == [draft.pk]
    assert draft.pk not in {d.pk for d in response.context["page"].object_list}
    assert (
        reverse("dossiers:draft_resume", kwargs={"public_id": draft.public_id}) in response.content.decode()
    )
    assert "Tiếp tục soạn" in response.content.decode()


@pytest.mark.parametrize(
    ("tab", "expected"),
    [
        ("dang-soan", {"draft"}),
        ("dang-giai-quyet", {"received", "supplement_requested"}),
        ("can-bo-sung", {"supplement_requested"}),
        ("da-ket-thuc", {"returned", "withdrawn"}),
    ],
)
def test_the_state_tabs_filter_the_list(client, citizen_an, tab, expected):
    for trait in ("draft", "received", "supplement_requested", "returned", "withdrawn"):
        make_dossier(citizen_an, **{trait: True})
    client.force_login(citizen_an)
    response = client.get(LIST, {"trang-thai": tab})
    assert {d.state for d in response.context["page"].object_list} == expected


def test_search_finds_a_dossier_by_part_of_its_code_or_by_the_procedure_name_without_diacritics(
    client, citizen_an
):
    dossier = make_dossier(citizen_an, received=True)
    client.force_login(citizen_an)
    assert codes_in(client.get(LIST, {"q": dossier.code[-9:]})) == {dossier.code}
    assert codes_in(client.get(LIST, {"q": "dang ky khai sinh"})) == {dossier.code}
    response = client.get(LIST, {"q": "chung thuc ban sao"})
    assert codes_in(response) == set()
    assert "Không có hồ sơ nào khớp" in response.content.decode()


def test_the_selector_lists_newest_changes_first(citizen_an):
    older = make_dossier(citizen_an, received=True)
    newer = make_dossier(citizen_an, received=True)
    Dossier.objects.filter(pk=older.pk).update(state=State.IN_PROGRESS)  # update() keeps updated_at
    assert list(dossier_list_for_applicant(citizen_an)) == [newer, older]
    older.save()  # a change moves it to the top
    assert list(dossier_list_for_applicant(citizen_an))[0] == older


def test_the_dossier_page_shows_the_status_in_plain_vietnamese_and_the_timeline(client, citizen_an):
    dossier = make_dossier(citizen_an, received=True)
    client.force_login(citizen_an)
    response = client.get(detail_url(dossier))
    html = response.content.decode()
    assert response.status_code == 200
    assert str(STATE_EXPLANATION[State.RECEIVED]) in html
    assert "Nộp hồ sơ" in html and "Tiếp nhận hồ sơ" in html  # timeline labels from the state table
    assert f"<strong>{timezone.localtime(dossier.due_date):%d/%m/%Y}</strong>" in html  # appointment
    assert "Rút hồ sơ" in html  # available now


def test_the_dossier_page_is_a_404_for_another_citizen_and_for_an_unknown_code(
    client, citizen_an, citizen_binh
):
    dossier = make_dossier(citizen_an, received=True)
    client.force_login(citizen_binh)
    assert client.get(detail_url(dossier)).status_code == 404
    assert client.get(reverse("dossiers:dossier_detail", kwargs={"code": "KHONG-CO-0001"})).status_code == 404
    assert dossier_get_for_applicant(citizen_binh, dossier.code) is None


def test_a_draft_has_no_dossier_page(citizen_an):
    draft = make_dossier(citizen_an, draft=True)
    assert draft.code is None
    assert dossier_get_for_applicant(citizen_an, "") is None


def test_a_file_of_the_dossier_downloads_for_its_applicant_only(client, citizen_an, citizen_binh):
    dossier = make_dossier(citizen_an, received=True)
    stored = stored_file_create(
        owner=citizen_an, uploaded_file=SimpleUploadedFile("giay-chung-sinh.pdf", pdf_bytes())
    )
    attachment = Attachment.objects.create(dossier=dossier, stored_file=stored, added_by=citizen_an)
    url = reverse(
        "dossiers:attachment_download", kwargs={"code": dossier.code, "attachment_id": attachment.pk}
    )

    client.force_login(citizen_an)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "giay-chung-sinh.pdf" in response["Content-Disposition"]

    client.force_login(citizen_binh)
    assert client.get(url).status_code == 404
    other = make_dossier(citizen_binh, received=True)
    client.force_login(citizen_binh)
    cross = reverse(
        "dossiers:attachment_download", kwargs={"code": other.code, "attachment_id": attachment.pk}
    )
    assert client.get(cross).status_code == 404  # someone else's file through one's own dossier
