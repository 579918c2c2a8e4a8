"""The `dondoc` CLI end to end on a real database: load, receive, undo, waive, status."""

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from tests.paths import SEED_PLAN

pytestmark = [pytest.mark.db, pytest.mark.cli]
SEED = str(SEED_PLAN)


@pytest.fixture
def dondoc(database_url, monkeypatch):
    """Run `dondoc ARGS…` in-process against the test database; returns the click Result."""
    monkeypatch.setenv("DONDOC_DATABASE_URL", database_url)
    monkeypatch.setenv("COLUMNS", "160")
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, list(args), catch_exceptions=False)

    return run


@pytest.fixture
def loaded(dondoc):
    assert dondoc("plan", "load", SEED).exit_code == 0
    return dondoc


def status_json(dondoc, as_of: str) -> dict:
    result = dondoc("status", "gap-mat-2023", "--json", "--as-of", as_of)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def by_ref(document: dict) -> dict[tuple[str, str], dict]:
    return {(a["deliverable"], a["unit"]): a for a in document["assignments"]}


def test_plan_check_accepts_the_seed_plan(dondoc):
    result = dondoc("plan", "check", SEED)
    assert result.exit_code == 0
    assert "gap-mat-2023" in result.stdout and "81 phân công" in result.stdout


def test_plan_check_rejects_a_bad_file_with_file_line_and_path(dondoc, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        Path(SEED).read_text(encoding="utf-8").replace("after: [giay-moi]", "after: [giay-moj]")
    )
    result = dondoc("plan", "check", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:" in result.stderr and ".after[0]: không có nhiệm vụ 'giay-moj'" in result.stderr
    assert "(có phải 'giay-moi'" in result.stderr


def test_invalid_plan_load_writes_nothing(dondoc, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("code: x\ntitle: [\n")
    assert dondoc("plan", "load", str(bad)).exit_code == 2
    assert "Chưa có kế hoạch nào" in dondoc("plan", "list").stdout


def test_loading_the_same_plan_twice_changes_nothing(loaded):
    result = loaded("plan", "load", SEED)
    assert result.exit_code == 0 and "Không thay đổi" in result.stdout


def test_seed_plan_as_of_10_march_morning(loaded):
    document = status_json(loaded, "2023-03-10T09:00")
    statuses = by_ref(document)
    overdue = {ref for ref, a in statuses.items() if a["status"] == "overdue"}
    assert {ref for ref in overdue if ref[0] == "bc-huyen"} == {
        r for r in statuses if r[0] == "bc-huyen"
    }
    assert len([r for r in overdue if r[0] == "bc-huyen"]) == 13
    assert len([r for r in overdue if r[0] == "bc-ban-dang"]) == 5
    assert statuses[("tong-hop", "vptu")]["status"] == "at_risk"
    assert document["as_of"] == "2023-03-10T09:00:00+07:00"
    assert statuses[("bc-huyen", "huong-khe")]["days_late"] == 2
    assert statuses[("bc-huyen", "huong-khe")]["due"] == "2023-03-09T00:00:00+07:00"


def test_status_json_has_exactly_the_documented_shape(loaded):
    document = status_json(loaded, "2023-03-10T09:00")
    assert set(document) == {
        "plan",
        "as_of",
        "assignments",
        "summary",
        "extended",
        "not_acknowledged",
    }
    assert set(document["assignments"][0]) == {
        "deliverable",
        "unit",
        "due",
        "due_inferred",
        "original_due",
        "status",
        "returned_at",
        "return_note",
        "acknowledged_at",
        "submitted_at",
        "days_late",
        "data",
        "unusable_data",
    }
    assert sum(document["summary"].values()) == len(document["assignments"]) == 81
    assert by_ref(document)[("giay-moi", "vptu")]["due_inferred"] is True


def test_receive_then_undo_is_replayable(loaded):
    result = loaded(
        "receive",
        "gap-mat-2023",
        "bc-huyen",
        "huong-khe",
        "--at",
        "08/03/2023 16:30",
        "--note",
        "công văn số 12",
    )
    assert result.exit_code == 0, result.output
    assert "Đã ghi nhận" in result.stdout
    entry = by_ref(status_json(loaded, "2023-03-10T09:00"))[("bc-huyen", "huong-khe")]
    assert (
        entry["status"] == "done_on_time" and entry["submitted_at"] == "2023-03-08T16:30:00+07:00"
    )
    assert (
        loaded(
            "receive", "gap-mat-2023", "bc-huyen", "huong-khe", "--undo", "--at", "2023-03-09T08:00"
        ).exit_code
        == 0
    )
    assert (
        by_ref(status_json(loaded, "2023-03-10T09:00"))[("bc-huyen", "huong-khe")]["status"]
        == "overdue"
    )
    assert (
        by_ref(status_json(loaded, "2023-03-08T20:00"))[("bc-huyen", "huong-khe")]["status"]
        == "done_on_time"
    )


def test_recording_the_same_arrival_twice_is_reported_not_duplicated(loaded):
    args = ("receive", "gap-mat-2023", "bc-ubnd", "bcs-ubnd", "--at", "2023-03-07T10:00")
    assert loaded(*args).exit_code == 0
    again = loaded(*args)
    assert again.exit_code == 0 and "Đã có từ trước" in again.stdout


def test_undo_with_nothing_recorded_is_a_clear_error(loaded):
    result = loaded("receive", "gap-mat-2023", "video", "dai-ptth", "--undo", "--at", "2023-03-10")
    assert result.exit_code == 2 and "không có gì để hủy" in result.stderr


def test_unknown_unit_suggests_the_close_code(loaded):
    result = loaded("receive", "gap-mat-2023", "bc-huyen", "huong-khee")
    assert result.exit_code == 2
    assert (
        "không có đơn vị 'huong-khee'" in result.stderr and "(có phải 'huong-khe'" in result.stderr
    )


def test_unit_that_does_not_owe_the_deliverable_is_refused(loaded):
    result = loaded("receive", "gap-mat-2023", "tong-hop", "huong-khe")
    assert result.exit_code == 2
    assert "đơn vị 'huong-khe' không được giao nhiệm vụ 'tong-hop'" in result.stderr


def test_unknown_plan_and_bad_time_exit_2(loaded):
    assert "(có phải 'gap-mat-2023'" in loaded("status", "gap-mat-2032").stderr
    result = loaded("status", "gap-mat-2023", "--as-of", "mai")
    assert result.exit_code == 2 and "không đọc được thời điểm 'mai'" in result.stderr


def test_arrival_in_the_future_is_refused(loaded):
    result = loaded("receive", "gap-mat-2023", "bc-ubnd", "bcs-ubnd", "--at", "2999-01-01")
    assert result.exit_code == 2 and "chưa tới: chỉ ghi nhận sau khi" in result.stderr


def test_waive_excuses_an_overdue_unit(loaded):
    assert (
        loaded(
            "waive", "gap-mat-2023", "bc-huyen", "vu-quang", "--at", "2023-03-09T10:00"
        ).exit_code
        == 0
    )
    assert (
        by_ref(status_json(loaded, "2023-03-10T09:00"))[("bc-huyen", "vu-quang")]["status"]
        == "waived"
    )


def test_late_only_lists_overdue_and_late_deliveries_most_late_first(loaded):
    loaded("receive", "gap-mat-2023", "bc-ubnd", "bcs-ubnd", "--at", "2023-03-09T10:00")
    document = json.loads(
        loaded("status", "gap-mat-2023", "--json", "--late-only", "--as-of", "2023-03-16").stdout
    )
    statuses = {a["status"] for a in document["assignments"]}
    assert statuses == {"overdue", "done_late"}
    days = [a["days_late"] for a in document["assignments"]]
    assert days == sorted(days, reverse=True)


def test_status_table_is_in_vietnamese_with_dd_mm_yyyy(loaded):
    result = loaded("status", "gap-mat-2023", "--as-of", "2023-03-10T09:00")
    assert result.exit_code == 0
    assert "Huyện ủy Hương Khê" in result.stdout and "Quá hạn" in result.stdout
    assert "10/03/2023 09:00" in result.stdout


def test_plan_show_draws_the_chain(loaded):
    result = loaded("plan", "show", "gap-mat-2023")
    assert result.exit_code == 0
    assert (
        "giay-moi" in result.stdout
        and "moi-dai-bieu" in result.stdout
        and "trước ngày 09/03/2023" in result.stdout
    )


def test_board_writes_the_page_and_the_workbook(loaded, tmp_path):
    from openpyxl import load_workbook

    loaded("receive", "gap-mat-2023", "bc-huyen", "huong-khe", "--at", "2023-03-08T10:00")
    result = loaded("board", "gap-mat-2023", "--as-of", "10/03/2023 09:00", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    page = (tmp_path / "board.html").read_text(encoding="utf-8")
    assert "Gặp mặt cán bộ chủ chốt cơ sở năm 2023" in page and "Huyện ủy Vũ Quang" in page
    late = load_workbook(tmp_path / "board.xlsx")["Quá hạn"]
    overdue = [
        a
        for a in status_json(loaded, "2023-03-10T09:00")["assignments"]
        if a["status"] == "overdue"
    ]
    assert late.max_row - 1 == len(overdue) == 34


def test_board_of_an_unknown_plan_exits_2(loaded, tmp_path):
    result = loaded("board", "gap-mat", "--out", str(tmp_path))
    assert result.exit_code == 2 and "không có kế hoạch 'gap-mat'" in result.stderr


def test_receive_with_figures_stores_them_and_status_shows_them(loaded):
    args = ("receive", "gap-mat-2023", "bc-huyen", "huong-khe", "--at", "08/03/2023 16:30")
    result = loaded(*args, "--set", "so_dai_bieu=19")
    assert result.exit_code == 0, result.output
    assert "Số đại biểu dự gặp mặt: 19" in result.stdout
    entry = by_ref(status_json(loaded, "2023-03-10T09:00"))[("bc-huyen", "huong-khe")]
    assert entry["data"] == {"so_dai_bieu": 19}
    assert by_ref(status_json(loaded, "2023-03-08T09:00"))[("bc-huyen", "huong-khe")]["data"] == {}
    table = loaded("status", "gap-mat-2023", "--as-of", "2023-03-10T09:00").stdout
    compact = re.sub(r"[\s│]", "", table)  # the figures column may wrap inside its cell
    assert "Sốliệu" in compact and "HuyệnủyHươngKhê" in compact
    assert compact.count("Sốđạibiểudựgặpmặt:19") == 1


def test_recording_again_with_other_figures_says_how_to_correct(loaded):
    args = ("receive", "gap-mat-2023", "bc-huyen", "huong-khe", "--at", "08/03/2023 16:30")
    assert loaded(*args, "--set", "so_dai_bieu=19").exit_code == 0
    again = loaded(*args, "--set", "so_dai_bieu=21")
    assert again.exit_code == 0 and "Đã có từ trước" in again.stdout and "--undo" in again.stdout
    entry = by_ref(status_json(loaded, "2023-03-10T09:00"))[("bc-huyen", "huong-khe")]
    assert entry["data"] == {"so_dai_bieu": 19}


@pytest.mark.parametrize(
    ("figure", "expected"),
    [
        ("so_dai_bieu=mười hai", "so_dai_bieu: giá trị 'mười hai' không hợp lệ, cần một số nguyên"),
        ("so_dai_bieu=900", "so_dai_bieu: 900 lớn hơn mức tối đa 500"),
        ("so_dai_bieuu=12", "không có số liệu 'so_dai_bieuu' (có phải 'so_dai_bieu'?)"),
        ("so_dai_bieu", "viết theo dạng tên=giá trị"),
    ],
)
def test_a_bad_figure_exits_2_and_records_nothing(loaded, figure, expected):
    args = ("receive", "gap-mat-2023", "bc-huyen", "huong-khe", "--at", "08/03/2023 16:30")
    result = loaded(*args, "--set", figure)
    assert result.exit_code == 2 and expected in result.stderr, result.output
    entry = by_ref(status_json(loaded, "2023-03-10T09:00"))[("bc-huyen", "huong-khe")]
    assert entry["status"] == "overdue"


def test_figures_go_with_arrivals_only(loaded):
    args = ("gap-mat-2023", "bc-huyen", "huong-khe", "--at", "2023-03-09")
    waived = loaded("waive", *args, "--set", "so_dai_bieu=1")
    assert waived.exit_code == 2 and "No such option: --set" in waived.output
    assert loaded("receive", *args, "--set", "so_dai_bieu=1").exit_code == 0
    undone = loaded("receive", *args, "--undo", "--set", "so_dai_bieu=1")
    assert undone.exit_code == 2 and "chỉ đi kèm ghi nhận đã nộp" in undone.stderr


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("sqlite:////nonexistent-dondoc-dir/dondoc.db", "Lỗi: không mở được tệp cơ sở dữ liệu: "),
        (
            "postgresql+psycopg://u:pw-x7@127.0.0.1:9/x",
            "Lỗi: không kết nối được máy chủ cơ sở dữ liệu: ",
        ),
    ],
)
def test_a_database_that_does_not_answer_is_one_line_and_exit_1(url, said, monkeypatch):
    monkeypatch.setenv("DONDOC_DATABASE_URL", url)
    result = CliRunner().invoke(app, ["status", "gap-mat-2023"])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(said) and len(result.stderr.strip().splitlines()) <= 2
    assert "DONDOC_DATABASE_URL" in result.stderr and "pw-x7" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
