"""`dondoc user add|passwd|remove|list|log`: the accounts of coordinators and leaders, and who
logged in when. Passwords are typed twice at a hidden prompt, or read from one line of
standard input (`--password-stdin`) by a script; never given as an argument, which the shell
history and the process list would keep."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from flows.cli._app import AsJson, cli_errors, now, out, user_app

if TYPE_CHECKING:
    from models.accounts import AccountListing
    from models.storage.audit import AuditEntry

Username = Annotated[str, typer.Argument(help="Tên đăng nhập, ví dụ nguyen.van.a.")]
RoleOption = Annotated[
    str | None,
    typer.Option("--role", help="coordinator (Điều phối viên) hoặc leader (Lãnh đạo)."),
]
FullName = Annotated[str | None, typer.Option("--full-name", help='Họ tên, ví dụ "Nguyễn Văn A".')]
PasswordStdin = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Đọc mật khẩu từ một dòng của đầu vào chuẩn (cho kịch bản) thay vì hỏi hai lần.",
    ),
]
LIST_COLUMNS = ("Tên đăng nhập", "Họ tên", "Vai trò", "Tạo lúc", "Lần đăng nhập cuối", "Trạng thái")
LOG_COLUMNS = ("Thời điểm", "Việc", "Tên đăng nhập", "Địa chỉ")


@user_app.command("add")
@cli_errors
def add(
    username: Username,
    role: RoleOption = None,
    full_name: FullName = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Thêm tài khoản (mật khẩu ít nhất 12 ký tự, khác tên đăng nhập)."""
    from flows import runtime
    from models.accounts import check_full_name, check_username, parse_role
    from models.storage.accounts import add_account, check_new_name

    # Everything but the password is checked before it is asked for.
    the_role, name = parse_role(role), check_full_name(full_name)
    with runtime.session() as session:
        check_new_name(session, check_username(username))
    password = _new_password(password_stdin)
    with runtime.session() as session:
        account = add_account(session, username, name, the_role, password, now())
    out.print(
        f"Đã thêm tài khoản '{account.username}' ({account.full_name}, {account.role.label}).",
        markup=False,
        soft_wrap=True,
    )


@user_app.command("passwd")
@cli_errors
def passwd(username: Username, password_stdin: PasswordStdin = False) -> None:
    """Đặt mật khẩu mới cho một tài khoản."""
    from flows import runtime
    from models.storage.accounts import active_account, change_password

    with runtime.session() as session:
        active_account(session, username)
    password = _new_password(password_stdin)
    with runtime.session() as session:
        account = change_password(session, username, password, now())
    out.print(f"Đã đổi mật khẩu của tài khoản '{account.username}'.", markup=False)


@user_app.command("remove")
@cli_errors
def remove(username: Username) -> None:
    """Xóa một tài khoản: không đăng nhập được nữa; nhật ký vẫn giữ tên."""
    from flows import runtime
    from models.storage.accounts import remove_account

    with runtime.session() as session:
        account = remove_account(session, username, now())
    out.print(
        f"Đã xóa tài khoản '{account.username}' ({account.full_name}): không đăng nhập được "
        "nữa; nhật ký đăng nhập vẫn giữ tên này.",
        markup=False,
        soft_wrap=True,
    )


@user_app.command("list")
@cli_errors
def list_users() -> None:
    """Liệt kê các tài khoản: vai trò, lần đăng nhập cuối, đang dùng, đang khóa hay đã xóa."""
    from flows import runtime
    from models.storage.accounts import list_accounts

    with runtime.session() as session:
        listings = list_accounts(session, now())
    if not listings:
        out.print(
            "Chưa có tài khoản nào. Thêm điều phối viên đầu tiên: dondoc user add TÊN "
            '--role coordinator --full-name "Họ tên"',
            markup=False,
            soft_wrap=True,
        )
        return
    out.print(accounts_table(listings))
    out.print(f"{len(listings)} tài khoản.")


def accounts_table(listings: Sequence[AccountListing]) -> Table:
    """One row per account, by name; times dd/mm/yyyy HH:MM in Vietnam's time."""
    from models.accounts import ACCOUNT_TIMEZONE
    from models.moments import local_text

    table = Table(title="Tài khoản", title_justify="left", header_style="bold")
    for column in LIST_COLUMNS:
        table.add_column(column, overflow="fold")
    for listing in listings:
        account = listing.account
        table.add_row(
            Text(account.username),
            Text(account.full_name),
            account.role.label,
            local_text(account.created_at, ACCOUNT_TIMEZONE),
            local_text(listing.last_login, ACCOUNT_TIMEZONE) or "Chưa đăng nhập",
            Text(listing.standing(ACCOUNT_TIMEZONE), style=_standing_style(listing)),
        )
    return table


def _standing_style(listing: AccountListing) -> str:
    if listing.account.removed_at is not None:
        return "dim"
    return "bold red" if listing.locked_until is not None else "green"


Since = Annotated[
    str | None,
    typer.Option("--since", help="Từ thời điểm này (dd/mm/yyyy [HH:MM] hoặc ISO-8601)."),
]
OfUser = Annotated[
    str | None, typer.Argument(help="Chỉ các lần đăng nhập bằng tên này; mặc định: mọi tên.")
]


@user_app.command("log")
@cli_errors
def log(username: OfUser = None, since: Since = None, as_json: AsJson = False) -> None:
    """Nhật ký đăng nhập (chỉ đọc): ai đăng nhập, sai mật khẩu hay bị chặn, lúc nào, từ đâu."""
    from flows import runtime
    from models.accounts import ACCOUNT_TIMEZONE
    from models.moments import parse_moment
    from models.storage.accounts import login_events
    from models.storage.audit import login_document, login_entries

    start = parse_moment(since, ACCOUNT_TIMEZONE) if since else None
    with runtime.session() as session:
        entries = login_entries(login_events(session, username, start))
    if as_json:
        document = login_document(entries, ACCOUNT_TIMEZONE)
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2 if out.is_terminal else None))
        return
    if not entries:
        out.print("Chưa có lần đăng nhập nào.")
        return
    out.print(logins_table(entries))
    out.print(
        f"{len(entries)} lần đăng nhập. Nhật ký chỉ để xem: dondoc không có lệnh sửa hay xóa."
    )


def logins_table(entries: Sequence[AuditEntry]) -> Table:
    """One row per attempt, oldest first; names as typed shown as text, never as markup."""
    from models.accounts import ACCOUNT_TIMEZONE
    from models.moments import local_text

    table = Table(title="Nhật ký đăng nhập", title_justify="left", header_style="bold")
    for column in LOG_COLUMNS:
        table.add_column(column, overflow="fold", no_wrap=column == "Thời điểm")
    for entry in entries:
        table.add_row(
            local_text(entry.at, ACCOUNT_TIMEZONE),
            entry.action.label,
            Text(entry.by),
            Text(entry.remote or ""),
        )
    return table


def _new_password(from_stdin: bool) -> str:
    """The new password: one line of standard input, or typed twice at a hidden prompt."""
    from models.errors import InvalidInputError

    if from_stdin:
        line = sys.stdin.readline()
        if not line.strip("\r\n"):
            raise InvalidInputError(
                "đầu vào chuẩn trống: --password-stdin đọc mật khẩu từ một dòng"
            )
        return line.rstrip("\r\n")
    first = typer.prompt("Mật khẩu mới", hide_input=True)
    second = typer.prompt("Nhập lại mật khẩu", hide_input=True)
    if first != second:
        raise InvalidInputError("hai lần nhập mật khẩu không khớp: chưa ghi gì, hãy nhập lại")
    return str(first)
