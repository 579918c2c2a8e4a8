"""A unit's assignment page (`/n/<token>`): opened by the signed personal link of its e-mails,
read-only (mail scanners open links: GET changes nothing), in Vietnamese, no script.

The token is its own login: forged, altered or revoked answers 403, past its time 410, an
assignment no longer in the plan 404; each a Vietnamese page, never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from flows.runtime import Runtime
from flows.web.assignment_view import assignment_view
from flows.web.boards import Boards
from flows.web.error_pages import SECURITY_HEADERS, error_response, render_page
from models.errors import NotFoundError
from models.evaluate import evaluate
from models.plan import AssignmentRef
from notifications.links import ExpiredLink, LinkRefused, UntrustedLink, check_in_time, verify

# A personal page is nobody else's: kept by no cache, listed by no search engine.
PRIVATE_HEADERS = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow"}
NOT_SIGNED = (
    "Liên kết không đúng: hệ thống chưa từng ký liên kết nào. Xin mở lại liên kết trong thư "
    "mới nhất, hoặc liên hệ đơn vị theo dõi."
)


class GoneFromPlan(LinkRefused):
    """A genuine link whose plan, deliverable or unit is no longer in the plan (404)."""


class PersonalPages:
    """Builds a unit's page from the database at the wall clock (blocking: a worker thread)."""

    def __init__(self, runtime: Runtime, boards: Boards, clock: Callable[[], datetime]):
        self.runtime = runtime
        self.boards = boards
        self.clock = clock
        self.valid_days = runtime.settings.web.link_days

    def page(self, token: str) -> str:
        """The page's HTML, or a LinkRefused saying why it does not open."""
        now = self.clock()
        secret = self.runtime.checking_secret()
        if secret is None:
            raise UntrustedLink(NOT_SIGNED)
        claim = verify(secret, token)
        try:
            snapshot = self.boards.current_snapshot(claim.plan)
        except NotFoundError:
            raise GoneFromPlan(f"Kế hoạch '{claim.plan}' không còn trong hệ thống.") from None
        plan = snapshot.plan
        check_in_time(claim, plan, now, self.valid_days)
        ref = AssignmentRef(claim.deliverable, claim.unit)
        if ref not in set(plan.assignments):
            raise GoneFromPlan(
                f"Nhiệm vụ của liên kết này không còn trong Kế hoạch “{plan.title}” (kế hoạch "
                "đã được sửa). Xin liên hệ đơn vị theo dõi kế hoạch."
            )
        statuses = evaluate(plan, snapshot.submissions, now)
        context = assignment_view(plan, statuses, snapshot.submissions, ref, now)
        return render_page("assignment.html.j2", **context)


STATUS_OF: dict[type[LinkRefused], int] = {UntrustedLink: 403, ExpiredLink: 410, GoneFromPlan: 404}


async def assignment_page(request: Request) -> Response:
    pages: PersonalPages = request.app.state.personal
    headers = {**SECURITY_HEADERS, **PRIVATE_HEADERS}
    try:
        html = await run_in_threadpool(pages.page, request.path_params["token"])
    except LinkRefused as refused:
        status = STATUS_OF.get(type(refused), 403)
        return error_response(request.scope, status, str(refused), headers=PRIVATE_HEADERS)
    return HTMLResponse(html, headers=headers)
