"""Officials sign in with a password and a code from their authenticator app, in a real browser
(Chromium, phone-sized), checked with axe-core."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp

from dichvucong.accounts.tests.officials import OFFICIAL_PASSWORD, make_people, totp_code, totp_device_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_with_password(page, username):
    page.get_by_label("Số định danh cá nhân hoặc tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(OFFICIAL_PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()


def test_an_agency_administrator_signs_in_with_a_password_then_a_totp_code_and_reaches_the_staff_page(
    reference_data, live_server, page, assert_accessible
):
    """GIVEN the administrator of the Xã Thượng Hồng service centre, whose phone has an authenticator app
    WHEN they open the staff page, sign in with their password, mistype the code once, then type the code
    their phone shows
    THEN they reach their agency's staff list, and no page on the way has a serious a11y issue."""
    people = make_people()
    hoa = people.admin_hoa
    hoa.set_password(OFFICIAL_PASSWORD)
    hoa.save()
    device = totp_device_for(hoa)

    page.goto(live_server.url + "/mot-cua/can-bo/")
    page.wait_for_url(re.compile(r"/tai-khoan/dang-nhap/\?next="))
    assert_accessible(page, "sign-in")
    sign_in_with_password(page, "hoa.le")

    page.wait_for_url(re.compile(r"/tai-khoan/xac-thuc-hai-lop/\?next=%2Fmot-cua%2Fcan-bo%2F"))
    assert page.get_by_role("heading", level=1).inner_text() == "Xác thực hai lớp"
    assert_accessible(page, "two-factor code")

    right = totp_code(device)
    page.get_by_label("Mã xác thực").fill("000000" if right != "000000" else "111111")
    page.get_by_role("button", name="Xác nhận").click()
    page.get_by_text("Mã xác thực không đúng").wait_for()
    assert_accessible(page, "two-factor code with an error")

    page.wait_for_timeout(1100)  # django-otp's back-off after one wrong code is one second
    page.get_by_label("Mã xác thực").fill(totp_code(device))
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url(re.compile(r"/mot-cua/can-bo/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Cán bộ của cơ quan"
    main = page.locator("main").inner_text()
    assert "Trung tâm Phục vụ hành chính công xã Thượng Hồng" in main
    assert "Trần Thị Bình" in main and "Phạm Minh Chi" not in main
    assert_accessible(page, "staff list")

    page.get_by_role("link", name="Trần Thị Bình").click()
    page.wait_for_url(re.compile(r"/mot-cua/can-bo/\d+/$"))
    assert_accessible(page, "staff member")
    page.goto(live_server.url + "/mot-cua/can-bo/them/")
    page.get_by_label("Tên đăng nhập").fill("lan.nguyen")
    page.get_by_role("button", name="Thêm cán bộ").click()
    page.get_by_text("Nhập họ và tên của cán bộ.").wait_for()
    assert_accessible(page, "new official form with errors")
    page.goto(live_server.url + "/tai-khoan/bao-mat/hai-lop/")
    assert_accessible(page, "two-factor settings")
    for path in ("/mot-cua/can-bo/", "/mot-cua/can-bo/them/", "/tai-khoan/bao-mat/hai-lop/"):
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width}px wide"


def test_a_new_official_sets_up_the_authenticator_app_at_first_sign_in(
    reference_data, live_server, page, assert_accessible
):
    """GIVEN a receptionist without an authenticator app WHEN they sign in THEN they must set one up: the
    page shows a QR code and the key, the first code from the key turns 2FA on and shows the recovery
    codes once, and they continue to the back office."""
    people = make_people()
    binh = people.receptionist_binh
    binh.set_password(OFFICIAL_PASSWORD)
    binh.save()
    device = totp_device_for(binh)
    device.delete()

    page.goto(live_server.url + "/tai-khoan/dang-nhap/?next=/mot-cua/chon-co-quan/")
    sign_in_with_password(page, "binh.tran")
    page.wait_for_url(re.compile(r"/tai-khoan/bao-mat/hai-lop/thiet-lap/"))
    assert page.locator("figure.qr-figure svg[role=img]").is_visible()
    assert_accessible(page, "authenticator set-up")

    key = b32decode(page.locator(".secret-key").inner_text().replace(" ", "").replace("\n", ""))
    page.get_by_label("Mã 6 chữ số trên ứng dụng").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Xác nhận và bật").click()
    page.get_by_role("heading", name="Mã khôi phục", level=1).wait_for()
    assert page.locator("ol.recovery-codes li").count() == 10
    assert_accessible(page, "recovery codes")

    page.get_by_role("link", name="Tôi đã lưu các mã, tiếp tục").click()
    page.wait_for_url(re.compile(r"/mot-cua/chon-co-quan/$"))
    assert "Trung tâm Phục vụ hành chính công xã Thượng Hồng" in page.locator("main").inner_text()
    assert_accessible(page, "agency chooser")
