"""The citizen's dossier pages on a phone-sized screen: they work and pass axe-core."""

import pytest

from dichvucong.accounts.tests.factories import PASSWORD, make_citizen
from dichvucong.documents.tests.corpus import pdf_bytes
from dichvucong.dossiers.services.messages import message_post
from dichvucong.dossiers.tests.factories import make_dossier

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_follows_a_dossier_and_answers_a_supplement_request(
    live_server, page, reference_data, assert_accessible
):
    """GIVEN a dossier waiting for a supplement WHEN its applicant opens it, uploads a file for each
    item and sends the supplement THEN it is back with the agency; every page passes axe-core."""
    citizen_an = make_citizen(full_name="Nguyễn Văn An")
    dossier = make_dossier(citizen_an, supplement_requested=True)
    make_dossier(citizen_an, draft=True)
    message_post(dossier_id=dossier.pk, user=citizen_an, body="Bản sao có cần chứng thực không?", files=[])

    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/?next=/ho-so/")
    page.fill("input[name=username]", citizen_an.personal_id)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/ho-so/")
    assert_accessible(page, "Hồ sơ của tôi")

    assert page.locator("text=Tiếp tục soạn").count() == 1  # the draft, apart
    page.click(f"a[href='/ho-so/{dossier.code}/']")
    page.wait_for_url(f"**/ho-so/{dossier.code}/")
    assert page.locator("text=Bản sao có cần chứng thực không?").count() == 1
    assert_accessible(page, "one dossier")
    for index in (0, 1):
        page.set_input_files(
            f"#item-{index}-files",
            files=[{"name": f"muc-{index}.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}],
        )
        page.locator(f"form:has(#item-{index}-files) button[type=submit]").click()
        page.wait_for_selector(f"text=muc-{index}.pdf")
    page.click("form[action$='/bo-sung/'] button[type=submit]")
    page.wait_for_selector("text=Đã nộp bổ sung")
    dossier.refresh_from_db()
    assert dossier.state == "in_progress"

    page.goto(f"{live_server.url}/tra-cuu/?MHS={dossier.code}&SGT={citizen_an.personal_id}")
    assert page.locator("text=Đang xử lý").count()
    assert_accessible(page, "public lookup")
