"""Recording edge cases found by the attack of issue 13 (class 8): a second receipt with an
earlier time, a receipt for a waived assignment, an endless note; and numbers and echoes."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import Engine

from models.errors import InvalidInputError, PlanError
from models.fields import DataField, FieldType, convert
from models.loader import read_plan_text
from models.moments import parse_moment
from models.recording import MAX_NOTE_CHARACTERS, RecordRequest, describe, record
from models.storage.engine import session_scope
from models.storage.store import submission_rows
from models.submissions import SubmissionKind
from tests.builders import deliverable, local, plan_text

pytestmark = pytest.mark.db
PLAN = "gap-mat-2023"
NOW = local(2023, 3, 12, 9)
ARRIVAL = local(2023, 3, 10, 9)


def ask(
    kind: SubmissionKind = SubmissionKind.RECEIVED,
    at: datetime = ARRIVAL,
    note: str = "",
    undo: bool = False,
) -> RecordRequest:
    return RecordRequest(PLAN, "bc-huyen", "huong-khe", kind, at, NOW, "vptu", note, undo)


def recorded(engine: Engine, request: RecordRequest) -> str:
    with session_scope(engine) as session:
        return describe(record(session, request), request)


def rows(engine: Engine) -> int:
    with session_scope(engine) as session:
        return len(submission_rows(session, PLAN, deliverable="bc-huyen", unit="huong-khe"))


def test_a_second_receipt_with_an_earlier_time_reports_the_first(seeded_engine: Engine) -> None:
    recorded(seeded_engine, ask(at=local(2023, 3, 10, 9)))
    told = recorded(seeded_engine, ask(at=local(2023, 3, 8, 9)))
    assert told.startswith("Đã có từ trước: bc-huyen · Huyện ủy Hương Khê (10/03/2023 09:00")
    assert "hủy (--undo) rồi ghi nhận lại với --at" in told
    assert rows(seeded_engine) == 1


def test_after_an_undo_an_earlier_time_is_recorded(seeded_engine: Engine) -> None:
    recorded(seeded_engine, ask(at=local(2023, 3, 10, 9)))
    recorded(seeded_engine, ask(at=local(2023, 3, 10, 9), undo=True))
    told = recorded(seeded_engine, ask(at=local(2023, 3, 8, 9)))
    assert told.startswith("Đã ghi nhận") and rows(seeded_engine) == 3


def test_a_receipt_for_a_waived_assignment_is_kept_and_says_the_waiver_decides(
    seeded_engine: Engine,
) -> None:
    recorded(seeded_engine, ask(SubmissionKind.WAIVED, at=local(2023, 3, 7, 9)))
    told = recorded(seeded_engine, ask(at=local(2023, 3, 10, 9)))
    assert told.startswith("Đã ghi nhận") and "được miễn từ 07/03/2023 09:00" in told
    assert "waive … --undo" in told and rows(seeded_engine) == 2


def test_a_note_longer_than_the_limit_is_refused_and_nothing_written(
    seeded_engine: Engine,
) -> None:
    with pytest.raises(InvalidInputError, match=f"tối đa {MAX_NOTE_CHARACTERS}"):
        recorded(seeded_engine, ask(note="x" * (MAX_NOTE_CHARACTERS + 1)))
    assert rows(seeded_engine) == 0
    recorded(seeded_engine, ask(note="x" * MAX_NOTE_CHARACTERS))
    assert rows(seeded_engine) == 1


@pytest.mark.parametrize("typed", ["١٢", "۱۲", "１２", "1e3", "nan", "inf", "12.5.1", "1" * 4000])
def test_only_numbers_written_in_ascii_digits_are_figures(typed: str) -> None:
    for kind in (FieldType.INT, FieldType.NUMBER):
        field = DataField("so_dai_bieu", kind, "Số đại biểu")
        with pytest.raises(InvalidInputError) as caught:
            convert(field, typed)
        assert len(str(caught.value)) < 200  # a 4,000-digit value is not echoed whole


@pytest.mark.parametrize(("typed", "value"), [("12", 12), ("-3", -3), ("2,5", 2.5), ("7.25", 7.25)])
def test_plain_numbers_are_still_figures(typed: str, value: float) -> None:
    assert convert(DataField("n", FieldType.NUMBER, "N"), typed) == value


@pytest.mark.parametrize("value", ["true", "false", "1.5", '"3"'])
def test_warning_days_must_be_a_whole_number_not_a_switch(value: str) -> None:
    text = plan_text([deliverable("a")]).replace(
        '"code": "p"', f'"warning_days": {value}, "code": "p"'
    )
    with pytest.raises(PlanError) as caught:
        read_plan_text(text, "bad.yaml")
    assert any("warning_days" in p.path for p in caught.value.problems)


def test_a_huge_number_in_a_plan_or_a_time_is_not_echoed_whole() -> None:
    huge = "9" * 4000
    text = plan_text([deliverable("a")]).replace(
        '"code": "p"', f'"warning_days": {huge}, "code": "p"'
    )
    with pytest.raises(PlanError) as caught:
        read_plan_text(text, "bad.yaml")
    assert all(len(p.message) < 300 for p in caught.value.problems)
    with pytest.raises(InvalidInputError) as moment:
        parse_moment(huge, None)
    assert len(str(moment.value)) < 300 and "4000 ký tự" in str(moment.value)
