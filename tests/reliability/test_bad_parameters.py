"""Wrong codes, times and dates given to the CLI and the record-submission flow: exit 2 (or a
failed, unretried run) with a message that says what to do."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from flows.cli import app
from tests.paths import ROOT

SEED = str(ROOT / "plans" / "gap-mat-2023.yaml")
PLAN = "gap-mat-2023"


@pytest.fixture
def dondoc(database_url, monkeypatch, tmp_path):
    monkeypatch.setenv("DONDOC_DATABASE_URL", database_url)
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, list(args), catch_exceptions=False)

    assert run("plan", "load", SEED).exit_code == 0
    return run


@pytest.mark.db
@pytest.mark.cli
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["status", "gap-mat"], "không có kế hoạch 'gap-mat' (có phải 'gap-mat-2023'"),
        (["receive", PLAN, "bc-huyn", "huong-khe"], "không có nhiệm vụ 'bc-huyn'"),
        (
            ["receive", PLAN, "bc-huyen", "huong-khee"],
            "không có đơn vị 'huong-khee' (có phải 'huong-khe'",
        ),
        (
            ["waive", PLAN, "tong-hop", "huong-khe"],
            "đơn vị 'huong-khe' không được giao nhiệm vụ 'tong-hop'",
        ),
        (["log", PLAN, "--deliverable", "bc-huyn"], "không có nhiệm vụ 'bc-huyn'"),
        (["board", "gap", "--out", "x"], "không có kế hoạch 'gap'"),
        (["plan", "export", "gap", "--out", "x"], "không có kế hoạch 'gap'"),
        (["status", PLAN, "--as-of", "32/13/2023"], "viết theo ISO-8601 (2023-03-10T09:00"),
        (["status", PLAN, "--as-of", "hôm qua"], "không đọc được thời điểm 'hôm qua'"),
        (["receive", PLAN, "bc-huyen", "huong-khe", "--at", "2023-3-8 9h"], "dd/mm/yyyy"),
        (
            ["receive", PLAN, "bc-huyen", "huong-khe", "--at", "01/01/2999"],
            "chưa tới: chỉ ghi nhận sau khi đơn vị đã nộp",
        ),
        (
            ["receive", PLAN, "bc-huyen", "huong-khe", "--at", "08/03/2021 10:00"],
            "sớm hơn hạn đầu tiên của kế hoạch (",
        ),
        (
            ["receive", PLAN, "video", "dai-ptth", "--undo", "--at", "2023-03-10"],
            "không có gì để hủy",
        ),
        (
            [
                "receive",
                PLAN,
                "bc-huyen",
                "huong-khe",
                "--at",
                "2023-03-08",
                "--set",
                "so_dai_bieu=x",
            ],
            "so_dai_bieu: giá trị 'x' không hợp lệ, cần một số nguyên, ví dụ 12",
        ),
    ],
)
def test_a_bad_parameter_exits_2_with_what_to_do(dondoc, args, expected):
    result = dondoc(*args)
    assert result.exit_code == 2, result.output
    assert expected in result.stderr and "Traceback" not in result.output


@pytest.mark.db
@pytest.mark.cli
def test_a_date_a_few_months_before_the_first_deadline_is_accepted(dondoc):
    """Early but plausible (a report sent in advance) is not a typo."""
    result = dondoc("receive", PLAN, "bc-ubnd", "bcs-ubnd", "--at", "01/12/2022 10:00")
    assert result.exit_code == 0, result.output


@pytest.mark.db
@pytest.mark.cli
def test_nothing_is_written_by_a_refused_command(dondoc):
    dondoc("receive", PLAN, "bc-huyen", "huong-khe", "--at", "08/03/2021 10:00")
    dondoc("receive", PLAN, "bc-huyen", "huong-khe", "--at", "01/01/2999")
    assert "Nhật ký trống" in dondoc("log", PLAN).stdout


def test_a_submission_too_early_is_refused_by_the_domain(seed):
    """The check lives in models.recording, shared by the CLI and the flow."""
    from datetime import timedelta

    from models.errors import InvalidInputError
    from models.recording import EARLIEST_BEFORE_FIRST_DEADLINE, _check_not_too_early

    plan = seed.plan
    first = min(d.deadline.due_at for d in plan.deliverables.values() if d.deadline)
    _check_not_too_early(plan, first - EARLIEST_BEFORE_FIRST_DEADLINE)
    with pytest.raises(InvalidInputError, match="kiểm tra lại ngày, nhất là năm"):
        _check_not_too_early(plan, first - EARLIEST_BEFORE_FIRST_DEADLINE - timedelta(minutes=1))


SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.mark.prefect
@pytest.mark.db
@SQLITE_ONLY
@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"deliverable": "bc-huyn", "unit": "huong-khe"}, "không có nhiệm vụ 'bc-huyn'"),
        (
            {"deliverable": "bc-huyen", "unit": "huong-khe", "received_at": "2999-01-01T00:00"},
            "chưa tới: chỉ ghi nhận sau khi đơn vị đã nộp",
        ),
        (
            {"deliverable": "bc-huyen", "unit": "huong-khe", "received_at": "2021-03-08T10:00"},
            "sớm hơn hạn đầu tiên của kế hoạch",
        ),
    ],
)
def test_the_record_flow_fails_with_the_message_and_is_not_retried(
    seeded, arguments, expected, monkeypatch
):
    from datetime import datetime

    from flows import record as record_module
    from flows.record import record_submission
    from models.recording import record as original

    calls = []

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(record_module, "record", counting)
    if "received_at" in arguments:
        arguments = {**arguments, "received_at": datetime.fromisoformat(arguments["received_at"])}
    state = record_submission(PLAN, recorded_by="Lan", return_state=True, **arguments)
    assert state.is_failed() and expected in (state.message or "")
    assert len(calls) == 1  # a person's mistake: no retry


@pytest.mark.prefect
@pytest.mark.db
@SQLITE_ONLY
def test_the_record_flow_refuses_a_time_in_the_wrong_format(seeded):
    """The form's text is read as `dondoc receive --at` reads it: the run fails with the
    same message before anything is recorded."""
    from flows.record import record_submission

    state = record_submission(
        PLAN, "bc-huyen", "huong-khe", "Lan", received_at="mai lúc 9 giờ", return_state=True
    )
    assert state.is_failed()
    assert (state.message or "").startswith("không đọc được thời điểm 'mai lúc 9 giờ'")
