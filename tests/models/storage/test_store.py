"""Saving plans, reading snapshots and appending submissions against a real database."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, event, func, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import Session, SQLModel, select

from models.errors import NotFoundError
from models.loader import LoadedPlan, read_plan_text
from models.plan import AssignmentRef
from models.storage.store import (
    LoadAction,
    OrphanError,
    append_submission,
    plan_codes,
    read_snapshot,
    save_plan,
)
from models.storage.tables import (
    AssignmentRow,
    DeliverableRow,
    GroupMemberRow,
    PlanRow,
    SubmissionRow,
    UnitRow,
)
from models.submissions import SubmissionKind
from tests.builders import deadline_of

pytestmark = pytest.mark.db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
CODE = "gap-mat-2023"
ARRIVED = datetime(2023, 3, 8, 16, 30, 15, 123456, tzinfo=HCM)
TYPED = datetime(2023, 3, 8, 17, 0, tzinfo=HCM)


def edited(seed: LoadedPlan, change: Callable[[dict[str, Any]], None]) -> LoadedPlan:
    """The seed plan with `change` applied to its document, read by the real loader."""
    document = seed.plan.spec.model_dump(mode="json", exclude_none=True)
    change(document)
    return read_plan_text(json.dumps(document, ensure_ascii=False), "edited.json")


def scaled(seed: LoadedPlan, copies: int) -> LoadedPlan:
    """`copies` independent copies of the seed plan's units, groups and deliverables in one plan."""
    spec = seed.plan.spec
    document: dict[str, Any] = {
        "code": "gap-mat-lon",
        "title": spec.title,
        "coordinator": f"{spec.coordinator}-0",
        "leaders": [f"{code}-0" for code in spec.leaders],
        "units": [],
        "groups": {},
        "deliverables": [],
    }
    for k in range(copies):
        for unit in spec.units:
            document["units"].append(
                {**unit.model_dump(exclude_none=True), "code": f"{unit.code}-{k}"}
            )
        for name, members in spec.groups.items():
            document["groups"][f"{name}-{k}"] = [f"{m}-{k}" for m in members]
        for d in spec.deliverables:
            copy = d.model_dump(mode="json", exclude_none=True)
            copy.update(
                code=f"{d.code}-{k}", owner=f"{d.owner}-{k}", after=[f"{a}-{k}" for a in d.after]
            )
            if d.to:
                copy["to"] = f"{d.to}-{k}"
            document["deliverables"].append(copy)
    return read_plan_text(json.dumps(document, ensure_ascii=False), "scaled.json")


def without_unit(code: str) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        document["units"] = [u for u in document["units"] if u["code"] != code]
        document["groups"] = {
            g: [m for m in ms if m != code] for g, ms in document["groups"].items()
        }

    return change


def receive(session: Session, deliverable: str, unit: str, plan: str = CODE, **fields: Any):
    values: dict[str, Any] = {
        "kind": SubmissionKind.RECEIVED,
        "received_at": ARRIVED,
        "recorded_at": TYPED,
    }
    return append_submission(session, plan, deliverable=deliverable, unit=unit, **(values | fields))


def count(session: Session, table: type[SQLModel]) -> int:
    return session.exec(select(func.count()).select_from(table)).one()


def ids(session: Session, table: Any) -> list[int]:
    return list(session.exec(select(table.id).order_by(table.id)))


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """Every SQL statement the engine sends while the block runs."""
    sent: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_saving_the_seed_plan_creates_its_rows(session: Session, seed: LoadedPlan) -> None:
    report = save_plan(session, seed)
    session.commit()
    assert (report.action, report.plan) == (LoadAction.CREATED, CODE)
    assert (report.units, report.deliverables, report.assignments) == (25, 17, 81)
    assert count(session, UnitRow) == 25
    assert count(session, DeliverableRow) == 17
    assert count(session, AssignmentRow) == 81
    assert count(session, GroupMemberRow) == 13 + 5
    stored = session.exec(select(PlanRow)).one()
    assert (stored.spec_digest, stored.spec_yaml) == (seed.digest, seed.text)
    assert stored.leaders == ["thuong-truc"]


def test_assignment_rows_hold_resolved_and_inferred_deadlines(
    session: Session, seed: LoadedPlan
) -> None:
    save_plan(session, seed)
    session.commit()
    rows = session.exec(select(AssignmentRow).where(AssignmentRow.unit_code == "vptu")).all()
    by_deliverable = {r.deliverable_code: r for r in rows}
    assert by_deliverable["tong-hop"].due_at == datetime(2023, 3, 14, 17, tzinfo=UTC)
    assert by_deliverable["tong-hop"].due_inferred is False
    assert by_deliverable["giay-moi"].due_inferred is True
    assert by_deliverable["giay-moi"].due_at == deadline_of(seed.plan, "giay-moi").due_at


def test_loading_the_same_file_twice_changes_nothing(session: Session, seed: LoadedPlan) -> None:
    save_plan(session, seed, loaded_at=datetime(2023, 3, 1, tzinfo=UTC))
    session.commit()
    before = [ids(session, t) for t in (UnitRow, DeliverableRow, AssignmentRow)]
    report = save_plan(session, seed, loaded_at=datetime(2023, 3, 2, tzinfo=UTC))
    session.commit()
    assert report.action is LoadAction.UNCHANGED
    assert [ids(session, t) for t in (UnitRow, DeliverableRow, AssignmentRow)] == before
    assert session.exec(select(PlanRow.loaded_at)).one() == datetime(2023, 3, 1, tzinfo=UTC)


def test_an_edited_plan_is_updated_and_keeps_its_submissions(
    session: Session, seed: LoadedPlan
) -> None:
    save_plan(session, seed)
    kept = receive(session, "bc-huyen", "duc-tho")
    session.commit()

    def change(document: dict[str, Any]) -> None:
        document["deliverables"][0]["title"] = "Giấy mời (sửa)"
        document["deliverables"].append({"code": "bien-ban", "title": "Biên bản", "owner": "vptu"})

    report = save_plan(session, edited(seed, change))
    session.commit()
    assert report.action is LoadAction.UPDATED
    assert (report.deliverables, report.assignments, report.orphaned) == (18, 82, ())
    snapshot = read_snapshot(session, CODE)
    assert snapshot.plan.deliverables["giay-moi"].title == "Giấy mời (sửa)"
    assert "bien-ban" in snapshot.plan.deliverables
    assert snapshot.submissions == (kept,)
    assert count(session, DeliverableRow) == 18


def test_dropping_a_unit_with_submissions_is_refused_without_writing(
    session: Session, seed: LoadedPlan
) -> None:
    save_plan(session, seed)
    receive(session, "bc-huyen", "ky-anh")
    session.commit()
    with pytest.raises(OrphanError, match="--force") as refused:
        save_plan(session, edited(seed, without_unit("ky-anh")))
    session.rollback()
    assert refused.value.orphans == (AssignmentRef("bc-huyen", "ky-anh"),)
    assert "bc-huyen/ky-anh" in str(refused.value)
    assert session.exec(select(PlanRow.spec_digest)).one() == seed.digest
    assert count(session, UnitRow) == 25


def test_a_forced_reload_keeps_the_orphaned_row_but_not_in_the_snapshot(
    session: Session, seed: LoadedPlan
) -> None:
    save_plan(session, seed)
    orphan = receive(session, "bc-huyen", "ky-anh")
    session.commit()
    report = save_plan(session, edited(seed, without_unit("ky-anh")), force=True)
    session.commit()
    assert report.action is LoadAction.UPDATED
    assert report.orphaned == (AssignmentRef("bc-huyen", "ky-anh"),)
    assert report.units == 24
    assert session.get(SubmissionRow, orphan.id) is not None
    assert read_snapshot(session, CODE).submissions == ()


def test_an_orphan_blocks_only_the_reload_that_drops_its_assignment(
    session: Session, seed: LoadedPlan
) -> None:
    save_plan(session, seed)
    orphan = receive(session, "bc-huyen", "ky-anh")
    session.commit()
    save_plan(session, edited(seed, without_unit("ky-anh")), force=True)
    session.commit()

    def retitled(document: dict[str, Any]) -> None:
        without_unit("ky-anh")(document)
        document["title"] = "Gặp mặt 2023 (bản 3)"

    assert save_plan(session, edited(seed, retitled)).action is LoadAction.UPDATED
    session.commit()
    save_plan(session, seed)  # the unit comes back, and so does its submission
    session.commit()
    assert read_snapshot(session, CODE).submissions == (orphan,)


def test_the_orphan_message_lists_ten_and_counts_the_rest(
    session: Session, seed: LoadedPlan
) -> None:
    save_plan(session, seed)
    districts = seed.plan.groups["huyen"]
    for unit in districts:
        receive(session, "bc-huyen", unit)
    session.commit()

    def drop_report(document: dict[str, Any]) -> None:
        document["deliverables"] = [d for d in document["deliverables"] if d["code"] != "bc-huyen"]
        for d in document["deliverables"]:
            d["after"] = [a for a in d.get("after", []) if a != "bc-huyen"]

    with pytest.raises(OrphanError) as refused:
        save_plan(session, edited(seed, drop_report))
    message = str(refused.value)
    assert len(refused.value.orphans) == len(districts) == 13
    assert message.count("bc-huyen/") == 10
    assert "và 3 phân công khác" in message
    assert message.startswith("kế hoạch 'gap-mat-2023': bản mới bỏ 13 phân công đã có ghi nhận")


def test_the_snapshot_rebuilds_the_plan_that_was_loaded(session: Session, seed: LoadedPlan) -> None:
    save_plan(session, seed)
    session.commit()
    plan = read_snapshot(session, CODE).plan
    assert plan.assignments == seed.plan.assignments
    for code, deliverable in seed.plan.deliverables.items():
        assert plan.deliverables[code].deadline == deliverable.deadline, code
    assert plan == seed.plan
    assert plan.spec == seed.plan.spec


def test_an_exact_deadline_with_an_offset_round_trips(session: Session, seed: LoadedPlan) -> None:
    def timed(document: dict[str, Any]) -> None:
        document["deliverables"][0]["due"] = {"at": "2023-03-05T17:30:00+07:00"}

    loaded = edited(seed, timed)
    save_plan(session, loaded)
    session.commit()
    plan = read_snapshot(session, CODE).plan
    assert plan.deliverables["giay-moi"].deadline == loaded.plan.deliverables["giay-moi"].deadline
    assert plan.spec == loaded.plan.spec


def test_periods_and_counted_deadlines_round_trip(session: Session, seed: LoadedPlan) -> None:
    def counted(document: dict[str, Any]) -> None:
        document["deliverables"] += [
            {
                "code": "bc-thang",
                "title": "Báo cáo tháng",
                "owner": "vptu",
                "due": {"month": "2023-04"},
            },
            {
                "code": "bc-quy",
                "title": "Báo cáo quý",
                "owner": "vptu",
                "due": {"quarter": "2023-Q2"},
            },
            {"code": "bc-nam", "title": "Báo cáo năm", "owner": "vptu", "due": {"year": 2023}},
            {
                "code": "nhac-lai",
                "title": "Nhắc lại",
                "owner": "vptu",
                "due": {"days_after": 3, "of": "bc-thang", "working_days": True},
            },
            {
                "code": "chuan-bi",
                "title": "Chuẩn bị",
                "owner": "vptu",
                "due": {"days_before": 10, "of": "bc-quy"},
            },
            {
                "code": "duyet",
                "title": "Duyệt báo cáo",
                "owner": "vptu",
                "due": {"within_days": 2, "after_arrival_of": "bc-thang"},
            },
        ]

    loaded = edited(seed, counted)
    save_plan(session, loaded)
    session.commit()
    plan = read_snapshot(session, CODE).plan
    assert plan == loaded.plan
    assert plan.spec == loaded.plan.spec
    assert plan.deliverables["nhac-lai"].deadline == loaded.plan.deliverables["nhac-lai"].deadline
    assert plan.deliverables["duyet"].arrival == loaded.plan.deliverables["duyet"].arrival
    kinds = session.exec(select(DeliverableRow.due_kind, DeliverableRow.due_value)).all()
    assert ("quarter", "2023-Q2") in kinds and ("year", "2023") in kinds


def test_submission_times_round_trip_as_aware_utc(engine: Engine, seed: LoadedPlan) -> None:
    with Session(engine) as session:
        save_plan(session, seed)
        written = receive(session, "bc-huyen", "duc-tho", note="bản giấy")
        session.commit()
    with Session(engine) as session:
        (read,) = read_snapshot(session, CODE).submissions
    assert read == written
    assert read.received_at == ARRIVED
    assert read.received_at.utcoffset() == timedelta(0)
    assert read.received_at.tzinfo is UTC
    assert read.received_at.microsecond == 123456
    assert (read.kind, read.note) == (SubmissionKind.RECEIVED, "bản giấy")


def test_times_are_stored_in_utc(session: Session, seed: LoadedPlan) -> None:
    save_plan(session, seed)
    receive(session, "bc-huyen", "duc-tho")
    session.commit()
    stored = session.connection().execute(text("SELECT received_at FROM submission")).scalar_one()
    if isinstance(stored, str):  # SQLite keeps the UTC wall time as text
        assert stored.startswith("2023-03-08 09:30:15.123456")
    else:
        assert stored == ARRIVED


def test_an_undo_points_at_an_existing_row(session: Session, seed: LoadedPlan) -> None:
    save_plan(session, seed)
    first = receive(session, "bc-huyen", "duc-tho")
    undo = receive(session, "bc-huyen", "duc-tho", kind="undo", undoes=first.id)
    session.commit()
    assert read_snapshot(session, CODE).submissions == (first, undo)
    with pytest.raises(IntegrityError):
        receive(session, "bc-huyen", "duc-tho", kind="undo", undoes=first.id + 1000)


def test_the_column_type_refuses_a_naive_datetime(session: Session, seed: LoadedPlan) -> None:
    save_plan(session, seed)
    plan_id = session.exec(select(PlanRow.id)).one()
    assert plan_id is not None
    naive = datetime(2023, 3, 8, 9, 30)
    session.add(
        SubmissionRow(
            plan_id=plan_id,
            deliverable_code="bc-huyen",
            unit_code="duc-tho",
            kind="received",
            received_at=naive,
            recorded_at=TYPED,
        )
    )
    with pytest.raises(StatementError) as refused:
        session.flush()
    assert isinstance(refused.value.orig, ValueError)
    assert "timezone" in str(refused.value.orig)


def test_appending_a_naive_datetime_is_a_value_error(session: Session, seed: LoadedPlan) -> None:
    save_plan(session, seed)
    with pytest.raises(ValueError, match="timezone"):
        receive(session, "bc-huyen", "duc-tho", received_at=datetime(2023, 3, 8, 9, 30))
    assert count(session, SubmissionRow) == 0


def test_an_unknown_plan_is_not_found_with_a_suggestion(session: Session, seed: LoadedPlan) -> None:
    save_plan(session, seed)
    session.commit()
    with pytest.raises(NotFoundError) as missing:
        read_snapshot(session, "gap-mat-2024")
    assert missing.value.suggestions == [CODE]
    assert CODE in str(missing.value)
    with pytest.raises(NotFoundError):
        receive(session, "bc-huyen", "duc-tho", plan="gap-mat-2024")


def test_plan_codes_lists_every_stored_plan_sorted(session: Session, seed: LoadedPlan) -> None:
    assert plan_codes(session) == []
    save_plan(session, scaled(seed, 1))
    save_plan(session, seed)
    assert plan_codes(session) == [CODE, "gap-mat-lon"]


def test_a_snapshot_takes_as_many_queries_for_a_plan_ten_times_bigger(
    engine: Engine, seed: LoadedPlan
) -> None:
    big = scaled(seed, 10)
    with Session(engine) as session:
        for loaded in (seed, big):
            save_plan(session, loaded)
            for ref in loaded.plan.assignments[::7]:
                receive(session, ref.deliverable, ref.unit, plan=loaded.plan.code)
        session.commit()
    sent: dict[str, list[str]] = {}
    for loaded in (seed, big):
        with Session(engine) as session, statements(engine) as sent[loaded.plan.code]:
            snapshot = read_snapshot(session, loaded.plan.code)
        assert len(snapshot.submissions) == len(loaded.plan.assignments[::7])
    assert len(big.plan.assignments) == 10 * len(seed.plan.assignments)
    assert len(sent[CODE]) == len(sent[big.plan.code])
    assert sum(s.lstrip().upper().startswith("SELECT") for s in sent[CODE]) == 6
