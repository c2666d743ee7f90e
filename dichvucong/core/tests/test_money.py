import pytest

from dichvucong.core.money import format_vnd


@pytest.mark.parametrize(
    ("amount", "text"),
    [(0, "0 đ"), (8000, "8.000 đ"), (1000000, "1.000.000 đ"), (200000, "200.000 đ"), (-5000, "-5.000 đ")],
)
def test_amounts_are_shown_with_dots_and_the_dong_sign(amount, text):
    assert format_vnd(amount) == text


def test_no_amount_shows_nothing():
    assert format_vnd(None) == ""
