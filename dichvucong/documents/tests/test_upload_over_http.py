"""A real multipart POST through Django's upload handlers, in memory and on disk."""

import hashlib

import pytest

from dichvucong.documents.models import StoredFile

from .corpus import SVG, files_on_disk, png_bytes, upload

pytestmark = [pytest.mark.django_db, pytest.mark.urls("dichvucong.documents.tests.upload_page")]


@pytest.mark.parametrize("memory_limit", [10 * 1024 * 1024, 1000], ids=["in-memory", "temporary-file"])
def test_a_posted_file_is_stored_whole_whichever_handler_received_it(
    client, settings, private_media, memory_limit
):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = memory_limit
    content = png_bytes((200, 200), noise=True)
    response = client.post("/thu-tai-len/", {"files": [upload("Trang 1.png", content, "image/png")]})
    assert response.status_code == 302
    stored = StoredFile.objects.get()
    assert (private_media / stored.storage_name).read_bytes() == content
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert files_on_disk(private_media) == [stored.storage_name]


def test_a_refused_post_answers_400_with_the_reason_and_stores_nothing(client, private_media):
    response = client.post("/thu-tai-len/", {"files": [upload("logo.png", SVG, "image/png")]})
    assert response.status_code == 400
    assert "có đuôi .png nhưng nội dung không phải PNG" in response.content.decode()
    assert StoredFile.objects.count() == 0
    assert files_on_disk(private_media) == []
