"""The whole one-stop cycle in a real browser (issue 5): a dossier submitted online at Xã Thượng Hồng is
asked for a supplement, supplied by the citizen, received, processed, approved and signed, returned
online; the citizen downloads the signed result and verifies it through its QR page."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client

from dichvucong.accounts.models import StaffRole
from dichvucong.accounts.tests.factories import PASSWORD, make_citizen
from dichvucong.accounts.tests.officials import make_official, sign_in_verified
from dichvucong.directory.models import Agency
from dichvucong.documents.signing import pdf_verify
from dichvucong.documents.tests.corpus import pdf_bytes
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.services.submission import dossier_submit
from dichvucong.dossiers.tests.drafts import complete_birth_draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def as_official(page, live_server, user):
    """The official's browser carries a session past the TOTP step (tests/browser/
    test_official_signs_in_with_totp.py drives that step itself)."""
    page.context.clear_cookies()
    client = Client()
    sign_in_verified(client, user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def as_citizen(page, live_server, personal_id):
    page.context.clear_cookies()
    page.goto(live_server.url + "/tai-khoan/dang-nhap/")
    page.get_by_label("Số định danh cá nhân hoặc tên đăng nhập").fill(personal_id)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/tai-khoan/$"))


def open_dossier_at_desk(page, live_server, code):
    page.goto(live_server.url + "/mot-cua/")
    page.get_by_role("searchbox").fill(code)
    page.get_by_role("searchbox").press("Enter")
    page.get_by_role("link", name=code).first.click()
    page.wait_for_url(re.compile(rf"/mot-cua/ho-so/{re.escape(code)}/$"))


def act(page, label, *, fill=None, check=()):
    """Open the action `label` of the dossier page (inline, folded or on its own page), fill it (`check`:
    labels of radio buttons or boxes), submit."""
    panel = page.locator("#thao-tac")
    folded = panel.locator("details", has=page.locator("summary", has_text=label))
    if folded.count():
        folded.locator("summary").click()
        form = folded.locator("form")
    elif panel.get_by_role("link", name=label).count():
        panel.get_by_role("link", name=label).click()
        form = page.locator("main form").filter(has=page.get_by_role("button", name=label)).first
    else:
        form = panel.locator("form").filter(has=page.get_by_role("button", name=label)).first
    for field, value in (fill or {}).items():
        control = form.get_by_label(field, exact=True)
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(label=value)
        else:
            control.fill(value)
    for option in check:
        form.get_by_label(option, exact=True).check()
    form.get_by_role("button", name=label).click()
    page.locator(".messages").wait_for()
    return page.locator(".messages").inner_text()


def test_a_dossier_goes_round_the_whole_one_stop_cycle_and_its_signed_result_verifies(
    reference_data, live_server, page, assert_accessible, pdf_rendering, tmp_path, settings
):
    settings.SIGNING_DIR = tmp_path / "signing"  # the live server runs in this process
    call_command("documents_make_dev_ca", agency=["10993.ubnd", "10993.ttpvhcc"], verbosity=0)
    desk = Agency.objects.get(code="10993.ttpvhcc")
    committee = Agency.objects.get(code="10993.ubnd")
    receptionist = make_official(
        "tiep.nhan", full_name="Lê Thị Tiếp", agency=desk, roles=[StaffRole.RECEPTIONIST]
    )
    specialist = make_official(
        "chuyen.vien", full_name="Phạm Văn Chuyên", agency=committee, roles=[StaffRole.SPECIALIST]
    )
    approver = make_official(
        "lanh.dao", full_name="Hoàng Văn Lãnh", agency=committee, roles=[StaffRole.APPROVER]
    )
    citizen = make_citizen(full_name="Nguyễn Văn An", personal_id="031090123456", phone="+84912345678")
    draft = complete_birth_draft(citizen)
    code = dossier_submit(dossier_id=draft.pk, user=citizen, declaration_accepted=True)[0].code
    page.set_viewport_size({"width": 360, "height": 800})

    # The receptionist finds the new online dossier and asks for a better copy of the birth certificate.
    as_official(page, live_server, receptionist)
    open_dossier_at_desk(page, live_server, code)
    assert_accessible(page, "dossier at the desk")
    page.locator("#thao-tac").get_by_role("link", name="Yêu cầu bổ sung, hoàn thiện hồ sơ").click()
    item = page.locator("fieldset", has_text="Giấy chứng sinh")
    item.get_by_role("checkbox").check()
    item.get_by_label("Chưa đạt vì").fill("Bản chụp bị mờ, không đọc được số giấy chứng sinh.")
    item.get_by_label("Hướng dẫn bổ sung, hoàn thiện").fill("Chụp lại rõ nét cả hai mặt.")
    page.get_by_role("button", name="Yêu cầu bổ sung, hoàn thiện hồ sơ").click()
    assert "yêu cầu bổ sung lần 1" in page.locator(".messages").inner_text()

    # The citizen reads the request on their dossier page, uploads a new copy and sends it.
    as_citizen(page, live_server, "031090123456")
    page.goto(f"{live_server.url}/ho-so/{code}/")
    supplement = page.locator("#bo-sung")
    assert "Bản chụp bị mờ" in supplement.inner_text()
    certificate = tmp_path / "giay-chung-sinh-ro-net.pdf"
    certificate.write_bytes(pdf_bytes())
    supplement.locator("input[type=file]").first.set_input_files(str(certificate))
    supplement.get_by_role("button", name="Tải lên").first.click()
    page.locator("#bo-sung").get_by_text("giay-chung-sinh-ro-net.pdf").first.wait_for()
    page.locator("#bo-sung").get_by_role("button", name="Nộp bổ sung").click()
    page.locator(".messages").wait_for()
    assert Dossier.objects.get(code=code).state == "submitted"

    # Back at the desk: received (receipt, form 1), then forwarded to the committee's specialist.
    as_official(page, live_server, receptionist)
    open_dossier_at_desk(page, live_server, code)
    assert "Đã tiếp nhận hồ sơ" in act(page, "Tiếp nhận hồ sơ")
    with page.expect_response(re.compile(r"/in/tiep-nhan/")) as receipt:
        page.get_by_role("link", name=re.compile("^In ")).first.click()
    assert receipt.value.headers["content-type"] == "application/pdf"
    open_dossier_at_desk(page, live_server, code)
    act(page, "Chuyển xử lý", fill={"Chuyên viên xử lý": "Phạm Văn Chuyên"})

    # The specialist reviews it and submits it to the approver.
    as_official(page, live_server, specialist)
    open_dossier_at_desk(page, live_server, code)
    act(page, "Trình lãnh đạo ký duyệt", fill={"Lãnh đạo ký duyệt": "Hoàng Văn Lãnh"})

    # The approver approves: the birth certificate extract is signed with the committee's certificate.
    as_official(page, live_server, approver)
    open_dossier_at_desk(page, live_server, code)
    assert "ký số" in act(page, "Ký duyệt kết quả", check=["Giải quyết"])
    dossier = Dossier.objects.get(code=code)
    assert dossier.state == "result_ready"

    # The receptionist returns it online.
    as_official(page, live_server, receptionist)
    open_dossier_at_desk(page, live_server, code)
    act(page, "Trả kết quả", check=["Trả kết quả trực tuyến"])
    assert Dossier.objects.get(code=code).state == "returned"

    # The citizen downloads the signed result and checks it on the page its QR code leads to.
    as_citizen(page, live_server, "031090123456")
    page.goto(f"{live_server.url}/ho-so/{code}/")
    result = page.locator("#ket-qua")
    with page.expect_download() as download:
        result.get_by_role("link", name=re.compile("^Tải về")).first.click()
    signed = Path(download.value.path()).read_bytes()
    assert pdf_verify(signed).state == "valid"
    result.get_by_role("link", name="Kiểm tra tính xác thực của văn bản").click()
    page.wait_for_url(re.compile(r"/xac-thuc/[A-Za-z0-9_-]+/$"))
    verification = page.locator("main").inner_text()
    assert "Thượng Hồng" in verification and "Hoàng Văn Lãnh" in verification
    assert "031090123456" not in verification
    assert_accessible(page, "verification page")
    page.locator("input[type=file]").set_input_files(str(download.value.path()))
    page.get_by_role("button", name="Đối chiếu", exact=True).click()
    assert "Tệp trùng khớp với bản gốc" in page.locator("main").inner_text()
