"""The CSRF check every POST of `dondoc web` goes through: tokens bound to a session's nonce or
to a unit's link token, compared in constant time, and the form read within its limits."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

from flows.web.csrf import CsrfRefused, checked_form, csrf_token, csrf_valid, refused_response
from flows.web.forms import MAX_FORM_BYTES, FormRefused
from notifications.links import sign

SECRET = "s" * 40
SIGNED = datetime(2023, 3, 6, 1, tzinfo=UTC)
LINK = sign(SECRET, "gap-mat-2023", "bc-huyen", "huong-khe", SIGNED)
OTHER_LINK = sign(SECRET, "gap-mat-2023", "bc-huyen", "can-loc", SIGNED)


def test_a_token_is_url_safe_and_the_same_for_the_same_binding() -> None:
    token = csrf_token(SECRET, "nonce-1")
    assert token == csrf_token(SECRET, "nonce-1") and len(token) == 43
    assert token.replace("-", "").replace("_", "").isalnum()


@pytest.mark.parametrize(
    ("secret", "bound_to", "given"),
    [
        (SECRET, "nonce-2", csrf_token(SECRET, "nonce-1")),  # another session's
        ("t" * 40, "nonce-1", csrf_token(SECRET, "nonce-1")),  # another key (rotated)
        (SECRET, "nonce-1", csrf_token(SECRET, "nonce-1")[:-1]),  # cut short
        (SECRET, "nonce-1", ""),
        (SECRET, "nonce-1", None),
        (SECRET, "", csrf_token(SECRET, "")),  # no binding: never
        (None, "nonce-1", csrf_token(SECRET, "nonce-1")),  # no key: never
        (SECRET, "nonce-1", "ạ" * 43),  # not even ASCII: refused, not an exception
    ],
)
def test_a_token_is_refused_unless_bound_to_this_binding_under_this_key(
    secret: str | None, bound_to: str, given: str | None
) -> None:
    assert not csrf_valid(secret, bound_to, given)


def test_a_token_is_accepted_for_its_own_binding() -> None:
    assert csrf_valid(SECRET, "nonce-1", csrf_token(SECRET, "nonce-1"))


def test_a_unit_pages_token_is_bound_to_its_own_link() -> None:
    """The unit page (no login) binds its forms to the link token of its address."""
    token = csrf_token(SECRET, LINK)
    assert csrf_valid(SECRET, LINK, token)
    assert not csrf_valid(SECRET, OTHER_LINK, token)


async def echo(request: Request) -> Response:
    """A POST handler as the unit page's will be: the token bound to the link in its path."""
    try:
        form = await checked_form(request, SECRET, request.path_params["token"])
    except CsrfRefused:
        return refused_response(request.scope)
    except FormRefused as refused:
        return JSONResponse({"refused": str(refused)}, refused.status)
    return JSONResponse(form)


@pytest.fixture
def client() -> TestClient:
    return TestClient(Starlette(routes=[Route("/n/{token}/nop", echo, methods=["POST"])]))


def test_a_form_with_its_links_token_is_read_first_value_first(client: TestClient) -> None:
    body = f"csrf={csrf_token(SECRET, LINK)}&note=b%E1%BA%A3n+gi%E1%BA%A5y&note=again&empty="
    answer = client.post(
        f"/n/{LINK}/nop",
        content=body,
        headers={"content-type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    assert answer.status_code == 200
    assert answer.json() == {"csrf": csrf_token(SECRET, LINK), "note": "bản giấy", "empty": ""}


def test_a_form_with_another_links_token_is_a_vietnamese_403(client: TestClient) -> None:
    answer = client.post(f"/n/{LINK}/nop", data={"csrf": csrf_token(SECRET, OTHER_LINK)})
    assert answer.status_code == 403
    assert "không có gì được ghi" in answer.text and 'lang="vi"' in answer.text


@pytest.mark.parametrize(
    ("content", "content_type", "status"),
    [
        (b'{"csrf": "x"}', "application/json", 415),
        (b"csrf=x", "multipart/form-data; boundary=x", 415),
        (b"a=" + b"x" * MAX_FORM_BYTES, "application/x-www-form-urlencoded", 413),
        (b"note=%FF%FE", "application/x-www-form-urlencoded", 400),
        (b"note=\xff", "application/x-www-form-urlencoded", 400),
    ],
)
def test_a_body_that_is_not_a_small_urlencoded_form_is_refused_before_the_token(
    client: TestClient, content: bytes, content_type: str, status: int
) -> None:
    answer = client.post(f"/n/{LINK}/nop", content=content, headers={"content-type": content_type})
    assert answer.status_code == status
    assert "không có gì được ghi" in answer.json()["refused"]
