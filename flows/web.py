"""The live board over HTTP (`dondoc web`): read-only pages of every loaded plan, always current."""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import logging
import threading
from collections.abc import Callable, Hashable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from flows.web_cache import Page, PageCache, Version, read_version, text_page
from models.db import ensure_schema, make_engine, session_scope
from models.errors import InvalidInputError, close_matches
from models.evaluate import evaluate
from models.moments import local_text, parse_moment
from models.report import status_document
from models.settings import Settings
from models.store import Snapshot, plan_codes, read_snapshot
from models.tables import PlanRow
from notifications.board import board_view
from notifications.board_html import Live, render_board_html
from notifications.board_xlsx import workbook_bytes
from notifications.render import environment

log = logging.getLogger("dondoc.web")
REFRESH_SECONDS = 300  # the page showing "now" reloads itself every 5 minutes
READ_METHODS = ("GET", "HEAD")
HEALTH_PATH = "/healthz"
YEARS = (1900, 2999)  # an ?as_of= outside these is a typo
FORMATS_HINT = (
    "Thời điểm viết theo ISO-8601 (2023-03-10T09:00 hoặc 2023-03-10T09:00+07:00) "
    "hoặc dd/mm/yyyy HH:MM (10/03/2023 09:00)."
)
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
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Kind(StrEnum):
    HTML = "html"
    JSON = "json"
    XLSX = "xlsx"


MEDIA_TYPES = {
    Kind.HTML: "text/html; charset=utf-8",
    Kind.JSON: "application/json",
    Kind.XLSX: XLSX_TYPE,
}


class UnknownPlan(Exception):
    def __init__(self, code: str, loaded: Sequence[str]):
        super().__init__(code)
        self.code = code
        self.loaded = tuple(loaded)


class Boards:
    """Builds the pages of a plan from the database (blocking: call it on a worker thread)."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime]):
        self.engine = engine
        self.clock = clock
        self.cache = PageCache()
        # The last snapshot read of each plan: a new minute or another moment of the same data
        # needs no new read (0.3 s for a 10k-assignment plan).
        self._snapshots: dict[str, tuple[Version, Snapshot]] = {}
        self._snapshots_guard = threading.Lock()

    def page(self, code: str, kind: Kind, asked: datetime | None) -> Page:
        """The page at `asked` (naive: plan time), or now; rebuilt only when the data changed."""
        with session_scope(self.engine) as session:
            version = read_version(session, code)
            if version is None:
                raise UnknownPlan(code, plan_codes(session))
            tz = ZoneInfo(version.timezone)
            minute: datetime | None = None
            if asked is None:
                moment = self.clock()
                # "Now" pages show minutes; a new arrival changes the version, not the minute.
                minute = moment.replace(second=0, microsecond=0)
                key: Hashable = (code, kind, "now")
            else:
                moment = asked if asked.tzinfo else asked.replace(tzinfo=tz)
                key = (code, kind, moment)
            return self.cache.get(
                key,
                version,
                lambda: self._build(self._snapshot(session, code, version), kind, moment, asked),
                minute,
            )

    def _snapshot(self, session: Session, code: str, version: Version) -> Snapshot:
        """The plan and its submissions as of `version` (or a little later: read after it)."""
        with self._snapshots_guard:
            known = self._snapshots.get(code)
        if known is not None and known[0] == version:
            return known[1]
        snapshot = read_snapshot(session, code)
        with self._snapshots_guard:
            self._snapshots[code] = (version, snapshot)
        return snapshot

    def _build(
        self, snapshot: Snapshot, kind: Kind, moment: datetime, asked: datetime | None
    ) -> Page:
        plan = snapshot.plan
        code = plan.code
        statuses = evaluate(plan, snapshot.submissions, moment)
        if kind is Kind.JSON:
            document = status_document(plan, statuses, moment)
            return text_page(json.dumps(document, ensure_ascii=False), MEDIA_TYPES[kind])
        view = board_view(plan, statuses, moment)
        if kind is Kind.XLSX:
            stamp = moment.astimezone(plan.tz).strftime("%Y-%m-%d-%H%M")
            return Page(workbook_bytes(view), XLSX_TYPE, f"{code}-{stamp}.xlsx")
        shown = "" if asked is None else moment_text(moment, plan.tz)
        return text_page(render_board_html(view, live_links(code, shown)), MEDIA_TYPES[kind])

    def plans(self) -> list[dict[str, str]]:
        """Every loaded plan for the index: code, title, when it was loaded (plan time)."""
        statement = select(PlanRow.code, PlanRow.title, PlanRow.loaded_at, PlanRow.timezone)
        with session_scope(self.engine) as session:
            rows = session.exec(statement.order_by(PlanRow.code)).all()
        return [
            {
                "code": code,
                "title": title,
                "loaded_at": local_text(loaded_at, ZoneInfo(tz)),
                "url": f"plans/{quote(code)}",
            }
            for code, title, loaded_at, tz in rows
        ]

    def healthy(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            log.exception("the database does not answer")
            return False
        return True


def read_as_of(text: str) -> datetime:
    """A moment typed in the address (naive: plan time), within years a plan can mean; far
    outside them a timezone shift would overflow datetime."""
    moment = parse_moment(text, None)
    if not YEARS[0] <= moment.year <= YEARS[1]:
        raise InvalidInputError(f"năm của '{text}' nằm ngoài khoảng {YEARS[0]}–{YEARS[1]}")
    return moment


def moment_text(moment: datetime, tz: ZoneInfo) -> str:
    """dd/mm/yyyy HH:MM[:SS] in plan time: what the form shows and the links carry."""
    local = moment.astimezone(tz)
    return local.strftime("%d/%m/%Y %H:%M:%S" if local.second else "%d/%m/%Y %H:%M")


def live_links(code: str, as_of: str) -> Live:
    """Links relative to /plans/<code>, so the site also works below a proxy's prefix."""
    board = f"./{quote(code)}"
    query = f"?{urlencode({'as_of': as_of})}" if as_of else ""
    return Live(
        board_url=board,
        json_url=f"{board}.json{query}",
        xlsx_url=f"{board}.xlsx{query}",
        index_url="../",
        as_of=as_of,
        refresh_seconds=None if as_of else REFRESH_SECONDS,
    )


# --- error pages ----------------------------------------------------------------------------

ERROR_TITLES = {
    400: "Yêu cầu không hợp lệ",
    401: "Cần đăng nhập",
    404: "Không tìm thấy",
    405: "Trang chỉ để xem",
    500: "Lỗi máy chủ",
    503: "Tạm thời không phục vụ được",
}


def error_response(
    scope: Scope,
    status: int,
    message: str,
    *,
    hint: str = "",
    plans: Sequence[str] = (),
    headers: dict[str, str] | None = None,
) -> Response:
    """A clear Vietnamese page (or JSON, for the .json route) saying what went wrong."""
    root = scope.get("root_path", "")
    if scope.get("path", "").endswith(".json"):
        content: dict[str, Any] = {"status": status, "error": message}
        if hint:
            content["hint"] = hint
        if plans:
            content["plans"] = list(plans)
        return JSONResponse(content, status, headers=headers)
    page = (
        environment()
        .get_template("web_error.html.j2")
        .render(
            status=status,
            title=ERROR_TITLES.get(status, "Lỗi"),
            message=message,
            hint=hint,
            plans=[{"code": c, "url": f"{root}/plans/{quote(c)}"} for c in plans],
            home=f"{root}/",
        )
    )
    return HTMLResponse(page, status, headers={**SECURITY_HEADERS, **(headers or {})})


def unknown_plan_response(scope: Scope, error: UnknownPlan) -> Response:
    guesses = close_matches(error.code, error.loaded)
    hint = f"Có phải là: {', '.join(guesses)}?" if guesses else ""
    if not error.loaded:
        hint = "Chưa có kế hoạch nào được nạp (dùng lệnh: dondoc plan load TỆP)."
    listed = guesses + [c for c in error.loaded if c not in guesses]
    message = f"Không có kế hoạch '{error.code}'."
    return error_response(scope, 404, message, hint=hint, plans=listed)


async def http_error(request: Request, error: Exception) -> Response:
    """Starlette's own errors (no such route, wrong method) as our pages."""
    assert isinstance(error, HTTPException)
    if error.status_code == 404:
        message = f"Không có trang {request.url.path}."
    elif error.status_code == 405:
        message = f"Không hỗ trợ phương thức {request.method}: chỉ GET và HEAD."
    else:
        message = ERROR_TITLES.get(error.status_code, "Lỗi")
    return error_response(request.scope, error.status_code, message, headers=error.headers)


async def server_error(request: Request, error: Exception) -> Response:
    # Starlette logs the traceback; the reader gets a page, never the traceback.
    message = "Có lỗi khi lập trang. Xin thử lại sau; nếu vẫn lỗi, báo bộ phận kỹ thuật."
    return error_response(request.scope, 500, message)


# --- routes ---------------------------------------------------------------------------------


async def board_page(request: Request) -> Response:
    return await serve(request, Kind.HTML)


async def board_json(request: Request) -> Response:
    return await serve(request, Kind.JSON)


async def board_xlsx(request: Request) -> Response:
    return await serve(request, Kind.XLSX)


async def serve(request: Request, kind: Kind) -> Response:
    """Read ?as_of=, build (or reuse) the page on a worker thread, return it."""
    as_of = request.query_params.get("as_of", "").strip()
    try:
        asked = read_as_of(as_of) if as_of else None
    except InvalidInputError:
        message = f"Không đọc được thời điểm '{as_of}'."
        return error_response(request.scope, 400, message, hint=FORMATS_HINT)
    boards: Boards = request.app.state.boards
    try:
        page = await run_in_threadpool(boards.page, request.path_params["code"], kind, asked)
    except UnknownPlan as error:
        return unknown_plan_response(request.scope, error)
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
    page = environment().get_template("web_index.html.j2").render(plans=plans)
    return HTMLResponse(page, headers=SECURITY_HEADERS)


async def health(request: Request) -> Response:
    boards: Boards = request.app.state.boards
    if await run_in_threadpool(boards.healthy):
        return JSONResponse({"status": "ok"})
    return JSONResponse({"status": "error", "error": "cơ sở dữ liệu không trả lời"}, 503)


# --- the gate: read-only, and basic auth when configured --------------------------------------


class Gate:
    """ASGI middleware: anything but GET/HEAD is refused (405); with credentials, every page
    but the health probe needs them (401). The password is compared, never logged."""

    def __init__(self, app: ASGIApp, credentials: tuple[bytes, bytes] | None = None):
        self.app = app
        self.credentials = credentials

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        response: Response | None = None
        if self.credentials and scope["path"] != HEALTH_PATH and not self._authorized(scope):
            response = error_response(
                scope,
                401,
                "Cần đăng nhập để xem trang này.",
                headers={"WWW-Authenticate": 'Basic realm="dondoc", charset="UTF-8"'},
            )
        elif scope["method"] not in READ_METHODS:
            message = f"Không hỗ trợ phương thức {scope['method']}: trang chỉ để xem (GET, HEAD)."
            response = error_response(scope, 405, message, headers={"Allow": "GET, HEAD"})
        if response is None:
            await self.app(scope, receive, send)
        else:
            await response(scope, receive, send)

    def _authorized(self, scope: Scope) -> bool:
        assert self.credentials is not None
        given = basic_credentials(dict(scope["headers"]).get(b"authorization", b""))
        if given is None:
            return False
        user_ok = hmac.compare_digest(given[0], self.credentials[0])
        password_ok = hmac.compare_digest(given[1], self.credentials[1])
        return user_ok and password_ok


def basic_credentials(header: bytes) -> tuple[bytes, bytes] | None:
    """(user, password) from an `Authorization: Basic …` header, or None."""
    scheme, _, encoded = header.partition(b" ")
    if scheme.lower() != b"basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    user, colon, password = decoded.partition(b":")
    return (user, password) if colon else None


def credentials_of(settings: Settings) -> tuple[bytes, bytes] | None:
    """The configured user and password, or None for no auth; one without the other is refused."""
    user, password = settings.web_user, settings.web_password.get_secret_value()
    if not user and not password:
        return None
    if not user or not password:
        raise InvalidInputError(
            "đặt cả DONDOC_WEB_USER lẫn DONDOC_WEB_PASSWORD (hoặc bỏ cả hai, để không cần "
            "đăng nhập)"
        )
    return user.encode(), password.encode()


def create_app(
    settings: Settings | None = None, clock: Callable[[], datetime] | None = None
) -> Starlette:
    """The app: one engine for its lifetime (schema checked at startup), one session a request."""
    settings = settings or Settings()
    credentials = credentials_of(settings)
    engine = make_engine(settings.database_url.get_secret_value())

    @asynccontextmanager
    async def lifespan(app: Starlette) -> Any:
        await run_in_threadpool(ensure_schema, engine)
        yield
        engine.dispose()

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
    app.state.boards = Boards(engine, clock or (lambda: datetime.now(UTC)))
    return app
