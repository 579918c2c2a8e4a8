"""The live board over HTTP (`dondoc web`): read-only pages of every loaded plan, always current.

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

from flows.runtime import Runtime
from flows.web.boards import Boards, PageFormat, read_as_of
from flows.web.error_pages import (
    SECURITY_HEADERS,
    error_response,
    http_error,
    render_page,
    server_error,
    unknown_plan_response,
)
from flows.web.gate import HEALTH_PATH, Gate, credentials_of
from models.errors import InvalidInputError, NotFoundError

FORMATS_HINT = (
    "Thời điểm viết theo ISO-8601 (2023-03-10T09:00 hoặc 2023-03-10T09:00+07:00) "
    "hoặc dd/mm/yyyy HH:MM (10/03/2023 09:00)."
)


async def board_page(request: Request) -> Response:
    return await serve(request, PageFormat.HTML)


async def board_json(request: Request) -> Response:
    return await serve(request, PageFormat.JSON)


async def board_xlsx(request: Request) -> Response:
    return await serve(request, PageFormat.XLSX)


async def serve(request: Request, form: PageFormat) -> Response:
    """Read ?as_of=, build (or reuse) the page on a worker thread, return it."""
    as_of = request.query_params.get("as_of", "").strip()
    try:
        asked = read_as_of(as_of) if as_of else None
    except InvalidInputError:
        message = f"Không đọc được thời điểm '{as_of}'."
        return error_response(request.scope, 400, message, hint=FORMATS_HINT)
    boards: Boards = request.app.state.boards
    try:
        page = await run_in_threadpool(boards.page, request.path_params["code"], form, asked)
    except NotFoundError as error:
        loaded = await run_in_threadpool(boards.loaded)
        return unknown_plan_response(request.scope, error, loaded)
    headers = {**SECURITY_HEADERS, "Vary": "Accept-Encoding"}
    if page.filename:
        headers["Content-Disposition"] = f'attachment; filename="{page.filename}"'
    body = page.body
    if page.gzipped is not None and accepts_gzip(request.headers.get("accept-encoding", "")):
        body = page.gzipped
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type=page.media_type, headers=headers)


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
        ],
        middleware=[Middleware(Gate, credentials=credentials)],
        exception_handlers={HTTPException: http_error, Exception: server_error},
        lifespan=lifespan,
    )
    app.state.boards = Boards(runtime, clock or (lambda: datetime.now(UTC)))
    return app
