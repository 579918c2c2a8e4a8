"""What a unit does from its page (`/n/<token>/…`): say it has taken in its task, ask for more
time, send its work with files and figures, download back what it sent.

The link token is the unit's login and the CSRF binding (flows/web/csrf.py): every POST is
checked against the token of its own address before anything is read or written. The domain
records (models/unit_actions.py); then the page is shown again by a redirect (POST-redirect-
GET) saying what was done, or shown at once with the domain's message when it refused."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from anyio import from_thread
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from flows.runtime import Runtime
from flows.web.console_actions import figures_of
from flows.web.csrf import CSRF_FIELD, CsrfRefused, checked_form, csrf_valid, refused_response
from flows.web.error_pages import SECURITY_HEADERS, error_response
from flows.web.forms import FormRefused
from flows.web.personal import PRIVATE_HEADERS, STATUS_OF, Opened, PersonalPages
from flows.web.uploads import (
    BadForm,
    BodyTooLarge,
    TokenRefused,
    UploadForm,
    check_declared,
    read_upload_form,
)
from models.errors import InputError, InvalidInputError
from models.files.content_store import blob_path
from models.storage.uploads import files_of
from models.unit_actions import Submitted, acknowledge, request_extension, submit_with_files
from models.uploads.names import content_disposition
from models.uploads.stored import AttachedFile, is_sha256
from notifications.dispatch import enqueue_receipt
from notifications.links import LINK_PATH, LinkRefused

SENDER_FIELD = "nguoi_gui"
NOTE_FIELD = "ghi_chu"
UNTIL_FIELD = "han_de_nghi"  # the day the unit proposes, dd/mm/yyyy
REASON_FIELD = "ly_do"
MAX_SENDER = 200
NOT_THIS_ASSIGNMENT = (
    "Tệp này không thuộc nhiệm vụ của liên kết: chỉ tải được các tệp đơn vị đã gửi cho nhiệm "
    "vụ này."
)
FILE_GONE = "Tệp không còn trong kho tệp của Văn phòng. Xin liên hệ Văn phòng."
# A file is only ever downloaded: never rendered, sniffed or run in the page's origin.
FILE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
}


class UnitActions:
    """The unit's writes and file reads, at the pages' clock (blocking: a worker thread)."""

    def __init__(self, runtime: Runtime, pages: PersonalPages):
        self.runtime = runtime
        self.pages = pages

    @property
    def tolerance(self) -> timedelta:
        return self.runtime.settings.recording.future_tolerance

    def acknowledge(self, opened: Opened) -> str:
        plan, ref = opened.snapshot.plan.code, opened.ref
        with self.runtime.session() as session:
            done = acknowledge(session, plan, ref.deliverable, ref.unit, opened.now, self.tolerance)
        return done.message

    def request_extension(self, opened: Opened, form: Mapping[str, str]) -> str:
        """The unit's request for more time, as typed; the domain's words."""
        plan, ref = opened.snapshot.plan.code, opened.ref
        until, reason = form.get(UNTIL_FIELD, ""), form.get(REASON_FIELD, "")
        with self.runtime.session() as session:
            done = request_extension(
                session, plan, ref.deliverable, ref.unit, until, reason, opened.now,
                self.tolerance,
            )  # fmt: skip
        return done.message

    def submit(self, opened: Opened, form: UploadForm) -> Submitted:
        """The arrival with its files and figures, in one transaction; then its receipt,
        listing the files, in the outbox (once: its key is the arrival's)."""
        sender = " ".join(form.fields.get(SENDER_FIELD, "").split())
        if not sender:
            raise InvalidInputError("xin ghi tên người gửi (họ tên, chức vụ)")
        if len(sender) > MAX_SENDER:
            raise InvalidInputError(f"tên người gửi dài quá {MAX_SENDER} ký tự")
        figures = figures_of(form.fields)
        typed_note = form.fields.get(NOTE_FIELD, "").strip()
        note = f"Người gửi: {sender}." + (f" {typed_note}" if typed_note else "")
        plan, ref, now = opened.snapshot.plan.code, opened.ref, opened.now
        with self.runtime.session() as session:
            submitted = submit_with_files(
                session, plan, ref.deliverable, ref.unit, form.uploads, now,
                files_dir=self.runtime.files_dir(), limits=self.runtime.upload_limits(),
                figures=figures, note=note, future_tolerance=self.tolerance,
            )  # fmt: skip
        self._receipt(opened, submitted.files)
        return submitted

    def _receipt(self, opened: Opened, files: tuple[AttachedFile, ...]) -> None:
        with self.runtime.session() as session:
            enqueue_receipt(
                session, opened.snapshot.plan.code, opened.ref, opened.now, files,
                mail_from=self.runtime.settings.mail.sender,
                links=self.runtime.personal_links(),
            )  # fmt: skip

    def attached(self, opened: Opened, sha256: str) -> AttachedFile | None:
        """The file of content `sha256` among the assignment's arrivals; None if not one."""
        if not is_sha256(sha256):
            return None
        with self.runtime.session() as session:
            found = files_of(session, opened.arrival_ids())
        return next((f for files in found.values() for f in files if f.sha256 == sha256), None)


def actions_of(request: Request) -> UnitActions:
    actions: UnitActions = request.app.state.unit_actions
    return actions


async def opened_or_refusal(request: Request) -> Opened | Response:
    try:
        return await run_in_threadpool(
            actions_of(request).pages.opened, request.path_params["token"]
        )
    except LinkRefused as refused:
        status = STATUS_OF.get(type(refused), 403)
        return error_response(request.scope, status, str(refused), headers=PRIVATE_HEADERS)


def back_to_page(request: Request, opened: Opened, done: str) -> Response:
    """303 See Other to the unit's page, which then says what was done."""
    root = request.scope.get("root_path", "")
    url = f"{root}/{LINK_PATH}/{opened.token}?xong={done}"
    return RedirectResponse(url, status_code=303, headers=PRIVATE_HEADERS)


async def page_with_error(
    request: Request, opened: Opened, error: str, typed: Mapping[str, str] | None = None
) -> Response:
    """The page again, at once, with why nothing was recorded (and what was typed)."""
    pages = actions_of(request).pages
    html = await run_in_threadpool(pages.page, opened.token, "", error, typed)
    return HTMLResponse(html, 400, headers={**SECURITY_HEADERS, **PRIVATE_HEADERS})


def refusal(request: Request, status: int, message: str) -> Response:
    return error_response(request.scope, status, message, headers=PRIVATE_HEADERS)


async def acknowledge_action(request: Request) -> Response:
    """POST /n/<token>/da-nhan: "Đã nhận nhiệm vụ"; a second click records nothing more."""
    opened = await opened_or_refusal(request)
    if isinstance(opened, Response):
        return opened
    try:
        await checked_form(request, opened.secret, opened.token)
    except CsrfRefused:
        return refused_response(request.scope)
    except FormRefused as refused:
        return refusal(request, refused.status, str(refused))
    try:
        await run_in_threadpool(actions_of(request).acknowledge, opened)
    except InputError as error:
        return await page_with_error(request, opened, str(error))
    return back_to_page(request, opened, "da-nhan")


async def extension_request_action(request: Request) -> Response:
    """POST /n/<token>/xin-gia-han: "Xin gia hạn", a day and a reason; the same request twice
    records it once, another while one waits is refused with why (and what was typed)."""
    opened = await opened_or_refusal(request)
    if isinstance(opened, Response):
        return opened
    try:
        form = await checked_form(request, opened.secret, opened.token)
    except CsrfRefused:
        return refused_response(request.scope)
    except FormRefused as refused:
        return refusal(request, refused.status, str(refused))
    try:
        await run_in_threadpool(actions_of(request).request_extension, opened, form)
    except InputError as error:
        typed = {k: v for k, v in form.items() if k in (UNTIL_FIELD, REASON_FIELD)}
        return await page_with_error(request, opened, str(error), typed)
    return back_to_page(request, opened, "da-xin")


async def submit_action(request: Request) -> Response:
    """POST /n/<token>/nop: the unit's work. The body's declared size is checked before a byte
    is read, its streamed size while it is read; files go into the store as they come."""
    opened = await opened_or_refusal(request)
    if isinstance(opened, Response):
        return opened
    actions = actions_of(request)
    limits = actions.runtime.upload_limits()
    try:
        boundary = check_declared(
            request.headers.get("content-type", ""), request.headers.get("content-length"), limits
        )
        form = await run_in_threadpool(
            read_upload_form,
            boundary,
            body_puller(request),
            files_dir=actions.runtime.files_dir(),
            limits=limits,
            token_ok=lambda fields: csrf_valid(opened.secret, opened.token, fields.get(CSRF_FIELD)),
        )
    except TokenRefused:
        return refused_response(request.scope)
    except BodyTooLarge as too_large:
        return refusal(request, 413, str(too_large))
    except BadForm as bad:
        return refusal(request, bad.status, str(bad))
    except InputError as error:  # a file the store refused (format, size, empty)
        return await page_with_error(request, opened, str(error))
    try:
        await run_in_threadpool(actions.submit, opened, form)
    except InputError as error:
        typed = {k: v for k, v in form.fields.items() if k != CSRF_FIELD}
        return await page_with_error(request, opened, str(error), typed)
    return back_to_page(request, opened, "da-nop")


def body_puller(request: Request):  # type: ignore[no-untyped-def]  # returns a plain callable
    """A blocking `pull()` for a worker thread: the next chunk of the body, b"" at its end."""
    chunks = request.stream().__aiter__()

    async def next_chunk() -> bytes:
        try:
            return await chunks.__anext__()
        except StopAsyncIteration:
            return b""

    return lambda: from_thread.run(next_chunk)


async def file_download(request: Request) -> Response:
    """GET /n/<token>/tep/<sha256>: a file this assignment's unit sent, as a download."""
    opened = await opened_or_refusal(request)
    if isinstance(opened, Response):
        return opened
    actions = actions_of(request)
    sha256 = request.path_params["sha256"]
    attached = await run_in_threadpool(actions.attached, opened, sha256)
    if attached is None:
        return refusal(request, 403, NOT_THIS_ASSIGNMENT)
    path = blob_path(actions.runtime.files_dir(), attached.sha256)
    if not path.is_file():
        return refusal(request, 404, FILE_GONE)
    headers = {**FILE_HEADERS, "Content-Disposition": content_disposition(attached.name)}
    return FileResponse(path, media_type=attached.file_type.media_type, headers=headers)


def unit_routes() -> list[Route]:
    """The unit's actions, below its page's address."""
    base = f"/{LINK_PATH}/{{token}}"
    return [
        Route(f"{base}/da-nhan", acknowledge_action, methods=["POST"]),
        Route(f"{base}/xin-gia-han", extension_request_action, methods=["POST"]),
        Route(f"{base}/nop", submit_action, methods=["POST"]),
        Route(f"{base}/tep/{{sha256}}", file_download, methods=["GET", "HEAD"]),
    ]
