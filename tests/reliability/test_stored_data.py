"""Issue 13, class 5: data that got past the checks.

`plan import-submissions` replays a file through the rules of `receive` (one path), refuses
every bad line at once and writes nothing; and stored figures the plan cannot read (a row from
before the checks, a hand-edited database) never make the board, the page, the workbook, the
status document or an e-mail fail: they are shown as unusable and left out of the totals."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import Engine

from models.loader import LoadedPlan
from models.storage.engine import session_scope
from models.storage.store import append_submission, save_plan, submission_rows
from tests.builders import local
from tests.paths import SEED_PLAN
from tests.runtimes import cli_on

pytestmark = [pytest.mark.db, pytest.mark.cli]
PLAN = "gap-mat-2023"
HEADER = "ordinal,deliverable,unit,kind,received_at,recorded_at,recorded_by,note,undoes,data\n"
ON_TIME = "2023-03-08T10:00:00+07:00,2023-03-08T10:05:00+07:00"


def row(n: int, unit: str, kind: str = "received", data: str = "{}", **cells: str) -> str:
    """One CSV line for bc-huyen (the deliverable with the so_dai_bieu figure, 0–500)."""
    times = cells.get("times", ON_TIME)
    deliverable = cells.get("deliverable", "bc-huyen")
    undoes = cells.get("undoes", "")
    return f'{n},{deliverable},{unit},{kind},{times},vptu,,{undoes},"{data}"\n'


@pytest.fixture
def stored(engine: Engine, seed: LoadedPlan) -> Engine:
    with session_scope(engine) as session:
        save_plan(session, seed)
    return engine


# Line numbers are the file's (the header is line 1): each bad line names itself.
BAD_ROWS = [
    (row(1, "tp-ha-tinh", data='{""so_dai_bieu"": ""abc""}'), 2, "giá trị 'abc' không hợp lệ"),
    (row(2, "tx-hong-linh", data='{""so_dai_bieu"": null}'), 3, "giá trị 'None' không hợp lệ"),
    (row(3, "tx-ky-anh", data='{""so_dai_bieu"": -50}'), 4, "-50 nhỏ hơn mức tối thiểu 0"),
    (row(4, "nghi-xuan", data='{""so_dai_bieu"": 1e308}'), 5, "không hợp lệ, cần một số nguyên"),
    (row(5, "duc-tho", data='{""so_dai_bieu"": NaN}'), 6, "không hợp lệ, cần một số nguyên"),
    (row(6, "huong-son", data='{""khong_co"": 1}'), 7, "không có số liệu 'khong_co'"),
    (
        row(7, "vu-quang", times="2099-03-08T10:00:00+07:00,2099-03-08T10:05:00+07:00"),
        8,
        "thời điểm ghi (recorded_at) 08/03/2099 10:05 chưa tới",
    ),
    (
        row(8, "can-loc", times="1970-01-01T10:00:00+07:00,2023-03-08T10:05:00+07:00"),
        9,
        "sớm hơn hạn đầu tiên của kế hoạch",
    ),
    (
        row(9, "loc-ha", times="2023-03-08T10:00,2023-03-08T10:05:00+07:00"),
        10,
        "received_at: '2023-03-08T10:00' thiếu độ lệch múi giờ",
    ),
    (row(10, "thach-ha"), None, ""),  # fine alone…
    (row(11, "thach-ha"), 12, "đã có ghi nhận đã nộp còn hiệu lực từ dòng 10"),  # …not twice
    (row(12, "cam-xuyen"), None, ""),
    (row(13, "cam-xuyen", kind="undo", undoes="12"), None, ""),
    (row(14, "cam-xuyen", kind="undo", undoes="12"), 15, "không có gì để hủy"),
    (
        row(15, "ky-anh", kind="waived", data='{""so_dai_bieu"": 3}'),
        16,
        "số liệu (--set) chỉ đi kèm ghi nhận đã nộp",
    ),
    (row(16, "huong-khe", deliverable="bc-ubnd"), 17, "không được giao nhiệm vụ 'bc-ubnd'"),
]


def test_import_refuses_every_line_receive_would_refuse_and_writes_nothing(
    stored: Engine, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "".join(line for line, _, _ in BAD_ROWS), encoding="utf-8")
    result = cli_on(database_url, monkeypatch)("plan", "import-submissions", PLAN, str(bad))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    said = result.stderr
    for _, line, expected in BAD_ROWS:
        if line is not None:
            assert f"{bad}:{line}: " in said and expected in said, (line, expected, said)
    reported = {int(part.split(":")[0]) for part in said.split(f"{bad}:")[1:]}
    assert reported == {line for _, line, _ in BAD_ROWS if line is not None}  # no others
    with session_scope(stored) as session:
        assert submission_rows(session, PLAN) == []  # all or nothing


def test_a_good_file_imports_with_its_figures_read_as_their_type(
    stored: Engine, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    good = tmp_path / "good.csv"
    good.write_text(
        HEADER
        + row(1, "tp-ha-tinh", data='{""so_dai_bieu"": ""12""}')
        + row(2, "tp-ha-tinh", kind="undo", undoes="1")
        + row(3, "tp-ha-tinh", data='{""so_dai_bieu"": 14}'),
        encoding="utf-8",
    )
    run = cli_on(database_url, monkeypatch)
    result = run("plan", "import-submissions", PLAN, str(good))
    assert result.exit_code == 0, result.output
    with session_scope(stored) as session:
        data = [row.data or {} for row in submission_rows(session, PLAN)]
    assert data == [{"so_dai_bieu": 12}, {}, {"so_dai_bieu": 14}]


# Figures stored before the checks (or typed into the database by hand), one per unit.
BROKEN_FIGURES: dict[str, dict[str, Any]] = {
    "tp-ha-tinh": {"so_dai_bieu": "abc"},
    "tx-hong-linh": {"so_dai_bieu": "1e308"},
    "tx-ky-anh": {"so_dai_bieu": -50},
    "nghi-xuan": {"khong_co": 1},
    "duc-tho": {"so_dai_bieu": None},
    "huong-son": {"so_dai_bieu": [1, 2]},
}


@pytest.fixture
def broken(stored: Engine) -> Engine:
    """Six arrivals whose figures the plan cannot read, and one good one (12)."""
    with session_scope(stored) as session:
        for unit, data in {**BROKEN_FIGURES, "vu-quang": {"so_dai_bieu": 12}}.items():
            at = local(2023, 3, 8, 10)
            append_submission(
                session,
                PLAN,
                deliverable="bc-huyen",
                unit=unit,
                kind="received",
                received_at=at,
                recorded_at=at + timedelta(minutes=5),
                data=data,
            )
    return stored


def test_stored_figures_the_plan_cannot_read_never_break_the_board_page_or_workbook(
    broken: Engine, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    run = cli_on(database_url, monkeypatch)
    out = tmp_path / "board"
    result = run("board", PLAN, "--as-of", "2023-03-10T09:00", "--out", str(out))
    assert result.exit_code == 0, result.output
    html = (out / "board.html").read_text(encoding="utf-8")
    assert "Số liệu đã lưu không dùng được (không cộng vào tổng)" in html
    assert "Thành ủy Hà Tĩnh" in html.split("không cộng vào tổng")[1].split("</div>")[0]
    assert 'class="num total"><b>12</b>' in html  # only the good figure counts
    book = openpyxl.load_workbook(out / "board.xlsx")
    (figures,) = list(book["Số liệu"].iter_rows(min_row=2, values_only=True))
    assert figures[2] == "12" and figures[3] == "1/13"
    # nghi-xuan sent a figure the plan does not have: not unusable for this total, only missing
    assert len(str(figures[5]).split(", ")) == len(BROKEN_FIGURES) - 1
    assert "Huyện ủy Nghi Xuân" in str(figures[4])

    status = run("status", PLAN, "--json", "--as-of", "2023-03-10T09:00")
    assert status.exit_code == 0, status.output
    by_unit = {
        a["unit"]: a
        for a in json.loads(status.stdout)["assignments"]
        if a["deliverable"] == "bc-huyen"
    }
    assert by_unit["tp-ha-tinh"]["data"] == {} and by_unit["tp-ha-tinh"]["unusable_data"] == [
        "so_dai_bieu"
    ]
    assert by_unit["nghi-xuan"]["unusable_data"] == ["khong_co"]
    assert by_unit["vu-quang"]["data"] == {"so_dai_bieu": 12}
    assert run("status", PLAN, "--as-of", "2023-03-10T09:00").exit_code == 0
    assert run("log", PLAN).exit_code == 0


def test_the_live_page_workbook_and_json_answer_200_over_broken_figures(
    broken: Engine, database_url: str
):
    from tests.flows.web.test_app import make_client

    with make_client(database_url) as client:
        for path in ("", ".json", ".xlsx"):
            answer = client.get(f"/plans/{PLAN}{path}?as_of=10/03/2023 09:00")
            assert answer.status_code == 200, (path, answer.text[:300])
        page = client.get(f"/plans/{PLAN}").text
        assert "Số liệu đã lưu không dùng được" in page
        book = openpyxl.load_workbook(io.BytesIO(client.get(f"/plans/{PLAN}.xlsx").content))
        assert "Số liệu" in book.sheetnames


# Issue 13, class 6: a reload that changes a field under figures already stored.


def edited_seed(tmp_path: Path, field: str) -> Path:
    """The seed plan with bc-huyen's so_dai_bieu declared as `field` (a YAML flow mapping)."""
    text = SEED_PLAN.read_text(encoding="utf-8")
    old = 'so_dai_bieu: {type: int, label: "Số đại biểu dự gặp mặt", min: 0, max: 500}'
    assert old in text
    edited = tmp_path / "gap-mat-2023.yaml"
    edited.write_text(text.replace(old, f"so_dai_bieu: {field}"), encoding="utf-8")
    return edited


def bc_huyen(run: Callable[..., Any]) -> dict[str, dict[str, Any]]:
    """The bc-huyen assignments of `status --json` on the meeting's eve, by unit."""
    status = run("status", PLAN, "--json", "--as-of", "2023-03-10T09:00")
    assert status.exit_code == 0, status.output
    assignments = json.loads(status.stdout)["assignments"]
    return {a["unit"]: a for a in assignments if a["deliverable"] == "bc-huyen"}


@pytest.fixture
def with_text_figures(
    stored: Engine, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Engine:
    """so_dai_bieu reloaded as text, then 'mười hai' and '12' received through `receive`."""
    run = cli_on(database_url, monkeypatch)
    assert run("plan", "load", str(edited_seed(tmp_path, "{type: text}"))).exit_code == 0
    for unit, figure in (("tp-ha-tinh", "mười hai"), ("tx-hong-linh", "12")):
        received = run(
            "receive", PLAN, "bc-huyen", unit, "--at", "08/03/2023 10:00",
            "--set", f"so_dai_bieu={figure}",
        )  # fmt: skip
        assert received.exit_code == 0, received.output
    return stored


def test_a_reload_that_would_make_stored_figures_unreadable_is_refused_naming_them(
    with_text_figures: Engine, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    run = cli_on(database_url, monkeypatch)
    back_to_int = edited_seed(tmp_path, "{type: int, min: 0}")
    result = run("plan", "load", str(back_to_int))
    assert result.exit_code == 2, result.output
    said = " ".join(result.stderr.split())
    assert "1 ghi nhận đã lưu không còn đọc được" in said
    assert "bc-huyen/tp-ha-tinh so_dai_bieu = 'mười hai'" in said and "--force" in said
    assert "tx-hong-linh" not in said  # "12" reads as an int: nothing to say about it
    units = bc_huyen(run)
    assert units["tp-ha-tinh"]["data"] == {"so_dai_bieu": "mười hai"}  # the plan was kept

    forced = run("plan", "load", str(back_to_int), "--force")
    assert forced.exit_code == 0, forced.output
    assert "'mười hai' không đọc được theo khai báo mới" in " ".join(forced.stderr.split())
    units = bc_huyen(run)
    assert units["tp-ha-tinh"]["data"] == {} and units["tp-ha-tinh"]["unusable_data"] == [
        "so_dai_bieu"
    ]
    assert units["tx-hong-linh"]["data"] == {"so_dai_bieu": 12}  # converted on reading
    board = run("board", PLAN, "--as-of", "2023-03-10T09:00", "--out", str(tmp_path / "b"))
    assert board.exit_code == 0, board.output


@pytest.mark.usefixtures("with_text_figures")
def test_a_reload_the_stored_figures_still_fit_goes_through(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    longer_label = edited_seed(tmp_path, '{type: text, label: "Số đại biểu (ghi bằng chữ)"}')
    result = cli_on(database_url, monkeypatch)("plan", "load", str(longer_label))
    assert result.exit_code == 0, result.output
    assert "không đọc được" not in result.stderr
