"""`dondoc web`: serve the leaders' board of every loaded plan, read-only, over HTTP."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

from flows.cli._app import app, cli_errors, err, now, out

Host = Annotated[
    str | None,
    typer.Option("--host", help="Địa chỉ lắng nghe; mặc định DONDOC_WEB_HOST hoặc 127.0.0.1."),
]
Port = Annotated[
    int | None,
    typer.Option("--port", help="Cổng; mặc định DONDOC_WEB_PORT hoặc 8765."),
]


@app.command("web")
@cli_errors
def web(host: Host = None, port: Port = None) -> None:
    """Trang theo dõi trực tuyến: /plans/<mã>, .json, .xlsx (?as_of= để xem lại); trang điều
    phối /dieu-phoi cho tài khoản điều phối viên và lãnh đạo."""
    import uvicorn

    from flows import runtime
    from flows.web import create_app, server_options

    current = runtime.current()
    settings = current.settings.web
    host = host or settings.host
    port = settings.port if port is None else port
    web_app = create_app(current)  # refuses a half-configured login before binding anything
    current.engine()  # a wrong URL or a database that does not answer: one line, no traceback
    # The console's sessions and forms are signed with the site secret; a page view never
    # makes it (GET writes nothing), so it is made here, before the first login form.
    current.link_secret(now())
    if not is_loopback(host) and not settings.user:
        err.print(
            f"[yellow]Cảnh báo:[/] đang mở trang trên {host}, không chỉ máy này, mà không có "
            "mật khẩu: ai vào được mạng đều xem được. Đặt DONDOC_WEB_USER và "
            "DONDOC_WEB_PASSWORD để yêu cầu đăng nhập.",
            soft_wrap=True,
        )
    out.print(f"Trang theo dõi: {url_of(host, port)} (Ctrl+C để dừng)")
    uvicorn.run(web_app, host=host, port=port, **server_options(settings))


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and localhost stay on this machine; any other name may not."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_of(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


@app.command("rotate-link-secret")
@cli_errors
def rotate_link_secret() -> None:
    """Thu hồi mọi liên kết riêng đã gửi: thay khóa ký giữ trong cơ sở dữ liệu."""
    from datetime import UTC, datetime

    from flows import runtime
    from models.storage.site_secret import rotate_kept_secret

    current = runtime.current()
    if current.settings.web.secret is not None or current.settings.web.secret_block_to_read:
        err.print(
            "Khóa ký liên kết đang lấy từ DONDOC_WEB_SECRET (hoặc DONDOC_WEB_SECRET_BLOCK): "
            "đổi giá trị đó để thu hồi các liên kết đã gửi.",
            soft_wrap=True,
        )
        raise typer.Exit(2)
    with current.session() as session:
        rotate_kept_secret(session, datetime.now(UTC))
    out.print(
        "Đã thay khóa ký: mọi liên kết riêng đã gửi không mở được nữa; thư gửi từ nay mang "
        "liên kết mới."
    )
