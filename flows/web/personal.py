"""A unit's assignment page (`/n/<token>`): opened by the signed personal link of its e-mails,
read-only (mail scanners open links: GET changes nothing), in Vietnamese, no script.

The token is its own login: forged, altered or revoked answers 403, past its time 410, an
assignment no longer in the plan 404; each a Vietnamese page, never a traceback."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from flows.runtime import Runtime
from flows.web.assignment_view import assignment_view
from flows.web.boards import Boards
from flows.web.csrf import csrf_token
from flows.web.error_pages import SECURITY_HEADERS, error_response, render_page
from models.errors import NotFoundError
from models.evaluate import evaluate
from models.plan import AssignmentRef
from models.storage.store import Snapshot
from models.storage.uploads import files_of
from models.submissions import SubmissionKind
from models.uploads.limits import size_text
from notifications.links import ExpiredLink, LinkRefused, UntrustedLink, check_in_time, verify

# A personal page is nobody else's: kept by no cache, listed by no search engine.
PRIVATE_HEADERS = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow"}
NOT_SIGNED = (
    "Liên kết không đúng: hệ thống chưa từng ký liên kết nào. Xin mở lại liên kết trong thư "
    "mới nhất, hoặc liên hệ đơn vị theo dõi."
)

# What the page says after an action redirected back to it (POST-redirect-GET): chosen by a
# fixed word of the address, so a link cannot make the page say anything else.
NOTICES = {
    "da-nhan": "Văn phòng đã ghi nhận: đơn vị đã nhận nhiệm vụ. Nhiệm vụ vẫn cần nộp đúng hạn.",
    "da-nop": (
        "Văn phòng đã nhận bài nộp của đơn vị. Thư xác nhận (kèm danh sách tệp và mã kiểm tra) "
        "sẽ được gửi tới địa chỉ thư của đơn vị."
    ),
    "da-xin": "Đã gửi đề nghị gia hạn tới Văn phòng. Hạn nộp chưa thay đổi cho tới khi được duyệt.",
}


class GoneFromPlan(LinkRefused):
    """A genuine link whose plan, deliverable or unit is no longer in the plan (404)."""


class PersonalPages:
    """Builds a unit's page from the database at the wall clock (blocking: a worker thread)."""

    def __init__(self, runtime: Runtime, boards: Boards, clock: Callable[[], datetime]):
        self.runtime = runtime
        self.boards = boards
        self.clock = clock
        self.valid_days = runtime.settings.web.link_days

    def opened(self, token: str) -> Opened:
        """What the link opens at the wall clock, or a LinkRefused saying why it does not."""
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
        return Opened(token, secret, snapshot, ref, now)

    def page(self, token: str, notice: str = "", error: str = "", typed: Typed = None) -> str:
        """The page's HTML, or a LinkRefused saying why it does not open; `notice`: what the
        last action did, `error`: why it was refused (with what was `typed`, shown again)."""
        opened = self.opened(token)
        plan, submissions = opened.snapshot.plan, opened.snapshot.submissions
        statuses = evaluate(plan, submissions, opened.now)
        with self.runtime.session() as session:
            files = files_of(session, opened.arrival_ids())
        context = assignment_view(plan, statuses, submissions, opened.ref, opened.now, files)
        return render_page(
            "assignment.html.j2",
            **context,
            token=token,
            csrf=csrf_token(opened.secret, token),
            notice=notice,
            error=error,
            typed=typed or {},
            max_file=size_text(self.runtime.upload_limits().max_file_bytes),
            max_total=size_text(self.runtime.upload_limits().max_total_bytes),
        )


Typed = Mapping[str, str] | None


@dataclass(frozen=True)
class Opened:
    """A link that opens: its token, the key it was checked with, the plan as it stands,
    the assignment it names, the wall clock."""

    token: str
    secret: str
    snapshot: Snapshot
    ref: AssignmentRef
    now: datetime

    def arrival_ids(self) -> list[int]:
        """The rows of the assignment's arrivals (the only rows files hang on)."""
        return [
            s.id
            for s in self.snapshot.submissions
            if s.ref == self.ref and s.kind is SubmissionKind.RECEIVED
        ]


STATUS_OF: dict[type[LinkRefused], int] = {UntrustedLink: 403, ExpiredLink: 410, GoneFromPlan: 404}


async def assignment_page(request: Request) -> Response:
    pages: PersonalPages = request.app.state.personal
    headers = {**SECURITY_HEADERS, **PRIVATE_HEADERS}
    notice = NOTICES.get(request.query_params.get("xong", ""), "")
    try:
        html = await run_in_threadpool(pages.page, request.path_params["token"], notice)
    except LinkRefused as refused:
        status = STATUS_OF.get(type(refused), 403)
        return error_response(request.scope, status, str(refused), headers=PRIVATE_HEADERS)
    return HTMLResponse(html, headers=headers)
