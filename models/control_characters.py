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


# What a control character is shown as: its Unicode "control picture" (ESC → ␛, NUL → ␀).
_PICTURES = {code: chr(0x2400 + code) for code in range(0x20) if chr(code) not in "\n\t"}
_PICTURES[0x7F] = "\u2421"  # ␡
_PICTURES.update({code: "\ufffd" for code in range(0x80, 0xA0)})  # C1: no picture of its own


def printable(text: str) -> str:
    """`text` as it may be shown anywhere (a terminal, a page, a workbook cell, an e-mail):
    line breaks and tabs kept, every other control character replaced by a visible symbol,
    so text stored before the checks (or typed into the database) can clear no screen, set no
    window title and break no workbook. Text without control characters comes back as is."""
    if text.isprintable():
        return text
    return text.replace("\r\n", "\n").translate(_PICTURES)
