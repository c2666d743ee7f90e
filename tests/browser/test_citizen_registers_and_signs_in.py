"""A citizen registers on a phone, verifies the phone and e-mail, and signs in (real Chromium)."""

import re

import pytest
from django.core import mail

from dichvucong.core import sms

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_registers_verifies_and_signs_in(reference_data, live_server, page, assert_accessible):
    """GIVEN the registration page on a phone
    WHEN a citizen fills it (province → commune chosen live), enters the SMS code and opens the e-mail link
    THEN the account is active, verified, and the citizen signs in and sees their profile."""
    sms.outbox.clear()
    mail.outbox.clear()
    page.goto(live_server.url + "/tai-khoan/dang-ky/")
    assert_accessible(page, "registration")

    page.get_by_label("Họ, chữ đệm và tên").fill("Phạm Thị Hoa")
    page.get_by_label("Số định danh cá nhân").fill("031192004567")
    page.get_by_label("Ngày sinh").fill("1992-07-15")
    page.get_by_label("Nữ").check()
    page.get_by_label("Số điện thoại di động").fill("0983 456 789")
    page.get_by_label("Thư điện tử").fill("hoa.pham@example.vn")
    page.get_by_label("Tỉnh, thành phố").select_option(label="Thành phố Hải Phòng")
    commune = page.get_by_label("Xã, phường, đặc khu")
    commune.locator("option", has_text="Xã Thượng Hồng").wait_for(state="attached")
    commune.select_option(label="Xã Thượng Hồng")
    page.get_by_label("Số nhà, đường, thôn, tổ").fill("Thôn Tây")
    page.locator("#id_password1").fill("Hoa-mai-nở-2026!")
    page.get_by_label("Nhập lại mật khẩu").fill("Hoa-mai-nở-2026!")
    page.get_by_label(re.compile("Tôi đồng ý")).check()
    page.get_by_role("button", name="Đăng ký").click()

    page.wait_for_url(re.compile(r"/tai-khoan/dang-ky/xac-minh/$"))
    assert "09xx xxx 789" in page.locator("main").inner_text()
    assert_accessible(page, "phone verification")
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)
    page.get_by_label("Mã xác minh").fill(code)
    page.get_by_role("button", name="Xác minh").click()

    page.wait_for_url(re.compile(r"/tai-khoan/dang-nhap/$"))
    assert "Tài khoản đã được kích hoạt" in page.locator("main").inner_text()
    link = re.search(r"(/tai-khoan/xac-minh-email/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(live_server.url + link)
    page.wait_for_url(re.compile(r"/tai-khoan/dang-nhap/$"))
    assert "Đã xác minh thư điện tử" in page.locator("main").inner_text()
    assert_accessible(page, "sign-in")

    page.get_by_label("Số định danh cá nhân hoặc tên đăng nhập").fill("031192004567")
    page.get_by_label("Mật khẩu").fill("Hoa-mai-nở-2026!")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/tai-khoan/$"))
    main = page.locator("main").inner_text()
    assert "Phạm Thị Hoa" in main and "Xã Thượng Hồng, Thành phố Hải Phòng" in main
    assert main.count("Đã xác minh") == 2
    assert_accessible(page, "profile")


def test_field_errors_are_shown_next_to_the_fields_and_typed_values_kept(reference_data, live_server, page):
    page.goto(live_server.url + "/tai-khoan/dang-ky/")
    page.get_by_label("Họ, chữ đệm và tên").fill("Phạm Thị Hoa")
    page.get_by_label("Số định danh cá nhân").fill("12345")
    page.get_by_role("button", name="Đăng ký").click()
    assert page.get_by_label("Họ, chữ đệm và tên").input_value() == "Phạm Thị Hoa"
    assert "Số định danh cá nhân gồm đúng 12 chữ số." in page.locator("main").inner_text()
