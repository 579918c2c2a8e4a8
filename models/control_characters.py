"""Control characters in text people wrote: refused where they could only do harm.

An ESC in a unit's name clears a coordinator's screen in `dondoc log`, breaks the workbook
(openpyxl refuses it) and, as a NUL, makes PostgreSQL refuse the whole plan. None of them
belongs in a name, a title or a note: they come from pasting out of a terminal or a PDF."""

from __future__ import annotations

import unicodedata

NAMES = {0: "NUL", 7: "BEL", 8: "BS", 9: "TAB", 10: "xuống dòng", 13: "CR", 27: "ESC", 127: "DEL"}


def checked(text: str) -> str:
    """`text` if its only control characters are line breaks and tabs, or a ValueError naming
    the first other one. Line breaks stay allowed in names and titles: every output (e-mail
    headers, Markdown, the terminal, the workbook) already renders them safely on one line."""
    return _checked(text, allowed="\n\r\t")


def _checked(text: str, allowed: str) -> str:
    for position, character in enumerate(text, start=1):
        if character in allowed or unicodedata.category(character) != "Cc":
            continue
        code = ord(character)
        name = NAMES.get(code, f"U+{code:04X}")
        raise ValueError(
            f"có ký tự điều khiển {name} (U+{code:04X}) ở ký tự thứ {position}: xóa nó đi "
            "(thường do dán từ cửa sổ dòng lệnh hay từ tệp PDF)"
        )
    return text
