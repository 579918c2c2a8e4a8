"""Vietnamese names made comparable (folded) and turned into codes (slugs)."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold_char(char: str) -> str:
    """One character without its diacritics, lowercased; one in, one out, so offsets agree."""
    lowered = char.lower()
    if lowered == "đ":
        return "d"
    base = unicodedata.normalize("NFD", lowered)[0]
    return base if len(base) == 1 else lowered


def fold(text: str) -> str:
    """`Thị ủy Hồng Lĩnh` → `thi uy hong linh`: ủy/uỷ and other spellings compare equal."""
    return "".join(fold_char(c) for c in unicodedata.normalize("NFC", text))


def fold_name(text: str) -> str:
    """A folded name with its spacing and trailing punctuation tidied, for exact lookups."""
    return _SPACES.sub(" ", fold(text)).strip(" .,:;")


def slug(text: str, words: int | None = None) -> str:
    """A code as plans write them: lowercase ASCII words joined by '-', đ → d."""
    parts = re.findall(r"[a-z0-9]+", fold(text))
    if words is not None:
        parts = parts[:words]
    return "-".join(parts)[:64].strip("-")
