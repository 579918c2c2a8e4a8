"""`dondoc plan export` / `plan import-submissions`: a plan and its record move whole."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from models.files.arrivals_csv import read_arrivals_csv
from models.files.submissions_csv import parse_submissions_csv
from models.loader import LoadedPlan
from models.recording import RecordRequest, record
from models.storage.engine import session_scope
from models.storage.store import append_submission, save_plan, submission_rows
from models.submissions import SubmissionKind
from tests.builders import HCM, local
from tests.databases import postgres_schema
from tests.paths import ROOT
from tests.runtimes import cli_on

pytestmark = [pytest.mark.db, pytest.mark.cli]
ARRIVALS = ROOT / "plans" / "gap-mat-2023.arrivals.csv"
PLAN = "gap-mat-2023"
AS_OF = [
    "2023-03-01T07:30",
    "2023-03-08T20:00",
    "2023-03-10T09:00",
    "2023-03-16T07:30",
    "2023-03-22T18:00",
]


@pytest.fixture
def other_database_url(
    request: pytest.FixtureRequest, database_url: str, tmp_path: Path
) -> Iterator[str]:
    """A second empty database of the same kind as `database_url`."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'other.db'}"
        return
    with postgres_schema(*request.getfixturevalue("postgres_server")) as url:
        yield url


def record_one(engine: Engine, deliverable: str, unit: str, kind: SubmissionKind, at, undo=False):
    request = RecordRequest(
        PLAN,
        deliverable,
        unit,
        kind,
        at=at,
        now=at + timedelta(hours=2),
        recorded_by="vptu",
        note=f'ghi chú, "{unit}"\ndòng 2',
        undo=undo,
    )
    with session_scope(engine) as session:
        return record(session, request)


@pytest.fixture
def lived(engine: Engine, seed: LoadedPlan) -> Engine:
    """The seed plan with the demo's arrivals, two undos, two waivers (one undone), figures."""
    with session_scope(engine) as session:
        save_plan(session, seed)
    received = SubmissionKind.RECEIVED
    for arrival in read_arrivals_csv(ARRIVALS, HCM):
        record_one(engine, arrival.deliverable, arrival.unit, received, arrival.received_at)
    record_one(engine, "bc-huyen", "tp-ha-tinh", received, local(2023, 3, 9, 8), undo=True)
    record_one(engine, "bc-huyen", "vu-quang", SubmissionKind.WAIVED, local(2023, 3, 9, 10))
    record_one(engine, "bc-ban-dang", "ban-dan-van", SubmissionKind.WAIVED, local(2023, 3, 9, 11))
    record_one(
        engine, "bc-ban-dang", "ban-dan-van", SubmissionKind.WAIVED, local(2023, 3, 12), undo=True
    )
    record_one(engine, "giay-moi", "vptu", received, local(2023, 3, 2, 9), undo=True)
    with session_scope(engine) as session:
        append_submission(
            session,
            PLAN,
            deliverable="bc-huyen",
            unit="tp-ha-tinh",
            kind=received,
            received_at=local(2023, 3, 9, 12),
            recorded_at=local(2023, 3, 9, 12, 5),
            recorded_by="an",
            data={"so_dai_bieu": 12},
        )
    return engine


def statuses(run) -> list[dict]:
    documents = []
    for as_of in AS_OF:
        result = run("status", PLAN, "--json", "--as-of", as_of)
        assert result.exit_code == 0, result.output
        documents.append(json.loads(result.stdout))
    return documents


def test_export_then_import_into_an_empty_database_gives_the_same_statuses(
    lived: Engine,
    database_url: str,
    other_database_url: str,
    seed: LoadedPlan,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    here, there = cli_on(database_url, monkeypatch), cli_on(other_database_url, monkeypatch)
    result = here("plan", "export", PLAN, "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    plan_file = tmp_path / "out" / f"{PLAN}.yaml"
    csv_file = tmp_path / "out" / f"{PLAN}.submissions.csv"
    assert plan_file.read_text(encoding="utf-8") == seed.text  # the text exactly as loaded
    assert sorted(p.name for p in plan_file.parent.iterdir()) == [csv_file.name, plan_file.name]
    assert there("plan", "load", str(plan_file)).exit_code == 0
    result = there("plan", "import-submissions", PLAN, str(csv_file))
    assert result.exit_code == 0, result.output
    assert "Đã nạp 74 ghi nhận" in result.stdout
    before, after = statuses(here), statuses(there)
    assert before == after
    assert {a["status"] for d in after for a in d["assignments"]} >= {
        "waived",
        "done_late",
        "overdue",
    }
    # …and the record itself, undo targets included, exports to the same bytes again.
    again = there("plan", "export", PLAN, "--out", str(tmp_path / "again"))
    assert again.exit_code == 0
    assert (tmp_path / "again" / csv_file.name).read_bytes() == csv_file.read_bytes()


def test_the_csv_names_undo_targets_by_row_number_and_keeps_figures(
    lived: Engine, tmp_path, database_url, monkeypatch
):
    cli_on(database_url, monkeypatch)("plan", "export", PLAN, "--out", str(tmp_path))
    records = parse_submissions_csv(
        (tmp_path / f"{PLAN}.submissions.csv").read_text(encoding="utf-8"), "x.csv", HCM
    )
    undos = [r for r in records if r.kind is SubmissionKind.UNDO]
    assert len(undos) == 3
    for undo in undos:
        assert undo.undoes is not None
        target = records[undo.undoes - 1]
        assert (target.deliverable, target.unit) == (undo.deliverable, undo.unit)
        assert target.id < undo.id
    assert records[-1].data == {"so_dai_bieu": 12}
    assert records[0].note == 'ghi chú, "vptu"\ndòng 2'
    with session_scope(lived) as session:
        assert len(submission_rows(session, PLAN)) == len(records) == 74


def test_import_is_refused_when_the_plan_already_has_submissions(
    lived, database_url, tmp_path, monkeypatch
):
    run = cli_on(database_url, monkeypatch)
    run("plan", "export", PLAN, "--out", str(tmp_path))
    result = run("plan", "import-submissions", PLAN, str(tmp_path / f"{PLAN}.submissions.csv"))
    assert result.exit_code == 2
    assert (
        "kế hoạch 'gap-mat-2023' đã có 74 ghi nhận" in result.stderr
        and "chưa ghi nhận gì" in result.stderr
    )
    with session_scope(lived) as session:
        assert len(submission_rows(session, PLAN)) == 74  # nothing added


def test_import_into_a_database_without_the_plan_is_refused(
    lived, database_url, other_database_url, tmp_path, monkeypatch
):
    cli_on(database_url, monkeypatch)("plan", "export", PLAN, "--out", str(tmp_path))
    result = cli_on(other_database_url, monkeypatch)(
        "plan", "import-submissions", PLAN, str(tmp_path / f"{PLAN}.submissions.csv")
    )
    assert result.exit_code == 2 and "không có kế hoạch 'gap-mat-2023'" in result.stderr


def test_a_broken_csv_is_refused_whole_with_line_and_column(
    seed, engine, database_url, tmp_path, monkeypatch
):
    with session_scope(engine) as session:
        save_plan(session, seed)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "ordinal,deliverable,unit,kind,received_at,recorded_at,recorded_by,note,undoes,data\n"
        "1,giay-moi,vptu,received,2023-03-01T15:00:00+07:00,2023-03-01T15:05:00+07:00,an,,,{}\n"
        "2,giay-moi,vptu,undo,2023-03-02T00:00+07:00,hôm qua,an,,1,{}\n"
        "3,giay-moi,vptu,undo,2023-03-02T00:00+07:00,2023-03-02T00:00+07:00,an,,3,{}\n"
        "4,giay-moi,vptu,waived,2023-03-02T00:00,2023-03-02T00:00+07:00,an,,,{}\n",
        encoding="utf-8",
    )
    result = cli_on(database_url, monkeypatch)("plan", "import-submissions", PLAN, str(bad))
    assert result.exit_code == 2
    assert f"{bad}:3: recorded_at: 'hôm qua' không phải thời điểm ISO-8601" in result.stderr
    assert (
        f"{bad}:4: undoes: dòng hủy phải ghi số một dòng trước nó (1 đến 2), không phải '3'"
        in result.stderr
    )
    assert f"{bad}:5: received_at: '2023-03-02T00:00' thiếu độ lệch múi giờ" in result.stderr
    with session_scope(engine) as session:
        assert submission_rows(session, PLAN) == []


def test_extensions_and_their_undos_move_with_the_record_and_replay_the_same(
    database_url, other_database_url, tmp_path, monkeypatch
):
    here, there = cli_on(database_url, monkeypatch), cli_on(other_database_url, monkeypatch)
    assert here("plan", "load", str(ROOT / "plans" / f"{PLAN}.yaml")).exit_code == 0
    reason = ("--note", "xin thêm thời gian", "--by", "vptu")
    for unit, at in (("huong-khe", "08/03/2023 14:00"), ("ky-anh", "10/03/2023 08:00")):
        granted = here(
            "extend", PLAN, "bc-huyen", unit, "--until", "12/03/2023", *reason, "--at", at
        )
        assert granted.exit_code == 0, granted.output
    assert here("extend", PLAN, "bc-huyen", "ky-anh", "--undo", "--at", "11/03/2023").exit_code == 0
    here("receive", PLAN, "bc-huyen", "huong-khe", "--at", "11/03/2023 09:00")
    here("plan", "export", PLAN, "--out", str(tmp_path))
    csv_file = tmp_path / f"{PLAN}.submissions.csv"
    assert ",extended," in csv_file.read_text(encoding="utf-8")
    assert there("plan", "load", str(tmp_path / f"{PLAN}.yaml")).exit_code == 0
    result = there("plan", "import-submissions", PLAN, str(csv_file))
    assert result.exit_code == 0, result.output
    before, after = statuses(here), statuses(there)
    assert before == after
    extended = [
        {a["unit"]: a["status"] for a in d["assignments"] if a["original_due"]} for d in after
    ]
    assert set(extended[2]) == {"huong-khe", "ky-anh"}  # 10/03 09:00: both granted
    assert extended[3] == {"huong-khe": "done_on_time"}  # 16/03: ky-anh's was undone on 11/03


def test_an_imported_extension_without_a_reason_is_refused_with_its_line(
    seed, engine, database_url, tmp_path, monkeypatch
):
    with session_scope(engine) as session:
        save_plan(session, seed)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "ordinal,deliverable,unit,kind,received_at,recorded_at,recorded_by,note,undoes,data\n"
        "1,bc-huyen,ky-anh,extended,2023-03-08T15:00:00+07:00,2023-03-08T15:05:00+07:00,an,,,"
        '"{""due_kind"": ""by"", ""due"": ""2023-03-12""}"\n',
        encoding="utf-8",
    )
    result = cli_on(database_url, monkeypatch)("plan", "import-submissions", PLAN, str(bad))
    assert result.exit_code == 2
    assert f"{bad}:2: gia hạn cần ghi lý do" in result.stderr


def test_review_decisions_move_with_the_record_and_replay_the_same(
    database_url, other_database_url, tmp_path, monkeypatch
):
    here, there = cli_on(database_url, monkeypatch), cli_on(other_database_url, monkeypatch)
    assert here("plan", "load", str(ROOT / "plans" / f"{PLAN}.yaml")).exit_code == 0
    assignment = (PLAN, "bc-huyen", "huong-khe")
    reason = ("--note", "thiếu số liệu, yêu cầu bổ sung", "--by", "vptu")
    steps = [
        ("receive", *assignment, "--at", "07/03/2023 09:00"),
        ("review", *assignment, "--return", *reason, "--at", "08/03/2023 10:00"),
        ("receive", *assignment, "--at", "09/03/2023 16:00"),
        ("review", *assignment, "--accept", "--at", "10/03/2023 08:00"),
        ("review", *assignment, "--accept", "--undo", "--at", "10/03/2023 08:30"),
    ]
    for step in steps:
        done = here(*step)
        assert done.exit_code == 0, done.output
    here("plan", "export", PLAN, "--out", str(tmp_path))
    csv_file = tmp_path / f"{PLAN}.submissions.csv"
    text = csv_file.read_text(encoding="utf-8")
    assert ",returned," in text and ",accepted," in text
    assert there("plan", "load", str(tmp_path / f"{PLAN}.yaml")).exit_code == 0
    result = there("plan", "import-submissions", PLAN, str(csv_file))
    assert result.exit_code == 0, result.output
    before, after = statuses(here), statuses(there)
    assert before == after
    ours = [
        next(a for a in d["assignments"] if (a["deliverable"], a["unit"]) == assignment[1:])
        for d in after
    ]
    assert [a["status"] for a in ours[1:3]] == ["returned", "done_late"]  # 08/03 20:00, 10/03


def test_an_imported_return_without_a_reason_is_refused_with_its_line(
    seed, engine, database_url, tmp_path, monkeypatch
):
    with session_scope(engine) as session:
        save_plan(session, seed)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "ordinal,deliverable,unit,kind,received_at,recorded_at,recorded_by,note,undoes,data\n"
        "1,bc-huyen,ky-anh,received,2023-03-07T15:00:00+07:00,2023-03-07T15:05:00+07:00,an,,,{}\n"
        "2,bc-huyen,ky-anh,returned,2023-03-08T15:00:00+07:00,2023-03-08T15:05:00+07:00,an,,1,{}\n"
        "3,bc-huyen,ky-anh,accepted,2023-03-08T15:00:00+07:00,2023-03-08T15:05:00+07:00,an,,,{}\n",
        encoding="utf-8",
    )
    result = cli_on(database_url, monkeypatch)("plan", "import-submissions", PLAN, str(bad))
    assert result.exit_code == 2
    assert f"{bad}:3: trả lại cần ghi lý do" in result.stderr
    assert f"{bad}:4: undoes: dòng duyệt phải ghi số một dòng trước nó" in result.stderr
    with session_scope(engine) as session:
        assert submission_rows(session, PLAN) == []


def test_requests_for_more_time_and_their_answers_move_with_the_record(
    engine, seed, database_url, other_database_url, tmp_path, monkeypatch
):
    from models.unit_actions import request_extension

    with session_scope(engine) as session:
        save_plan(session, seed)
    for unit, day in (("huong-khe", 8), ("can-loc", 8)):
        with session_scope(engine) as session:
            asked = local(2023, 3, day, 9)
            request_extension(session, PLAN, "bc-huyen", unit, "20/03/2023", "chờ số liệu", asked)
    answers = [
        ("huong-khe", SubmissionKind.EXTENSION_REFUSED, {}),
        ("can-loc", SubmissionKind.EXTENDED, {"due_kind": "by", "due": "20/03/2023"}),
    ]
    for unit, kind, data in answers:
        answered = local(2023, 3, 8, 15)
        request = RecordRequest(
            PLAN, "bc-huyen", unit, kind, answered, answered, "vptu", "đã cân nhắc", data=data
        )
        with session_scope(engine) as session:
            record(session, request)
    here, there = cli_on(database_url, monkeypatch), cli_on(other_database_url, monkeypatch)
    assert here("plan", "export", PLAN, "--out", str(tmp_path)).exit_code == 0
    csv_file = tmp_path / f"{PLAN}.submissions.csv"
    text = csv_file.read_text(encoding="utf-8")
    assert ",extension_requested," in text and ",extension_refused," in text
    assert there("plan", "load", str(tmp_path / f"{PLAN}.yaml")).exit_code == 0
    result = there("plan", "import-submissions", PLAN, str(csv_file))
    assert result.exit_code == 0, result.output
    assert statuses(here) == statuses(there)


def test_an_imported_second_request_or_a_refusal_of_nothing_is_refused_with_its_line(
    seed, engine, database_url, tmp_path, monkeypatch
):
    with session_scope(engine) as session:
        save_plan(session, seed)
    head = "ordinal,deliverable,unit,kind,received_at,recorded_at,recorded_by,note,undoes,data\n"
    at = "2023-03-07T15:00:00+07:00,2023-03-07T15:05:00+07:00"
    due = '"{""due"": ""20/03/2023""}"'
    later = '"{""due"": ""25/03/2023""}"'
    bad = tmp_path / "bad.csv"
    bad.write_text(
        head
        + f"1,bc-huyen,ky-anh,extension_requested,{at},ky-anh,chờ số liệu,,{due}\n"
        + f"2,bc-huyen,ky-anh,extension_requested,{at},ky-anh,lý do khác,,{later}\n"
        + f"3,bc-huyen,ky-anh,received,{at},an,,,{{}}\n"
        + f"4,bc-huyen,ky-anh,extension_refused,{at},an,không,3,{{}}\n",
        encoding="utf-8",
    )
    result = cli_on(database_url, monkeypatch)("plan", "import-submissions", PLAN, str(bad))
    assert result.exit_code == 2
    assert f"{bad}:3: bc-huyen/ky-anh đã có đề nghị #1" in result.stderr
    assert f"{bad}:5: undoes: dòng 3 không phải một đề nghị gia hạn" in result.stderr
    with session_scope(engine) as session:
        assert submission_rows(session, PLAN) == []
