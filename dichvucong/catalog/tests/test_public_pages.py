import io

import pytest
from pypdf import PdfReader

from dichvucong.catalog.models import Offering

pytestmark = pytest.mark.django_db


def test_the_home_page_offers_search_popular_procedures_and_fields(client):
    page = client.get("/").content.decode()
    assert 'role="search"' in page and 'name="q"' in page
    assert "Đăng ký khai sinh" in page
    assert "Hộ tịch" in page and "Đất đai" in page


def test_the_catalogue_lists_results_with_pagination(client, settings):
    settings.CATALOG_PAGE_SIZE = 5
    first = client.get("/thu-tuc/").content.decode()
    assert "Trang 1/" in first and "trang=2" in first
    second = client.get("/thu-tuc/", {"trang": "2"})
    assert second.status_code == 200
    assert client.get("/thu-tuc/", {"trang": "9999"}).status_code == 200
    assert client.get("/thu-tuc/", {"trang": "abc"}).status_code == 200


def test_a_very_broad_search_is_counted_up_to_a_cap_and_asks_for_precision(client, settings):
    settings.CATALOG_SEARCH_MAX_RESULTS = 3
    settings.CATALOG_PAGE_SIZE = 2
    page = client.get("/thu-tuc/", {"q": "dang ky"}).content.decode()
    assert "Có hơn 3 thủ tục phù hợp" in page
    assert "Trang 1/2" in page
    assert client.get("/thu-tuc/", {"q": "dang ky", "trang": "50"}).context["page"].number == 2


def test_search_results_show_the_procedure_first(client):
    page = client.get("/thu-tuc/", {"q": "dang ky khai sinh"}).content.decode()
    assert page.index("/thu-tuc/1.001193/") < page.index("/thu-tuc/1.000656/")


def test_htmx_searches_get_only_the_results_block(client):
    response = client.get("/thu-tuc/", {"q": "khai sinh"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert "/thu-tuc/1.001193/" in body
    assert "HX-Request" in response["Vary"]  # a browser cache must not serve the fragment as the page


def test_the_procedure_page_shows_everything_a_citizen_needs(client):
    page = client.get("/thu-tuc/1.001193/").content.decode()
    for text in (
        "Đăng ký khai sinh",
        "1.001193",
        "Giấy chứng sinh",  # a document
        "Xuất trình",  # a document shown at the desk
        "Tờ khai đăng ký khai sinh (PDF)",  # template download
        "Trong ngày; nhận hồ sơ sau 15:00",  # time with the 15:00 rule
        "Miễn phí",  # fee
        "8.000 đ/bản",
        "Toàn trình",
        "Luật Hộ tịch số 60/2014/QH13",  # legal basis
        "Tờ khai điện tử",
        "Chọn cơ quan thực hiện",
    ):
        assert text in page, text


def test_an_unknown_procedure_code_gets_a_friendly_404(client):
    for code in ("9.999999", "khong-co", "1.001193x", "<script>"):
        response = client.get(f"/thu-tuc/{code}/")
        assert response.status_code == 404
        body = response.content.decode()
        assert "Không tìm thấy trang bạn cần" in body and 'name="q"' in body


def test_a_form_template_downloads_as_a_real_pdf_with_its_title(client, pdf_rendering):
    response = client.get("/thu-tuc/1.001193/mau/to-khai-dang-ky-khai-sinh.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="to-khai-dang-ky-khai-sinh.pdf"'
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"%PDF-")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "TỜ KHAI ĐĂNG KÝ KHAI SINH" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text


def test_an_unknown_form_template_is_a_404(client):
    assert client.get("/thu-tuc/1.001193/mau/khong-co.pdf").status_code == 404


def test_the_chooser_lists_provinces_then_the_places_offering_the_procedure(client):
    page = client.get("/thu-tuc/1.001193/co-quan/").content.decode()
    assert "Thành phố Hải Phòng" in page and "Xã Thượng Hồng" not in page

    page = client.get("/thu-tuc/1.001193/co-quan/", {"tinh": "31"}).content.decode()
    assert "Xã Thượng Hồng" in page
    assert "Phường Thượng Hồng" not in page  # 12127 is in Hưng Yên, not Hải Phòng


def test_choosing_a_commune_shows_the_agency_and_its_service_level(client):
    offering = Offering.objects.get(procedure__code="1.001193", unit__code="10993")
    page = client.get("/thu-tuc/1.001193/co-quan/", {"tinh": "31", "noi-nop": offering.pk}).content.decode()
    assert "Ủy ban nhân dân xã Thượng Hồng" in page
    assert "Trung tâm Phục vụ hành chính công xã Thượng Hồng" in page
    assert "Toàn trình" in page


def test_the_chooser_answers_htmx_with_the_step_block_only(client):
    response = client.get("/thu-tuc/1.001193/co-quan/", {"tinh": "31"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and 'id="noi-nop"' in body
    offering = Offering.objects.get(procedure__code="1.001193", unit__code="10993")
    response = client.get(
        "/thu-tuc/1.001193/co-quan/", {"tinh": "31", "noi-nop": offering.pk}, HTTP_HX_REQUEST="true"
    )
    assert "Ủy ban nhân dân xã Thượng Hồng" in response.content.decode()


def test_the_chooser_ignores_a_place_from_another_province_or_garbage(client):
    other = Offering.objects.get(procedure__code="1.001193", unit__code="12127")
    for value in (other.pk, "abc", "-1", "9" * 30):
        page = client.get("/thu-tuc/1.001193/co-quan/", {"tinh": "31", "noi-nop": value})
        assert page.status_code == 200
        assert "Nơi thực hiện đã chọn" not in page.content.decode()


def test_the_agency_page_lists_what_the_commune_offers(client):
    page = client.get("/co-quan/10993.ubnd/").content.decode()
    assert "Ủy ban nhân dân xã Thượng Hồng" in page
    assert "Thứ Hai – Thứ Sáu" in page  # opening hours
    assert "/thu-tuc/1.001193/" in page
    assert "/thu-tuc/2.000821/" in page  # settled by the province's social insurance, received here
    assert "Toàn trình" in page


def test_an_unknown_agency_gets_a_friendly_404(client):
    assert client.get("/co-quan/khong-co/").status_code == 404


def test_the_agency_directory_finds_a_commune_in_any_spelling(client):
    page = client.get("/co-quan/", {"tinh": "31", "q": "thuong hong"}).content.decode()
    assert "Trung tâm Phục vụ hành chính công xã Thượng Hồng" in page


def test_the_security_advice_page_gives_the_founding_documents_advice(client):
    page = client.get("/an-toan-thong-tin/").content.decode()
    for text in (
        "trang chính thức",
        "chữ cái, chữ số và ký tự đặc biệt",
        "không dùng chung",
        "số thẻ ngân hàng",
        "Xóa lịch sử duyệt web",
    ):
        assert text in page, text


def test_a_form_download_without_the_pdf_libraries_says_so_instead_of_failing(client, monkeypatch):
    from dichvucong.catalog import views
    from dichvucong.core.pdf import PdfUnavailable

    def unavailable(*args, **kwargs):
        raise PdfUnavailable("libpango-1.0-0 not found")

    monkeypatch.setattr(views, "render_pdf", unavailable)
    response = client.get("/thu-tuc/1.000656/mau/to-khai-dang-ky-khai-tu.pdf")
    assert response.status_code == 503
    assert "Tạm thời chưa tải được mẫu đơn" in response.content.decode()
