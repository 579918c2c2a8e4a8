"""The error pages of `dondoc web`: a clear Vietnamese page (or JSON), never a traceback."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Scope

from models.errors import NotFoundError
from notifications.render import templates_in

TEMPLATES = Path(__file__).with_name("templates")
SECURITY_HEADERS = {
    # The pages are self-contained: no script, no external asset; inline styles only.
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
ERROR_TITLES = {
    400: "Yêu cầu không hợp lệ",
    401: "Cần đăng nhập",
    403: "Liên kết không hợp lệ",
    404: "Không tìm thấy",
    405: "Trang chỉ để xem",
    410: "Liên kết đã hết hạn",
    500: "Lỗi máy chủ",
    503: "Tạm thời không phục vụ được",
}


def render_page(template: str, **context: Any) -> str:
    """One of the web's own pages (templates/), autoescaped like the board."""
    return templates_in(TEMPLATES).get_template(template).render(**context)


def error_response(
    scope: Scope,
    status: int,
    message: str,
    *,
    hint: str = "",
    plans: Sequence[str] = (),
    headers: Mapping[str, str] | None = None,
    title: str = "",
) -> Response:
    """A clear Vietnamese page (or JSON, for the .json route) saying what went wrong; `title`
    when the status's usual one does not fit (a 403 that is not about a link)."""
    root = scope.get("root_path", "")
    if scope.get("path", "").endswith(".json"):
        content: dict[str, Any] = {"status": status, "error": message}
        if hint:
            content["hint"] = hint
        if plans:
            content["plans"] = list(plans)
        return JSONResponse(content, status, headers=headers)
    page = render_page(
        "error.html.j2",
        status=status,
        title=title or ERROR_TITLES.get(status, "Lỗi"),
        message=message,
        hint=hint,
        plans=[{"code": c, "url": f"{root}/plans/{quote(c)}"} for c in plans],
        home=f"{root}/",
    )
    return HTMLResponse(page, status, headers={**SECURITY_HEADERS, **(headers or {})})


def unknown_plan_response(scope: Scope, error: NotFoundError, loaded: Sequence[str]) -> Response:
    """404 for a plan code that names nothing: what it may have meant, then every loaded plan."""
    guesses = list(error.suggestions)
    hint = f"Có phải là: {', '.join(guesses)}?" if guesses else ""
    if not loaded:
        hint = "Chưa có kế hoạch nào được nạp (dùng lệnh: dondoc plan load TỆP)."
    listed = guesses + [c for c in loaded if c not in guesses]
    message = f"Không có kế hoạch '{error.code}'."
    return error_response(scope, 404, message, hint=hint, plans=listed)


async def http_error(request: Request, error: Exception) -> Response:
    """Starlette's own errors (no such route, wrong method) as our pages."""
    assert isinstance(error, HTTPException)
    if error.status_code == 404:
        message = f"Không có trang {request.url.path}."
    elif error.status_code == 405:
        allowed = (error.headers or {}).get("Allow", "GET, HEAD").replace(", ", " và ")
        message = f"Không hỗ trợ phương thức {request.method}: chỉ {allowed}."
    else:
        message = ERROR_TITLES.get(error.status_code, "Lỗi")
    return error_response(request.scope, error.status_code, message, headers=error.headers)


async def server_error(request: Request, error: Exception) -> Response:
    # Starlette logs the traceback; the reader gets a page, never the traceback.
    message = "Có lỗi khi lập trang. Xin thử lại sau; nếu vẫn lỗi, báo bộ phận kỹ thuật."
    return error_response(request.scope, 500, message)
