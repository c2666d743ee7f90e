"""Vietnamese text folding for matching and search.

Vietnamese names are written with either tone-mark placement (Hòa/Hoà, Thủy/Thuỷ), either
apostrophe (M'Drắk/M’Drắk), and users often type without diacritics ("dang ky khai sinh").
`fold()` maps all of these to one ASCII form, so matching and search compare folded text only.
"""

import re
import unicodedata

# đ/Đ are letters of their own, not "d" plus a combining mark, so NFD does not strip them.
_LETTER_MAP = str.maketrans({"đ": "d", "Đ": "d"})
# Apostrophes and quote-like marks seen in minority-language place names (M'Drắk, Ea H’Leo, D‘Ran).
_APOSTROPHES = "'’‘ʼ`´"
_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces: 'Xã M’Drắk' -> 'xa mdrak'."""
    if not text:
        return ""
    text = text.translate(_LETTER_MAP)
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower()
    for mark in _APOSTROPHES:
        text = text.replace(mark, "")
    return _NON_WORD.sub(" ", text).strip()


def fold_tokens(text: str) -> list[str]:
    """The folded words of `text`, in order."""
    folded = fold(text)
    return folded.split() if folded else []


def normalize_spelling(text: str) -> str:
    """One canonical way to store a name: NFC, the typographic apostrophe, single spaces."""
    text = unicodedata.normalize("NFC", text or "")
    for mark in "'ʼ`´‘":
        text = text.replace(mark, "’")
    return " ".join(text.split())


def slugify_vi(text: str) -> str:
    """A URL slug from Vietnamese text: 'Hộ tịch' -> 'ho-tich'."""
    return fold(text).replace(" ", "-")
