"""Pages kept between requests of `dondoc web`, each with the version of the data it shows."""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime

from models.storage.store import PlanVersion

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
class Built:
    version: PlanVersion
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
        version: PlanVersion,
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
