"""The desk pages on a phone-sized screen (360 px): the inbox, its htmx tabs, the dossier page, the walk-in
form and the register work with a real Chromium, fit the screen, and pass axe-core."""

import re

import pytest
from django.conf import settings
from django.test import Client

from dichvucong.accounts.tests.officials import sign_in_verified
from dichvucong.documents.tests.corpus import pdf_bytes, upload
from dichvucong.dossiers.tests.drafts import BIRTH_FORM
from dichvucong.dossiers.tests.factories import default_offering
from dichvucong.dossiers.workflow import State
from dichvucong.processing.services.reception import WalkInApplicant, WalkInFile, walk_in_dossier_create

from .helpers import dossier_in, make_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(page, live_server, user):
    """The official's browser carries a session past two-factor authentication (as after the TOTP page,
    which tests/browser/test_official_signs_in_with_totp.py drives)."""
    client = Client()
    sign_in_verified(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def fits_the_screen(page, label):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{label} is {width}px wide"


def test_a_receptionist_works_the_inbox_and_a_dossier_on_a_phone(
    live_server, page, reference_data, assert_accessible
):
    """GIVEN dossiers on the desk of Xã Thượng Hồng, one handed in at the desk with a scan
    WHEN the receptionist opens the inbox, switches tabs (htmx) and opens the dossier
    THEN every page fits 360 px, the list is swapped in place, and axe-core finds nothing serious."""
    people = make_people()
    offering = default_offering()
    certificate = offering.procedure.current_version.documents.get(name__startswith="Giấy chứng sinh")
    walked_in = walk_in_dossier_create(
        official=people.receptionist_binh,
        agency=people.reception,
        offering=offering,
        applicant=WalkInApplicant(personal_id=people.citizen_an.personal_id),
        form_data=BIRTH_FORM,
        files=[WalkInFile(upload("giay-chung-sinh.pdf", pdf_bytes()), certificate.pk)],
    )
    submitted = dossier_in(people, State.SUBMITTED)
    signed_in(page, live_server, people.receptionist_binh)

    page.goto(f"{live_server.url}/mot-cua/")
    assert page.get_by_role("heading", level=1).inner_text() == "Hồ sơ của cơ quan"
    assert page.locator(f"a[href='/mot-cua/ho-so/{walked_in.code}/']").count() == 1
    assert_accessible(page, "inbox")
    fits_the_screen(page, "inbox")

    page.get_by_role("link", name=re.compile("Mới nộp trực tuyến")).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/mot-cua/\?loc=moi-nop$"))
    page.locator(f"a[href='/mot-cua/ho-so/{submitted.code}/']").wait_for()
    assert page.evaluate("document.activeElement.id") == "tab-moi-nop"  # the keyboard stays on the tab
    assert page.locator("#inbox-search").count() == 1  # the page around the list stayed
    assert page.locator("nav.tabs a[aria-current=page]").inner_text().startswith("Mới nộp trực tuyến")
    assert_accessible(page, "inbox, new submissions")

    page.fill("#inbox-search", walked_in.code)
    page.keyboard.press("Enter")
    page.locator(f"a[href='/mot-cua/ho-so/{walked_in.code}/']").wait_for()
    page.locator(f"a[href='/mot-cua/ho-so/{walked_in.code}/']").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/mot-cua/ho-so/{walked_in.code}/")
    main = page.locator("main").inner_text()
    assert "Nguyễn Minh Khôi" in main and "giay-chung-sinh.pdf" in main
    assert_accessible(page, "dossier page")
    fits_the_screen(page, "dossier page")

    page.goto(f"{live_server.url}/mot-cua/tiep-nhan-truc-tiep/?q=khai+sinh")
    page.get_by_role("link", name=re.compile("Đăng ký khai sinh")).first.click()
    page.wait_for_url(re.compile(r"/mot-cua/tiep-nhan-truc-tiep/\d+/$"))
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    page.get_by_text("Nhập số định danh cá nhân của người nộp.").wait_for()
    assert_accessible(page, "walk-in form with errors")
    fits_the_screen(page, "walk-in form")

    page.goto(f"{live_server.url}/mot-cua/so-theo-doi/")
    assert_accessible(page, "register")
    fits_the_screen(page, "register")
