"""The founding document's journey, step by step, as a citizen on a phone (real Chromium, axe-core)."""

import re

import pytest

from dichvucong.accounts.tests.factories import PASSWORD, make_citizen
from dichvucong.documents.tests.corpus import jpeg_bytes, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_files_a_birth_registration_and_finds_it_signed_out(
    reference_data, live_server, page, assert_accessible, pdf_rendering, tmp_path
):
    """GIVEN a citizen of Xã Thượng Hồng with an account
    WHEN they sign in, search "khai sinh", choose Thành phố Hải Phòng → Xã Thượng Hồng, press "Nộp hồ sơ",
    fill the e-form, download the paper form, attach the birth certificate (two photos) and submit
    THEN they read a dossier code, and signed out they find the dossier with /tra-cuu/."""
    make_citizen(full_name="Nguyễn Văn An", personal_id="031090123456", phone="+84912345678")
    certificate_page_1 = tmp_path / "giay-chung-sinh-trang-1.jpg"
    certificate_page_1.write_bytes(jpeg_bytes())
    certificate_page_2 = tmp_path / "giay-chung-sinh-trang-2.pdf"
    certificate_page_2.write_bytes(pdf_bytes())

    # Sign in.
    page.goto(live_server.url + "/tai-khoan/dang-nhap/")
    page.get_by_label("Số định danh cá nhân hoặc tên đăng nhập").fill("031090123456")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/tai-khoan/$"))

    # Search "khai sinh" and open the procedure.
    page.goto(live_server.url + "/")
    page.get_by_role("searchbox", name="Tìm thủ tục hành chính").fill("khai sinh")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.locator("#results .result-item").first.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/thu-tuc/1\.001193/$"))

    # Download the paper form (the citizen may read it before filling the e-form).
    with page.expect_download() as download_info:
        page.locator("#mau-don").get_by_role("link", name=re.compile("Tờ khai đăng ký khai sinh")).click()
    with open(download_info.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # Choose Thành phố Hải Phòng → Xã Thượng Hồng, then "Nộp hồ sơ trực tuyến".
    page.get_by_role("link", name="Chọn cơ quan thực hiện").first.click()
    page.get_by_label("1. Tỉnh, thành phố").select_option(label="Thành phố Hải Phòng")
    page.get_by_label(re.compile("2. Nơi nộp hồ sơ")).select_option(label="Xã Thượng Hồng")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.wait_for_url(re.compile(r"/thu-tuc/1\.001193/nop/"))
    assert_accessible(page, "start of submission")
    page.get_by_role("button", name="Bắt đầu nộp hồ sơ").click()

    # The e-form, prefilled with the requester's own details.
    page.wait_for_url(re.compile(r"/ho-so/nhap/[0-9a-f-]+/to-khai/$"))
    assert page.locator("#f-requester_full_name").input_value() == "Nguyễn Văn An"
    assert page.locator("#f-requester_id_number").input_value() == "031090123456"
    assert_accessible(page, "e-form")
    page.locator("#f-relationship").select_option("father")
    page.locator("#f-child_full_name").fill("Nguyễn Minh Khôi")
    page.locator("#f-child_birth_date").fill("2026-11-20")
    page.locator("input[name=child_gender][value=male]").check()
    page.locator("#f-child_birth_place").fill("Bệnh viện Phụ sản Hải Phòng")
    page.locator("#f-child_home_town").fill("Hải Phòng")
    page.locator("#f-mother_full_name").fill("Trần Thị Bình")
    page.locator("#f-mother_id_number").fill("031192004567")
    page.locator("#f-father_full_name").fill("Nguyễn Văn An")
    page.locator("#f-father_id_number").fill("031090123456")
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    # Attach the birth certificate: two pages photographed or scanned.
    page.wait_for_url(re.compile(r"/giay-to/$"))
    assert_accessible(page, "documents")
    certificate = page.locator("section.document", has_text="Giấy chứng sinh")
    certificate.locator("input[type=file][name=files]").first.set_input_files(
        [str(certificate_page_1), str(certificate_page_2)]
    )
    certificate.get_by_role("button", name="Tải lên").click()
    page.locator("section.document", has_text="Giấy chứng sinh").get_by_text(
        "giay-chung-sinh-trang-2.pdf"
    ).wait_for()
    page.get_by_role("button", name="Tiếp tục").click()

    # Receive the result online.
    page.wait_for_url(re.compile(r"/nhan-ket-qua/$"))
    page.get_by_label("Nhận kết quả điện tử trên cổng").check()
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    # Review, declare, submit.
    page.wait_for_url(re.compile(r"/ho-so/nhap/[0-9a-f-]+/nop/$"))
    assert "Nguyễn Minh Khôi" in page.locator("main").inner_text()
    assert_accessible(page, "review")
    page.get_by_label(re.compile("Tôi xin cam đoan")).check()
    page.get_by_role("button", name="Nộp hồ sơ").click()

    page.wait_for_url(re.compile(r"/ho-so/[^/]+/da-nop/$"))
    code = page.locator("#dossier-code").inner_text().strip()
    assert re.fullmatch(r"10993\.01\.H31-\d{6}-0001", code)
    assert_accessible(page, "confirmation")

    # Signed out, the citizen follows the dossier with its code and their personal ID.
    page.context.clear_cookies()
    page.goto(live_server.url + "/tra-cuu/")
    page.get_by_label(re.compile("Mã hồ sơ")).fill(code)
    page.get_by_label(re.compile("Số định danh cá nhân")).fill("031090123456")
    page.get_by_role("button", name=re.compile("Tra cứu")).click()
    result = page.locator("main").inner_text()
    assert (
        code in result
        and "Mới nộp" in result
        and "Trung tâm Phục vụ hành chính công xã Thượng Hồng" in result
    )
    assert "Nguyễn Văn An" not in result and "Nguyễn Minh Khôi" not in result
    assert_accessible(page, "public lookup")
