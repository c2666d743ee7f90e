"""The document wallet page: a citizen sees and downloads only their own files."""

import pytest
from django.urls import reverse

from dichvucong.documents.models import StoredFile
from dichvucong.documents.services import stored_file_add_to_wallet, stored_file_create

from .corpus import pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def an_files(citizen_an):
    kept = stored_file_create(owner=citizen_an, uploaded_file=upload("Giấy khai sinh.pdf", pdf_bytes()))
    draft_only = stored_file_create(owner=citizen_an, uploaded_file=upload("nháp.png", png_bytes()))
    stored_file_add_to_wallet([kept])
    return kept, draft_only


def signed_in(client, user):
    client.force_login(user)
    return client


def test_the_wallet_lists_the_citizens_wallet_files_only(client, citizen_an, citizen_binh, an_files):
    binh_file = stored_file_create(owner=citizen_binh, uploaded_file=upload("Bình.pdf", pdf_bytes()))
    stored_file_add_to_wallet([binh_file])
    response = signed_in(client, citizen_an).get(reverse("documents:wallet"))
    assert response.status_code == 200
    assert [f.original_name for f in response.context["page"].object_list] == ["Giấy khai sinh.pdf"]
    html = response.content.decode()
    assert "Giấy khai sinh.pdf" in html and "nháp.png" not in html and "Bình.pdf" not in html
    assert reverse("documents:wallet_file", args=[an_files[0].public_id]) in html


def test_the_owner_downloads_a_wallet_file(client, citizen_an, an_files):
    response = signed_in(client, citizen_an).get(
        reverse("documents:wallet_file", args=[an_files[0].public_id])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_someone_else_gets_404_for_a_wallet_file(client, citizen_binh, an_files):
    response = signed_in(client, citizen_binh).get(
        reverse("documents:wallet_file", args=[an_files[0].public_id])
    )
    assert response.status_code == 404


def test_a_file_outside_the_wallet_is_not_served_here(client, citizen_an, an_files):
    response = signed_in(client, citizen_an).get(
        reverse("documents:wallet_file", args=[an_files[1].public_id])
    )
    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, an_files):
    for url in (reverse("documents:wallet"), reverse("documents:wallet_file", args=[an_files[0].public_id])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_the_owner_removes_a_file_from_the_wallet(client, citizen_an, an_files):
    kept = an_files[0]
    response = signed_in(client, citizen_an).post(
        reverse("documents:wallet_file_remove", args=[kept.public_id])
    )
    assert response.status_code == 302
    kept.refresh_from_db()
    assert kept.in_wallet is False
    assert StoredFile.objects.filter(pk=kept.pk).exists()  # the sweep deletes it if nothing uses it


def test_someone_else_cannot_remove_a_wallet_file(client, citizen_binh, an_files):
    kept = an_files[0]
    response = signed_in(client, citizen_binh).post(
        reverse("documents:wallet_file_remove", args=[kept.public_id])
    )
    assert response.status_code == 404
    kept.refresh_from_db()
    assert kept.in_wallet is True
