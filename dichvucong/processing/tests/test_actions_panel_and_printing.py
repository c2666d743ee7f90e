"""The dossier page's actions panel offers only what the official's roles and the dossier's state allow;
the printed forms (1–6) are PDFs of the recorded data, for the dossier's agencies only."""

# ruff: noqa: F811 (pytest fixtures imported from .web are parameters of the tests)

import datetime as dt

import pytest
from django.utils import timezone

from dichvucong.dossiers.workflow import State
from dichvucong.processing.services.deadlines import dossier_extend

from .helpers import dossier_in
from .web import action_url, desk, dossier_url, pdf_text, print_url, squeezed  # noqa: F401

pytestmark = pytest.mark.django_db

ALL_SLUGS = {
    "tiep-nhan",
    "tu-choi",
    "yeu-cau-bo-sung",
    "chuyen-xu-ly",
    "nhan-xu-ly",
    "phan-cong",
    "chuyen-buoc",
    "chuyen-don-vi",
    "yeu-cau-nop-phi",
    "da-nop-phi",
    "trinh-ky",
    "tra-lai",
    "ky-duyet",
    "dung-xu-ly",
    "gia-han",
    "dinh-kem-ket-qua",
    "tra-ket-qua",
    "ghi-chu",
}


@pytest.mark.parametrize(
    ("state", "persona", "offered"),
    [
        (State.SUBMITTED, "receptionist_binh", {"tiep-nhan", "tu-choi", "yeu-cau-bo-sung", "ghi-chu"}),
        (State.SUBMITTED, "specialist_chi", {"ghi-chu"}),
        # The receptionist holds the reception step: she may pass it on to a colleague.
        (State.RECEIVED, "receptionist_binh", {"chuyen-xu-ly", "yeu-cau-bo-sung", "phan-cong", "ghi-chu"}),
        (
            State.IN_PROGRESS,
            "specialist_chi",
            {
                "yeu-cau-bo-sung",
                "phan-cong",
                "chuyen-don-vi",
                "yeu-cau-nop-phi",
                "trinh-ky",
                "dung-xu-ly",
                "gia-han",
                "ghi-chu",
            },
        ),
        (State.IN_PROGRESS, "receptionist_binh", {"ghi-chu"}),
        (State.AWAITING_PAYMENT, "receptionist_binh", {"da-nop-phi", "ghi-chu"}),
        (
            State.AWAITING_APPROVAL,
            "approver_dung",
            {"ky-duyet", "tra-lai", "phan-cong", "chuyen-don-vi", "dung-xu-ly", "gia-han", "ghi-chu"},
        ),
        (State.RESULT_READY, "receptionist_binh", {"tra-ket-qua", "dinh-kem-ket-qua", "ghi-chu"}),
        # Issuance waits in the specialists' pool: take it, pass it on, or hand it to the return step.
        (
            State.RESULT_READY,
            "specialist_chi",
            {"nhan-xu-ly", "phan-cong", "chuyen-buoc", "dinh-kem-ket-qua", "ghi-chu"},
        ),
        (State.RETURNED, "receptionist_binh", {"ghi-chu"}),
    ],
)
def test_the_panel_offers_only_what_the_role_and_the_state_allow(people, desk, state, persona, offered):
    dossier = dossier_in(people, state)
    page = desk.as_(people[persona]).get(dossier_url(dossier))
    assert page.status_code == 200
    html = page.content.decode()
    shown = {slug for slug in ALL_SLUGS if action_url(dossier, slug) in html}
    assert shown == offered


def test_the_panel_groups_actions_under_headings_and_labels_every_field(people, desk):
    dossier = dossier_in(people, State.AWAITING_APPROVAL)
    html = desk.as_(people.approver_dung).get(dossier_url(dossier)).content.decode()
    assert 'id="thao-tac"' in html and "<h3>Lãnh đạo ký duyệt</h3>" in html
    assert "<summary>Ký duyệt kết quả</summary>" in html
    assert "<legend>Kết quả giải quyết" in html and 'for="id_ky-duyet_reason"' in html
    assert f'name="lock_version" value="{dossier.lock_version}"' in html


def test_opening_an_action_that_does_not_apply_says_so(people, desk):
    dossier = dossier_in(people, State.RETURNED)
    response = desk.as_(people.receptionist_binh).get(action_url(dossier, "tiep-nhan"))
    assert response.status_code == 302 and response.url.startswith(dossier_url(dossier))


@pytest.mark.parametrize(
    ("state", "kind"),
    [
        (State.RECEIVED, "tiep-nhan"),
        (State.SUPPLEMENT_REQUESTED, "bo-sung"),
        (State.REFUSED, "tu-choi"),
        (State.STOPPED, "dung"),
        (State.IN_PROGRESS, "kiem-soat"),
    ],
)
def test_each_form_prints_as_an_inline_pdf_with_the_dossier_code(people, desk, state, kind):
    dossier = dossier_in(people, state)
    response = desk.as_(people.receptionist_binh).get(print_url(dossier, kind))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Cache-Control"] == "private, no-store"
    assert dossier.code in squeezed(pdf_text(response.content))
    assert (
        print_url(dossier, kind, 1 if kind == "bo-sung" else None)
        in desk.get(dossier_url(dossier)).content.decode()
    )


def test_the_apology_letter_prints_each_extension(people, desk):
    dossier = dossier_in(people, State.IN_PROGRESS)
    new_due = timezone.localtime(dossier.due_date).date() + dt.timedelta(days=5)
    dossier_extend(
        dossier_id=dossier.pk,
        official=people.approver_dung,
        agency=people.competent,
        reason="Chờ xác minh.",
        new_due=new_due,
    )
    response = desk.as_(people.specialist_chi).get(print_url(dossier, "gia-han", 1))
    assert response.status_code == 200 and new_due.strftime("%d/%m/%Y") in pdf_text(response.content)


def test_a_form_the_dossier_does_not_have_is_a_404(people, desk):
    dossier = dossier_in(people, State.RECEIVED)
    desk.as_(people.receptionist_binh)
    assert desk.get(print_url(dossier, "tu-choi")).status_code == 404
    assert desk.get(print_url(dossier, "bo-sung")).status_code == 404
    assert desk.get(print_url(dossier, "gia-han", 3)).status_code == 404
    assert desk.get(print_url(dossier, "khong-co")).status_code == 404
    submitted = dossier_in(people, State.SUBMITTED)
    assert desk.get(print_url(submitted, "tiep-nhan")).status_code == 404


def test_forms_of_another_agencys_dossier_are_a_404(people, desk):
    dossier = dossier_in(people, State.RECEIVED)
    assert desk.as_(people.official_giang).get(print_url(dossier, "tiep-nhan")).status_code == 404
