import pytest

from dichvucong.catalog.search import SearchParams, procedure_search

from .factories import make_procedure

pytestmark = pytest.mark.django_db


def codes(**params):
    return list(procedure_search(SearchParams(**params)).values_list("code", flat=True))


@pytest.mark.parametrize(
    "query", ["dang ky khai sinh", "Đăng ký khai sinh", "ĐĂNG KÝ KHAI SINH", "đăng ky khai sinh"]
)
def test_it_finds_birth_registration_first_with_or_without_diacritics(query):
    assert codes(q=query)[0] == "1.001193"


def test_it_finds_a_procedure_by_its_code():
    assert codes(q="1.001193")[0] == "1.001193"
    assert codes(q=" 2.000815 ")[0] == "2.000815"


def test_it_finds_a_procedure_by_part_of_its_code():
    assert "1.001193" in codes(q="001193")


def test_it_finds_procedures_by_keywords_people_use():
    assert codes(q="lam giay khai sinh")[0] == "1.001193"


def test_it_ranks_exact_then_phrase_then_all_words_then_partial():
    """GIVEN procedures whose names match "giay phep xay dung" more or less well
    WHEN searching for it
    THEN the order is: exact name, phrase in the name, all words in the name, all words anywhere,
    some words."""
    some = make_procedure("Cấp giấy phép lái xe", popularity=1000)
    anywhere = make_procedure("Thủ tục về công trình", keywords=["giấy phép xây dựng"])
    all_words = make_procedure("Xây dựng lại, cấp giấy phép mới")
    phrase = make_procedure("Cấp giấy phép xây dựng nhà ở riêng lẻ")
    exact = make_procedure("Giấy phép xây dựng")

    found = codes(q="giay phep xay dung", field="thu-nghiem")

    assert found == [exact.code, phrase.code, all_words.code, anywhere.code, some.code]


def test_equal_matches_are_ordered_by_popularity_then_name():
    low = make_procedure("Thử nghiệm Alpha", popularity=1)
    high = make_procedure("Thử nghiệm Beta", popularity=50)
    same_b = make_procedure("Thử nghiệm Delta")
    same_a = make_procedure("Thử nghiệm Charlie")
    assert codes(q="thu nghiem", field="thu-nghiem") == [high.code, low.code, same_a.code, same_b.code]


def test_filters_narrow_the_results():
    land = codes(field="dat-dai")
    assert land and set(land) <= {"1.013978", "1.012796", "1.012790"}
    province_level = codes(level="province")
    assert "1.012790" in province_level and "1.001193" not in province_level
    assert "1.001193" in codes(q="khai sinh", province="31")
    at_thuong_hong = codes(agency="10993.ttpvhcc")
    assert "1.001193" in at_thuong_hong and "1.012790" not in at_thuong_hong


def test_a_filter_with_an_unknown_value_returns_nothing_rather_than_an_error():
    assert codes(field="khong-co") == []
    assert codes(province="99") == []


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "' OR 1=1 --",
        'khai sinh"; DROP TABLE catalog_procedure; --',
        "😀🇻🇳",
        "NEAR(khai sinh) AND OR NOT *",
        "a" * 10000,
        "khai " * 3000,
        "   ",
        "%_%",
    ],
)
def test_any_query_returns_a_normal_page(client, query):
    response = client.get("/thu-tuc/", {"q": query})
    assert response.status_code == 200
    assert "thủ tục" in response.content.decode()


def test_a_query_with_a_nul_byte_returns_a_normal_page(client):
    assert client.get("/thu-tuc/?q=khai%00sinh").status_code == 200
