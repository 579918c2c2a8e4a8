"""Requests for more time (xin gia hạn): the rules `decide` applies to a unit's request and a
coordinator's refusal, what `evaluate` shows of a request (and that it moves no deadline), and
one request, grant and refusal through `record` on a real database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from models.errors import InvalidInputError
from models.evaluate import evaluate
from models.extension_requests import ExtensionRequest
from models.recording import Decision, RecordRequest, decide, describe, record
from models.statuses import Status
from models.storage.engine import session_scope
from models.storage.store import all_submissions
from models.submissions import Submission, SubmissionKind, pending_request
from models.unit_actions import request_extension, unit_recorder
from tests.builders import build, deliverable, local

PLAN = build(
    [
        deliverable("report", "group:huyen", due={"before": "2023-03-09"}),
        deliverable("follow-up", "group:huyen", after=["report"]),
    ]
)
NOW = local(2023, 3, 7, 9)
TOLERANCE = timedelta(minutes=10)
REASON = "chờ số liệu của các xã"
ASKED = SubmissionKind.EXTENSION_REQUESTED
REFUSED = SubmissionKind.EXTENSION_REFUSED


def ask(
    until: str = "20/03/2023",
    note: str = REASON,
    at: datetime = NOW,
    kind: SubmissionKind = ASKED,
    data: dict[str, object] | None = None,
    deliverable_code: str = "report",
    now: datetime | None = None,
) -> RecordRequest:
    """A request (or a refusal) at `at`, typed at `now` (default: then, or NOW if later)."""
    given_data = ({"due": until} if kind is ASKED else {}) if data is None else data
    return RecordRequest(
        "p", deliverable_code, "d1", kind, at, now or max(at, NOW), "d1 (trang cá nhân)", note,
        data=given_data,
    )  # fmt: skip


def refuse(note: str = "hạn đã được lãnh đạo chốt", at: datetime = NOW) -> RecordRequest:
    return ask(note=note, at=at, kind=REFUSED)


def row(
    kind: SubmissionKind,
    at: datetime,
    id: int,
    data: dict[str, object] | None = None,
    note: str = REASON,
    undoes: int | None = None,
) -> Submission:
    return Submission(id, "report", "d1", kind, at, at, note=note, undoes=undoes, data=data or {})


def request_row(id: int = 1, at: datetime = NOW, until: str = "20/03/2023") -> Submission:
    return row(ASKED, at, id, {"due": until})


def granted_row(id: int, at: datetime, due: str = "2023-03-20") -> Submission:
    return row(SubmissionKind.EXTENDED, at, id, {"due_kind": "by", "due": due}, "đồng ý")


def decided(request: RecordRequest, mine: list[Submission] | tuple[()] = ()) -> Decision:
    return decide(PLAN, list(mine), request, TOLERANCE)


def status_of(rows: list[Submission], as_of: datetime):
    return next(s for s in evaluate(PLAN, rows, as_of) if s.ref == ("report", "d1"))


# --- the unit's request ---------------------------------------------------------------------


def test_a_request_keeps_the_day_as_written_and_the_reason_as_its_note():
    decision = decided(ask("20/3/2023"))
    assert decision.kind is ASKED and decision.already is None
    assert dict(decision.values) == {"due": "20/03/2023"}


@pytest.mark.parametrize(
    ("request_", "says"),
    [
        (ask(note=""), "cần ghi lý do"),
        (ask(note="  "), "cần ghi lý do"),
        (ask(""), "cần hạn đề nghị"),
        (ask("2023-03-20"), "ghi ngày theo dd/mm/yyyy"),
        (ask("31/02/2023"), "không đọc được hạn đề nghị '31/02/2023'"),
        (ask("08/03/2023"), r"phải sau hạn đang áp dụng \(trước ngày 09/03/2023\)"),
        (ask("07/03/2023"), "phải sau hạn đang áp dụng"),
        (ask("20/03/2024"), "hơn một năm"),
        (ask(data={"due": "20/03/2023", "so_dai_bieu": 3}), "chỉ ghi hạn đề nghị"),
        (ask(deliverable_code="follow-up"), "không có hạn nộp"),
        (ask(at=NOW + timedelta(days=1), now=NOW), "chưa tới"),
    ],
)
def test_a_request_that_breaks_a_rule_is_refused_in_one_vietnamese_line(request_, says):
    with pytest.raises(InvalidInputError, match=says) as caught:
        decided(request_)
    assert "\n" not in str(caught.value)


def test_the_day_must_fall_after_the_extension_in_force_not_only_the_plans_deadline():
    granted = granted_row(1, local(2023, 3, 6), "2023-03-15")
    with pytest.raises(InvalidInputError, match=r"sau hạn đang áp dụng \(gia hạn đến 15/03"):
        decided(ask("14/03/2023"), [granted])
    assert decided(ask("16/03/2023"), [granted]).values == {"due": "16/03/2023"}


@pytest.mark.parametrize(
    ("kind", "says"),
    [(SubmissionKind.RECEIVED, "đã nộp từ"), (SubmissionKind.WAIVED, "được miễn từ")],
)
def test_no_request_once_delivered_or_waived(kind, says):
    with pytest.raises(InvalidInputError, match=f"{says} .*không cần xin gia hạn nữa"):
        decided(ask(), [row(kind, local(2023, 3, 6, 9), 1)])


def test_one_request_waits_at_a_time_and_the_same_one_again_is_reported_not_added():
    waiting = request_row()
    assert decided(ask(), [waiting]).already == waiting
    with pytest.raises(InvalidInputError, match=r"đã có đề nghị #1 .*đang chờ Văn phòng trả lời"):
        decided(ask("25/03/2023"), [waiting])
    with pytest.raises(InvalidInputError, match="mỗi lần chỉ một đề nghị"):
        decided(ask(note="lý do khác"), [waiting])


def test_after_an_answer_the_unit_may_ask_again():
    waiting = request_row()
    refusal = row(REFUSED, NOW + timedelta(hours=2), 2, undoes=1, note="không")
    later = NOW + timedelta(hours=3)
    assert decided(ask("25/03/2023", at=later), [waiting, refusal]).values == {"due": "25/03/2023"}
    grant = granted_row(2, NOW + timedelta(hours=2))
    assert decided(ask("25/03/2023", at=later), [waiting, grant]).values == {"due": "25/03/2023"}


# --- what answers a request -----------------------------------------------------------------


def test_a_request_waits_until_a_grant_after_it_or_a_refusal_naming_it():
    waiting = request_row(2)
    assert pending_request([waiting]) == waiting
    assert pending_request([granted_row(1, NOW - timedelta(days=1)), waiting]) == waiting
    assert pending_request([waiting, granted_row(3, NOW + timedelta(hours=1))]) is None
    assert pending_request([waiting, row(REFUSED, NOW, 3, undoes=2)]) is None
    assert pending_request([waiting, row(REFUSED, NOW, 3, undoes=99)]) == waiting


def test_undoing_the_grant_leaves_the_request_waiting_again():
    rows = [request_row(1), granted_row(2, NOW + timedelta(hours=1))]
    undo = row(SubmissionKind.UNDO, NOW + timedelta(hours=2), 3, undoes=2)
    assert status_of(rows, NOW + timedelta(hours=1)).extension_request is None
    assert status_of([*rows, undo], NOW + timedelta(hours=3)).extension_request is not None


# --- the coordinator's refusal --------------------------------------------------------------


def test_a_refusal_names_the_request_waiting():
    waiting = request_row()
    decision = decided(refuse(at=NOW + timedelta(hours=1)), [waiting])
    assert (decision.kind, decision.undoes, decision.already) == (REFUSED, waiting, None)


@pytest.mark.parametrize(
    ("request_", "says"),
    [
        (refuse(note=""), "từ chối gia hạn cần ghi lý do"),
        (refuse(), "không có đề nghị gia hạn nào đang chờ"),
    ],
)
def test_a_refusal_needs_a_reason_and_a_request_waiting(request_, says):
    with pytest.raises(InvalidInputError, match=says):
        decided(request_, [] if "lý do" not in says else [request_row()])


def test_refusing_again_is_reported_not_added_and_a_granted_request_cannot_be_refused():
    waiting = request_row()
    refusal = row(REFUSED, NOW + timedelta(hours=1), 2, undoes=1, note="không")
    assert decided(refuse(at=NOW + timedelta(hours=2)), [waiting, refusal]).already == refusal
    grant = granted_row(2, NOW + timedelta(hours=1))
    with pytest.raises(InvalidInputError, match="không có đề nghị gia hạn nào đang chờ"):
        decided(refuse(at=NOW + timedelta(hours=2)), [waiting, grant])


# --- what evaluate shows --------------------------------------------------------------------


def test_the_status_carries_the_request_waiting_and_a_replay_before_it_shows_none():
    rows = [request_row(1, local(2023, 3, 7, 9))]
    assert status_of(rows, local(2023, 3, 7, 8)).extension_request is None
    shown = status_of(rows, local(2023, 3, 7, 10))
    assert shown.extension_request == ExtensionRequest(
        date(2023, 3, 20), REASON, local(2023, 3, 7, 9), 1
    )
    assert shown.extension_request.until_text == "20/03/2023"
    assert status_of(rows, local(2023, 3, 10)).status is Status.OVERDUE  # no deadline moved


def test_a_request_is_no_longer_shown_once_the_work_is_delivered():
    rows = [request_row(1), row(SubmissionKind.RECEIVED, NOW + timedelta(hours=1), 2)]
    assert status_of(rows, NOW + timedelta(hours=2)).extension_request is None


def test_a_grant_gives_the_new_deadline_from_the_grant_on():
    rows = [request_row(1), granted_row(2, local(2023, 3, 8, 10))]
    before, after = status_of(rows, local(2023, 3, 8, 9)), status_of(rows, local(2023, 3, 10))
    assert before.deadline is not None and before.deadline.label() == "trước ngày 09/03/2023"
    assert after.status is Status.NOT_DUE and after.extended
    assert after.deadline is not None and after.deadline.extension_label() == (
        "gia hạn đến 20/03/2023"
    )


moments = st.integers(0, 24 * 40).map(lambda h: local(2023, 3, 1) + timedelta(hours=h))


@settings(max_examples=150, deadline=None)
@given(
    as_of=moments,
    asked=st.lists(st.tuples(moments, st.integers(0, 60), st.booleans()), max_size=4),
    others=st.lists(
        st.tuples(
            moments,
            st.sampled_from(
                [SubmissionKind.RECEIVED, SubmissionKind.WAIVED, SubmissionKind.EXTENDED]
            ),
        ),
        max_size=3,
    ),
)
def test_requests_and_refusals_change_no_status_and_no_deadline(as_of, asked, others):
    """For any moment, evaluate with and without the request rows (and their refusals) gives
    the same statuses and deadlines: only `extension_request` differs."""
    rows = [
        Submission(n, "report", "d1", kind, at, at, data={"due_kind": "by", "due": "2023-03-15"})
        for n, (at, kind) in enumerate(others, start=1)
    ]
    requests: list[Submission] = []
    for n, (at, days, refused) in enumerate(asked, start=100):
        until = (date(2023, 3, 9) + timedelta(days=days)).strftime("%d/%m/%Y")
        requests.append(request_row(n, at, until))
        if refused:
            requests.append(row(REFUSED, at + timedelta(hours=1), n + 50, undoes=n))
    without = evaluate(PLAN, rows, as_of)
    with_them = evaluate(PLAN, [*rows, *requests], as_of)
    assert [replace(s, extension_request=None) for s in with_them] == without


# --- through `record` -----------------------------------------------------------------------


@pytest.mark.db
def test_a_request_then_its_refusal_through_record(seeded_engine: Engine) -> None:
    now = local(2023, 3, 10, 9)
    with session_scope(seeded_engine) as session:
        asked = request_extension(
            session, "gap-mat-2023", "bc-huyen", "huong-khe", "20/03/2023", REASON, now
        )
    assert asked.new and "Đã gửi đề nghị gia hạn đến 20/03/2023 tới Văn phòng" in asked.message
    with session_scope(seeded_engine) as session:
        again = request_extension(
            session, "gap-mat-2023", "bc-huyen", "huong-khe", "20/03/2023", REASON, now
        )
    assert not again.new and again.row == asked.row
    refusal = RecordRequest(
        "gap-mat-2023", "bc-huyen", "huong-khe", REFUSED, now + timedelta(hours=1),
        now + timedelta(hours=1), "vptu", "hạn đã được lãnh đạo chốt",
    )  # fmt: skip
    with session_scope(seeded_engine) as session:
        told = describe(record(session, refusal), refusal)
    assert told == (
        f"Đã từ chối gia hạn: bc-huyen · Huyện ủy Hương Khê (đề nghị #{asked.row.id}), lúc "
        "10/03/2023 10:00. Lý do: hạn đã được lãnh đạo chốt. Hạn nộp giữ nguyên."
    )
    with session_scope(seeded_engine) as session:
        stored = all_submissions(session, "gap-mat-2023")
    assert [(s.kind, s.recorded_by, s.undoes, dict(s.data)) for s in stored] == [
        (ASKED, unit_recorder("huong-khe"), None, {"due": "20/03/2023"}),
        (REFUSED, "vptu", asked.row.id, {}),
    ]
