"""The one-stop paper documents (forms 1–6) and results, rendered to PDF and read back with pypdf.

Forms 4 and 6 read stand-in objects (SimpleNamespace) with the attributes of processing's Extension
and DossierStep, so these tests do not depend on how those rows are written.
"""

import datetime as dt
import io
import re
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from pypdf import PdfReader

from dichvucong.accounts.models import StaffRole
from dichvucong.accounts.tests.factories import make_citizen
from dichvucong.accounts.tests.officials import make_official
from dichvucong.catalog.models import Offering
from dichvucong.dossiers.codes import dossier_code_next
from dichvucong.dossiers.models import Channel, Delivery, Dossier, SupplementRequest
from dichvucong.dossiers.tests.drafts import complete_birth_draft
from dichvucong.dossiers.tests.factories import SUPPLEMENT_ITEMS, default_offering, make_dossier
from dichvucong.dossiers.workflow import Outcome, State
from dichvucong.processing import paper

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
RECEIVED_AT = dt.datetime(2026, 11, 23, 9, 15, tzinfo=LOCAL)
DUE_AT = dt.datetime(2026, 11, 24, 16, 30, tzinfo=LOCAL)
VERIFY_URL = "http://127.0.0.1:8000/xac-thuc/Q2hhbmdlLW1lLXRva2VuLWZvci10ZXN0cw/"


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def squeezed(text: str) -> str:
    """Without whitespace: long addresses wrap across lines in the PDF."""
    return re.sub(r"\s+", "", text)


def drawn_lines(pdf: bytes) -> int:
    """Line segments drawn on the first page: an inline SVG QR code draws hundreds, a page of text and
    rules a handful."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    content = page.get_contents().get_data()
    for xobject in (page.get("/Resources") or {}).get("/XObject", {}).values():
        content += xobject.get_object().get_data()
    return len(re.findall(rb"\bl\b", content))


@pytest.fixture
def citizen_an(db):
    return make_citizen(full_name="Nguyễn Văn An", address_street="Số 12 ngõ Hoa Sữa")


@pytest.fixture
def receptionist_chi(db):
    offering = default_offering()
    return make_official(
        "tiepnhan.chi",
        full_name="Lê Thị Chi",
        agency=offering.reception_agency,
        roles=[StaffRole.RECEPTIONIST],
    )


@pytest.fixture
def specialist_dung(db):
    offering = default_offering()
    return make_official(
        "chuyenvien.dung", full_name="Phạm Văn Dũng", agency=offering.agency, roles=[StaffRole.SPECIALIST]
    )


@pytest.fixture
def approver_em(db):
    offering = default_offering()
    return make_official(
        "lanhdao.em", full_name="Hoàng Thị Em", agency=offering.agency, roles=[StaffRole.APPROVER]
    )


def _received(dossier: Dossier) -> Dossier:
    """Received at the desk at fixed times (a draft is submitted first: code and state only)."""
    if dossier.state == State.DRAFT:
        dossier.code = dossier_code_next(agency=dossier.reception_agency, when=RECEIVED_AT)
        dossier.submitted_at = RECEIVED_AT - dt.timedelta(hours=1)
        dossier.state = State.RECEIVED
    dossier.received_at = RECEIVED_AT
    dossier.due_date = DUE_AT
    dossier.save()
    return dossier


@pytest.fixture
def birth_dossier(citizen_an):
    """Đăng ký khai sinh filed online with the e-form and the birth certificate, then received."""
    return _received(complete_birth_draft(citizen_an))


# --- Form 1 ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_receipt_prints_the_code_applicant_documents_and_appointment(
    pdf_rendering, birth_dossier, citizen_an, receptionist_chi
):
    text = pdf_text(paper.receipt_pdf(birth_dossier, received_by=receptionist_chi))

    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert birth_dossier.code in text
    assert "Nguyễn Văn An" in text and citizen_an.personal_id in text
    assert "Số 12 ngõ Hoa Sữa" in text
    assert "Đăng ký khai sinh" in text
    documents = squeezed(text)  # table cells wrap
    assert squeezed("Tờ khai đăng ký khai sinh (điện tử)") in documents
    assert "Giấychứngsinh" in documents and "Bảnchính" in documents and "1tệp" in documents
    assert "Thời gian nhận hồ sơ: 09:15 23/11/2026" in text
    assert "Ngày hẹn trả kết quả: 16 giờ 30 phút, ngày 24/11/2026" in text
    assert "Nhận kết quả điện tử trên cổng" in text
    assert "Lê Thị Chi" in text
    assert "Thượng Hồng, ngày 23 tháng 11 năm 2026" in text


@pytest.mark.django_db
def test_the_receipt_carries_a_qr_code_and_the_address_to_follow_the_dossier(
    pdf_rendering, settings, birth_dossier, receptionist_chi
):
    settings.SITE_URL = "https://dichvucong.example.vn/"
    url = f"https://dichvucong.example.vn/tra-cuu/?MHS={birth_dossier.code}"

    _template, context = paper.receipt_context(birth_dossier, received_by=receptionist_chi)
    pdf = paper.receipt_pdf(birth_dossier, received_by=receptionist_chi)

    assert paper.lookup_url(birth_dossier) == url
    assert context["lookup_qr"] == paper.qr_svg(url, title="Mã QR tra cứu hồ sơ")
    assert context["lookup_qr"].startswith("<svg")
    text = pdf_text(pdf)
    assert squeezed("Quét mã QR hoặc truy cập địa chỉ dưới đây để theo dõi tình trạng") in squeezed(text)
    assert url in squeezed(text)
    assert drawn_lines(pdf) > 100


@pytest.mark.django_db
def test_only_an_applicant_at_the_desk_signs_the_receipt(pdf_rendering, citizen_an, receptionist_chi):
    signs = {}
    for channel in Channel:
        dossier = _received(make_dossier(citizen_an, received=True))
        Dossier.objects.filter(pk=dossier.pk).update(channel=channel)
        dossier.refresh_from_db()
        text = pdf_text(paper.receipt_pdf(dossier, received_by=receptionist_chi))
        signs[channel] = "NGƯỜI NỘP HỒ SƠ" in text
        assert "Lê Thị Chi" in text and dossier.code in squeezed(text)

    assert signs == {Channel.IN_PERSON: True, Channel.ONLINE: False, Channel.POSTAL: False}


@pytest.mark.django_db
def test_a_result_sent_by_post_shows_the_address_on_the_receipt(citizen_an, receptionist_chi):
    dossier = _received(make_dossier(citizen_an, received=True))
    dossier.delivery = Delivery.POST
    dossier.delivery_address = {"recipient": "Nguyễn Văn An", "street": "Thôn Đông", "phone": "0912345678"}
    dossier.save()

    _template, context = paper.receipt_context(dossier, received_by=receptionist_chi)

    assert context["delivery"] == {
        "method": "Nhận qua dịch vụ bưu chính",
        "address": "Nguyễn Văn An, Thôn Đông, 0912345678",
    }


@pytest.mark.django_db
def test_the_date_line_follows_decree_30_leading_zeros(citizen_an, receptionist_chi):
    dossier = _received(make_dossier(citizen_an, received=True))
    for when, day, month in (
        (dt.datetime(2026, 2, 5, 10, 0, tzinfo=LOCAL), "05", "02"),
        (dt.datetime(2026, 3, 5, 10, 0, tzinfo=LOCAL), "05", "3"),
        (dt.datetime(2026, 11, 23, 10, 0, tzinfo=LOCAL), "23", "11"),
    ):
        dossier.received_at = when
        header = paper.receipt_context(dossier, received_by=receptionist_chi)[1]["header"]
        assert (header["day"], header["month"], header["year"]) == (day, month, "2026")


@pytest.mark.django_db
def test_the_receipt_prints_in_vietnamese_in_an_english_session(
    pdf_rendering, birth_dossier, receptionist_chi
):
    with translation.override("en"):
        text = pdf_text(paper.receipt_pdf(birth_dossier, received_by=receptionist_chi))
        assert translation.get_language() == "en"

    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "16 giờ 30 phút, ngày 24/11/2026" in text


# --- Form 2 ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_supplement_request_lists_each_item_with_its_reason_and_guidance(
    pdf_rendering, citizen_an, receptionist_chi
):
    dossier = _received(make_dossier(citizen_an, received=True))
    request = SupplementRequest.objects.create(
        dossier=dossier, number=1, requested_by=receptionist_chi, items=SUPPLEMENT_ITEMS
    )

    text = pdf_text(paper.supplement_request_pdf(dossier, request))

    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert dossier.code in text and "Nguyễn Văn An" in text
    for item in SUPPLEMENT_ITEMS:
        for value in (item["name"], item["reason"], item["guidance"]):
            assert squeezed(value) in squeezed(text)
    assert "Lê Thị Chi" in text
    assert "Lần thứ" not in text


@pytest.mark.django_db
def test_a_second_supplement_request_says_so(pdf_rendering, citizen_an, receptionist_chi):
    dossier = _received(make_dossier(citizen_an, received=True))
    request = SupplementRequest.objects.create(
        dossier=dossier, number=2, requested_by=receptionist_chi, items=SUPPLEMENT_ITEMS[:1]
    )

    assert "(Lần thứ 2)" in pdf_text(paper.supplement_request_pdf(dossier, request))


@pytest.mark.django_db
def test_an_item_without_a_name_is_named_after_its_required_document(citizen_an, receptionist_chi):
    dossier = _received(make_dossier(citizen_an, received=True))
    document = dossier.version.documents.get(name__startswith="Giấy chứng sinh")
    request = SupplementRequest.objects.create(
        dossier=dossier,
        requested_by=receptionist_chi,
        items=[{"required_document": document.pk, "name": "", "reason": "Bản chụp bị mờ.", "guidance": ""}],
    )

    items = paper.supplement_request_context(dossier, request)[1]["items"]

    assert items == [{"name": document.name, "reason": "Bản chụp bị mờ.", "guidance": ""}]


# --- Form 3 ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_refusal_gives_its_reason(pdf_rendering, citizen_an, receptionist_chi):
    dossier = _received(make_dossier(citizen_an, received=True))
    reason = "Hồ sơ không thuộc thẩm quyền giải quyết của Ủy ban nhân dân xã Thượng Hồng."

    pdf = paper.refusal_pdf(dossier, reason=reason, refused_by=receptionist_chi)
    text = pdf_text(pdf)

    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert dossier.code in text and "Nguyễn Văn An" in text
    assert squeezed(reason) in squeezed(text)
    assert "Lê Thị Chi" in text
    assert drawn_lines(pdf) < 50  # no QR code on a refusal


# --- Form 4 ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_apology_gives_the_reason_the_old_and_the_new_appointment(pdf_rendering, citizen_an, approver_em):
    dossier = _received(make_dossier(citizen_an, in_progress=True))
    extension = SimpleNamespace(
        number=1,
        reason="Cần xác minh thông tin nơi sinh với cơ sở y tế.",
        previous_due=DUE_AT,
        new_due=dt.datetime(2026, 11, 27, 10, 0, tzinfo=LOCAL),
        approved_by=approver_em,
        created_at=dt.datetime(2026, 11, 24, 15, 0, tzinfo=LOCAL),
    )

    text = pdf_text(paper.extension_pdf(dossier, extension))

    assert "VĂN BẢN XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert "Kính gửi: Ông Nguyễn Văn An" in text
    assert dossier.code in text
    assert squeezed(extension.reason) in squeezed(text)
    assert "16 giờ 30 phút, ngày 24/11/2026" in text
    assert "10 giờ 00 phút, ngày 27/11/2026" in text
    assert "Hoàng Thị Em" in text
    assert "ngày 24 tháng 11 năm 2026" in text
    assert "Lần thứ" not in text


@pytest.mark.django_db
def test_a_second_apology_without_an_approver_yet_still_prints(pdf_rendering, citizen_an):
    dossier = _received(make_dossier(citizen_an, in_progress=True))
    extension = SimpleNamespace(
        number=2,
        reason="Chờ kết quả liên thông.",
        previous_due=None,
        new_due=dt.datetime(2026, 12, 1, 16, 0, tzinfo=LOCAL),
        approved_by=None,
        created_at=dt.datetime(2026, 11, 27, 9, 0, tzinfo=LOCAL),
    )

    text = pdf_text(paper.extension_pdf(dossier, extension))

    assert "(Lần thứ 2)" in text and "ngày 01/12/2026" in text


# --- Form 5 ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_stop_notice_gives_the_reason_and_the_legal_basis(pdf_rendering, citizen_an, specialist_dung):
    dossier = _received(make_dossier(citizen_an, in_progress=True))
    reason = "Người yêu cầu không bổ sung hồ sơ trong thời hạn đã hẹn."
    basis = "Khoản 2 Điều 19 Nghị định 61/2018/NĐ-CP."

    text = pdf_text(
        paper.stop_notice_pdf(dossier, reason=reason, stopped_by=specialist_dung, legal_basis=basis)
    )

    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text
    assert dossier.code in text and "Nguyễn Văn An" in text
    assert squeezed(reason) in squeezed(text)
    assert "Căn cứ:" in text and squeezed(basis) in squeezed(text)
    assert "Phạm Văn Dũng" in text


@pytest.mark.django_db
def test_a_stop_notice_without_a_legal_basis_prints_no_empty_heading(
    pdf_rendering, citizen_an, specialist_dung
):
    dossier = _received(make_dossier(citizen_an, in_progress=True))

    text = pdf_text(
        paper.stop_notice_pdf(dossier, reason="Người yêu cầu rút hồ sơ.", stopped_by=specialist_dung)
    )

    assert "Người yêu cầu rút hồ sơ." in text and "Căn cứ:" not in text


# --- Form 6 ----------------------------------------------------------------------------------------


def _step(order, name, *, giver=None, receiver=None, role_label="", **times):
    """A row of form 6 as processing will hand it over (received, due, finished, note, timeliness)."""
    return SimpleNamespace(
        order=order,
        name=name,
        handed_over_by=giver,
        assigned_to=receiver,
        role_label=role_label,
        received_at=times.get("received"),
        due_at=times.get("due"),
        finished_at=times.get("finished"),
        note=times.get("note", ""),
        timeliness=times.get("timeliness"),
    )


@pytest.mark.django_db
def test_the_control_sheet_lists_each_hand_over_with_its_timeliness(
    pdf_rendering, citizen_an, receptionist_chi, specialist_dung, approver_em
):
    dossier = _received(make_dossier(citizen_an, in_progress=True))
    at = lambda day, hour, minute=0: dt.datetime(2026, 11, day, hour, minute, tzinfo=LOCAL)  # noqa: E731
    steps = [
        _step(3, "Lãnh đạo ký duyệt", giver=specialist_dung, role_label="Lãnh đạo ký duyệt",
              received=at(24, 11), due=at(24, 15), finished=at(24, 16), note="Đã ký", timeliness="late"),
        _step(1, "Tiếp nhận hồ sơ", giver=None, receiver=receptionist_chi, role_label="Cán bộ tiếp nhận",
              received=at(23, 9, 15), due=at(23, 10), finished=at(23, 9, 40), note="Hồ sơ đầy đủ",
              timeliness="early"),
        _step(2, "Thẩm định, xử lý hồ sơ", giver=receptionist_chi, role_label="Chuyên viên xử lý",
              received=at(23, 9, 40), due=at(24, 11), finished=at(24, 11), note="Đủ điều kiện",
              timeliness="on_time"),
        _step(4, "Trả kết quả", giver=approver_em, receiver=receptionist_chi, role_label="Cán bộ tiếp nhận",
              due=at(24, 16, 30)),
    ]  # fmt: skip

    pdf = paper.control_sheet_pdf(dossier, steps)
    text = pdf_text(pdf)

    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert dossier.code in text and "Nguyễn Văn An" in text
    flat = squeezed(text)
    assert flat.index("Tiếpnhậnhồsơ") < flat.index("Thẩmđịnh,xửlýhồsơ") < flat.index("Lãnhđạokýduyệt")
    assert "Tổ/nhómchuyênviênxửlý" in flat and "Tổ/nhómlãnhđạokýduyệt" in flat
    for name in ("Lê Thị Chi", "Phạm Văn Dũng", "Hoàng Thị Em"):
        assert squeezed(name) in flat
    assert "09:4023/11/2026" in flat and "16:3024/11/2026" in flat
    assert "Trướchạn" in flat and "Đúnghạn" in flat and "Quáhạn" in flat
    assert "Hồsơđầyđủ" in flat
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert box.width > box.height  # nine columns: landscape


def test_the_control_sheet_reads_the_back_office_step_rows_too():
    """processing.DossierStep names its attributes position, result_note and get_role_display."""
    pool = SimpleNamespace(name="Ủy ban nhân dân xã Thượng Hồng")
    step = SimpleNamespace(
        position=1,
        name="Thẩm định, xử lý hồ sơ",
        handed_over_by=None,
        assigned_to=None,
        agency=pool,
        get_role_display=lambda: "Chuyên viên xử lý",
        received_at=None,
        due_at=None,
        finished_at=None,
        result_note="Chờ xác minh",
        timeliness="",
    )

    [row] = paper.control_sheet_rows([step])

    assert row["receiver"] == "Tổ/nhóm chuyên viên xử lý (Ủy ban nhân dân xã Thượng Hồng)"
    assert row["note"] == "Chờ xác minh" and row["timeliness"] == "" and row["received"] == ""


# --- Results ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_granted_result_prints_the_decision_and_the_verification_qr_code(pdf_rendering, citizen_an):
    offering = Offering.objects.get(procedure__code="1.004873", unit__code="10993")
    dossier = _received(make_dossier(citizen_an, offering=offering, result_ready=True))

    pdf = paper.result_pdf(
        dossier,
        outcome=Outcome.GRANTED,
        decision_text="Xác nhận ông Nguyễn Văn An hiện chưa đăng ký kết hôn với ai.",
        signer_name="Hoàng Thị Em",
        verification_url=VERIFY_URL,
        number="125/UBND-XNTTHN",
        issued_at=dt.datetime(2026, 11, 25, 14, 0, tzinfo=LOCAL),
    )
    text = pdf_text(pdf)

    assert "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in text
    assert "Cấp Giấy xác nhận tình trạng hôn nhân" in text and dossier.code in text
    assert "Nguyễn Văn An" in text and citizen_an.personal_id in text
    assert "Xác nhận ông Nguyễn Văn An hiện chưa đăng ký kết hôn với ai." in text
    assert "Kết quả: Giải quyết" in text
    assert "Số: 125/UBND-XNTTHN" in text and "ngày 25 tháng 11 năm 2026" in text
    assert "Hoàng Thị Em" in text
    assert "Tra cứu tính xác thực của văn bản tại:" in text
    assert VERIFY_URL in squeezed(text)
    assert drawn_lines(pdf) > 100


@pytest.mark.django_db
def test_a_dossier_not_granted_gets_the_written_reply_with_its_reasons(pdf_rendering, birth_dossier):
    text = pdf_text(
        paper.result_pdf(
            birth_dossier,
            outcome=Outcome.NOT_GRANTED,
            decision_text="Trẻ đã được đăng ký khai sinh tại Ủy ban nhân dân phường Lê Chân.",
            signer_name="Hoàng Thị Em",
            verification_url=VERIFY_URL,
        )
    )

    assert "VĂN BẢN TRẢ LỜI KHÔNG GIẢI QUYẾT HỒ SƠ" in text
    assert "TRÍCH LỤC KHAI SINH" not in text
    assert "Kết quả: Không giải quyết" in text
    assert squeezed("Trẻ đã được đăng ký khai sinh tại Ủy ban nhân dân phường Lê Chân.") in squeezed(text)
    assert VERIFY_URL in squeezed(text)


@pytest.mark.django_db
def test_a_birth_registration_prints_the_birth_extract_from_the_e_form(pdf_rendering, birth_dossier):
    pdf = paper.result_pdf(
        birth_dossier,
        outcome=Outcome.GRANTED,
        decision_text="",
        signer_name="Hoàng Thị Em",
        verification_url=VERIFY_URL,
        number="86/2026",
        issued_at=dt.datetime(2026, 11, 23, 15, 0, tzinfo=LOCAL),
    )
    text = pdf_text(pdf)
    flat = squeezed(text)

    assert "TRÍCH LỤC KHAI SINH" in text
    assert "NGUYỄN MINH KHÔI" in text
    assert "20/11/2026" in text
    assert squeezed("Ngày hai mươi tháng mười một năm hai nghìn không trăm hai mươi sáu") in flat
    assert "Giới tính: Nam" in text and "Dân tộc: Kinh" in text and "Quốc tịch: Việt Nam" in text
    assert squeezed("Bệnh viện Phụ sản Hải Phòng") in flat
    assert "Trần Thị Bình" in text and "04/03/1992" in text
    assert "Nguyễn Văn An" in text and "01/01/1990" in text
    assert squeezed("Thôn Đông, Xã Thượng Hồng, Thành phố Hải Phòng") in flat
    assert "Số đăng ký: 86/2026" in text and "Ngày, tháng, năm đăng ký: 23/11/2026" in text
    assert squeezed("Nơi đăng ký khai sinh: Ủy ban nhân dân xã Thượng Hồng, thành phố Hải Phòng") in flat
    assert "NGƯỜI KÝ TRÍCH LỤC" in text and "Hoàng Thị Em" in text
    assert "Tra cứu tính xác thực của văn bản tại:" in text and VERIFY_URL in flat


def test_a_procedure_has_its_own_result_paper_only_when_registered_and_granted():
    assert paper.result_template("1.001193", Outcome.GRANTED) == paper.RESULT_TEMPLATES["1.001193"]
    assert paper.result_template("1.001193", Outcome.NOT_GRANTED) == paper.GENERIC_RESULT_TEMPLATE
    assert paper.result_template("2.000815", Outcome.GRANTED) == paper.GENERIC_RESULT_TEMPLATE


@pytest.mark.django_db
def test_an_unknown_outcome_is_refused(birth_dossier):
    with pytest.raises(ValueError):
        paper.result_context(
            birth_dossier, outcome="maybe", decision_text="", signer_name="", verification_url=VERIFY_URL
        )


# --- Values ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "không"),
        (5, "năm"),
        (10, "mười"),
        (15, "mười lăm"),
        (21, "hai mươi mốt"),
        (24, "hai mươi bốn"),
        (25, "hai mươi lăm"),
        (30, "ba mươi"),
        (105, "một trăm linh năm"),
        (1999, "một nghìn chín trăm chín mươi chín"),
        (2000, "hai nghìn"),
        (2005, "hai nghìn không trăm linh năm"),
        (2010, "hai nghìn không trăm mười"),
        (2026, "hai nghìn không trăm hai mươi sáu"),
    ],
)
def test_numbers_read_as_vietnamese_words(number, words):
    assert paper.number_in_words(number) == words


def test_a_date_reads_in_words_as_on_a_civil_status_paper():
    assert paper.date_in_words("2025-04-01") == "Ngày một tháng tư năm hai nghìn không trăm hai mươi lăm"
    assert paper.date_in_words(dt.date(2026, 12, 31)) == (
        "Ngày ba mươi mốt tháng mười hai năm hai nghìn không trăm hai mươi sáu"
    )
    assert paper.date_in_words(None) == ""


def test_times_print_in_vietnam_local_time():
    utc = dt.datetime(2026, 11, 23, 17, 30, tzinfo=dt.UTC)  # 00:30 on the 24th in Hà Nội

    assert paper.format_date(utc) == "24/11/2026"
    assert paper.format_moment(utc) == "00:30 24/11/2026"
    assert paper.format_appointment(utc) == "00 giờ 30 phút, ngày 24/11/2026"
    assert paper.format_moment(None) == paper.format_appointment(None) == ""
