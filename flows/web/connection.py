"""The connections of `dondoc web`: uvicorn's h11 protocol with the deadlines uvicorn lacks.

uvicorn closes an idle kept-alive connection (timeout_keep_alive), but each byte received
cancels that timer, and nothing bounds how long a request may take to arrive: a client that
sends half a request line, or one byte a second, holds its connection (and a file descriptor)
for ever. Nor does anything drop a client that stops reading an answer. Here a request must
arrive whole within `request_timeout` of the connection's opening, or of the first byte of the
next request on a kept-alive one (then 408, closed), and a client whose socket has not taken
any of the answer for `write_timeout` is dropped."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol, RequestResponseCycle

from flows.settings import WebSettings

log = logging.getLogger("dondoc.web")
REQUEST_TIMEOUT_ANSWER = (
    b"HTTP/1.1 408 Request Timeout\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Connection: close\r\n"
    b"Content-Length: %d\r\n\r\n%s"
)
REQUEST_TIMEOUT_TEXT = "Yêu cầu gửi đến quá chậm: máy chủ đã đóng kết nối.\n".encode()


class GuardedH11Protocol(H11Protocol):
    """H11Protocol with a deadline for receiving each request and one for a stalled write."""

    request_timeout: float = 5.0
    write_timeout: float = 30.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._request_deadline: asyncio.TimerHandle | None = None
        self._write_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_request_deadline()

    def data_received(self, data: bytes) -> None:
        if self._request_deadline is None and self.conn.their_state is h11.IDLE:
            self._arm_request_deadline()  # the first bytes of the next request
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE and self.conn.their_state is not h11.SEND_BODY:
            self._cancel_request_deadline()  # received whole (or the connection is done)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        pending, _ = self.conn.trailing_data
        if self._request_deadline is None and self.conn.their_state is h11.IDLE and pending:
            self._arm_request_deadline()  # part of a pipelined next request came with this one

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_request_deadline()
        self._cancel_write_deadline()
        super().connection_lost(exc)

    def pause_writing(self) -> None:
        super().pause_writing()
        if self._write_deadline is None:
            self._write_deadline = self.loop.call_later(self.write_timeout, self._write_stalled)

    def resume_writing(self) -> None:
        super().resume_writing()
        self._cancel_write_deadline()

    def _arm_request_deadline(self) -> None:
        self._cancel_request_deadline()
        self._request_deadline = self.loop.call_later(self.request_timeout, self._request_late)

    def _cancel_request_deadline(self) -> None:
        if self._request_deadline is not None:
            self._request_deadline.cancel()
            self._request_deadline = None

    def _cancel_write_deadline(self) -> None:
        if self._write_deadline is not None:
            self._write_deadline.cancel()
            self._write_deadline = None

    def _request_late(self) -> None:
        """The request did not arrive whole in time: say so, if no answer has begun, and close."""
        self._request_deadline = None
        if self.transport.is_closing():
            return
        log.debug("closing a connection whose request took over %s s", self.request_timeout)
        cycle: RequestResponseCycle | None = self.cycle  # None before the first request
        if cycle is None or cycle.response_complete or not cycle.response_started:
            body = REQUEST_TIMEOUT_TEXT
            self.transport.write(REQUEST_TIMEOUT_ANSWER % (len(body), body))
        self.transport.close()

    def _write_stalled(self) -> None:
        """The client has taken nothing of the answer for write_timeout: drop it, unsent."""
        self._write_deadline = None
        log.debug("dropping a client that read nothing for %s s", self.write_timeout)
        self.transport.abort()


def guarded_protocol(request_timeout: float, write_timeout: float) -> type[GuardedH11Protocol]:
    """GuardedH11Protocol with these deadlines (uvicorn builds one protocol per connection)."""
    deadlines = {"request_timeout": request_timeout, "write_timeout": write_timeout}
    return type("GuardedH11Protocol", (GuardedH11Protocol,), deadlines)


def server_options(settings: WebSettings) -> dict[str, Any]:
    """uvicorn's options for `dondoc web` (besides host and port), from DONDOC_WEB_*."""
    return {
        "http": guarded_protocol(settings.request_timeout_seconds, settings.write_timeout_seconds),
        "timeout_keep_alive": settings.keep_alive_seconds,
        "limit_concurrency": settings.max_connections,
        "h11_max_incomplete_event_size": settings.max_header_bytes,
        "log_level": "info",
        "server_header": False,
    }
