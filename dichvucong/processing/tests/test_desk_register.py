"""Form 7, the register (/mot-cua/so-theo-doi/): dossiers received, processed or returned in a period, as
CSV (UTF-8 with BOM) and XLSX, with the national index's classification: early, on time or late, the
supplement waits subtracted, a second supplement request and an extension counted late."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from freezegun import freeze_time

from dichvucong.accounts.models import StaffRole
from dichvucong.accounts.tests.factories import make_citizen
from dichvucong.accounts.tests.officials import make_official, sign_in_verified
from dichvucong.catalog.models import Offering
from dichvucong.core.calendar import EARLY, LATE, ON_TIME
from dichvucong.dossiers.services.transitions import dossier_submit_supplement
from dichvucong.dossiers.tests.factories import make_dossier
from dichvucong.processing.register import dossier_timeliness, register_columns, spreadsheet_safe
from dichvucong.processing.services.deadlines import dossier_extend

from .helpers import step

pytestmark = pytest.mark.django_db
REGISTER = reverse("processing:register")
MARCH = {"tu": "01/03/2026", "den": "31/03/2026"}
RECEIVED_AT = "2026-03-03 02:00:00"  # Tuesday 09:00; 3 working days: due Friday 6/3 at the end of the day


def local(day: int, hour: int = 9, month: int = 3) -> str:
    """A moment of 2026 in Hà Nội time, for freeze_time (which takes UTC)."""
    return (dt.datetime(2026, month, day, hour) - dt.timedelta(hours=7)).isoformat()


def certificate_offering() -> Offering:
    """Cấp Giấy xác nhận tình trạng hôn nhân (1.004873) at Xã Thượng Hồng: 3 working days."""
    return Offering.objects.get(procedure__code="1.004873", unit__code="10993")


def walk(people, dossier, *moves):
    """Apply (moment, service name) moves in order, time frozen at each."""
    for moment, name in moves:
        with freeze_time(moment):
            if name == "answer":
                dossier_submit_supplement(dossier_id=dossier.pk, user=dossier.applicant)
                dossier.refresh_from_db()
            else:
                dossier = step(people, dossier, name)
    return dossier


@pytest.fixture
def march(people):
    """Dossiers of 1.004873 received on Tue 3/3, decided early, on time, late, after a paused wait, after
    two supplement requests, after an extension; one returned; one still open; one received in April."""
    offering = certificate_offering()

    def received(name):
        with freeze_time(RECEIVED_AT):
            citizen = make_citizen(full_name=name)
            return step(people, make_dossier(citizen, offering=offering), "receive")

    to_result = ["forward", "submit_for_approval", "approve"]
    d = {}
    d["early"] = walk(people, received("Trước Hạn"), *[(local(4, 9 + i), n) for i, n in enumerate(to_result)])
    d["on_time"] = walk(
        people, received("Đúng Hạn"), *[(local(6, 9 + i), n) for i, n in enumerate(to_result)]
    )
    d["late"] = walk(people, received("Quá Hạn"), *[(local(9, 9 + i), n) for i, n in enumerate(to_result)])
    # Waiting for the citizen from Wed 4/3 to Mon 9/3: the appointment moves; decided Tue 10/3.
    d["paused"] = walk(
        people,
        received("Chờ Bổ Sung"),
        (local(3, 10), "forward"),
        (local(4), "supplement"),
        (local(9), "answer"),
        (local(10), "submit_for_approval"),
        (local(10, 10), "approve"),
    )
    d["twice"] = walk(
        people,
        received("Bổ Sung Hai Lần"),
        (local(3, 10), "forward"),
        (local(3, 11), "supplement"),
        (local(3, 12), "answer"),
        (local(3, 13), "supplement"),
        (local(3, 14), "answer"),
        (local(3, 15), "submit_for_approval"),
        (local(3, 16), "approve"),
    )
    d["extended"] = walk(people, received("Gia Hạn"), (local(3, 10), "forward"))
    with freeze_time(local(5)):
        dossier_extend(
            dossier_id=d["extended"].pk,
            official=people.specialist_chi,
            agency=people.competent,
            approver=people.approver_dung,
            reason="Chờ xác minh.",
            new_due=dt.date(2026, 3, 13),
        )
    d["extended"] = walk(
        people, d["extended"], (local(11), "submit_for_approval"), (local(11, 10), "approve")
    )
    d["returned"] = walk(
        people, received("Đã Trả"), *[(local(4, 9 + i), n) for i, n in enumerate([*to_result, "return"])]
    )
    d["open"] = received("Đang Mở")
    with freeze_time(local(1, month=4)):
        d["april"] = step(
            people, make_dossier(make_citizen(full_name="Tháng Tư"), offering=offering), "receive"
        )
    return d


def test_the_index_classifies_early_on_time_and_late(march):
    now = dt.datetime.fromisoformat(local(20)).replace(tzinfo=dt.UTC)
    tiers = {name: dossier_timeliness(dossier, now=now) for name, dossier in march.items()}
    assert tiers["early"] == EARLY and tiers["on_time"] == ON_TIME and tiers["late"] == LATE
    # Decided after the first appointment (6/3) but within it once the wait is subtracted.
    first_due = dt.datetime.fromisoformat(march["paused"].events.get(action="receive").detail["due"])
    assert march["paused"].finished_at > first_due
    assert tiers["paused"] in (EARLY, ON_TIME)
    assert tiers["twice"] == LATE  # decided the same day, but asked twice for a supplement
    assert tiers["extended"] == LATE  # an apology and a new appointment: it was late
    assert tiers["open"] == LATE  # still open after its appointment
    assert dossier_timeliness(march["open"], now=dt.datetime(2026, 3, 4, 2, tzinfo=dt.UTC)) == ""


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # Excel reads the file as UTF-8
    return list(csv.reader(io.StringIO(body[1:])))


def test_the_csv_lists_the_dossiers_received_in_the_period_with_their_timeliness(client, people, march):
    sign_in_verified(client, people.receptionist_binh)
    with freeze_time(local(20)):
        response = client.get(
            reverse("processing:register_download", args=["csv"]), {**MARCH, "loai": "tiep-nhan"}
        )
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"] and ".csv" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == register_columns()
    by_code = {row[1]: row for row in rows[1:]}
    assert set(by_code) == {d.code for name, d in march.items() if name != "april"}
    assert [row[0] for row in rows[1:]] == [str(n) for n in range(1, len(rows))]
    early = by_code[march["early"].code]
    assert early[2] == march["early"].version.name
    assert early[3] == "Trước Hạn" and early[4] == "09:00 03/03/2026" and early[5] == "17:00 06/03/2026"
    assert early[6].endswith("04/03/2026") and early[7] == "" and early[9] == "Đã có kết quả"
    assert early[10] == "Trước hạn"
    assert by_code[march["on_time"].code][10] == "Đúng hạn"
    assert by_code[march["late"].code][10] == "Quá hạn"
    assert by_code[march["twice"].code][10] == "Quá hạn"
    assert by_code[march["extended"].code][10] == "Quá hạn"
    assert by_code[march["paused"].code][10] in ("Trước hạn", "Đúng hạn")
    returned = by_code[march["returned"].code]
    assert returned[7].endswith("04/03/2026") and returned[8] == "Trả kết quả tại bộ phận một cửa"


def test_the_xlsx_lists_the_dossiers_processed_in_the_period(client, people, march):
    sign_in_verified(client, people.approver_dung)  # a leader of the deciding agency
    with freeze_time(local(20)):
        response = client.get(
            reverse("processing:register_download", args=["xlsx"]), {**MARCH, "loai": "da-giai-quyet"}
        )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert "Hồ sơ đã giải quyết" in rows[0][0] and rows[1][0] == "Từ ngày 01/03/2026 đến ngày 31/03/2026"
    assert list(rows[3]) == register_columns()
    lines = {row[1]: row for row in rows[4:]}
    assert set(lines) == {
        march[name].code for name in ("early", "on_time", "late", "paused", "twice", "extended", "returned")
    }
    early = lines[march["early"].code]
    assert early[4] == dt.datetime(2026, 3, 3, 9, 0) and early[5] == dt.datetime(2026, 3, 6, 17, 0)
    assert early[10] == "Trước hạn" and lines[march["late"].code][10] == "Quá hạn"
    assert sheet.cell(row=5, column=5).number_format == "hh:mm dd/mm/yyyy"


def test_the_returned_register_and_the_page_count(client, people, march):
    sign_in_verified(client, people.receptionist_binh)
    response = client.get(REGISTER, {**MARCH, "loai": "da-tra"})
    assert response.status_code == 200 and response.context["count"] == 1
    page = response.content.decode()
    assert "1 hồ sơ" in page and reverse("processing:register_download", args=["xlsx"]) in page
    rows = read_csv(
        client.get(reverse("processing:register_download", args=["csv"]), {**MARCH, "loai": "da-tra"})
    )
    assert [row[1] for row in rows[1:]] == [march["returned"].code]


def test_the_page_defaults_to_the_current_month_of_received_dossiers(client, people):
    sign_in_verified(client, people.receptionist_binh)
    with freeze_time("2026-02-10 03:00:00"):
        response = client.get(REGISTER)
    form = response.context["form"]
    assert form.cleaned_data["tu"] == dt.date(2026, 2, 1) and form.cleaned_data["den"] == dt.date(2026, 2, 28)
    assert form.kind == "received" and response.context["count"] == 0
    assert 'value="01/02/2026"' in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"tu": "31/03/2026", "den": "01/03/2026", "loai": "tiep-nhan"},
            "Ngày kết thúc phải từ ngày bắt đầu",
        ),
        ({"tu": "01/01/2025", "den": "31/03/2026", "loai": "tiep-nhan"}, "tối đa một năm"),
        ({"tu": "2026-13-01", "den": "31/03/2026", "loai": "tiep-nhan"}, "dd/mm/yyyy"),
        ({"tu": "01/03/2026", "den": "31/03/2026", "loai": "khac"}, "Chọn loại sổ"),
    ],
)
def test_a_bad_period_is_explained_and_nothing_is_exported(client, people, params, message):
    sign_in_verified(client, people.receptionist_binh)
    response = client.get(REGISTER, params)
    assert response.status_code == 400 and message in response.content.decode()
    download = client.get(reverse("processing:register_download", args=["csv"]), params)
    assert download.status_code == 400 and download["Content-Type"].startswith("text/html")


def test_who_may_read_the_register(client, people, march):
    sign_in_verified(client, people.specialist_chi)
    assert client.get(REGISTER).status_code == 403
    admin = make_official(
        "hoa.le", full_name="Lê Văn Hòa", agency=people.reception, roles=[StaffRole.AGENCY_ADMIN]
    )
    sign_in_verified(client, admin)
    assert client.get(REGISTER, {**MARCH, "loai": "tiep-nhan"}).context["count"] == 8
    sign_in_verified(client, people.official_giang)  # another agency's receptionist: none of A's
    assert client.get(REGISTER, {**MARCH, "loai": "tiep-nhan"}).context["count"] == 0


def test_text_that_looks_like_a_formula_is_written_as_text(client, people):
    with freeze_time(RECEIVED_AT):
        citizen = make_citizen(full_name='=HYPERLINK("http://evil.example","Bấm")')
        step(people, make_dossier(citizen, offering=certificate_offering()), "receive")
    assert spreadsheet_safe("=1+1") == "'=1+1" and spreadsheet_safe("Nguyễn") == "Nguyễn"
    sign_in_verified(client, people.receptionist_binh)
    rows = read_csv(
        client.get(reverse("processing:register_download", args=["csv"]), {**MARCH, "loai": "tiep-nhan"})
    )
    assert rows[1][3].startswith("'=HYPERLINK")
    response = client.get(
        reverse("processing:register_download", args=["xlsx"]), {**MARCH, "loai": "tiep-nhan"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    assert (
        sheet.cell(row=5, column=4).value.startswith("'=HYPERLINK")
        and sheet.cell(row=5, column=4).data_type == "s"
    )
