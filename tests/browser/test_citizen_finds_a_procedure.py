"""The citizen's first steps in a real browser (Chromium, phone-sized), checked with axe-core."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_searches_reads_downloads_the_form_and_chooses_the_agency(
    reference_data, live_server, page, assert_accessible, pdf_rendering
):
    """GIVEN the portal on a phone
    WHEN a citizen searches "dang ky khai sinh" without diacritics, opens the procedure, downloads the
    paper form and chooses Thành phố Hải Phòng → Xã Thượng Hồng
    THEN each step shows what they need, the form is a real PDF, and no page has a serious a11y issue."""
    page.goto(live_server.url + "/")
    assert_accessible(page, "home")

    page.get_by_role("searchbox", name="Tìm thủ tục hành chính").fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.wait_for_url(re.compile(r"/thu-tuc/\?q=dang"))
    first_result = page.locator("#results .result-item").first
    assert first_result.get_by_role("link").inner_text() == "Đăng ký khai sinh"
    assert_accessible(page, "search results")

    first_result.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/thu-tuc/1\.001193/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Đăng ký khai sinh"
    assert_accessible(page, "procedure detail")

    with page.expect_download() as download_info:
        page.locator("#mau-don").get_by_role("link", name=re.compile("Tờ khai đăng ký khai sinh")).click()
    download = download_info.value
    assert download.suggested_filename == "to-khai-dang-ky-khai-sinh.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    page.get_by_role("link", name="Chọn cơ quan thực hiện").first.click()
    page.wait_for_url(re.compile(r"/thu-tuc/1\.001193/co-quan/"))
    page.get_by_label("1. Tỉnh, thành phố").select_option(label="Thành phố Hải Phòng")
    place = page.get_by_label(re.compile("2. Nơi nộp hồ sơ tại Thành phố Hải Phòng"))
    place.select_option(label="Xã Thượng Hồng")
    chosen = page.locator("#chooser-result")
    chosen.get_by_text("Ủy ban nhân dân xã Thượng Hồng").wait_for()
    assert "Trung tâm Phục vụ hành chính công xã Thượng Hồng" in chosen.inner_text()
    assert "Toàn trình" in chosen.inner_text()
    assert "tinh=31" in page.url and "noi-nop=" in page.url  # the choice is a shareable link
    assert_accessible(page, "agency chooser")

    chosen.get_by_role("link", name="Trung tâm Phục vụ hành chính công xã Thượng Hồng").click()
    page.wait_for_url(re.compile(r"/co-quan/10993\.ttpvhcc/$"))
    assert "Đăng ký khai sinh" in page.locator("main").inner_text()
    assert_accessible(page, "agency page")


def test_pages_fit_a_360_pixel_screen_without_sideways_scrolling(reference_data, live_server, page):
    for path in (
        "/",
        "/thu-tuc/?q=khai+sinh",
        "/thu-tuc/1.001193/",
        "/thu-tuc/1.001193/co-quan/?tinh=31",
        "/co-quan/10993.ubnd/",
        "/an-toan-thong-tin/",
    ):
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width}px wide"


def test_the_chooser_works_without_javascript(reference_data, live_server, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 760})
    page = context.new_page()
    page.goto(live_server.url + "/thu-tuc/1.001193/co-quan/")
    page.get_by_label("1. Tỉnh, thành phố").select_option(label="Thành phố Hải Phòng")
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_label(re.compile("2. Nơi nộp hồ sơ")).select_option(label="Xã Thượng Hồng")
    page.get_by_role("button", name="Tiếp tục").click()
    assert "Ủy ban nhân dân xã Thượng Hồng" in page.locator("#chooser-result").inner_text()
    context.close()


def test_the_live_search_updates_results_as_the_citizen_types(reference_data, live_server, page):
    page.goto(live_server.url + "/thu-tuc/")
    page.get_by_role("searchbox", name="Tìm thủ tục hành chính").press_sequentially("ket hon", delay=30)
    page.wait_for_url(re.compile(r"q=ket(\+|%20)hon"))
    assert page.locator("#results .result-item").first.get_by_role("link").inner_text() == "Đăng ký kết hôn"
