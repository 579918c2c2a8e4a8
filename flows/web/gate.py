"""The gate in front of every page of `dondoc web`: read-only but for the pages that log people
in themselves (the console), and basic auth on the board when configured."""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Awaitable, Callable

from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from flows.settings import WebSettings
from flows.web.error_pages import error_response
from models.errors import InvalidInputError
from notifications.links import LINK_PATH

READ_METHODS = ("GET", "HEAD")
FORM_METHOD = "POST"
HEALTH_PATH = "/healthz"
PERSONAL_PREFIX = f"/{LINK_PATH}/"


SignedIn = Callable[[Scope], Awaitable[bool]]


class Gate:
    """ASGI middleware: anything but GET/HEAD is refused (405), except POST below `own_login`
    (pages with a login of their own, whose every POST checks a CSRF token); with
    credentials, every page but the health probe, the units' personal pages and `own_login`
    needs them (401), unless `signed_in` says the request carries a live login of those
    pages (a leader who logged in to the console is not asked a second password for the
    board it links to). The password is compared, never logged."""

    def __init__(
        self,
        app: ASGIApp,
        credentials: tuple[bytes, bytes] | None = None,
        own_login: tuple[str, ...] = (),
        signed_in: SignedIn | None = None,
    ):
        self.app = app
        self.credentials = credentials
        self.own_login = own_login
        self.signed_in = signed_in

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        response = await self._refusal(scope)
        if response is None:
            await self.app(scope, receive, send)
        else:
            await response(scope, receive, send)

    async def _refusal(self, scope: Scope) -> Response | None:
        """The 401 or 405 page for a request the gate stops; None to let it through."""
        path = route_path(scope)
        logs_in_itself = any(path == p or path.startswith(f"{p}/") for p in self.own_login)
        asks_basic_auth = self.credentials and not (is_open(path) or logs_in_itself)
        if asks_basic_auth and not (self._authorized(scope) or await self._logged_in(scope)):
            return error_response(
                scope,
                401,
                "Cần đăng nhập để xem trang này.",
                headers={"WWW-Authenticate": 'Basic realm="dondoc", charset="UTF-8"'},
            )
        method = scope["method"]
        if logs_in_itself and method not in (*READ_METHODS, FORM_METHOD):
            message = f"Không hỗ trợ phương thức {method}: chỉ GET, HEAD và POST."
            return error_response(scope, 405, message, headers={"Allow": "GET, HEAD, POST"})
        if not logs_in_itself and method not in READ_METHODS:
            message = f"Không hỗ trợ phương thức {method}: trang chỉ để xem (GET, HEAD)."
            return error_response(scope, 405, message, headers={"Allow": "GET, HEAD"})
        return None

    async def _logged_in(self, scope: Scope) -> bool:
        return self.signed_in is not None and await self.signed_in(scope)

    def _authorized(self, scope: Scope) -> bool:
        assert self.credentials is not None
        given = basic_credentials(dict(scope["headers"]).get(b"authorization", b""))
        if given is None:
            return False
        user_ok = hmac.compare_digest(given[0], self.credentials[0])
        password_ok = hmac.compare_digest(given[1], self.credentials[1])
        return user_ok and password_ok


def route_path(scope: Scope) -> str:
    """The path the app routes on: below a proxy's prefix (root_path), without it."""
    path, root = scope["path"], scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


def is_open(path: str) -> bool:
    """The health probe, and the units' personal pages: their signed token is their login
    (units have no password to the board)."""
    return path == HEALTH_PATH or path.startswith(PERSONAL_PREFIX)


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


def credentials_of(settings: WebSettings) -> tuple[bytes, bytes] | None:
    """The configured user and password, or None for no auth; one without the other is refused."""
    user, password = settings.user, settings.password.get_secret_value()
    if not user and not password:
        return None
    if not user or not password:
        raise InvalidInputError(
            "đặt cả DONDOC_WEB_USER lẫn DONDOC_WEB_PASSWORD (hoặc bỏ cả hai, để không cần "
            "đăng nhập)"
        )
    return user.encode(), password.encode()
