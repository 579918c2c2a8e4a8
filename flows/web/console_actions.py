"""The console's actions: what each form asks `models.recording` for, as the CLI's `receive`,
`waive`, `extend` and `review` do (flows/cli/arrivals.py), so both doors share every rule. A
unit's request for more time is granted as `extend` grants (an `extended` row), or refused."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from enum import StrEnum

from models.errors import InvalidInputError, shown
from models.figures_text import split_figures
from models.moments import parse_moment
from models.recording import RecordRequest
from models.submissions import SubmissionKind

FIGURE_PREFIX = "so_lieu."  # a figure's own input: so_lieu.so_dai_bieu
EXTENSION_KIND = "by"  # a date typed in the console means "through that day", as --until


class Action(StrEnum):
    """The console's POST actions, by the last part of their address (/dieu-phoi/<action>)."""

    ACCEPT = "chap-nhan"
    RETURN = "tra-lai"
    EXTEND = "gia-han"
    WAIVE = "mien"
    RECEIVE = "ghi-nhan"
    # Answers to a unit's request for more time (xin gia hạn)
    GRANT_REQUEST = "duyet-gia-han"
    REFUSE_REQUEST = "tu-choi-gia-han"

    @property
    def label(self) -> str:
        """What the action is called on its button and in messages."""
        return ACTION_LABELS[self]


ACTION_LABELS: dict[Action, str] = {
    Action.ACCEPT: "Chấp nhận",
    Action.RETURN: "Trả lại",
    Action.EXTEND: "Gia hạn",
    Action.WAIVE: "Miễn",
    Action.RECEIVE: "Ghi nhận bản giấy",
    Action.GRANT_REQUEST: "Đồng ý gia hạn",
    Action.REFUSE_REQUEST: "Từ chối gia hạn",
}


def requests_for(
    action: Action, form: Mapping[str, str], recorded_by: str, now: datetime
) -> list[RecordRequest]:
    """The rows the action records, in order (a return with a new date: the return, then the
    extension, both at `now`); the domain checks them when they are recorded. An arrival's
    time typed without a timezone is read in the plan's, as `receive --at`."""
    request = RecordRequest(
        plan=form.get("plan", ""),
        deliverable=form.get("deliverable", ""),
        unit=form.get("unit", ""),
        kind=KIND_OF[action],
        at=now,
        now=now,
        recorded_by=recorded_by,
        note=form.get("note", "").strip(),
    )
    if action is Action.RECEIVE:
        at = form.get("at", "").strip()
        when = parse_moment(at, None) if at else now
        return [replace(request, at=when, data=figures_of(form))]
    if action in (Action.EXTEND, Action.GRANT_REQUEST):
        return [replace(request, data=_extension(form.get("until", "")))]
    until = form.get("until", "").strip()
    if action is Action.RETURN and until:
        return [request, replace(request, kind=SubmissionKind.EXTENDED, data=_extension(until))]
    return [request]


KIND_OF: dict[Action, SubmissionKind] = {
    Action.ACCEPT: SubmissionKind.ACCEPTED,
    Action.RETURN: SubmissionKind.RETURNED,
    Action.EXTEND: SubmissionKind.EXTENDED,
    Action.WAIVE: SubmissionKind.WAIVED,
    Action.RECEIVE: SubmissionKind.RECEIVED,
    Action.GRANT_REQUEST: SubmissionKind.EXTENDED,
    Action.REFUSE_REQUEST: SubmissionKind.EXTENSION_REFUSED,
}


def _extension(until: str) -> dict[str, str]:
    return {"due_kind": EXTENSION_KIND, "due": until.strip()}


def figures_of(form: Mapping[str, str]) -> dict[str, str]:
    """The figures typed: one input per figure (`so_lieu.<name>`), and the free text
    `tên=giá trị; …` of the form that records any assignment; raw, as --set gives them
    (`recording` checks them against the deliverable's fields)."""
    figures = {
        name.removeprefix(FIGURE_PREFIX): value.strip()
        for name, value in form.items()
        if name.startswith(FIGURE_PREFIX) and value.strip()
    }
    for name, value in split_figures(form.get("figures", "")).items():
        if name in figures:
            raise InvalidInputError(f"số liệu '{shown(name)}' ghi hai lần: mỗi số liệu ghi một lần")
        figures[name] = value
    return figures
