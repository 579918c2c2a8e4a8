"""The leaf every command module imports: the Typer apps, the consoles, the error decorator,
the clock, and the argument types the commands share. It imports no command module."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console, ConsoleOptions, RenderableType
from rich.markup import escape
from rich.segment import Segment

from models.control_characters import printable
from models.errors import InfrastructureError, InputError, ProblemsError

if TYPE_CHECKING:
    from sqlalchemy.exc import OperationalError

app = typer.Typer(
    help="dondoc — đôn đốc: theo dõi tiến độ các đơn vị trong kế hoạch, ai đang chậm.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
plan_app = typer.Typer(
    help="Kế hoạch: kiểm tra, nạp, xem, xuất; soạn bản nháp từ văn bản.", no_args_is_help=True
)
outbox_app = typer.Typer(
    help="Hộp thư đi: xem, gửi lại, gửi ngay các thư nhắc việc.", no_args_is_help=True
)
user_app = typer.Typer(
    help="Tài khoản điều phối viên và lãnh đạo: thêm, đổi mật khẩu, xóa, xem, nhật ký đăng nhập.",
    no_args_is_help=True,
)
files_app = typer.Typer(
    help="Kho tệp đơn vị gửi kèm: kiểm tra tệp không ai dùng, tệp bị mất.", no_args_is_help=True
)
app.add_typer(plan_app, name="plan")
app.add_typer(outbox_app, name="outbox")
app.add_typer(user_app, name="user")
app.add_typer(files_app, name="files")


class SafeConsole(Console):
    """A console that shows control characters in what it prints (names, notes, figures read
    from the database) as visible symbols: stored text cannot clear the screen or retitle the
    window (`ESC[2J`, `ESC]0;…BEL`). Rich's own styling is added after, and stays."""

    _rendering = False  # Rich renders nested renderables through render() again

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterable[Segment]:
        if self._rendering:  # inside a table or a tree: the outermost call filters, once
            yield from super().render(renderable, options)
            return
        self._rendering = True
        try:
            for segment in super().render(renderable, options):
                if segment.control or segment.text.isprintable():
                    yield segment
                else:
                    yield Segment(printable(segment.text), segment.style, segment.control)
        finally:
            self._rendering = False


out = SafeConsole(highlight=False)
err = SafeConsole(stderr=True, highlight=False)

EXIT_INVALID_INPUT = 2  # a person's mistake: fix what was typed (or the file)
EXIT_UNAVAILABLE = 1  # the database or the mail server does not answer: nothing wrong typed

F = TypeVar("F", bound=Callable[..., Any])

PlanCode = Annotated[str, typer.Argument(help="Mã kế hoạch, ví dụ gap-mat-2023.")]
Deliverable = Annotated[str, typer.Argument(help="Mã nhiệm vụ, ví dụ bc-huyen.")]
Unit = Annotated[str, typer.Argument(help="Mã đơn vị, ví dụ huong-khe.")]
AsOf = Annotated[
    str | None,
    typer.Option("--as-of", help="Thời điểm (ISO-8601 hoặc dd/mm/yyyy HH:MM); mặc định: bây giờ."),
]
AsJson = Annotated[bool, typer.Option("--json", help="In JSON thay cho bảng.")]


def cli_errors(command: F) -> F:
    """Input problems become one clear message on stderr and exit code 2, never a traceback;
    a database or mail server that does not answer is one line too (exit code 1)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ProblemsError as error:
            for problem in error.problems:
                err.print(f"[red]Lỗi:[/] {escape(problem.render(error.source))}", soft_wrap=True)
            raise typer.Exit(EXIT_INVALID_INPUT) from None
        except InputError as error:
            err.print(f"[red]Lỗi:[/] {escape(str(error))}", soft_wrap=True)
            raise typer.Exit(EXIT_INVALID_INPUT) from None
        except InfrastructureError as error:
            err.print(f"[red]Lỗi:[/] {escape(str(error))}", soft_wrap=True)
            raise typer.Exit(EXIT_UNAVAILABLE) from None
        except Exception as error:
            # SQLAlchemy is imported only now: `dondoc --help` need not load it (0.2 s).
            from sqlalchemy.exc import OperationalError

            if not isinstance(error, OperationalError):
                raise
            err.print(f"[red]Lỗi:[/] {escape(unreachable_database(error))}", soft_wrap=True)
            raise typer.Exit(EXIT_UNAVAILABLE) from None

    return wrapper  # type: ignore[return-value]  # wraps() keeps the signature Typer reads


def unreachable_database(error: OperationalError) -> str:
    """What is wrong with the database, named for what it is (locked, full, read-only, not
    there…) with what to do, then the driver's own first line (never the URL or a password)."""
    from flows import runtime
    from models.storage.engine import sqlite_file
    from models.storage.trouble import database_trouble

    url = runtime.current().settings.database.url.get_secret_value()
    reason = str(error.orig) if error.orig else type(error).__name__
    return database_trouble(reason, sqlite_file(url))


def now() -> datetime:
    """The edge is the only place that reads the clock; everything inside takes `as_of`."""
    return datetime.now(UTC)


def moment_or_now(as_of: str | None, tz: Any) -> datetime:
    """`--as-of` read in the plan's timezone (a naive time is plan time), or now."""
    from models.moments import parse_moment

    return parse_moment(as_of, tz) if as_of else now()
