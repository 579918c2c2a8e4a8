"""Figures typed as one text, `tên=giá trị; tên=giá trị` (the Prefect form): the names and values.

What the names mean and whether the values fit is `fields.parse_values`' to say, as for the
CLI's --set: this only splits the text, so both doors share one check."""

from __future__ import annotations

import re

from models.errors import InvalidInputError, shown

# A pair starts at the beginning, or after ';' or a line break followed by `name=`; a ';' that
# is not followed by a name and '=' stays in the value (a text figure may hold one).
PAIR_BREAK = re.compile(r"[;\r\n]+\s*(?=[A-Za-z_][A-Za-z0-9_]*\s*=)")
TRAILING_BREAKS = re.compile(r"[;\s]+$")
SHAPE_HINT = "viết tên=giá trị, nhiều số liệu cách nhau bằng dấu ; (ví dụ so_dai_bieu=12)"


def split_figures(text: str) -> dict[str, str]:
    """`"so_dai_bieu=12; ghi_chu=xe 45 chỗ"` → `{"so_dai_bieu": "12", "ghi_chu": "xe 45 chỗ"}`.

    Empty text is no figures. A part without '=' and a name given twice are refused, naming
    them, rather than guessed at."""
    values: dict[str, str] = {}
    for part in PAIR_BREAK.split(text.strip()):
        part = TRAILING_BREAKS.sub("", part).strip()
        if not part:
            continue
        name, sep, value = part.partition("=")
        name = name.strip()
        if not sep or not name:
            raise InvalidInputError(f"số liệu {shown(part)!r}: {SHAPE_HINT}")
        if name in values:
            raise InvalidInputError(f"số liệu '{shown(name)}' ghi hai lần: mỗi số liệu ghi một lần")
        values[name] = value.strip()
    return values
