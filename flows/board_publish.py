"""The leaders' board of a tracking run: its files in a folder of their own, and the artifact
that leads to it (the live board at the run's moment, or where the files are).

A run's board must keep showing that run's moment: the 10/03 run's link opens the 10/03
board even after the 22/03 run. So each run writes into DONDOC_BOARD_DIR/<plan>/<moment>/
(plan time, `2023-03-10_0900`: names sort as the moments do), and links, when
DONDOC_WEB_BASE_URL says where `dondoc web` is, to `<base>/plans/<plan>?as_of=<moment>`.
A `file://` link is never published: browsers refuse to open one from a web page, and the
path is on the machine that ran the flow."""

from __future__ import annotations

import re
import socket
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from prefect import task
from prefect.artifacts import create_link_artifact, create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from flows import artifacts, runtime
from models.evaluate import AssignmentStatus
from models.moments import local_text
from models.plan import Plan
from notifications.board import board_view
from notifications.board_files import HTML_NAME, XLSX_NAME, BoardFiles, render_board_files

RUN_FOLDER_FORMAT = "%Y-%m-%d_%H%M"
RUN_FOLDER = re.compile(r"^\d{4}-\d{2}-\d{2}_\d{4}$")
EXAMPLE_BASE_URL = "http://vptu.example:8765"


def run_folder_name(as_of: datetime, tz: ZoneInfo) -> str:
    """`2023-03-10_0900`: the run's minute in plan time, year first so that names sort as the
    moments do, and no day/month order for a reader to guess."""
    return as_of.astimezone(tz).strftime(RUN_FOLDER_FORMAT)


def live_board_url(base_url: str, plan_code: str, as_of: datetime, tz: ZoneInfo) -> str:
    """The live board at `as_of`, as `dondoc web` reads it: `/plans/<code>` (flows/web/app.py)
    with `?as_of=dd/mm/yyyy HH:MM` in plan time, the form its own look-back links carry."""
    query = urlencode({"as_of": local_text(as_of, tz)})
    return f"{base_url.rstrip('/')}/plans/{quote(plan_code)}?{query}"


def write_run_files(files: BoardFiles, plan_dir: Path, name: str) -> Path:
    """Write the run's folder `plan_dir/name`; and, when no other run's folder is for a later
    moment, the same files directly in `plan_dir` (the plan's latest board, which a look-back
    run leaves alone). Returns the run's folder."""
    folder = plan_dir / name
    files.write(folder)
    if is_latest(plan_dir, name):
        files.write(plan_dir)
    return folder


def is_latest(plan_dir: Path, name: str) -> bool:
    """Whether no run's folder in `plan_dir` is for a later moment than `name`'s."""
    names = [p.name for p in plan_dir.iterdir() if RUN_FOLDER.match(p.name) and p.is_dir()]
    return name >= max(names, default=name)


def code_span(text: str) -> str:
    """`text` as inline code in Markdown, whatever backticks it holds (CommonMark: a fence
    longer than any run of backticks inside)."""
    runs = [len(run) for run in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    return f"{fence} {text} {fence}" if runs else f"{fence}{text}{fence}"


def files_note(plan: Plan, as_of: datetime, folder: Path, host: str) -> str:
    """What the run says when no web address is set: where its files are, and how to get a
    link that opens (there is no such thing as a link to a file on another machine)."""
    when = local_text(as_of, plan.tz)
    return "\n".join(
        [
            f"# Bảng theo dõi lúc {when}",
            "",
            f"Lượt chạy này đã ghi bảng theo dõi thành tệp trên máy {code_span(host)}, "
            "trong thư mục:",
            "",
            f"{code_span(str(folder))}",
            "",
            f"- {code_span(HTML_NAME)}: mở bằng trình duyệt (trang tự chứa, gửi kèm thư "
            "hoặc in khổ A4 được);",
            f"- {code_span(XLSX_NAME)}: mở bằng Excel.",
            "",
            f"Bảng của thời điểm muộn nhất đã ghi luôn có một bản ngay trong "
            f"{code_span(str(folder.parent))}.",
            "",
            "Chưa có liên kết mở được: trình duyệt không mở tệp nằm trên một máy khác. Để mỗi "
            "lượt chạy có liên kết tới bảng trực tuyến đúng thời điểm của nó, chạy "
            "`dondoc web` trên một máy mà người xem truy cập được, rồi đặt biến môi trường "
            f"`DONDOC_WEB_BASE_URL` là địa chỉ đó (ví dụ `{EXAMPLE_BASE_URL}`) trên các máy "
            "chạy track-plan.",
        ]
    )


def publish_board_link(plan: Plan, as_of: datetime, folder: Path) -> None:
    """The run's `<plan>-board` artifact, in the current run (called from the flow's body, it
    hangs on the flow run): a link to the live board at `as_of` when DONDOC_WEB_BASE_URL is
    set, else a note saying where the files are."""
    base_url = runtime.current().settings.web.base_url
    key = artifacts.artifact_key(plan.code, "board")
    when = local_text(as_of, plan.tz)
    host = socket.gethostname()
    if base_url is None:
        create_markdown_artifact(
            files_note(plan, as_of, folder, host),
            key=key,
            description=f"Bảng theo dõi lúc {when}: nơi có tệp (chưa đặt DONDOC_WEB_BASE_URL)",
        )
        return
    create_link_artifact(
        key=key,
        link=live_board_url(base_url, plan.code, as_of, plan.tz),
        link_text=f"Bảng theo dõi lúc {when}",
        description=f"Bảng theo dõi trực tuyến lúc {when} (dondoc web). Tệp HTML và Excel "
        f"của lượt này: {code_span(str(folder))} trên máy {code_span(host)}.",
    )


def publish_board_files(plan: Plan, statuses: list[AssignmentStatus], as_of: datetime) -> Path:
    """The run's board written to DONDOC_BOARD_DIR/<plan>/<yyyy-mm-dd_HHMM>/ (and as the
    plan's latest board when it is), then its artifact in the current run. A plain function,
    so that the flow's body can call it and the artifact hangs on the flow run. Returns the
    run's folder."""
    plan_dir = runtime.current().settings.board.dir / plan.code
    files = render_board_files(board_view(plan, statuses, as_of))
    folder = write_run_files(files, plan_dir, run_folder_name(as_of, plan.tz))
    publish_board_link(plan, as_of, folder.resolve())
    return folder


@task(name="publish-board", cache_policy=NO_CACHE)
def publish_board(plan: Plan, statuses: list[AssignmentStatus], as_of: datetime) -> Path:
    """`publish_board_files` as a task run of its own (its artifact then hangs on it)."""
    return publish_board_files(plan, statuses, as_of)
