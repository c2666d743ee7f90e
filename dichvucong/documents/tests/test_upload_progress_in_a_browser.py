"""js/upload.js in Chromium: progress while sending, the server's answer shown, no JavaScript needed."""

import re

import pytest

from dichvucong.documents.models import StoredFile

from .corpus import HTML, png_bytes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("dichvucong.documents.tests.upload_page"),
]


def png_file(name="Giấy khai sinh.png"):
    return {"name": name, "mimeType": "image/png", "buffer": png_bytes((400, 400), noise=True)}


def test_the_form_is_sent_in_the_background_with_a_progress_bar_then_follows_the_redirect(
    reference_data, live_server, page, private_media, assert_accessible
):
    """GIVEN the upload page on a phone
    WHEN a citizen chooses a photo and sends it, and the server is slow to answer
    THEN the progress bar shows and the button is disabled; then the page moves to the redirect target
    with its message, without a full page load."""
    held = []
    page.route(
        re.compile(r".*/thu-tai-len/$"),
        lambda route: held.append(route) if route.request.method == "POST" else route.continue_(),
    )
    page.goto(live_server.url + "/thu-tai-len/")
    status = page.locator("[data-upload-status]")
    assert status.is_hidden()
    assert_accessible(page, "upload field")
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("Giấy khai sinh").set_input_files(png_file())
    page.get_by_role("button", name="Tải lên").click()

    status.wait_for(state="visible")
    assert page.get_by_role("button", name="Tải lên").is_disabled()
    assert re.search(r"Đang tải lên|đang kiểm tra tệp", status.inner_text())
    for _ in range(50):  # the held request reaches the route handler while Playwright waits
        if held:
            break
        page.wait_for_timeout(100)
    assert len(held) == 1
    held[0].continue_()

    page.wait_for_url(re.compile(r"/thu-tai-len/xong/$"))
    page.get_by_text("Đã nhận 1 tệp.").wait_for()
    assert page.evaluate("window.stillTheSamePage") is True
    stored = StoredFile.objects.get()
    assert (stored.original_name, stored.content_type) == ("Giấy khai sinh.png", "image/png")


def test_a_refused_file_shows_why_next_to_the_field_and_nothing_is_stored(
    reference_data, live_server, page, private_media
):
    page.goto(live_server.url + "/thu-tai-len/")
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("Giấy khai sinh").set_input_files(
        {"name": "hoa-don.pdf", "mimeType": "application/pdf", "buffer": HTML}
    )
    page.get_by_role("button", name="Tải lên").click()
    error = page.locator(".field-error .error")
    error.wait_for()
    assert "có đuôi .pdf nhưng nội dung không phải PDF" in error.inner_text()
    assert page.evaluate("window.stillTheSamePage") is True
    assert page.evaluate("document.activeElement.id") == "files"
    assert StoredFile.objects.count() == 0


def test_without_javascript_the_form_submits_normally(reference_data, live_server, browser, private_media):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 760})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/thu-tai-len/")
        page.get_by_label("Giấy khai sinh").set_input_files(png_file("trang-1.png"))
        page.get_by_role("button", name="Tải lên").click()
        page.wait_for_url(re.compile(r"/thu-tai-len/xong/$"))
        assert "Đã nhận 1 tệp." in page.locator("main").inner_text()
    finally:
        context.close()
    assert StoredFile.objects.get().original_name == "trang-1.png"
