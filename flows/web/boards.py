"""The pages of a plan for `dondoc web`: built from the database, kept until the data changes."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Hashable
from datetime import datetime
from enum import StrEnum
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from flows.runtime import Runtime
from flows.web.cache import Page, PageCache, text_page
from models.errors import InvalidInputError
from models.evaluate import evaluate
from models.moments import aware_in, local_text, parse_moment
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
from notifications.board_xlsx import workbook_bytes

log = logging.getLogger("dondoc.web")
REFRESH_SECONDS = 300  # the page showing "now" reloads itself every 5 minutes
YEARS = (1900, 2999)  # an ?as_of= outside these is a typo
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


class Boards:
    """Builds the pages of a plan from the database (blocking: call it on a worker thread)."""

    def __init__(self, runtime: Runtime, clock: Callable[[], datetime]):
        self.runtime = runtime
        self.clock = clock
        self.cache = PageCache()
        # The last snapshot read of each plan: a new minute or another moment of the same data
        # needs no new read (0.3 s for a 10k-assignment plan).
        self._snapshots: dict[str, tuple[PlanVersion, Snapshot]] = {}
        self._snapshots_guard = threading.Lock()

    def page(self, code: str, form: PageFormat, asked: datetime | None) -> Page:
        """The page at `asked` (naive: plan time), or now; rebuilt only when the data changed.
        An unknown plan raises NotFoundError (with the loaded plans it may have meant)."""
        with self.runtime.session() as session:
            version = plan_version(session, code)
            if version is None:
                raise unknown_plan(session, code)
            minute: datetime | None = None
            if asked is None:
                moment = self.clock()
                # "Now" pages show minutes; a new arrival changes the version, not the minute.
                minute = moment.replace(second=0, microsecond=0)
                key: Hashable = (code, form, "now")
            else:
                moment = aware_in(asked, ZoneInfo(version.timezone))
                key = (code, form, moment)
            return self.cache.get(
                key,
                version,
                lambda: self._build(self._snapshot(session, code, version), form, moment, asked),
                minute,
            )

    def _snapshot(self, session: Session, code: str, version: PlanVersion) -> Snapshot:
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
        self, snapshot: Snapshot, form: PageFormat, moment: datetime, asked: datetime | None
    ) -> Page:
        plan = snapshot.plan
        code = plan.code
        statuses = evaluate(plan, snapshot.submissions, moment)
        if form is PageFormat.JSON:
            document = status_document(plan, statuses, moment)
            return text_page(json.dumps(document, ensure_ascii=False), MEDIA_TYPES[form])
        view = board_view(plan, statuses, moment)
        if form is PageFormat.XLSX:
            stamp = moment.astimezone(plan.tz).strftime("%Y-%m-%d-%H%M")
            return Page(workbook_bytes(view), XLSX_TYPE, f"{code}-{stamp}.xlsx")
        shown = "" if asked is None else moment_text(moment, plan.tz)
        return text_page(render_board_html(view, live_links(code, shown)), MEDIA_TYPES[form])

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
