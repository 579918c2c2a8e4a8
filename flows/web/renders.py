"""How many expensive pages `dondoc web` builds at once, and how many requests may wait for one.

A board of a 100k-assignment plan takes seconds and hundreds of MB to build; ten requests
for ten different moments at once would otherwise build ten at once. A few builds run, a few
requests wait (blocking their worker thread), and the rest are told to come back (503)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
RETRY_AFTER_SECONDS = 10  # what a refused reader is told: about one build of a large board


class Busy(Exception):
    """No build could start: the answer is 503 with Retry-After."""

    def __init__(self, waiting: bool):
        super().__init__("waited too long for a build" if waiting else "too many builds waiting")
        self.waiting = waiting  # True: waited its whole turn; False: refused at once
        self.retry_after = RETRY_AFTER_SECONDS


class RenderLimiter:
    """At most `running` builds at once and `waiting` requests waiting for one, each for at
    most `wait_seconds`; beyond that `Busy`. Blocking: call it on a worker thread."""

    def __init__(self, running: int, waiting: int, wait_seconds: float):
        self._running = threading.BoundedSemaphore(running)
        self._admitted = threading.BoundedSemaphore(running + waiting)
        self._wait_seconds = wait_seconds

    def run(self, build: Callable[[], T]) -> T:
        """`build()` once a slot is free, or Busy."""
        if not self._admitted.acquire(blocking=False):
            raise Busy(waiting=False)
        try:
            if not self._running.acquire(timeout=self._wait_seconds):
                raise Busy(waiting=True)
            try:
                return build()
            finally:
                self._running.release()
        finally:
            self._admitted.release()
