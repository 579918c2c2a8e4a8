"""`dondoc outbox`: the coordinator's view of the e-mail outbox — list, show, retry, send."""

from __future__ import annotations

from email import message_from_bytes, policy
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from flows.cli._app import PlanCode, cli_errors, err, moment_or_now, out, outbox_app

if TYPE_CHECKING:
    from models.plan import Plan
    from models.storage.tables import NotificationRow
    from notifications.outbox import DeliveryReport

STYLES = {
    "pending": "yellow",
    "sent": "green",
    "failed": "bold red",
    "superseded": "dim",
    "uncertain": "dark_orange",
}
HEADERS = ("From", "To", "Cc", "Reply-To", "Subject", "Date", "Message-ID", "In-Reply-To")


class StatusFilter(StrEnum):
    """The statuses `list --status` accepts (the outbox's, and all)."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    SUPERSEDED = "superseded"
    UNCERTAIN = "uncertain"
    ALL = "all"


@outbox_app.command("list")
@cli_errors
def list_messages(
    plan: PlanCode,
    status: Annotated[
        StatusFilter, typer.Option("--status", help="Chỉ thư ở trạng thái này; mặc định: tất cả.")
    ] = StatusFilter.ALL,
) -> None:
    """Liệt kê thư của một kế hoạch, cũ nhất trước."""
    from flows import runtime
    from models.storage.store import plan_id, read_snapshot
    from models.storage.tables import NotificationStatus
    from notifications import outbox

    wanted = None if status is StatusFilter.ALL else NotificationStatus(status.value)
    with runtime.session() as session:
        the_plan = read_snapshot(session, plan).plan
        rows = outbox.listed(session, plan_id(session, plan), wanted)
        table = _table(the_plan, rows)
    if not rows:
        out.print("Không có thư nào.")
        return
    out.print(table)
    out.print(f"{len(rows)} thư.")


def _table(plan: Plan, rows: list[NotificationRow]) -> Table:
    from models.storage.tables import NotificationStatus
    from notifications.rules import Rule

    table = Table(
        title=f"Hộp thư đi · {escape(plan.title)}", title_justify="left", header_style="bold"
    )
    for header in ("Mã", "Quy tắc", "Đơn vị", "Gửi tới", "Tiêu đề", "Trạng thái"):
        table.add_column(header, overflow="fold")
    table.add_column("Lần thử", justify="right")
    table.add_column("Lỗi / lý do", overflow="fold")  # why it failed, or why not sent
    for row in rows:
        status = NotificationStatus(row.status)
        table.add_row(
            row.key,
            Rule(row.rule).label,
            Text(plan.unit_name(row.unit_code) if row.unit_code else "Lãnh đạo"),
            ", ".join(row.mail_to),
            Text(row.subject),  # plan text, never rich markup
            Text(status.label, style=STYLES[status.value]),
            str(row.attempts),
            row.last_error or "",
        )
    return table


@outbox_app.command("show")
@cli_errors
def show(
    key: Annotated[str, typer.Argument(help="Mã thư (cột Mã của outbox list).")],
    eml: Annotated[
        bool, typer.Option("--eml", help="In nguyên văn thư (MIME, như gửi đi) thay vì tóm tắt.")
    ] = False,
) -> None:
    """Xem một thư: tiêu đề thư, trạng thái và nội dung văn bản."""
    from flows import runtime
    from models.errors import InvalidInputError
    from models.storage.tables import NotificationStatus
    from notifications import outbox

    with runtime.session() as session:
        row = outbox.by_key(session, key)
        data, status = row.eml, NotificationStatus(row.status)
        facts = [("Trạng thái", status.label), ("Lần thử", str(row.attempts))]
        why = "Lý do" if status is NotificationStatus.SUPERSEDED else "Lỗi"
        facts += [(why, row.last_error)] if row.last_error else []
        legacy = [("To", ", ".join(row.mail_to)), ("Cc", ", ".join(row.mail_cc))]
        legacy += [("Subject", row.subject)]
        text = row.body_text
    if eml:
        if data is None:
            raise InvalidInputError(
                f"thư '{key}' được xếp hàng từ trước khi dondoc lưu nguyên văn thư: nguyên văn "
                "chỉ có sau lần gửi đầu tiên; bỏ --eml để xem tóm tắt"
            )
        typer.echo(data, nl=False)  # the exact bytes: `… --eml > thu.eml` opens in a mail app
        return
    headers = legacy if data is None else _headers(data)
    for name, value in [*headers, *facts]:
        out.print(Text.assemble((f"{name}: ", "bold"), value), soft_wrap=True)
    out.print()
    out.print(_text_part(data) if data else text, markup=False, soft_wrap=True)


def _headers(data: bytes) -> list[tuple[str, str]]:
    mail = message_from_bytes(data, policy=policy.default)
    # A long header may be folded onto its next line: strip the fold's leading space.
    return [(name, str(mail[name]).strip()) for name in HEADERS if mail[name] is not None]


def _text_part(data: bytes) -> str:
    mail = message_from_bytes(data, policy=policy.default)
    body = mail.get_body(("plain",))
    return body.get_content() if body is not None else ""


@outbox_app.command("retry")
@cli_errors
def retry(
    plan: PlanCode,
    keys: Annotated[
        list[str] | None, typer.Argument(help="Mã các thư; mặc định: mọi thư gửi lỗi.")
    ] = None,
) -> None:
    """Đưa thư gửi lỗi về hàng chờ: lượt gửi sau (hoặc outbox send) gửi lại."""
    from flows import runtime
    from models.errors import NotFoundError
    from models.storage.store import plan_id
    from models.storage.tables import NotificationStatus
    from notifications import outbox

    asked = list(dict.fromkeys(keys or ()))
    with runtime.session() as session:
        owner = plan_id(session, plan)
        found = outbox.keys_of(session, owner, asked) if asked else {}
        unknown = [key for key in asked if key not in found]
        if unknown:
            raise NotFoundError(f"thư nào của kế hoạch '{plan}' có mã", unknown[0])
        retried = outbox.retry(session, owner, asked)
    for key in asked:
        if key not in retried:
            label = NotificationStatus(found[key]).label
            err.print(f"[yellow]Bỏ qua:[/] {key} ({label}, không phải thư gửi lỗi).")
    out.print(f"Đã đưa {len(retried)} thư về hàng chờ gửi.")


@outbox_app.command("send")
@cli_errors
def send(
    plan: PlanCode,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Thời điểm gửi; mặc định: bây giờ.")
    ] = None,
    any_time: Annotated[
        bool, typer.Option("--any-time", help="Gửi cả ngoài giờ làm việc.")
    ] = False,
) -> None:
    """Gửi ngay các thư đang chờ (thư không còn cần, ví dụ đơn vị đã nộp, thì bỏ)."""
    from zoneinfo import ZoneInfo

    from flows import runtime
    from models.storage.store import plan_row
    from notifications.dispatch import deliver_due

    current = runtime.current()
    with current.session() as session:
        tz = ZoneInfo(plan_row(session, plan).timezone)  # an unknown plan stops here, exit 2
    report = deliver_due(
        current.session,  # one transaction per message, on the process's engine
        current.transport(),
        plan,
        moment_or_now(as_of, tz),
        mail_from=current.settings.mail.sender,
        office_hours_only=not any_time,
    )
    _print_delivery(report)


def _print_delivery(report: DeliveryReport) -> None:
    """The outcome counts; errors on stderr; exit 1 when a message could not be sent."""
    from notifications.outbox import Outcome
    from notifications.transports import put_off

    if report.held:
        out.print("Ngoài giờ làm việc: chưa gửi thư nào (dùng --any-time để gửi ngay).")
        return
    words = {
        Outcome.SENT: "Đã gửi",
        Outcome.FAILED: "Gửi lỗi",
        Outcome.DEFERRED: "Hoãn (lỗi tạm thời)",
        Outcome.UNCERTAIN: "Chưa rõ đã tới (gửi lại một lần sau)",
        Outcome.PUT_OFF: "Người nhận hẹn lại (gửi lại sau)",
        Outcome.SUPERSEDED: "Không cần gửi nữa",
    }
    counts = [f"{word}: {report.count(outcome)}" for outcome, word in words.items()]
    out.print(" · ".join(counts) if report.outcomes else "Không có thư nào chờ gửi.")
    for key, error in report.errors.items():
        if report.outcomes[key] in (Outcome.FAILED, Outcome.DEFERRED):
            err.print(Text.assemble(("Lỗi: ", "red"), f"{key}: {error}"), soft_wrap=True)
    for key, refused in report.refusals.items():
        for address, why in refused.items():
            then = "gửi lại sau" if put_off(why) else "không gửi nữa"
            line = f"{key}: {address} bị từ chối ({why}), {then}"
            err.print(Text.assemble(("Người nhận: ", "yellow"), line), soft_wrap=True)
    if (
        report.count(Outcome.FAILED)
        or report.count(Outcome.DEFERRED)
        or report.refused_recipients(temporary=False)
    ):
        raise typer.Exit(1)
