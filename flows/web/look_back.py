"""Which moment a look-back (`?as_of=`) shows: read, rounded down to a step, within the plan.

The board at 09:03 differs from the board at 09:00 only if a deadline passed or an arrival
came in between; rounding look-backs down to a step (5 minutes by default) lets readers who
look back a few minutes apart share one built page, and bounds how many pages a plan has."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from models.errors import InvalidInputError
from models.moments import local_text, parse_moment
from models.plan import Plan
from models.recording import EARLIEST_BEFORE_FIRST_DEADLINE

YEARS = (1900, 2999)  # an ?as_of= outside these is a typo
# A look-back into the future (a forecast: what will be late by Friday) makes sense while the
# plan runs, not a year after its last deadline.
LATEST_AFTER_LAST_DEADLINE = timedelta(days=31)


def read_as_of(text: str) -> datetime:
    """A moment typed in the address (naive: plan time), within years a plan can mean; far
    outside them a timezone shift would overflow datetime."""
    moment = parse_moment(text, None)
    if not YEARS[0] <= moment.year <= YEARS[1]:
        raise InvalidInputError(f"năm của '{text}' nằm ngoài khoảng {YEARS[0]}–{YEARS[1]}")
    return moment


def rounded_down(moment: datetime, tz: ZoneInfo, step: timedelta) -> datetime:
    """`moment` in plan time, down to a whole number of `step`s since its day began
    (09:03:27 → 09:00 for 5 minutes)."""
    local = moment.astimezone(tz)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight + (local - midnight) // step * step


def check_in_span(plan: Plan, moment: datetime, now: datetime) -> None:
    """InvalidInputError for a moment more than a year before the plan's first deadline, or
    in the future and more than LATEST_AFTER_LAST_DEADLINE after its last one: a typo (the
    year, most often), not a question the board answers."""
    deadlines = [d.deadline for d in plan.deliverables.values() if d.deadline]
    if not deadlines:
        return
    first = min(deadlines, key=lambda deadline: deadline.due_at)
    last = max(deadlines, key=lambda deadline: deadline.due_at)
    earliest = first.due_at - EARLIEST_BEFORE_FIRST_DEADLINE
    latest = max(now, last.due_at + LATEST_AFTER_LAST_DEADLINE)
    shown = local_text(moment, plan.tz)
    span = f"Bảng xem lại được từ {local_text(earliest, plan.tz)} đến {local_text(latest, plan.tz)}"
    if moment < earliest:
        raise InvalidInputError(
            f"Thời điểm {shown} sớm hơn quá một năm so với hạn đầu tiên của kế hoạch: "
            f"{first.label()}. {span}."
        )
    if moment > latest:
        raise InvalidInputError(
            f"Thời điểm {shown} chưa tới và muộn hơn quá {LATEST_AFTER_LAST_DEADLINE.days} ngày "
            f"so với hạn cuối của kế hoạch: {last.label()}. {span}."
        )


def moment_text(moment: datetime, tz: ZoneInfo) -> str:
    """dd/mm/yyyy HH:MM[:SS] in plan time: what the form shows and the links carry."""
    local = moment.astimezone(tz)
    return local.strftime("%d/%m/%Y %H:%M:%S" if local.second else "%d/%m/%Y %H:%M")
