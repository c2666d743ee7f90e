import pytest

from dichvucong.catalog.fees import FeeInput, FeeRuleError, check_tiers, fee_amount
from dichvucong.catalog.models import FeeRule

CERTIFIED_COPY = {
    "kind": "per_page",
    "amount": 0,
    "tiers": [{"from_page": 1, "amount": 2000}, {"from_page": 3, "amount": 1000}],
    "cap": 200000,
}


@pytest.mark.parametrize(
    ("pages", "copies", "amount"),
    [
        (1, 1, 2000),
        (2, 1, 4000),
        (3, 1, 5000),
        (10, 1, 12000),
        (10, 3, 36000),
        (196, 1, 198000),
        (197, 1, 199000),
        (198, 1, 200000),
        (500, 1, 200000),
        (500, 2, 400000),
    ],
)
def test_certified_copies_cost_2000_per_page_then_1000_from_page_3_capped_per_copy(pages, copies, amount):
    assert fee_amount(**CERTIFIED_COPY, data=FeeInput(pages=pages, copies=copies)) == amount


def test_per_copy_fees_multiply_and_fixed_fees_do_not():
    assert fee_amount(kind="per_copy", amount=8000, tiers=None, cap=None, data=FeeInput(copies=3)) == 24000
    assert fee_amount(kind="fixed", amount=20000, tiers=None, cap=None, data=FeeInput(copies=3)) == 20000


def test_bad_tiers_are_refused():
    with pytest.raises(FeeRuleError):
        check_tiers([{"from_page": 3, "amount": 1000}, {"from_page": 1, "amount": 2000}])
    with pytest.raises(FeeRuleError):
        check_tiers([{"from_page": 1, "amount": -1}])


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        (FeeRule(kind="fixed", amount=0), "Miễn phí"),
        (FeeRule(kind="per_copy", amount=8000), "8.000 đ/bản"),
        (FeeRule(kind="fixed", amount=20000), "20.000 đ"),
        (
            FeeRule(**CERTIFIED_COPY),
            "2.000 đ/trang (trang 1–2); 1.000 đ/trang (từ trang 3); tối đa 200.000 đ/bản",
        ),
        (FeeRule(kind="set_by_province"), "Theo mức do Hội đồng nhân dân cấp tỉnh quy định"),
    ],
)
def test_fees_are_described_as_citizens_read_them(rule, text):
    assert rule.describe() == text
