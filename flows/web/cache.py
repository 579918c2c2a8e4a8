"""Pages kept between requests of `dondoc web`, each with the version of the data it shows."""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from flows.web.renders import Busy
from models.storage.store import PlanVersion

CACHED_PAGES = 64  # built pages kept at most, whatever their size
CACHE_BYTES = 256 * 2**20  # and at most this many bytes of them (DONDOC_WEB_CACHE_MB)
GZIP_LEVEL = 6  # 14 ms for a 3 MB board; level 9 saves 15 % more for 3× the time


@dataclass(frozen=True)
class Page:
    body: bytes
    media_type: str
    filename: str = ""  # for a download
    gzipped: bytes | None = None  # compressed once when built: a 10k board is 3 MB, 0.12 MB so

    @property
    def size(self) -> int:
        """The bytes it holds in memory."""
        return len(self.body) + len(self.gzipped or b"")


def text_page(body: str, media_type: str) -> Page:
    encoded = body.encode()
    return Page(encoded, media_type, gzipped=gzip.compress(encoded, compresslevel=GZIP_LEVEL))


@dataclass(frozen=True)
class Built:
    version: PlanVersion
    minute: datetime | None  # for a "now" page, the minute it shows
    page: Page


@dataclass
class _BuildLock:
    """The lock of one page's build, and how many requests hold or wait for it."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    users: int = 0


class PageCache:
    """Recently built pages, each with the version of the data it shows, at most `size` pages
    and `budget_bytes` bytes (the least recently asked go first; a page larger than the whole
    budget is served, not kept). A page is built once at a time: concurrent requests for it
    wait for that build instead of repeating it, except when only the clock moved on (same
    data, a new minute): they get the last minute's page meanwhile, so a 1 s rebuild of a
    large board does not stall every reader once a minute, nor does a rebuild refused as Busy
    turn away a reader the last minute's page can serve."""

    def __init__(self, size: int = CACHED_PAGES, budget_bytes: int = CACHE_BYTES):
        self._size = size
        self._budget = budget_bytes
        self._held = 0  # bytes of the pages kept
        self._built: OrderedDict[Hashable, Built] = OrderedDict()
        self._guard = threading.Lock()
        # One lock per page being asked for, dropped when nobody holds or waits for it. Locks
        # shared by hash made a request wait for another page's build (seconds for a large
        # board), and past the render limit that wait was a build instead of a refusal.
        self._builds: dict[Hashable, _BuildLock] = {}

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
        with self._build_lock(key) as lock:
            if found and found.version == version:
                if not lock.acquire(blocking=False):
                    return found.page  # only time moved on, and the new minute is being built
            else:
                lock.acquire()
            try:
                return self._build(key, version, build, minute)
            finally:
                lock.release()

    def _build(
        self,
        key: Hashable,
        version: PlanVersion,
        build: Callable[[], Page],
        minute: datetime | None,
    ) -> Page:
        """Build and keep the page, holding its build lock (unless another build just kept it)."""
        found = self._find(key)
        if found and found.version == version and found.minute == minute:
            return found.page
        try:
            page = build()
        except Busy:
            if found and found.version == version:
                return found.page  # the same data a minute ago beats "come back later"
            raise
        self._store(key, Built(version, minute, page))
        return page

    @contextmanager
    def _build_lock(self, key: Hashable) -> Iterator[threading.Lock]:
        """The build lock of `key`, kept in the table while this request holds or waits for it."""
        with self._guard:
            entry = self._builds.setdefault(key, _BuildLock())
            entry.users += 1
        try:
            yield entry.lock
        finally:
            with self._guard:
                entry.users -= 1
                if entry.users == 0:
                    del self._builds[key]

    @property
    def building(self) -> int:
        """Pages with a build running or awaited now (0 when idle: no lock is left behind)."""
        with self._guard:
            return len(self._builds)

    def _find(self, key: Hashable) -> Built | None:
        with self._guard:
            found = self._built.get(key)
            if found is not None:
                self._built.move_to_end(key)
            return found

    def _store(self, key: Hashable, built: Built) -> None:
        with self._guard:
            replaced = self._built.pop(key, None)
            if replaced is not None:
                self._held -= replaced.page.size
            if built.page.size > self._budget:
                return
            self._built[key] = built
            self._held += built.page.size
            while len(self._built) > self._size or self._held > self._budget:
                _, evicted = self._built.popitem(last=False)
                self._held -= evicted.page.size

    @property
    def held_bytes(self) -> int:
        """The bytes of the pages kept now."""
        with self._guard:
            return self._held
