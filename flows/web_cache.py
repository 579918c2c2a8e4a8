"""Pages kept between requests of `dondoc web`, and the one cheap query that says they are stale."""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from models.tables import PlanRow, SubmissionRow

CACHED_PAGES = 16  # built pages kept (a 10k-assignment board is ~3 MB)
BUILD_LOCKS = 32  # one build at a time per page; pages share these locks by hash
GZIP_LEVEL = 6  # 14 ms for a 3 MB board; level 9 saves 15 % more for 3× the time


@dataclass(frozen=True)
class Page:
    body: bytes
    media_type: str
    filename: str = ""  # for a download
    gzipped: bytes | None = None  # compressed once when built: a 10k board is 3 MB, 0.12 MB so


def text_page(body: str, media_type: str) -> Page:
    encoded = body.encode()
    return Page(encoded, media_type, gzipped=gzip.compress(encoded, compresslevel=GZIP_LEVEL))


@dataclass(frozen=True)
class Version:
    """What a page was built from: the plan as loaded and its (append-only) submissions.

    The count catches a row whose id was taken before, but committed after, a larger one."""

    plan_id: int
    timezone: str
    loaded_at: datetime
    spec_digest: str
    submissions: int
    last_submission: int | None


def read_version(session: Session, code: str) -> Version | None:
    """One cheap query (two index-only counts): has anything the page of `code` shows changed?"""
    mine = SubmissionRow.plan_id == PlanRow.id
    statement = select(
        PlanRow.id,
        PlanRow.timezone,
        PlanRow.loaded_at,
        PlanRow.spec_digest,
        select(func.count()).select_from(SubmissionRow).where(mine).scalar_subquery(),
        select(func.max(SubmissionRow.id)).where(mine).scalar_subquery(),
    ).where(PlanRow.code == code)
    row = session.exec(statement).first()
    return Version(*row) if row else None


@dataclass(frozen=True)
class Built:
    version: Version
    minute: datetime | None  # for a "now" page, the minute it shows
    page: Page


class PageCache:
    """Recently built pages, each with the version of the data it shows. A page is built once
    at a time: concurrent requests for it wait for that build instead of repeating it, except
    when only the clock moved on (same data, a new minute): they get the last minute's page
    meanwhile, so a 1 s rebuild of a large board does not stall every reader once a minute."""

    def __init__(self, size: int = CACHED_PAGES):
        self._size = size
        self._built: OrderedDict[Hashable, Built] = OrderedDict()
        self._guard = threading.Lock()
        self._builds = [threading.Lock() for _ in range(BUILD_LOCKS)]

    def get(
        self,
        key: Hashable,
        version: Version,
        build: Callable[[], Page],
        minute: datetime | None = None,
    ) -> Page:
        """The page for `key` built from `version` (and showing `minute`), building it if none."""
        found = self._find(key)
        if found and found.version == version and found.minute == minute:
            return found.page
        lock = self._builds[hash(key) % BUILD_LOCKS]
        if found and found.version == version:
            if not lock.acquire(blocking=False):
                return found.page  # only time moved on, and the new minute is being built
        else:
            lock.acquire()
        try:
            found = self._find(key)
            if found and found.version == version and found.minute == minute:
                return found.page
            page = build()
            self._store(key, Built(version, minute, page))
            return page
        finally:
            lock.release()

    def _find(self, key: Hashable) -> Built | None:
        with self._guard:
            found = self._built.get(key)
            if found is not None:
                self._built.move_to_end(key)
            return found

    def _store(self, key: Hashable, built: Built) -> None:
        with self._guard:
            self._built[key] = built
            self._built.move_to_end(key)
            while len(self._built) > self._size:
                self._built.popitem(last=False)
