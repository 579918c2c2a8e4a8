"""The render limit: so many builds at once, so many waiting, each for so long; then Busy."""

from __future__ import annotations

import threading
import time

import pytest

from flows.web.renders import Busy, RenderLimiter


def hold(limiter: RenderLimiter, release: threading.Event, results: list[str]) -> threading.Thread:
    """A thread whose build waits for `release`; it appends "built" or "busy"."""

    def run() -> None:
        try:
            results.append(limiter.run(lambda: "built" if release.wait(10) else "timed out"))
        except Busy:
            results.append("busy")

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_beyond_the_running_and_waiting_builds_a_request_is_refused_at_once() -> None:
    limiter = RenderLimiter(running=2, waiting=1, wait_seconds=10)
    release, results = threading.Event(), list[str]()
    threads = [hold(limiter, release, results) for _ in range(3)]
    time.sleep(0.2)  # two building, one waiting
    started = time.monotonic()
    with pytest.raises(Busy) as refused:
        limiter.run(lambda: "never")
    assert time.monotonic() - started < 0.1 and not refused.value.waiting
    assert refused.value.retry_after == 10
    release.set()
    for thread in threads:
        thread.join(10)
    assert results == ["built"] * 3
    assert limiter.run(lambda: "again") == "again"  # every slot given back


def test_a_request_that_waits_its_whole_turn_is_refused() -> None:
    limiter = RenderLimiter(running=1, waiting=1, wait_seconds=0.3)
    release, results = threading.Event(), list[str]()
    building = hold(limiter, release, results)
    time.sleep(0.1)
    started = time.monotonic()
    with pytest.raises(Busy) as refused:
        limiter.run(lambda: "never")
    assert refused.value.waiting and 0.25 < time.monotonic() - started < 2
    release.set()
    building.join(10)


def test_a_failed_build_gives_its_slot_back() -> None:
    limiter = RenderLimiter(running=1, waiting=0, wait_seconds=1)

    def broken() -> str:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        limiter.run(broken)
    assert limiter.run(lambda: "ok") == "ok"
