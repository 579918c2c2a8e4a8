"""The board of each track-plan run keeps its day: its files in a folder of their own, and a
link to the live board at its moment (DONDOC_WEB_BASE_URL) that `dondoc web` answers with
that moment's board; without a web address, a note saying where the files are, never a
`file://` link."""

from __future__ import annotations

import re
import subprocess
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import pytest
from prefect import flow, get_client
from prefect.client.schemas.filters import (
    ArtifactFilter,
    ArtifactFilterFlowRunId,
    ArtifactFilterKey,
)
from prefect.client.schemas.objects import Artifact, State

from flows.board_publish import (
    code_span,
    files_note,
    is_latest,
    live_board_url,
    publish_board_files,
    run_folder_name,
    write_run_files,
)
from flows.settings import SettingsError, read_environment
from flows.track import track_plan
from flows.web.look_back import read_as_of
from models.evaluate import evaluate
from models.moments import aware_in
from models.plan import Plan
from notifications.board_files import BoardFiles
from tests.builders import HCM, local
from tests.html_pages import elements, parse_html, text_content
from tests.paths import ROOT
from tests.processes import child_env
from tests.runtimes import runtime_on

with warnings.catch_warnings():  # Starlette 1.x would rather have httpx2; httpx works the same
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

PLAN = "gap-mat-2023"
BASE = "http://vptu.example:8765"
MEETING_EVE = local(2023, 3, 10, 9, 0)  # 35 reports overdue since 09/03 00:00
AFTER_MEETING = local(2023, 3, 22, 9, 0)  # the meeting held: other work is late
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
INTEGRATION = [pytest.mark.prefect, pytest.mark.db, SQLITE_ONLY]


# --- the folder and the address (pure) ------------------------------------------------------


def test_a_run_folder_is_named_for_its_minute_in_plan_time() -> None:
    assert run_folder_name(MEETING_EVE, HCM) == "2023-03-10_0900"
    assert run_folder_name(datetime(2023, 3, 10, 2, 0, 59, tzinfo=UTC), HCM) == "2023-03-10_0900"
    assert run_folder_name(datetime(2023, 3, 9, 17, 30, tzinfo=UTC), HCM) == "2023-03-10_0030"


def test_run_folders_sort_as_their_moments_do() -> None:
    moments = [local(2023, m, d, h, mi) for m, d, h, mi in [(3, 10, 9, 0), (12, 1, 0, 0),
               (3, 9, 23, 59), (3, 10, 13, 30), (3, 10, 9, 5), (1, 31, 7, 30)]]  # fmt: skip
    names = [run_folder_name(moment, HCM) for moment in moments]
    assert sorted(names) == [run_folder_name(moment, HCM) for moment in sorted(moments)]


@pytest.mark.parametrize("base", [BASE, f"{BASE}/"], ids=["bare", "trailing-slash"])
def test_the_link_is_the_live_boards_look_back_address(base: str) -> None:
    url = live_board_url(base, PLAN, MEETING_EVE, HCM)
    assert url == f"{BASE}/plans/gap-mat-2023?as_of=10%2F03%2F2023+09%3A00"


def test_the_link_keeps_a_proxys_prefix_and_reads_back_as_its_moment() -> None:
    from urllib.parse import parse_qs, urlsplit

    url = live_board_url(
        "https://vptu.example/dondoc", PLAN, datetime(2023, 3, 10, 6, 30, tzinfo=UTC), HCM
    )
    parts = urlsplit(url)
    assert parts.path == "/dondoc/plans/gap-mat-2023"
    (as_of,) = parse_qs(parts.query)["as_of"]
    assert aware_in(read_as_of(as_of), HCM) == local(2023, 3, 10, 13, 30)  # as the web reads it


# --- the setting ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (BASE, BASE),
        (f"{BASE}/", BASE),
        ("https://vptu.example/dondoc/", "https://vptu.example/dondoc"),
        ("", None),
    ],
)
def test_a_web_address_is_read_without_its_trailing_slash(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: str | None
) -> None:
    monkeypatch.setenv("DONDOC_WEB_BASE_URL", value)
    assert read_environment().web.base_url == expected


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("vptu.example:8765", "phải bắt đầu bằng http:// hoặc https://"),
        ("ftp://vptu.example", "phải bắt đầu bằng http:// hoặc https://"),
        ("http://vptu.example:cổng", "không phải địa chỉ web hợp lệ"),
        ("http://vptu.example/?plan=x", "không được có phần '?…' hay '#…'"),
        ("http://vptu.example/bảng theo dõi", "không được có khoảng trắng"),
        ("http://lanhdao:mat-khau@vptu.example", "không ghi tên đăng nhập hay mật khẩu"),
    ],
)
def test_a_bad_web_address_is_named_in_vietnamese(
    monkeypatch: pytest.MonkeyPatch, value: str, said: str
) -> None:
    monkeypatch.setenv("DONDOC_WEB_BASE_URL", value)
    with pytest.raises(SettingsError) as refused:
        read_environment()
    message = str(refused.value)
    assert message.startswith("biến môi trường không hợp lệ: DONDOC_WEB_BASE_URL: ")
    assert said in message and "mat-khau" not in message


def test_a_bad_web_address_stops_the_cli_with_exit_2(tmp_path: Path) -> None:
    env = child_env(f"sqlite:///{tmp_path / 'd.db'}", DONDOC_WEB_BASE_URL="vptu.example:8765")
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "dondoc"), "plan", "list"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "DONDOC_WEB_BASE_URL: 'vptu.example:8765' phải bắt đầu bằng http://" in done.stderr
    assert "Traceback" not in done.stderr


# --- the files --------------------------------------------------------------------------------


def files(tag: str) -> BoardFiles:
    return BoardFiles(f"<p>{tag}</p>", tag.encode())


def test_each_moment_has_its_folder_and_the_plan_folder_the_latest(tmp_path: Path) -> None:
    write_run_files(files("10/03"), tmp_path, "2023-03-10_0900")
    write_run_files(files("22/03"), tmp_path, "2023-03-22_0900")
    write_run_files(files("15/03"), tmp_path, "2023-03-15_0900")  # a look-back, run last
    for name, tag in [("2023-03-10_0900", "10/03"), ("2023-03-15_0900", "15/03"),
                      ("2023-03-22_0900", "22/03"), (".", "22/03")]:  # fmt: skip
        assert (tmp_path / name / "board.html").read_text() == f"<p>{tag}</p>"
        assert (tmp_path / name / "board.xlsx").read_bytes() == tag.encode()


def test_a_second_run_for_the_same_moment_replaces_its_folder_whole(tmp_path: Path) -> None:
    first = write_run_files(files("first"), tmp_path, "2023-03-10_0900")
    again = write_run_files(files("again"), tmp_path, "2023-03-10_0900")
    assert again == first and (first / "board.html").read_text() == "<p>again</p>"
    assert sorted(p.name for p in first.iterdir()) == ["board.html", "board.xlsx"]  # no temp
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "2023-03-10_0900", "board.html", "board.xlsx"
    ]  # fmt: skip


def test_only_run_folders_count_for_the_latest(tmp_path: Path) -> None:
    (tmp_path / "2023-03-10_0900").mkdir()
    (tmp_path / "9999-archive").mkdir()  # a folder someone made: not a run's
    (tmp_path / "2099-01-01_0000").write_text("a file, not a run's folder")
    assert is_latest(tmp_path, "2023-03-10_0900")
    assert not is_latest(tmp_path, "2023-03-09_2359")


def test_a_code_span_holds_any_path() -> None:
    assert code_span("/srv/board/gap-mat-2023") == "`/srv/board/gap-mat-2023`"
    assert code_span("/srv/a`b") == "`` /srv/a`b ``"


def test_the_note_says_where_the_files_are_and_how_to_get_a_link(seed) -> None:
    folder = Path("/srv/dondoc/board/gap-mat-2023/2023-03-10_0900")
    note = files_note(seed.plan, MEETING_EVE, folder, "may-chu-1")
    assert note.startswith("# Bảng theo dõi lúc 10/03/2023 09:00\n")
    assert f"`{folder}`" in note and "`may-chu-1`" in note
    assert "`/srv/dondoc/board/gap-mat-2023`" in note  # where the latest board is
    assert "`DONDOC_WEB_BASE_URL`" in note and "`dondoc web`" in note
    assert "file:" not in note


# --- track-plan runs --------------------------------------------------------------------------


def flow_run_id(state: State) -> UUID:
    run_id = state.state_details.flow_run_id
    assert run_id is not None
    return run_id


def board_artifact(run_id: UUID) -> Artifact:
    """The run's one `<plan>-board` artifact."""
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                key=ArtifactFilterKey(any_=[f"{PLAN}-board"]),
                flow_run_id=ArtifactFilterFlowRunId(any_=[run_id]),
            )
        )
    assert len(found) == 1, found
    return found[0]


def link_of(artifact: Artifact) -> tuple[str, str]:
    """(text, address) of a link artifact (Prefect stores it as Markdown `[text](address)`)."""
    assert isinstance(artifact.data, str)
    match = re.fullmatch(r"\[([^\]]+)\]\(([^)\s]+)\)", artifact.data)
    assert match, artifact.data
    return match.group(1), match.group(2)


def as_of_shown(page: str) -> str:
    """The board's "Số liệu đến" moment."""
    (fact,) = elements(parse_html(page), "//div[@class='fact'][span='Số liệu đến:']/b")
    return text_content(fact)


def late_rows(page: str) -> list[tuple[str | None, str | None]]:
    """(unit, deliverable) of each row of the board's late table, in order."""
    rows = elements(parse_html(page), "//tr[@class='late-row']")
    return [(row.get("data-unit"), row.get("data-deliverable")) for row in rows]


@pytest.fixture
def web(database_url: str) -> Iterator[TestClient]:
    """`dondoc web` on the test's database, reached at BASE."""
    from flows.web import create_app

    with TestClient(create_app(runtime_on(database_url)), base_url=BASE) as client:
        yield client


@pytest.mark.prefect
@pytest.mark.db
@SQLITE_ONLY
def test_a_run_links_to_the_live_board_of_its_moment_which_keeps_its_day(
    seeded: Plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, web: TestClient
) -> None:
    monkeypatch.setenv("DONDOC_WEB_BASE_URL", BASE)
    eve = track_plan(PLAN, MEETING_EVE, return_state=True)
    later = track_plan(PLAN, AFTER_MEETING, return_state=True)
    assert eve.is_completed() and later.is_completed(), (eve.message, later.message)
    text, link = link_of(board_artifact(flow_run_id(eve)))
    assert text == "Bảng theo dõi lúc 10/03/2023 09:00"
    assert link == f"{BASE}/plans/{PLAN}?as_of=10%2F03%2F2023+09%3A00"
    answer = web.get(link)  # after the 22/03 run: the link still shows 10/03
    assert answer.status_code == 200, answer.text
    assert as_of_shown(answer.text) == "10/03/2023 09:00"
    eve_file = (tmp_path / "board" / PLAN / "2023-03-10_0900" / "board.html").read_text("utf-8")
    assert late_rows(answer.text) == late_rows(eve_file)
    assert len(late_rows(answer.text)) == sum(
        s.status.value == "overdue" for s in evaluate(seeded, [], MEETING_EVE)
    )
    _, later_link = link_of(board_artifact(flow_run_id(later)))
    later_page = web.get(later_link).text
    assert as_of_shown(later_page) == "22/03/2023 09:00"
    assert late_rows(later_page) != late_rows(answer.text)  # so the first could have been wrong


@pytest.mark.prefect
@pytest.mark.db
@SQLITE_ONLY
def test_without_a_web_address_a_run_says_where_its_files_are_and_links_nothing(
    seeded: Plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DONDOC_WEB_BASE_URL", raising=False)
    later = track_plan(PLAN, AFTER_MEETING, return_state=True)
    eve = track_plan(PLAN, MEETING_EVE, preview=True, return_state=True)  # a look-back
    assert eve.is_completed() and later.is_completed(), (eve.message, later.message)
    plan_dir = tmp_path / "board" / PLAN
    folder = plan_dir / "2023-03-10_0900"
    artifact = board_artifact(flow_run_id(eve))
    assert isinstance(artifact.data, str)
    assert artifact.type == "markdown" and "file:" not in artifact.data
    assert f"`{folder.resolve()}`" in artifact.data and "DONDOC_WEB_BASE_URL" in artifact.data
    assert as_of_shown((folder / "board.html").read_text("utf-8")) == "10/03/2023 09:00"
    later_page = (plan_dir / "2023-03-22_0900" / "board.html").read_text("utf-8")
    assert as_of_shown(later_page) == "22/03/2023 09:00"
    assert (plan_dir / "board.html").read_text("utf-8") == later_page  # the look-back left it


@pytest.mark.prefect
@pytest.mark.db
@SQLITE_ONLY
def test_called_from_a_flows_body_the_board_artifact_hangs_on_the_flow_run(
    seeded: Plan, tmp_path: Path
) -> None:
    @flow(name="board-from-the-body")
    def body() -> Path:
        return publish_board_files(seeded, evaluate(seeded, [], MEETING_EVE), MEETING_EVE)

    state = body(return_state=True)
    folder = state.result()
    assert folder == tmp_path / "board" / PLAN / "2023-03-10_0900"
    artifact = board_artifact(flow_run_id(state))
    assert artifact.task_run_id is None  # the flow run's own, as the Artifacts tab lists it
