"""Control characters (issue 13, class 7): refused where a person's text comes in — a plan's
names and titles, a note, who recorded, a text figure — naming the field and the character."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from models.control_characters import checked
from models.errors import InvalidInputError, PlanError
from models.fields import DataField, FieldType, convert
from models.loader import read_plan_text
from models.recording import RecordRequest, record
from models.submissions import SubmissionKind
from tests.builders import deliverable, local, plan_text
from tests.paths import SEED_PLAN

CLEAR_SCREEN = "\x1b[2J"
WINDOW_TITLE = "\x1b]0;bị chiếm\x07"


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        # YAML escapes: a raw ESC is refused by the YAML reader itself, an escaped one is not
        ('"Huyện ủy Hương Khê"', '"Huyện ủy\\e[2J Hương Khê"', ".name"),
        ('"Huyện ủy Hương Khê"', '"Huyện ủy\\0 Hương Khê"', ".name"),
        ('"Huyện ủy Hương Khê"', '"Huyện ủy\\x1b]0;bị chiếm\\a"', ".name"),
    ],
)
def test_plan_check_refuses_control_characters_in_names_naming_the_field(
    old: str, new: str, path: str
) -> None:
    text = SEED_PLAN.read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(PlanError) as caught:
        read_plan_text(text.replace(old, new, 1), "bad.yaml")
    (problem,) = caught.value.problems
    assert problem.path.endswith(path) and "ký tự điều khiển" in problem.message
    assert problem.line is not None


def test_a_title_may_break_lines_but_not_hold_an_escape() -> None:
    # line breaks are rendered safely everywhere (tests/reliability/test_injection.py)
    broken = deliverable("a", title="Báo cáo\nkết quả", quote="Dòng một.\n\tDòng hai.")
    assert read_plan_text(plan_text([broken]), "t.yaml").plan.deliverables["a"].quote
    with pytest.raises(PlanError, match="ESC"):
        read_plan_text(plan_text([deliverable("a", title=f"Báo cáo{CLEAR_SCREEN}")]), "t.yaml")


@pytest.mark.parametrize("text", [CLEAR_SCREEN, WINDOW_TITLE, "a\x00b", "a\x08b", "\x7f"])
def test_a_text_figure_and_any_text_refuse_control_characters(text: str) -> None:
    with pytest.raises(ValueError, match="ký tự điều khiển"):
        checked(text)
    with pytest.raises(InvalidInputError, match="không hợp lệ"):
        convert(DataField("ghi", FieldType.TEXT, "Ghi"), text)


def test_line_breaks_and_tabs_are_the_only_control_characters_kept() -> None:
    assert checked("một\r\nhai\tba") == "một\r\nhai\tba"
    with pytest.raises(ValueError, match="ESC"):
        checked(f"một{CLEAR_SCREEN}")


@pytest.mark.db
@pytest.mark.parametrize(("note", "by"), [(CLEAR_SCREEN, "vptu"), ("ghi chú", WINDOW_TITLE)])
def test_a_note_or_a_recorder_with_terminal_sequences_is_refused_and_nothing_written(
    seeded_engine: Engine, note: str, by: str
) -> None:
    from models.storage.engine import session_scope
    from models.storage.store import submission_rows

    at = local(2023, 3, 8, 9)
    request = RecordRequest(
        "gap-mat-2023", "bc-huyen", "huong-khe", SubmissionKind.RECEIVED, at, at, by, note
    )
    with (
        pytest.raises(InvalidInputError, match="ký tự điều khiển"),
        session_scope(seeded_engine) as session,
    ):
        record(session, request)
    with session_scope(seeded_engine) as session:
        assert submission_rows(session, "gap-mat-2023") == []
