"""Money in Vietnamese đồng: integers only, shown as `1.000.000 đ`."""


def format_vnd(amount: int | None) -> str:
    """1000000 -> '1.000.000 đ'; None -> ''."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(int(amount)):,} đ".replace(",", ".")
