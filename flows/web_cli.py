"""`dondoc web`: serve the leaders' board of every loaded plan, read-only, over HTTP."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

Host = Annotated[
    str | None,
    typer.Option("--host", help="Địa chỉ lắng nghe; mặc định DONDOC_WEB_HOST hoặc 127.0.0.1."),
]
Port = Annotated[
    int | None,
    typer.Option("--port", help="Cổng; mặc định DONDOC_WEB_PORT hoặc 8765."),
]


def register(app: typer.Typer) -> None:
    """Add the `web` command to `app` (the main CLI calls this once it is built)."""
    app.command("web")(web)


def web(host: Host = None, port: Port = None) -> None:
    """Trang theo dõi trực tuyến (chỉ xem): /plans/<mã>, .json, .xlsx; ?as_of= để xem lại."""
    from flows.cli import cli_errors

    cli_errors(serve_web)(host, port)


def serve_web(host: str | None, port: int | None) -> None:
    """Build the app from the settings, say where it is, run uvicorn until interrupted."""
    import uvicorn

    from flows.cli import err, out
    from flows.web import create_app
    from models.settings import Settings

    settings = Settings()
    host = host or settings.web_host
    port = settings.web_port if port is None else port
    app = create_app(settings)  # refuses a half-configured login before binding anything
    exposed = not is_loopback(host)
    if exposed and not settings.web_user:
        err.print(
            f"[yellow]Cảnh báo:[/] đang mở trang trên {host}, không chỉ máy này, mà không có "
            "mật khẩu: ai vào được mạng đều xem được. Đặt DONDOC_WEB_USER và "
            "DONDOC_WEB_PASSWORD để yêu cầu đăng nhập.",
            soft_wrap=True,
        )
    out.print(f"Trang theo dõi: {url_of(host, port)} (Ctrl+C để dừng)")
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)


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
