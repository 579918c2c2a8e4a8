"""`dondoc track` and `dondoc serve`: run the Prefect flows once here, or serve them."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.markup import escape

from flows.cli._app import (
    EXIT_UNAVAILABLE,
    PlanCode,
    app,
    cli_errors,
    err,
    moment_or_now,
    out,
)


@app.command()
@cli_errors
def track(
    plan: PlanCode,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Thời điểm đánh giá; mặc định: bây giờ.")
    ] = None,
    preview: Annotated[
        bool,
        typer.Option(
            "--preview",
            help="Chỉ xem: đánh giá và đăng bảng, không gửi thư, không lưu trạng thái.",
        ),
    ] = False,
) -> None:
    """Chạy flow track-plan một lần (Prefect: PREFECT_API_URL nếu có, không thì API tạm)."""
    from zoneinfo import ZoneInfo

    from flows import runtime
    from models.storage.store import plan_row

    with runtime.session() as session:
        tz = ZoneInfo(plan_row(session, plan).timezone)  # an unknown plan: exit 2 here
    moment = moment_or_now(as_of, tz)
    # Our own summary below says it all; Prefect's per-task lines still go to its API and UI.
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    from flows.local_api import LocalApiUnavailable
    from flows.prefect_settings import local_api, local_runs
    from flows.track import track_plan

    try:
        with local_runs(), local_api():
            state = track_plan(plan, moment, preview=preview, return_state=True)
    except RuntimeError as error:  # Prefect's own: "Failed to reach API at …"
        if isinstance(error, LocalApiUnavailable) or "ephemeral Prefect API server" in str(error):
            said = (
                str(error)
                if isinstance(error, LocalApiUnavailable)
                else "API tạm thời của Prefect không khởi động kịp."
            )
            err.print(f"[red]{escape(said)}[/] (máy đang quá bận?)", soft_wrap=True)
            err.print(
                "Chạy lại sau ít phút, hoặc đặt PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS "
                "lớn hơn, hoặc dùng một Prefect server riêng (PREFECT_API_URL)."
            )
            raise typer.Exit(EXIT_UNAVAILABLE) from None
        if "reach API" not in str(error):
            raise
        err.print(f"[red]Không kết nối được Prefect API:[/] {escape(str(error))}", soft_wrap=True)
        err.print("Chạy `prefect server start`, hoặc bỏ PREFECT_API_URL để dùng một API tạm.")
        raise typer.Exit(EXIT_UNAVAILABLE) from None
    if not state.is_completed():
        err.print(f"[red]Lượt chạy thất bại:[/] {escape(state.message or '')}")
        raise typer.Exit(EXIT_UNAVAILABLE)
    out.print(f"[bold]{plan}[/] · {escape(state.message or '')}", soft_wrap=True)
    if not preview and runtime.current().settings.web.base_url is None:
        from flows.notify import NO_LINK_NOTE

        out.print(f"[yellow]Lưu ý:[/] {escape(NO_LINK_NOTE)}", soft_wrap=True)


@app.command()
@cli_errors
def serve(
    plan: Annotated[
        str, typer.Option("--plan", help="Kế hoạch theo dõi theo lịch.")
    ] = "gap-mat-2023",
) -> None:
    """Phục vụ các deployment (track-plan theo lịch, record-submission, ghi-nhan-theo-buoc)."""
    from flows import runtime
    from flows.serving import serve as serve_plan
    from models.storage.store import plan_row

    with runtime.session() as session:
        plan_row(session, plan)  # refuse an unknown plan before serving it
    serve_plan(plan)  # the record forms list the plan's codes, and follow its reloads
