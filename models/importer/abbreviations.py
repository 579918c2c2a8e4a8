"""Administrative abbreviations ("Sở KH&ĐT", "UBND", "Bộ TT&TT") written out in full, so a
name compares with the registry's and a new unit is named as the body calls itself."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from ruamel.yaml import YAML

TABLE = Path(__file__).parent / "abbreviations.yaml"
# A whole word: not inside another word, a number ("15-NQ/TW") or a compound ("KH&CN-ĐMST").
_EDGE = r"\w&/.-"


class Abbreviation(BaseModel):
    """One row of abbreviations.yaml: the written forms and the words they stand for."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    short: tuple[str, ...] = Field(min_length=1)
    full: str

    def spellings(self) -> tuple[str, ...]:
        """The written forms, each also with D for Đ ("KH&DT"), as documents often type it."""
        found = dict.fromkeys((*self.short, *(s.replace("Đ", "D") for s in self.short)))
        return tuple(found)


@cache
def _table() -> tuple[dict[str, str], re.Pattern[str]]:
    rows = TypeAdapter(list[Abbreviation]).validate_python(
        YAML(typ="safe", pure=True).load(TABLE.read_text(encoding="utf-8"))
    )
    full = {spelling: row.full for row in rows for spelling in row.spellings()}
    alternatives = "|".join(re.escape(s) for s in sorted(full, key=len, reverse=True))
    return full, re.compile(rf"(?<![{_EDGE}])(?:{alternatives})(?![{_EDGE}])")


def expand(text: str) -> str:
    """ "Sở KH&ĐT" → "Sở Kế hoạch và Đầu tư"; text without an abbreviation comes back as is."""
    full, pattern = _table()
    return pattern.sub(lambda match: full[match.group(0)], text)


def abbreviated(text: str) -> bool:
    return expand(text) != text
