"""Computing the amount of a fee rule, in whole đồng.

Example (certified copies, Circular 226/2016/TT-BTC): 2,000 đ per page for pages 1–2, 1,000 đ per page
from page 3, at most 200,000 đ per copy:
    tiers=[{"from_page": 1, "amount": 2000}, {"from_page": 3, "amount": 1000}], cap=200000
"""

from dataclasses import dataclass


class FeeRuleError(ValueError):
    """A rule that cannot be computed (bad tiers); the loader reports it before anything is saved."""


@dataclass(frozen=True)
class FeeInput:
    pages: int = 1
    copies: int = 1


def check_tiers(tiers: list[dict]) -> None:
    """Tiers start at page 1, in increasing order, with non-negative integer amounts."""
    if not tiers:
        return
    previous = 0
    for i, tier in enumerate(tiers):
        if not isinstance(tier, dict) or set(tier) != {"from_page", "amount"}:
            raise FeeRuleError(f"bậc {i + 1}: cần from_page và amount")
        if not isinstance(tier["from_page"], int) or not isinstance(tier["amount"], int):
            raise FeeRuleError(f"bậc {i + 1}: from_page và amount phải là số nguyên")
        if tier["amount"] < 0:
            raise FeeRuleError(f"bậc {i + 1}: mức thu âm")
        if tier["from_page"] <= previous:
            raise FeeRuleError(f"bậc {i + 1}: from_page phải tăng dần")
        previous = tier["from_page"]
    if tiers[0]["from_page"] != 1:
        raise FeeRuleError("bậc đầu tiên phải bắt đầu từ trang 1")


def per_page_amount(tiers: list[dict], pages: int) -> int:
    """Amount for one copy of `pages` pages under `tiers`."""
    total = 0
    for i, tier in enumerate(tiers):
        start = tier["from_page"]
        end = tiers[i + 1]["from_page"] - 1 if i + 1 < len(tiers) else pages
        counted = max(0, min(end, pages) - start + 1)
        total += counted * tier["amount"]
    return total


def fee_amount(*, kind: str, amount: int, tiers: list[dict] | None, cap: int | None, data: FeeInput) -> int:
    """The amount due under one rule for `data`; kinds as catalog.models.FeeKind."""
    if data.pages < 0 or data.copies < 0:
        raise FeeRuleError("số trang và số bản không được âm")
    if kind in ("fixed", "postal"):
        return amount
    if kind == "per_copy":
        per_copy = amount
    elif kind == "per_page":
        per_copy = per_page_amount(tiers, data.pages) if tiers else amount * data.pages
    elif kind == "set_by_province":
        return 0
    else:
        raise FeeRuleError(f"cách tính {kind!r} không hợp lệ")
    if cap is not None:
        per_copy = min(per_copy, cap)
    return per_copy * data.copies
