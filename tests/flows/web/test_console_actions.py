"""The console's forms turned into the requests the CLI's commands make: same kinds, same
data, the same moment rules (a typed time is plan time, none is now)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from flows.web.console_actions import Action, figures_of, requests_for
from models.errors import InvalidInputError
from models.submissions import SubmissionKind

NOW = datetime(2023, 3, 10, 2, tzinfo=UTC)
ROW = {"plan": "gap-mat-2023", "deliverable": "bc-huyen", "unit": "can-loc"}


def asked(action: Action, **fields: str):
    return requests_for(action, {**ROW, **fields}, "nguyen.van.an", NOW)


@pytest.mark.parametrize(
    ("action", "kind"),
    [
        (Action.ACCEPT, SubmissionKind.ACCEPTED),
        (Action.RETURN, SubmissionKind.RETURNED),
        (Action.WAIVE, SubmissionKind.WAIVED),
    ],
)
def test_a_decision_or_a_waiver_is_one_row_now_by_the_user(
    action: Action, kind: SubmissionKind
) -> None:
    [request] = asked(action, note="  lý do  ")
    assert (request.kind, request.at, request.now) == (kind, NOW, NOW)
    assert (request.recorded_by, request.note, dict(request.data)) == ("nguyen.van.an", "lý do", {})
    assert (request.plan, request.deliverable, request.unit) == tuple(ROW.values())


def test_a_return_with_a_new_date_is_the_return_then_the_extension_as_review_until() -> None:
    returned, extended = asked(Action.RETURN, note="thiếu", until=" 14/03/2023 ")
    assert returned.kind is SubmissionKind.RETURNED and not returned.data
    assert extended.kind is SubmissionKind.EXTENDED and extended.at == returned.at == NOW
    assert dict(extended.data) == {"due_kind": "by", "due": "14/03/2023"}


def test_an_extension_carries_its_date_as_extend_until() -> None:
    [request] = asked(Action.EXTEND, until="13/03/2023", note="xin thêm")
    assert request.kind is SubmissionKind.EXTENDED
    assert dict(request.data) == {"due_kind": "by", "due": "13/03/2023"}


def test_a_paper_arrival_at_a_typed_time_is_plan_time_with_its_figures() -> None:
    [request] = asked(Action.RECEIVE, at="09/03/2023 16:45", **{"so_lieu.so_dai_bieu": "15"})
    assert request.at == datetime(2023, 3, 9, 16, 45) and request.at.tzinfo is None
    assert dict(request.data) == {"so_dai_bieu": "15"}


def test_a_paper_arrival_without_a_time_is_now() -> None:
    [request] = asked(Action.RECEIVE, at=" ")
    assert request.at == NOW and request.kind is SubmissionKind.RECEIVED


def test_an_unreadable_time_is_the_domains_message() -> None:
    with pytest.raises(InvalidInputError, match="không đọc được thời điểm '9 giờ sáng'"):
        asked(Action.RECEIVE, at="9 giờ sáng")


def test_figures_come_from_their_inputs_and_from_the_free_text_once_each() -> None:
    form = {"so_lieu.a": "1", "so_lieu.b": " ", "figures": "c=3; d=xe 45 chỗ"}
    assert figures_of(form) == {"a": "1", "c": "3", "d": "xe 45 chỗ"}
    with pytest.raises(InvalidInputError, match="'a' ghi hai lần"):
        figures_of({"so_lieu.a": "1", "figures": "a=2"})
