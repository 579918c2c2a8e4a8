"""Protection against cross-site request forgery, for every POST of `dondoc web`.

Each form carries a token in a hidden field (`CSRF_FIELD`); a POST is carried out only when
that token is the one bound to what the request already proves, compared in constant time.
The token is HMAC-SHA256 of a binding under the site secret (the key of the personal links),
so nothing is stored for it, and it is the same in every process that shares the secret:

- **a page behind a login** (the console): the binding is the session's nonce, a random value
  kept in the signed session cookie (flows/web/sessions.py) and replaced at every login and
  logout. That is a synchronizer token: another site can make a browser send the cookie, but
  cannot read the page, so it cannot know the token.
- **a page without a login** (a unit's page, `/n/<token>`): the binding is the signed link
  token of the page's own address. Its form carries `csrf_token(secret, link_token)`, and the
  handler of `POST /n/<token>/…` calls `checked_form(request, secret, link_token)` with the
  token taken from its own path. A link token is not sent by the browser on its own (it is in
  the address, not a cookie), so this mostly keeps one rule for the whole app: a form that
  was not made by the page it posts to is refused.

A handler checks the token before anything else and answers `refused_response` (a
Vietnamese 403) on `CsrfRefused`: nothing is read from the form, nothing is written."""

from __future__ import annotations

import base64
import hashlib
import hmac

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope

from flows.web.error_pages import error_response
from flows.web.forms import read_form

CSRF_FIELD = "csrf"
SALT = b"dondoc.csrf.v1"  # a token of this app, never valid as anything else signed with the key
REFUSED = (
    "Biểu mẫu không hợp lệ hoặc đã cũ (thiếu mã xác nhận của trang): thao tác chưa được thực "
    "hiện, không có gì được ghi."
)
REFUSED_HINT = "Xin mở lại trang (đăng nhập lại nếu cần) rồi làm lại thao tác."


class CsrfRefused(Exception):
    """A POST whose token is missing, forged, or bound to another session or link."""


def csrf_token(secret: str, bound_to: str) -> str:
    """The token the forms of a page bound to `bound_to` carry (a session's nonce, or a link
    token); URL-safe text, 43 characters."""
    mac = hmac.new(secret.encode(), SALT + b"\0" + bound_to.encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode()


def csrf_valid(secret: str | None, bound_to: str, given: str | None) -> bool:
    """Whether `given` is the token bound to `bound_to`, compared in constant time; never with
    no secret, no binding or no token."""
    if not secret or not bound_to or not given:
        return False
    expected = csrf_token(secret, bound_to).encode()
    return hmac.compare_digest(expected, given.encode("utf-8", "replace"))


async def checked_form(request: Request, secret: str | None, bound_to: str) -> dict[str, str]:
    """The fields of an urlencoded form whose token is bound to `bound_to`; CsrfRefused
    otherwise (and FormRefused for a body that is not such a form)."""
    form = await read_form(request)
    if not csrf_valid(secret, bound_to, form.get(CSRF_FIELD)):
        raise CsrfRefused
    return form


def refused_response(scope: Scope) -> Response:
    """403: the POST was not made by one of our pages; said in Vietnamese, nothing done."""
    return error_response(
        scope,
        403,
        REFUSED,
        hint=REFUSED_HINT,
        title="Thao tác bị từ chối",
        headers={"Cache-Control": "no-store"},
    )
