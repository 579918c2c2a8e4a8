"""The live board over HTTP (`dondoc web`): read-only pages of every loaded plan, always current,
each unit's assignment page behind its signed personal link (flows/web/personal.py), and the
coordinator console behind its own login (flows/web/console.py).

The app factory and its routes; the pages come from `boards`, the gate from `gate`, the error
pages from `errors`. It runs no SQL of its own: it calls storage functions."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import Scope

from flows.runtime import Runtime
from flows.web.boards import Asked, Boards, PageFormat
from flows.web.console import CONSOLE_PATHS, Console, console_routes, signed_in
from flows.web.error_pages import (
    SECURITY_HEADERS,
    error_response,
    http_error,
    render_page,
    server_error,
    unknown_plan_response,
)
from flows.web.gate import HEALTH_PATH, Gate, credentials_of
from flows.web.look_back import read_as_of
from flows.web.personal import PersonalPages, assignment_page
from flows.web.renders import Busy
from flows.web.unit_forms import UnitActions, unit_routes
from models.errors import InvalidInputError, NotFoundError, shown
from notifications.links import LINK_PATH

FORMATS_HINT = (
    "Thời điểm viết theo ISO-8601 (2023-03-10T09:00 hoặc 2023-03-10T09:00+07:00) "
    "hoặc dd/mm/yyyy HH:MM (10/03/2023 09:00)."
)
# The units' pages post their own forms (their link is their login; CSRF bound to it).
UNIT_PATH = f"/{LINK_PATH}"
PART_DIGITS = 6  # ?page= of at most this many digits; the boards say which parts there are


async def board_page(request: Request) -> Response:
    return await serve(request, PageFormat.HTML)


async def board_json(request: Request) -> Response:
    return await serve(request, PageFormat.JSON)


async def board_xlsx(request: Request) -> Response:
    return await serve(request, PageFormat.XLSX)


async def serve(request: Request, form: PageFormat) -> Response:
    """Read ?as_of= and ?page=, build (or reuse) the page on a worker thread, return it."""
    asked = read_request(request, form)
    if isinstance(asked, Response):
        return asked
    boards: Boards = request.app.state.boards
    try:
        page = await run_in_threadpool(boards.page, asked)
    except NotFoundError as error:
        loaded = await run_in_threadpool(boards.loaded)
        return unknown_plan_response(request.scope, error, loaded)
    except InvalidInputError as error:
        return error_response(request.scope, 400, str(error))
    except Busy as busy:
        return busy_response(request.scope, busy)
    headers = {**SECURITY_HEADERS, "Vary": "Accept-Encoding"}
    if page.filename:
        headers["Content-Disposition"] = f'attachment; filename="{page.filename}"'
    body = page.body
    if page.gzipped is not None and accepts_gzip(request.headers.get("accept-encoding", "")):
        body = page.gzipped
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type=page.media_type, headers=headers)


def read_request(request: Request, form: PageFormat) -> Asked | Response:
    """What the address asks for, or the 400 page saying what in it cannot be read."""
    as_of = request.query_params.get("as_of", "").strip()
    try:
        moment = read_as_of(as_of) if as_of else None
    except InvalidInputError:
        message = f"Không đọc được thời điểm '{shown(as_of)}'."
        return error_response(request.scope, 400, message, hint=FORMATS_HINT)
    part = request.query_params.get("page", "1").strip()
    if not (part.isascii() and part.isdigit() and len(part) <= PART_DIGITS):
        message = f"Không đọc được số phần '{shown(part)}': viết một số nguyên dương (?page=2)."
        return error_response(request.scope, 400, message)
    return Asked(request.path_params["code"], form, moment, int(part))


def busy_response(scope: Scope, busy: Busy) -> Response:
    """503: too many large pages are being built; when to come back, and what still works."""
    message = (
        "Máy chủ đang lập nhiều bảng lớn cùng lúc nên chưa lập được bảng này. "
        f"Xin thử lại sau khoảng {busy.retry_after} giây."
    )
    hint = "Các bảng đã lập sẵn (bảng hiện tại, các thời điểm vừa có người xem) vẫn mở được ngay."
    headers = {"Retry-After": str(busy.retry_after)}
    return error_response(scope, 503, message, hint=hint, headers=headers)


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether `Accept-Encoding` allows gzip (every browser sends it; `gzip;q=0` refuses it)."""
    for offer in accept_encoding.lower().split(","):
        name, _, parameters = offer.partition(";")
        if name.strip() in ("gzip", "*"):
            return parameters.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


async def index(request: Request) -> Response:
    boards: Boards = request.app.state.boards
    plans = await run_in_threadpool(boards.plans)
    return HTMLResponse(render_page("index.html.j2", plans=plans), headers=SECURITY_HEADERS)


async def health(request: Request) -> Response:
    boards: Boards = request.app.state.boards
    if await run_in_threadpool(boards.healthy):
        return JSONResponse({"status": "ok"})
    return JSONResponse({"status": "error", "error": "cơ sở dữ liệu không trả lời"}, 503)


def create_app(runtime: Runtime, clock: Callable[[], datetime] | None = None) -> Starlette:
    """The app on `runtime`'s engine (schema checked at startup), one session a request."""
    credentials = credentials_of(runtime.settings.web)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> Any:
        await run_in_threadpool(runtime.engine)
        yield
        runtime.close()

    app = Starlette(
        routes=[
            Route("/", index),
            Route(HEALTH_PATH, health),
            Route("/plans/{code}.json", board_json),
            Route("/plans/{code}.xlsx", board_xlsx),
            Route("/plans/{code}", board_page),
            Route(f"/{LINK_PATH}/{{token}}", assignment_page),
            *unit_routes(),
            *console_routes(),
        ],
        middleware=[
            Middleware(
                Gate,
                credentials=credentials,
                own_login=(*CONSOLE_PATHS, UNIT_PATH),
                signed_in=signed_in,
            )
        ],
        exception_handlers={HTTPException: http_error, Exception: server_error},
        lifespan=lifespan,
    )
    wall_clock = clock or (lambda: datetime.now(UTC))
    app.state.boards = Boards(runtime, wall_clock)
    app.state.personal = PersonalPages(runtime, app.state.boards, wall_clock)
    app.state.unit_actions = UnitActions(runtime, app.state.personal)
    app.state.console = Console(runtime, app.state.boards, wall_clock)
    return app
