"""The coordinator console of `dondoc web`: log in and out, and, per plan, the arrivals waiting
for a review decision, the units' requests for more time and the late assignments, with the
coordinators' actions on them.

Its pages have a login of their own (the accounts of `dondoc user`), kept in a signed cookie
(flows/web/sessions.py), and are exempt from the board's basic auth. Every POST checks its
CSRF token (flows/web/csrf.py) before anything else, and records through
`models.recording.record_together`, the path the CLI's commands take; then it redirects
(POST-redirect-GET) to the console, which shows the confirmation once; an answer to a request
for more time, and a return, also put the unit's e-mail in the outbox at once (once: a later
run adds nothing). GET writes nothing.
Coordinators act; leaders read the same pages without the forms; units have no account."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import Scope

from flows.runtime import Runtime
from flows.web.boards import Boards
from flows.web.console_actions import Action, requests_for
from flows.web.console_view import plan_console
from flows.web.csrf import CSRF_FIELD, CsrfRefused, checked_form, csrf_token, refused_response
from flows.web.error_pages import SECURITY_HEADERS, error_response, render_page
from flows.web.forms import FormRefused
from flows.web.sessions import COOKIE, ConsoleSession, SessionCookies, new_session
from models.accounts import HASHER, MAX_FAILURES, Account, LoginResult, Role
from models.errors import InputError
from models.recording import describe, record_together
from models.storage.accounts import active_account, authenticate
from models.storage.store import plan_listings
from models.submissions import Submission
from notifications.dispatch import enqueue_decision_notice

LOGIN_PATH = "/dang-nhap"
LOGOUT_PATH = "/dang-xuat"
CONSOLE_PATH = "/dieu-phoi"
# Below these the pages log people in themselves: no basic auth, and POST allowed (gate.py).
CONSOLE_PATHS = (LOGIN_PATH, LOGOUT_PATH, CONSOLE_PATH)
PRIVATE_HEADERS = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow"}
PLAN_FORM = "ke-hoach"  # `origin` of the form that records any assignment of a plan

ENDED = (
    "Phiên làm việc đã kết thúc (lâu không dùng, mật khẩu vừa đổi hoặc tài khoản đã bị xóa): "
    "xin đăng nhập lại."
)
ENDED_BEFORE_ACTION = (
    "Phiên làm việc đã kết thúc nên thao tác vừa rồi chưa được ghi: xin đăng nhập lại rồi làm lại."
)
LOGGED_OUT = "Đã đăng xuất."
NO_KEY = (
    "Trang đăng nhập chưa dùng được: chưa có khóa ký phiên làm việc. Khởi động lại dondoc web "
    "(lệnh tạo khóa khi khởi động) hoặc đặt DONDOC_WEB_SECRET."
)
LEADERS_READ = (
    "Tài khoản lãnh đạo chỉ được xem: ghi nhận, miễn, gia hạn và duyệt do điều phối viên thực "
    "hiện. Không có gì được ghi."
)


@dataclass(frozen=True)
class Visit:
    """What a request's cookie comes to: the signing key (None: none made yet), a valid
    session (before or after login), the logged-in account as it is now, and whether a login
    it held has ended since (idle too long, password changed, account removed)."""

    key: str | None
    session: ConsoleSession | None = None
    account: Account | None = None
    ended: bool = False


class Console:
    """The console's reads and writes on the database, at the app's clock (blocking: call
    it on a worker thread)."""

    def __init__(self, runtime: Runtime, boards: Boards, clock: Callable[[], datetime]):
        web = runtime.settings.web
        self.runtime = runtime
        self.boards = boards
        self.clock = clock
        self.hasher = HASHER  # tests swap in a cheaper one
        secure = (web.base_url or "").startswith("https://")
        self.cookies = SessionCookies(timedelta(minutes=web.session_idle_minutes), secure)

    def visit(self, cookie: str | None) -> Visit:
        """Read the session cookie and, once logged in, the account: a removed account or a
        password changed since the login ends the session here, at its next request."""
        key = self.runtime.checking_secret()
        session = self.cookies.read(key, cookie, self.clock())
        if key is None or session is None:
            return Visit(key, ended=bool(cookie))
        if not session.logged_in:
            return Visit(key, session)
        account = self._account(session)
        if account is None:
            return Visit(key, ended=True)
        return Visit(key, session, account)

    def _account(self, session: ConsoleSession) -> Account | None:
        with self.runtime.session() as db:
            try:
                account = active_account(db, session.username)
            except InputError:  # removed, or never there
                return None
        if account.password_changed_at.isoformat() != session.password_changed_at:
            return None
        return account

    def log_in(self, username: str, password: str, remote: str | None) -> LoginResult:
        """One login attempt, kept in the login history whatever its outcome."""
        with self.runtime.session() as db:
            return authenticate(db, username, password, self.clock(), remote, self.hasher)

    def plans(self) -> list[dict[str, Any]]:
        """Every loaded plan's console at the clock, from the snapshots the board keeps."""
        now = self.clock()
        with self.runtime.session() as db:
            codes = [listing.code for listing in plan_listings(db)]
        consoles = []
        for code in codes:
            snapshot = self.boards.current_snapshot(code)
            consoles.append(plan_console(snapshot.plan, snapshot.submissions, now))
        return consoles

    def record(self, action: Action, form: Mapping[str, str], account: Account) -> str:
        """Record what the form asks, as `account`, in one unit of work (all or nothing);
        the confirmation the CLI would print. A person's mistake raises its InputError."""
        now = self.clock()
        requests = requests_for(action, form, account.username, now)
        tolerance = self.runtime.settings.recording.future_tolerance
        with self.runtime.session() as db:
            results = record_together(db, requests, tolerance)
        first = results[0].submission or results[0].already
        if first is not None:
            self._tell_unit(requests[0].plan, first)
        return " ".join(
            describe(result, asked) for result, asked in zip(results, requests, strict=True)
        )

    def _tell_unit(self, plan: str, decided: Submission) -> None:
        """What the unit must hear at once, in the outbox, in its own transaction (once: its
        key is the one a run would give it): the answer to its request for more time, or
        why its arrival was returned, with its link to send again (as `dondoc review` and
        `dondoc extend` do)."""
        with self.runtime.session() as db:
            enqueue_decision_notice(
                db, plan, decided, mail_from=self.runtime.settings.mail.sender,
                links=self.runtime.personal_links(),
            )  # fmt: skip

    def idle_text(self) -> str:
        """ "8 giờ", "90 phút": how long a session lasts unused."""
        minutes = int(self.cookies.idle.total_seconds() // 60)
        return f"{minutes // 60} giờ" if minutes % 60 == 0 else f"{minutes} phút"


def console_of(request: Request) -> Console:
    console: Console = request.app.state.console
    return console


async def visit_of(request: Request) -> Visit:
    return await run_in_threadpool(console_of(request).visit, request.cookies.get(COOKIE))


async def signed_in(scope: Scope) -> bool:
    """Whether a request carries a live console login, of any role (the gate then asks no
    basic auth for the board): the cookie is read and its account checked as on the
    console's own pages, never re-signed, so a board view neither writes nor extends it."""
    cookie = HTTPConnection(scope).cookies.get(COOKIE)
    if not cookie:
        return False
    console: Console = scope["app"].state.console
    visit = await run_in_threadpool(console.visit, cookie)
    return visit.account is not None


def root_of(request: Request) -> str:
    return str(request.scope.get("root_path", ""))


def with_session(
    request: Request, response: Response, key: str | None, session: ConsoleSession | None
) -> Response:
    """`response` carrying `session` in its cookie, re-signed now; without a key, none."""
    console = console_of(request)
    path = root_of(request) or "/"
    if key is None or session is None:
        console.cookies.clear(response, path)
    else:
        console.cookies.write(response, key, session, console.clock(), path)
    return response


def redirect(
    request: Request, path: str, key: str | None, session: ConsoleSession | None
) -> Response:
    """303 See Other to one of our pages (below the proxy's prefix), with the session."""
    response = RedirectResponse(f"{root_of(request)}{path}", status_code=303)
    return with_session(request, response, key, session)


def to_login(request: Request, visit: Visit, note: str = "") -> Response:
    """To the login page, with a fresh session saying why (when there is something to say)."""
    said = note or (ENDED if visit.ended else "")
    return redirect(request, LOGIN_PATH, visit.key, new_session().with_note(said))


def page(request: Request, html: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(html, status, headers={**SECURITY_HEADERS, **PRIVATE_HEADERS})


def form_refused(request: Request, refused: FormRefused) -> Response:
    return error_response(request.scope, refused.status, str(refused), headers=PRIVATE_HEADERS)


# --- logging in and out ---------------------------------------------------------------------


async def login_page(request: Request) -> Response:
    """The login form; someone logged in goes on to the console."""
    visit = await visit_of(request)
    if visit.key is None:
        return error_response(request.scope, 503, NO_KEY, headers=PRIVATE_HEADERS)
    if visit.account is not None:
        return redirect(request, CONSOLE_PATH, visit.key, visit.session)
    session = visit.session or new_session()
    note = session.note or (ENDED if visit.ended else "")
    return login_form(request, visit.key, session, note=note)


def login_form(
    request: Request,
    key: str,
    session: ConsoleSession,
    *,
    note: str = "",
    error: str = "",
    username: str = "",
) -> Response:
    html = render_page(
        "login.html.j2",
        root=root_of(request),
        csrf=csrf_token(key, session.nonce),
        note=note,
        error=error,
        username=username,
        max_failures=MAX_FAILURES,
        idle=console_of(request).idle_text(),
    )
    return with_session(request, page(request, html), key, session.with_note(""))


async def login(request: Request) -> Response:
    """Check the token, then the name and password (the lockout first, every attempt kept
    with the client's address); a success starts a new session, with a new nonce."""
    visit = await visit_of(request)
    try:
        form = await checked_form(request, visit.key, visit.session.nonce if visit.session else "")
    except CsrfRefused:
        return refused_response(request.scope)
    except FormRefused as refused:
        return form_refused(request, refused)
    assert visit.key is not None and visit.session is not None  # a valid token needs both
    remote = request.client.host if request.client else None
    username = form.get("username", "")
    result = await run_in_threadpool(
        console_of(request).log_in, username, form.get("password", ""), remote
    )
    if result.account is None:
        return login_form(
            request, visit.key, visit.session, error=result.message(), username=username.strip()
        )
    account = result.account
    session = new_session(account.username, account.password_changed_at)
    return redirect(request, CONSOLE_PATH, visit.key, session)


async def logout(request: Request) -> Response:
    """End the login in this browser: a new session, not logged in, with a new nonce."""
    visit = await visit_of(request)
    if visit.session is None:
        return to_login(request, visit)
    try:
        await checked_form(request, visit.key, visit.session.nonce)
    except CsrfRefused:
        return refused_response(request.scope)
    except FormRefused as refused:
        return form_refused(request, refused)
    return to_login(request, visit, LOGGED_OUT)


# --- the console ----------------------------------------------------------------------------


async def console_page(request: Request) -> Response:
    """Every plan's arrivals to review and late assignments; the note of the last action."""
    visit = await visit_of(request)
    if visit.account is None or visit.session is None:
        return to_login(request, visit)
    plans = await run_in_threadpool(console_of(request).plans)
    return console_response(request, visit, plans, note=visit.session.note)


def console_response(
    request: Request,
    visit: Visit,
    plans: list[dict[str, Any]],
    *,
    note: str = "",
    failed: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    """The console page for the visit's account (forms for coordinators only); `failed`: the
    form to show again, opened, with what was typed and why it was not recorded."""
    assert visit.key is not None and visit.session is not None and visit.account is not None
    account = visit.account
    html = render_page(
        "console.html.j2",
        root=root_of(request),
        csrf=csrf_token(visit.key, visit.session.nonce),
        user={
            "username": account.username,
            "full_name": account.full_name,
            "role_label": account.role.label,
        },
        can_act=account.role is Role.COORDINATOR,
        plans=plans,
        note=note,
        failed=failed or {"key": "", "action": "", "values": {}, "message": ""},
    )
    response = page(request, html, status)
    return with_session(request, response, visit.key, visit.session.with_note(""))


async def console_action(request: Request) -> Response:
    """One coordinator's action: logged in, then the token, then the role; recorded through
    the domain, then back to the console with the confirmation, or the form shown again
    with the domain's message."""
    try:
        action = Action(request.path_params["action"])
    except ValueError:
        message = f"Không có thao tác {request.url.path}."
        return error_response(request.scope, 404, message, headers=PRIVATE_HEADERS)
    visit = await visit_of(request)
    if visit.account is None or visit.session is None:
        return to_login(request, visit, ENDED_BEFORE_ACTION)
    try:
        form = await checked_form(request, visit.key, visit.session.nonce)
    except CsrfRefused:
        return refused_response(request.scope)
    except FormRefused as refused:
        return form_refused(request, refused)
    if visit.account.role is not Role.COORDINATOR:
        title = "Chỉ điều phối viên được ghi"
        return error_response(
            request.scope, 403, LEADERS_READ, title=title, headers=PRIVATE_HEADERS
        )
    console = console_of(request)
    try:
        told = await run_in_threadpool(console.record, action, form, visit.account)
    except InputError as error:
        plans = await run_in_threadpool(console.plans)
        failed = failed_form(action, form, str(error))
        return console_response(request, visit, plans, failed=failed, status=400)
    return redirect(request, CONSOLE_PATH, visit.key, visit.session.with_note(told))


def failed_form(action: Action, form: Mapping[str, str], message: str) -> dict[str, Any]:
    """Which form to show again (a row's, by its assignment, or the plan's own), what was
    typed in it, and the domain's one-line message."""
    plan = form.get("plan", "")
    if form.get("origin") == PLAN_FORM:
        key = f"{plan}/*"
    else:
        key = f"{plan}/{form.get('deliverable', '')}/{form.get('unit', '')}"
    values = {name: value for name, value in form.items() if name != CSRF_FIELD}
    return {"key": key, "action": action.value, "values": values, "message": message}


def console_routes() -> list[Route]:
    """The console's routes, for the app to mount."""
    return [
        Route(LOGIN_PATH, login_page, methods=["GET"]),
        Route(LOGIN_PATH, login, methods=["POST"]),
        Route(LOGOUT_PATH, logout, methods=["POST"]),
        Route(CONSOLE_PATH, console_page, methods=["GET"]),
        Route(f"{CONSOLE_PATH}/{{action}}", console_action, methods=["POST"]),
    ]
