"""A plan's `ladder:` override: checked with paths and lines, stored, read back, applied."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from models.errors import PlanError
from models.loader import read_plan_text
from models.spec import LadderSpec
from models.storage.engine import session_scope
from models.storage.store import read_snapshot, save_plan
from models.storage.tables import PlanRow
from notifications.ladder import DEFAULT_LADDER, Ladder, Rule, ladder_of
from tests.builders import build, deliverable, plan_text

REPORT = deliverable("report", due={"before": "2023-03-09"})
OVERRIDE = {
    "reminder": 5,
    "final_reminder": 2,
    "overdue_repeat": False,
    "escalation": 3,
    "at_risk": False,
    "office_hours": "08:00-16:30",
    "days_off": ["2023-03-10"],
}


def problems_of(ladder: object) -> list[str]:
    with pytest.raises(PlanError) as caught:
        read_plan_text(plan_text([REPORT], ladder=ladder), "bad.yaml")
    return [p.render("bad.yaml") for p in caught.value.problems]


def test_a_plan_without_ladder_uses_the_default_one():
    plan = build([REPORT])
    assert plan.spec.ladder is None
    assert ladder_of(plan) is DEFAULT_LADDER


def test_a_plan_ladder_is_read_typed_and_overrides_only_the_keys_it_gives():
    plan = build([REPORT], ladder=OVERRIDE)
    assert plan.spec.ladder == LadderSpec(
        reminder=5,
        final_reminder=2,
        overdue_repeat=False,
        escalation=3,
        at_risk=False,
        office_hours="08:00-16:30",
        days_off=[date(2023, 3, 10)],
    )
    assert ladder_of(plan) == Ladder(
        reminder_days=5,
        final_reminder_days=2,
        escalation_days=3,
        off=frozenset({Rule.OVERDUE_REPEAT, Rule.AT_RISK}),
        opens=time(8),
        closes=time(16, 30),
        days_off=frozenset({date(2023, 3, 10)}),
    )


def test_true_turns_a_timed_rule_on_with_its_default_days():
    assert ladder_of(build([REPORT], ladder={"escalation": True})) == DEFAULT_LADDER


@pytest.mark.parametrize(
    ("ladder", "expected"),
    [
        ({"reminder": -1}, "ladder.reminder: ghi số ngày từ 0 đến 60 hoặc false, không phải -1"),
        ({"reminder": "3"}, "ladder.reminder: ghi số ngày từ 0 đến 60 hoặc false, không phải '3'"),
        ({"final_reminder": 61}, "ladder.final_reminder: ghi số ngày từ 0 đến 60"),
        ({"overdue_repeat": 0}, "ladder.overdue_repeat: ghi số ngày từ 1 đến 60"),
        (
            {"escalation": 1.5},
            "ladder.escalation: ghi số ngày từ 0 đến 60 hoặc false, không phải 1.5",
        ),
        ({"overdue": 1}, "ladder.overdue: phải là true hoặc false, không phải 1"),
        ({"at_risk": "no"}, "ladder.at_risk: phải là true hoặc false, không phải 'no'"),
        ({"office_hours": "7h30"}, "ladder.office_hours: ghi theo dạng HH:MM-HH:MM"),
        ({"office_hours": "7:30-17:00"}, "ladder.office_hours: ghi theo dạng HH:MM-HH:MM"),
        (
            {"office_hours": "17:00-07:30"},
            "ladder.office_hours: giờ bắt đầu làm việc phải trước giờ kết thúc",
        ),
        ({"days_off": "2023-03-10"}, "ladder.days_off: phải là một danh sách (ví dụ [a, b])"),
        (
            {"days_off": ["2023-03-10", "10/03/2023"]},
            "ladder.days_off[1]: ngày '10/03/2023' không hợp lệ: ghi dạng năm-tháng-ngày",
        ),
        ({"reminders": 3}, "ladder.reminders: không có mục 'reminders'"),
        ("weekly", "ladder: phải là các mục dạng 'tên: giá trị', không phải 'weekly'"),
    ],
)
def test_a_wrong_ladder_key_is_named_with_its_path(ladder, expected):
    messages = problems_of(ladder)
    assert any(expected in m for m in messages), messages


def test_a_ladder_error_carries_the_line_of_the_offending_key():
    text = plan_text([REPORT], ladder={"reminder": 5, "office_hours": "8-17"})
    with pytest.raises(PlanError) as caught:
        read_plan_text(text, "bad.yaml")
    (message,) = [p.render("bad.yaml") for p in caught.value.problems]
    line = next(i for i, content in enumerate(text.splitlines(), 1) if '"8-17"' in content)
    assert message.startswith(f"bad.yaml:{line}: ladder.office_hours: ghi theo dạng HH:MM-HH:MM")


@pytest.mark.db
def test_a_stored_plan_gives_its_ladder_back_in_the_snapshot(engine: Engine):
    loaded = read_plan_text(plan_text([REPORT], ladder=OVERRIDE), "p.yaml")
    with session_scope(engine) as session:
        save_plan(session, loaded)
    with session_scope(engine) as session:
        assert session.exec(select(PlanRow.ladder)).one() == OVERRIDE
        plan = read_snapshot(session, "p").plan
    assert plan.spec.ladder == loaded.plan.spec.ladder
    assert ladder_of(plan) == ladder_of(loaded.plan) != DEFAULT_LADDER


@pytest.mark.db
def test_reloading_a_plan_without_its_ladder_clears_the_stored_one(engine: Engine):
    with session_scope(engine) as session:
        save_plan(session, read_plan_text(plan_text([REPORT], ladder=OVERRIDE), "p.yaml"))
    with session_scope(engine) as session:
        save_plan(session, read_plan_text(plan_text([REPORT]), "p.yaml"))
    with session_scope(engine) as session:
        assert session.exec(select(PlanRow.ladder)).one() is None
        assert read_snapshot(session, "p").plan.spec.ladder is None
