"""What `dondoc demo` prints: progress day by day, who went overdue and when, the outcome."""

from __future__ import annotations

import os
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from flows import runtime
from flows.demo.replay import (
    FIRST_DAY,
    LAST_DAY,
    SEED_PLAN,
    Day,
    Timeline,
    demo_runtime,
    replay,
)
from flows.demo.web_desk import COORDINATOR, COORDINATOR_PASSWORD
from flows.demo.web_story import Act, WebStep
from models.files.arrivals_csv import Arrival
from models.loader import read_plan_file
from models.plan import Plan
from models.statuses import DISPLAY_ORDER, Status

# What a day's line names: work late, sent back, or about to be.
LATE_OR_NEAR = (Status.OVERDUE, Status.RETURNED, Status.AT_RISK, Status.DUE_SOON)


# How a step on the web reads in the day's account.
DONE_ON_WEB = {
    Act.ACKNOWLEDGE: "báo đã nhận nhiệm vụ",
    Act.SUBMIT: "nộp qua trang cá nhân",
    Act.ASK: "xin gia hạn",
    Act.RETURN: "Văn phòng trả lại",
    Act.ACCEPT: "Văn phòng chấp nhận",
    Act.GRANT: "Văn phòng đồng ý gia hạn",
}


def day_line(
    as_of: datetime,
    arrived: list[Arrival],
    document: dict[str, Any],
    mails: int,
    on_web: int = 0,
) -> str:
    """One run: the arrivals since the last one (typed, and sent through the web), how far
    along, the e-mails so far, what is late."""
    counts = document["summary"]
    shown = " · ".join(
        f"{status.label}: {counts[status.value]}"
        for status in DISPLAY_ORDER
        if counts[status.value] and status in LATE_OR_NEAR
    )
    done = counts[Status.DONE_ON_TIME] + counts[Status.DONE_LATE] + counts[Status.WAIVED]
    total = len(document["assignments"])
    web = f", +{on_web} qua web" if on_web else ""
    return (
        f"{as_of.strftime('%d/%m %H:%M')}  +{len(arrived):>2} nộp{web}  "
        f"xong {done:>2}/{total}  thư {mails:>3}  {shown or 'không có gì chậm'}"
    )


def web_line(at: datetime, step: WebStep, plan: Plan) -> str:
    """ "  08/03 10:30 web  bc-huyen · Huyện ủy Hương Sơn: Văn phòng trả lại: lý do"."""
    unit = plan.units[step.unit].name
    until = f" đến {step.until}" if step.act in (Act.ASK, Act.GRANT) else ""
    said = f": {step.text}" if step.act is Act.RETURN else ""
    done = f"{DONE_ON_WEB[step.act]}{until}{said}"
    return f"  {at:%d/%m %H:%M} [cyan]web[/]  {step.deliverable} · {unit}: {done}"


def timeline_table(timeline: Timeline, names: dict[str, str]) -> Table:
    table = Table(title="Ai quá hạn, từ ngày nào, xong ngày nào", title_justify="left")
    for header in ("Nhiệm vụ", "Đơn vị", "Quá hạn từ", "Nộp lúc", "Kết quả"):
        table.add_column(header, no_wrap=header != "Đơn vị")
    ordered = sorted(timeline.went_overdue.items(), key=lambda item: (item[1], item[0]))
    for (deliverable, unit), since in ordered:
        cleared = timeline.cleared.get((deliverable, unit))
        table.add_row(
            deliverable,
            names.get(unit, unit),
            since.strftime("%d/%m/%Y"),
            cleared[0].strftime("%d/%m/%Y %H:%M") if cleared else "—",
            Status(cleared[1]).label if cleared else "[bold red]vẫn quá hạn[/]",
        )
    return table


def run(workdir: Path, out: Console) -> None:
    """Replay the seed plan and print what a coordinator would have seen, then where it is."""
    api = os.environ.get("PREFECT_API_URL")
    out.print(
        f"[bold]dondoc demo[/] — kế hoạch mẫu gap-mat-2023, {FIRST_DAY:%d/%m} → "
        f"{LAST_DAY:%d/%m/%Y}, track-plan mỗi sáng 07:30\n"
        f"Prefect: {api or 'API tạm thời (máy chủ Prefect riêng của lượt demo, dừng khi xong)'}"
    )
    started = time.perf_counter()

    outbox = workdir / "outbox"
    seed = read_plan_file(SEED_PLAN).plan  # for the names in the day's account

    def on_day(day: Day) -> None:
        for at, step in day.on_web:
            out.print(web_line(at, step, seed), soft_wrap=True)
        submitted = sum(step.act is Act.SUBMIT for _, step in day.on_web)
        mails = len(list(outbox.glob("*.eml")))
        out.print(day_line(day.as_of, day.typed, day.document, mails, submitted))

    with runtime.use(demo_runtime(workdir)):
        with out.status("Đang mô phỏng…"):
            plan, document, timeline = replay(workdir, on_day)
        report(out, workdir, plan, document, timeline, started)


def report(
    out: Console,
    workdir: Path,
    plan: Plan,
    document: dict[str, Any],
    timeline: Timeline,
    started: float,
) -> None:
    """After the replay: who went overdue when, the outcome, the board of 10/03, where it is."""
    api = os.environ.get("PREFECT_API_URL")
    outbox = workdir / "outbox"
    names = {code: unit.name for code, unit in plan.units.items()}
    out.print(timeline_table(timeline, names))
    late = [a for a in document["assignments"] if a["status"] in ("overdue", "done_late")]
    out.print(
        f"Kết thúc: {len(late)} phân công nộp trễ hoặc còn quá hạn; "
        f"{document['summary']['done_on_time']} đúng hạn. "
        f"Thời gian chạy: {time.perf_counter() - started:.0f} s."
    )
    out.print("\nBảng theo dõi cho lãnh đạo, sáng 10/03/2023 (khi các báo cáo vừa quá hạn):")
    for written in board_of(plan, datetime(2023, 3, 10, 9, 0, tzinfo=plan.tz), workdir):
        out.print(f"Đã ghi {written}")
    database = (workdir / "dondoc.db").resolve()
    out.print(
        "\n[bold]Kết quả ở đâu[/]\n"
        f"  Cơ sở dữ liệu: {database}\n"
        f"  Thư đã gửi (tệp .eml): {outbox.resolve()} ({len(list(outbox.glob('*.eml')))} thư)\n"
        f"  Bảng theo dõi của lượt chạy cuối: {(workdir / 'board' / 'gap-mat-2023').resolve()}\n"
        f"  Xem lại một ngày: DONDOC_DATABASE_URL=sqlite:///{database} "
        "dondoc status gap-mat-2023 --as-of '10/03/2023 09:00'\n"
        f"  Trang của đơn vị và bảng điều phối: DONDOC_DATABASE_URL=sqlite:///{database} "
        "dondoc web, rồi mở liên kết trong một thư nhắc việc, hoặc /dang-nhap với tài khoản "
        f"{COORDINATOR} (mật khẩu: {COORDINATOR_PASSWORD})\n"
        + (
            f"  Prefect UI: các lượt chạy track-plan ở {api.removesuffix('/api')}/runs"
            if api
            else "  Prefect UI: chạy `prefect server start`, đặt PREFECT_API_URL rồi chạy lại."
        )
    )


def board_of(plan: Plan, as_of: datetime, workdir: Path) -> tuple[Path, Path]:
    """The leaders' board at `as_of`, as `dondoc board` writes it."""
    from models.storage.store import read_snapshot
    from notifications.board_files import write_board_at

    with runtime.session() as session:
        snapshot = read_snapshot(session, plan.code)
    folder = workdir / "board" / as_of.strftime("%d-%m-%Y")
    return write_board_at(snapshot, as_of, folder)
