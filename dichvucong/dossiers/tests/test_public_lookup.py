"""Public lookup (/tra-cuu/): the right pair shows public facts only; every wrong pair looks the same."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from dichvucong.core.identifiers import phone_display
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.selectors import dossier_lookup_public
from dichvucong.dossiers.tests.factories import make_dossier, request_supplement

pytestmark = pytest.mark.django_db

URL = reverse("dossiers:lookup")
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def look_up(client, code, identity):
    return client.post(URL, {"code": code, "identity": identity})


def without_csrf(response) -> bytes:
    return CSRF.sub(b"", response.content)


@pytest.fixture
def dossier(citizen_an):
    return make_dossier(citizen_an, received=True)


def test_the_right_code_and_personal_id_show_the_status_and_the_appointment_date(client, dossier, citizen_an):
    response = look_up(client, dossier.code, citizen_an.personal_id)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["result"].code == dossier.code
    assert "Đã tiếp nhận" in html
    assert f"{timezone.localtime(dossier.due_date):%d/%m/%Y}" in html
    assert dossier.reception_agency.name in html
    assert "Tiếp nhận hồ sơ" in html  # the timeline summary


@pytest.mark.parametrize("spelling", ["national", "e164", "spaced", "dotted"])
def test_the_registered_phone_in_any_spelling_also_matches(client, dossier, citizen_an, spelling):
    local = phone_display(citizen_an.phone)  # "0910 000 001"-style
    typed = {
        "national": local.replace(" ", ""),
        "e164": citizen_an.phone,
        "spaced": local,
        "dotted": local.replace(" ", "."),
    }[spelling]
    response = look_up(client, dossier.code, typed)
    assert response.context["result"] is not None, typed


def test_the_answer_shows_no_personal_details(client, dossier, citizen_an, receptionist_chi):
    request_supplement(dossier)
    dossier.refresh_from_db()
    dossier.events.filter(action="request_supplement").update(note="Ghi chú nội bộ bí mật")
    html = look_up(client, dossier.code, citizen_an.personal_id).content.decode()
    assert "Cần bổ sung giấy tờ" in html
    for private in (
        citizen_an.full_name,
        citizen_an.personal_id,
        citizen_an.phone,
        phone_display(citizen_an.phone),
        citizen_an.email,
        citizen_an.address_street,
        receptionist_chi.full_name,
        "Ghi chú nội bộ bí mật",
        "Giấy xác nhận nơi cư trú",  # what the agency asked for is for the applicant only
    ):
        assert private not in html, private


def test_a_wrong_code_and_a_wrong_identity_give_byte_identical_answers(
    client, dossier, citizen_an, citizen_binh
):
    wrong_code = look_up(client, dossier.code[:-4] + "9999", citizen_an.personal_id)
    wrong_identity = look_up(client, dossier.code, citizen_binh.personal_id)
    garbage_identity = look_up(client, dossier.code, "0000")
    assert wrong_code.status_code == wrong_identity.status_code == garbage_identity.status_code == 200
    assert without_csrf(wrong_code) == without_csrf(wrong_identity) == without_csrf(garbage_identity)
    html = wrong_code.content.decode()
    assert "Không tìm thấy hồ sơ khớp với mã và số giấy tờ đã nhập" in html
    assert dossier.code not in html and citizen_an.personal_id not in html  # nothing typed is echoed


def test_a_draft_is_never_found(citizen_an):
    draft = make_dossier(citizen_an, draft=True)
    assert dossier_lookup_public("", citizen_an.personal_id) is None
    Dossier.objects.filter(pk=draft.pk).update(code="10993.01.H31-261128-9999")
    assert dossier_lookup_public("10993.01.H31-261128-9999", citizen_an.personal_id) is None


def test_the_national_portals_link_looks_up_too(client, dossier, citizen_an):
    response = client.get(URL, {"MHS": dossier.code, "SGT": citizen_an.personal_id})
    assert response.context["result"].code == dossier.code
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def test_the_form_works_signed_out_and_a_code_alone_only_fills_the_form(client, dossier):
    response = client.get(URL, {"MHS": dossier.code})
    assert response.status_code == 200
    assert "result" not in response.context
    assert f'value="{dossier.code}"' in response.content.decode()


def test_empty_fields_are_refused_next_to_the_field(client):
    response = look_up(client, "", "")
    assert response.status_code == 400
    assert "Nhập mã hồ sơ." in response.content.decode()


def test_lookups_are_limited_per_ip_and_the_limit_answers_429(client, settings, dossier, citizen_an):
    settings.LOOKUP_MAX_PER_HOUR = 3
    for n in range(3):
        assert look_up(client, f"KHONG-CO-{n}", "001090000001").status_code == 200
    limited = look_up(client, dossier.code, citizen_an.personal_id)  # even the right pair now
    assert limited.status_code == 429
    assert "quá nhiều lượt tra cứu" in limited.content.decode()
    assert "result" not in limited.context or limited.context.get("result") is None
    other_address = client.post(
        URL, {"code": dossier.code, "identity": citizen_an.personal_id}, REMOTE_ADDR="10.0.0.9"
    )
    assert other_address.status_code == 200
    assert other_address.context["result"].code == dossier.code


def test_guesses_on_one_code_from_many_addresses_meet_the_per_code_limit(client, settings, dossier):
    settings.LOOKUP_MAX_PER_HOUR = 3
    statuses = [
        client.post(
            URL, {"code": dossier.code, "identity": f"03109000000{n}"}, REMOTE_ADDR=f"10.0.1.{n}"
        ).status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]
