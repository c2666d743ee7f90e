"""The inbox of the desk (/mot-cua/): counts and lists per bucket, scoped to the active agency, search,
pagination without a count per page, htmx fragments, and a bounded number of queries."""

import datetime as dt

import pytest
from django.urls import reverse
from freezegun import freeze_time

from dichvucong.accounts.models import StaffRole
from dichvucong.accounts.tests.factories import make_citizen
from dichvucong.accounts.tests.officials import make_official, sign_in_verified
from dichvucong.dossiers.workflow import State
from dichvucong.processing.selectors import Bucket
from dichvucong.processing.views import inbox as inbox_view

from .helpers import dossier_in

pytestmark = pytest.mark.django_db
INBOX = reverse("processing:inbox")
TUESDAY_9AM = "2026-03-03 02:00:00"


def page_of(client, user, **params):
    sign_in_verified(client, user)
    return client.get(INBOX, params)


def codes_in(response) -> list[str]:
    return [row["dossier"].code for row in response.context["rows"]]


def tab_counts(response) -> dict[str, int]:
    return {value: count for value, _label, count, _capped in response.context["tabs"]}


@pytest.fixture
def desk(people):
    """Agency A's dossiers in every state, received on Tuesday 3/3 09:00 (Khai sinh: due 17:00)."""
    with freeze_time(TUESDAY_9AM):
        return {state: dossier_in(people, state) for state in State.values if state != State.DRAFT}


@freeze_time("2026-03-03 03:00:00")  # 10:00, before the 17:00 deadline
def test_the_reception_desk_sees_its_buckets_with_counts_and_lists(client, people, desk):
    response = page_of(client, people.receptionist_binh)
    assert response.status_code == 200
    counts = tab_counts(response)
    assert counts["moi-nop"] == 1 and counts["da-tiep-nhan"] == 1 and counts["tat-ca"] == 1
    assert counts["dang-xu-ly"] == 0
    assert codes_in(response) == [desk[State.RECEIVED].code]
    new = client.get(INBOX, {"loc": "moi-nop"})
    assert codes_in(new) == [desk[State.SUBMITTED].code]
    page = new.content.decode()
    assert desk[State.SUBMITTED].code in page and "Nguyễn Văn An" in page
    assert reverse("processing:dossier", args=[desk[State.SUBMITTED].code]) in page
    assert 'aria-current="page"' in page and "Mới nộp trực tuyến" in page


@freeze_time("2026-03-03 03:00:00")
def test_the_competent_agency_lists_each_bucket_by_due_date_with_due_soon_badges(client, people, desk):
    response = page_of(client, people.specialist_chi, loc="dang-xu-ly")
    counts = tab_counts(response)
    assert counts["dang-xu-ly"] == 1 and counts["cho-bo-sung"] == 1 and counts["cho-nop-phi"] == 1
    assert counts["sap-den-han"] == 3 and counts["qua-han"] == 0 and counts["cua-toi"] == 3
    assert codes_in(response) == [desk[State.IN_PROGRESS].code]
    assert response.context["rows"][0]["due_soon"] and not response.context["rows"][0]["overdue"]
    assert "Sắp đến hạn" in response.content.decode()
    waiting = client.get(INBOX, {"loc": "cho-bo-sung"})
    assert codes_in(waiting) == [desk[State.SUPPLEMENT_REQUESTED].code]
    assert "Tạm dừng, chờ bổ sung" in waiting.content.decode()
    assert codes_in(client.get(INBOX, {"loc": "co-ket-qua"})) == [desk[State.RESULT_READY].code]
    sign_in_verified(client, people.approver_dung)
    assert codes_in(client.get(INBOX, {"loc": "cho-toi-duyet"})) == [desk[State.AWAITING_APPROVAL].code]


def test_overdue_dossiers_are_flagged(client, people, desk):
    with freeze_time("2026-03-04 03:00:00"):  # the next morning
        response = page_of(client, people.specialist_chi, loc="qua-han")
    assert {row["dossier"].state for row in response.context["rows"]} == {
        State.IN_PROGRESS,
        State.AWAITING_PAYMENT,
        State.AWAITING_APPROVAL,
    }
    assert all(row["overdue"] for row in response.context["rows"])
    assert "Quá hạn" in response.content.decode()


def test_an_unknown_bucket_shows_everything_on_the_desk(client, people, desk):
    response = page_of(client, people.specialist_chi, loc="khong-co")
    assert response.context["tab"] == "tat-ca" and len(response.context["rows"]) == 5


def test_an_official_of_another_agency_sees_none_of_it(client, people, desk):
    response = page_of(client, people.official_giang)
    assert response.status_code == 200
    assert set(tab_counts(response).values()) == {0} and response.context["rows"] == []
    code = desk[State.IN_PROGRESS].code
    searched = client.get(INBOX, {"q": code})
    assert searched.context["rows"] == []
    assert reverse("processing:dossier", args=[code]) not in searched.content.decode()


def test_citizens_and_agency_administrators_are_kept_out(client, people, desk):
    citizen = people.citizen_an
    client.force_login(citizen)
    assert client.get(INBOX).status_code == 403
    client.logout()
    assert client.get(INBOX)["Location"].startswith(reverse("accounts:sign_in"))
    admin = make_official(
        "hoa.le", full_name="Lê Văn Hòa", agency=people.reception, roles=[StaffRole.AGENCY_ADMIN]
    )
    assert page_of(client, admin).status_code == 403


def test_an_official_who_has_not_passed_two_factor_authentication_is_sent_to_it(client, people):
    client.force_login(people.receptionist_binh)
    response = client.get(INBOX)
    assert response.status_code == 302 and "/tai-khoan/" in response["Location"]


@pytest.mark.parametrize("query", ["code", "code-lower", "personal_id", "phone", "name"])
def test_search_finds_a_dossier_by_code_personal_id_phone_or_name(client, people, desk, query):
    dossier = desk[State.RECEIVED]
    citizen = people.citizen_an
    value = {
        "code": dossier.code,
        "code-lower": dossier.code.lower(),
        "personal_id": citizen.personal_id,
        "phone": "0" + citizen.phone[3:6] + " " + citizen.phone[6:],
        "name": "văn an",
    }[query]
    response = page_of(client, people.receptionist_binh, q=value)
    assert dossier.code in codes_in(response)
    assert response.context["page"] is None and "Kết quả tìm" in response.content.decode()


def test_search_does_not_find_another_citizens_dossiers(client, people, desk):
    other = make_citizen(full_name="Hoàng Thị Mai")
    mine = dossier_in(people, State.RECEIVED, applicant=other)
    response = page_of(client, people.receptionist_binh, q=other.personal_id)
    assert codes_in(response) == [mine.code]
    assert codes_in(client.get(INBOX, {"q": "Không Có Ai"})) == []
    assert "Không có hồ sơ nào của cơ quan khớp" in client.get(INBOX, {"q": "Không Có Ai"}).content.decode()


@pytest.fixture
def many_received(people):
    """25 received dossiers, due on consecutive days (each received a day later)."""
    dossiers = []
    for day in range(25):
        with freeze_time(dt.datetime(2026, 3, 2, 2, tzinfo=dt.UTC) + dt.timedelta(days=day)):
            dossiers.append(dossier_in(people, State.RECEIVED))
    return sorted(dossiers, key=lambda d: (d.due_date, d.pk))


def test_the_list_is_paginated_by_due_date_in_either_order(client, people, many_received, monkeypatch):
    monkeypatch.setattr(inbox_view, "PAGE_SIZE", 10)
    first = page_of(client, people.receptionist_binh, loc="da-tiep-nhan")
    assert codes_in(first) == [d.code for d in many_received[:10]]
    assert first.context["page"].paginator.num_pages == 3
    third = client.get(INBOX, {"loc": "da-tiep-nhan", "trang": 3})
    assert codes_in(third) == [d.code for d in many_received[20:]]
    assert "Trang 3/3" in third.content.decode()
    backwards = client.get(INBOX, {"loc": "da-tiep-nhan", "sap-xep": "giam-dan"})
    assert codes_in(backwards) == [d.code for d in reversed(many_received[15:])]
    beyond = client.get(INBOX, {"loc": "da-tiep-nhan", "trang": 99})
    assert codes_in(beyond) == codes_in(third)


def test_pages_stop_at_the_cap_and_say_so(client, people, many_received, monkeypatch):
    monkeypatch.setattr(inbox_view, "PAGE_SIZE", 10)
    monkeypatch.setattr(inbox_view, "MAX_PAGES", 2)
    response = page_of(client, people.receptionist_binh, loc="da-tiep-nhan", trang=3)
    assert response.context["page"].number == 2 and response.context["page"].paginator.is_capped
    assert "chỉ mở được 20 hồ sơ đầu" in response.content.decode()


def test_htmx_swaps_only_the_list_and_caches_vary_on_it(client, people, many_received):
    sign_in_verified(client, people.receptionist_binh)
    fragment = client.get(INBOX, {"loc": "da-tiep-nhan"}, headers={"HX-Request": "true"})
    body = fragment.content.decode()
    assert "<html" not in body and "<table" in body and 'class="tabs"' in body
    assert "HX-Request" in fragment["Vary"]
    restore = client.get(
        INBOX, {"loc": "da-tiep-nhan"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.content.decode()  # the back button needs the whole page
    full = client.get(INBOX)
    assert "<html" in full.content.decode() and 'id="inbox"' in full.content.decode()


def test_the_page_runs_a_bounded_number_of_queries_whatever_the_desk_holds(
    client, people, django_assert_max_num_queries
):
    sign_in_verified(client, people.receptionist_binh)
    dossier_in(people, State.RECEIVED)
    client.get(INBOX)  # warm the session and the calendar caches
    with django_assert_max_num_queries(25) as few:
        client.get(INBOX)
    for _ in range(30):
        dossier_in(people, State.RECEIVED, applicant=make_citizen(full_name="Phan Văn Long"))
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get(INBOX)
    assert len(response.context["rows"]) == inbox_view.PAGE_SIZE
    # The counts are the buckets' (inbox_counts); the paginator adds none.
    assert len([q for q in many.captured_queries if "COUNT(" in q["sql"].upper()]) == len(Bucket.ALL_BUCKETS)


@freeze_time("2026-03-03 03:00:00")
def test_counts_stop_at_the_cap_and_the_tab_says_there_are_more(client, people, desk, monkeypatch):
    """A busy desk is not counted to the last dossier on every page: beyond the cap the tab says "N+"."""
    monkeypatch.setattr("dichvucong.processing.selectors.INBOX_COUNT_CAP", 0)
    monkeypatch.setattr(inbox_view, "INBOX_COUNT_CAP", 0)
    response = page_of(client, people.receptionist_binh)
    tabs = {value: (count, capped) for value, _label, count, capped in response.context["tabs"]}
    assert tabs["tat-ca"] == (1, True) and tabs["dang-xu-ly"] == (0, False)
    assert 'id="tab-tat-ca"' in response.content.decode()
    assert "(0+)" in response.content.decode()
