"""The pages of a plan for `dondoc web`: built from the database, kept until the data changes."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from sqlalchemy.exc import SQLAlchemyError

from flows.runtime import Runtime
from flows.web.cache import Page, PageCache, text_page
from flows.web.look_back import check_in_span, moment_text, rounded_down
from flows.web.renders import RenderLimiter
from models.evaluate import evaluate
from models.moments import aware_in, local_text
from models.status_document import status_document
from models.storage.engine import answers
from models.storage.store import (
    PlanVersion,
    Snapshot,
    plan_listings,
    plan_version,
    read_snapshot,
    unknown_plan,
)
from notifications.board import board_view
from notifications.board_html import Live, render_board_html
from notifications.board_pages import MatrixLayout, check_part, matrix_layout, matrix_part
from notifications.board_xlsx import workbook_bytes

log = logging.getLogger("dondoc.web")
REFRESH_SECONDS = 300  # the page showing "now" reloads itself every 5 minutes
LIMITED_FROM = 2_000  # assignments from which a plan's builds wait for a render slot
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PageFormat(StrEnum):
    """The three forms of a plan's page: the board, the status document, the workbook."""

    HTML = "html"
    JSON = "json"
    XLSX = "xlsx"


MEDIA_TYPES = {
    PageFormat.HTML: "text/html; charset=utf-8",
    PageFormat.JSON: "application/json",
    PageFormat.XLSX: XLSX_TYPE,
}


@dataclass(frozen=True)
class Asked:
    """What a request asks for: a plan's page in one form, now or at a moment, a part."""

    code: str
    form: PageFormat
    as_of: datetime | None = None  # naive: plan time; None: now
    part: int = 1  # of a large board's matrix (HTML only)


class Boards:
    """Builds the pages of a plan from the database (blocking: call it on a worker thread)."""

    def __init__(self, runtime: Runtime, clock: Callable[[], datetime]):
        web = runtime.settings.web
        self.runtime = runtime
        self.clock = clock
        self.cache = PageCache(budget_bytes=web.cache_mb * 2**20)
        self.renders = RenderLimiter(web.renders, web.render_queue, web.render_wait_seconds)
        self.step = timedelta(minutes=web.as_of_step_minutes)
        self.matrix_cells = web.matrix_cells
        # The last snapshot read of each plan: a new minute or another moment of the same data
        # needs no new read (0.3 s for a 10k-assignment plan); one read at a time per plan.
        self._snapshots: dict[str, tuple[PlanVersion, Snapshot]] = {}
        self._snapshots_guard = threading.Lock()
        self._reads: dict[str, threading.Lock] = {}

    def page(self, asked: Asked) -> Page:
        """The page asked for, rebuilt only when the data changed. A look-back is rounded down
        to the step; a moment outside the plan's span or a part that does not exist raises
        InvalidInputError, an unknown plan NotFoundError (with the loaded plans it may have
        meant), and Busy when too many large pages are being built."""
        code, form = asked.code, asked.form
        part = asked.part if form is PageFormat.HTML else 1
        # A short session: a build (seconds for a large plan) or a wait for one holds none, so
        # readers waiting for a build cannot take every connection of the pool.
        with self.runtime.session() as session:
            version = plan_version(session, code)
            if version is None:
                raise unknown_plan(session, code)
        minute: datetime | None = None
        if asked.as_of is None:
            moment = self.clock()
            # "Now" pages show minutes; a new arrival changes the version, not the minute.
            minute = moment.replace(second=0, microsecond=0)
            key: Hashable = (code, form, "now", part)
        else:
            tz = ZoneInfo(version.timezone)
            moment = rounded_down(aware_in(asked.as_of, tz), tz, self.step)
            key = (code, form, moment, part)
        return self.cache.get(
            key, version, lambda: self._build(version, replace(asked, part=part), moment), minute
        )

    def _build(self, version: PlanVersion, asked: Asked, moment: datetime) -> Page:
        """Check what is asked against the plan, then build it (a large plan's within the
        render limit)."""
        snapshot = self._snapshot(asked.code, version)
        plan = snapshot.plan
        if asked.as_of is not None:
            check_in_span(plan, moment, self.clock())
        layout = None
        if asked.form is PageFormat.HTML:
            layout = matrix_layout(plan, self.matrix_cells)
            check_part(layout, asked.part)

        def build() -> Page:
            return self._render(snapshot, asked, moment, layout)

        if len(plan.assignments) < LIMITED_FROM:
            return build()
        return self.renders.run(build)

    def current_snapshot(self, code: str) -> Snapshot:
        """The plan's data now, from the snapshot kept for its current version when there is
        one (a unit's page and the board share it); NotFoundError for an unknown plan."""
        with self.runtime.session() as session:
            version = plan_version(session, code)
            if version is None:
                raise unknown_plan(session, code)
        return self._snapshot(code, version)

    def _snapshot(self, code: str, version: PlanVersion) -> Snapshot:
        """The plan and its submissions as of `version` (or a little later: read after it)."""
        with self._snapshots_guard:
            read = self._reads.setdefault(code, threading.Lock())
        with read:
            with self._snapshots_guard:
                known = self._snapshots.get(code)
            if known is not None and known[0] == version:
                return known[1]
            with self.runtime.session() as session:
                snapshot = read_snapshot(session, code)
            with self._snapshots_guard:
                self._snapshots[code] = (version, snapshot)
            return snapshot

    def _render(
        self, snapshot: Snapshot, asked: Asked, moment: datetime, layout: MatrixLayout | None
    ) -> Page:
        plan = snapshot.plan
        code = plan.code
        statuses = evaluate(plan, snapshot.submissions, moment)
        if asked.form is PageFormat.JSON:
            document = status_document(plan, statuses, moment)
            return text_page(json.dumps(document, ensure_ascii=False), MEDIA_TYPES[asked.form])
        if asked.form is PageFormat.XLSX:
            view = board_view(plan, statuses, moment)
            stamp = moment.astimezone(plan.tz).strftime("%Y-%m-%d-%H%M")
            return Page(workbook_bytes(view), XLSX_TYPE, f"{code}-{stamp}.xlsx")
        matrix = None
        if layout is not None and layout.parts > 1:
            matrix = matrix_part(layout, statuses, asked.part)
        view = board_view(plan, statuses, moment, matrix.shown if matrix else None)
        shown = "" if asked.as_of is None else moment_text(moment, plan.tz)
        live = live_links(code, shown, self.step)
        return text_page(render_board_html(view, live, matrix), MEDIA_TYPES[asked.form])

    def plans(self) -> list[dict[str, str]]:
        """Every loaded plan for the index: code, title, when it was loaded (plan time)."""
        with self.runtime.session() as session:
            listings = plan_listings(session)
        return [
            {
                "code": plan.code,
                "title": plan.title,
                "loaded_at": local_text(plan.loaded_at, ZoneInfo(plan.timezone)),
                "url": f"plans/{quote(plan.code)}",
            }
            for plan in listings
        ]

    def loaded(self) -> list[str]:
        """The codes of every loaded plan (for a 404 page)."""
        with self.runtime.session() as session:
            return [plan.code for plan in plan_listings(session)]

    def healthy(self) -> bool:
        """Whether the database answers now (it may have come back since the last request)."""
        try:
            healthy = answers(self.runtime.engine())
        except SQLAlchemyError:  # no engine yet: the schema check could not reach the database
            healthy = False
        if not healthy:
            log.error("the database does not answer")
        return healthy


def live_links(code: str, as_of: str, step: timedelta) -> Live:
    """Links relative to /plans/<code>, so the site also works below a proxy's prefix."""
    board = f"./{quote(code)}"
    query = f"?{urlencode({'as_of': as_of})}" if as_of else ""
    minutes = int(step.total_seconds() // 60)
    return Live(
        board_url=board,
        json_url=f"{board}.json{query}",
        xlsx_url=f"{board}.xlsx{query}",
        index_url="../",
        as_of=as_of,
        refresh_seconds=None if as_of else REFRESH_SECONDS,
        as_of_note=f"thời điểm xem lại được làm tròn xuống mốc {minutes} phút" if as_of else "",
        part_url=f"{board}{query}{'&' if query else '?'}page=",
    )
