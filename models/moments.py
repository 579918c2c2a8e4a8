"""Reading a moment typed by a person: ISO-8601 or dd/mm/yyyy [HH:MM], naive = plan timezone."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from models.errors import InvalidInputError, shown

VIETNAMESE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
FORMATS_HINT = (
    "viết theo ISO-8601 (2023-03-10T09:00, 2023-03-10T09:00+07:00) hoặc dd/mm/yyyy [HH:MM] "
    "(10/03/2023 09:00)"
)


def parse_moment(text: str, tz: ZoneInfo | None) -> datetime:
    """A datetime; a time without offset is read in `tz` (the plan's timezone), or left naive
    when `tz` is None for a caller that localizes it once it knows the plan."""
    text = text.strip()
    match = VIETNAMESE.match(text)
    try:
        if match:
            day, month, year, hour, minute, second = (int(g) if g else 0 for g in match.groups())
            moment = datetime(year, month, day, hour, minute, second)
        else:
            moment = datetime.fromisoformat(text)
    except ValueError as exc:
        said = shown(text)
        raise InvalidInputError(f"không đọc được thời điểm '{said}': {FORMATS_HINT}") from exc
    return moment if tz is None else aware_in(moment, tz)


def local_text(moment: datetime | None, tz: ZoneInfo, with_time: bool = True) -> str:
    """dd/mm/yyyy HH:MM in the plan's timezone (empty for no moment)."""
    if moment is None:
        return ""
    return moment.astimezone(tz).strftime("%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y")


def aware_in(moment: datetime, tz: ZoneInfo) -> datetime:
    """`moment` itself if it has a timezone; a naive one is read as a time in `tz` (the plan's)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)
