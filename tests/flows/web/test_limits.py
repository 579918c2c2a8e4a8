"""`dondoc web` against requests made to cost it: a real `dondoc web` process (uvicorn, as a user
starts it) and raw sockets. Half-sent requests, dribbled headers, huge headers and clients that
stop reading are cut off within seconds while normal requests are answered at once; builds of
large plans beyond the render limit are refused with 503 and Retry-After."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bench.synthetic import store_with_arrivals, synthetic_plan_text
from models.loader import LoadedPlan, read_plan_text
from tests.web_servers import address, dondoc_web, read_until_closed, seed_database

PLAN = "gap-mat-2023"
REQUEST_TIMEOUT = 2.0  # DONDOC_WEB_REQUEST_TIMEOUT_SECONDS in these tests
SLACK = 2.0  # how much later than its deadline a connection may be closed (a loaded machine)
HALF_SENT = 250


@pytest.fixture
def database(tmp_path: Path, seed: LoadedPlan) -> str:
    """A SQLite file with the seed plan."""
    return seed_database(tmp_path, seed)


@pytest.fixture
def web(database: str, tmp_path: Path) -> Iterator[str]:
    """`dondoc web` with short deadlines, so that the tests wait seconds, not minutes."""
    with dondoc_web(
        database,
        tmp_path / "web.log",
        DONDOC_WEB_REQUEST_TIMEOUT_SECONDS=str(REQUEST_TIMEOUT),
        DONDOC_WEB_WRITE_TIMEOUT_SECONDS="1",
        DONDOC_WEB_MAX_HEADER_BYTES="4096",
    ) as base:
        yield base


def half_open(base: str, sent: bytes) -> socket.socket:
    connection = socket.create_connection(address(base))
    connection.sendall(sent)
    return connection


def test_half_sent_requests_are_closed_within_seconds_while_a_normal_get_answers_at_once(
    web: str,
) -> None:
    opened = time.monotonic()
    connections = [half_open(web, b"GET /plans/gap-mat-2023?as_of=10/0") for _ in range(HALF_SENT)]
    started = time.monotonic()
    response = httpx.get(f"{web}/plans/{PLAN}", timeout=10)
    assert response.status_code == 200 and time.monotonic() - started < 1.5
    endings = []
    for connection in connections:
        left = opened + REQUEST_TIMEOUT + SLACK - time.monotonic()
        endings.append(read_until_closed(connection, max(left, 0.01)))
        connection.close()
    assert all(after is not None for _, after in endings), "some stayed open"
    assert time.monotonic() - opened < REQUEST_TIMEOUT + SLACK + 1
    answers = {received.split(b"\r\n", 1)[0] for received, _ in endings}
    assert answers == {b"HTTP/1.1 408 Request Timeout"}
    assert "quá chậm" in endings[0][0].decode()


def test_a_client_dribbling_its_request_is_cut_off_at_the_deadline(web: str) -> None:
    """uvicorn's keep-alive timer restarts at every byte; the request's deadline does not."""
    connection = half_open(web, b"G")
    started = time.monotonic()
    closed = threading.Event()

    def dribble() -> None:
        for byte in b"ET /plans/gap-mat-2023 HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"y" * 100:
            if closed.is_set():
                return
            try:
                connection.send(bytes([byte]))
            except OSError:
                return
            time.sleep(0.1)

    sender = threading.Thread(target=dribble, daemon=True)
    sender.start()
    received, after = read_until_closed(connection, REQUEST_TIMEOUT + SLACK)
    closed.set()
    sender.join(5)
    connection.close()
    assert after is not None, "a dribbling client kept its connection"
    assert REQUEST_TIMEOUT - 0.5 < time.monotonic() - started < REQUEST_TIMEOUT + SLACK
    assert received.startswith(b"HTTP/1.1 408")


@pytest.mark.parametrize("sent", [b"", b"GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /plans/gap"])
def test_a_silent_connection_and_a_half_sent_second_request_are_closed_too(
    web: str, sent: bytes
) -> None:
    connection = half_open(web, sent)
    received, after = read_until_closed(connection, REQUEST_TIMEOUT + SLACK)
    connection.close()
    assert after is not None and after > REQUEST_TIMEOUT - 0.5
    assert received.endswith("máy chủ đã đóng kết nối.\n".encode())
    assert received.startswith(b"HTTP/1.1 200" if sent else b"HTTP/1.1 408")


def test_headers_over_the_limit_are_refused_and_a_smaller_request_is_served(web: str) -> None:
    connection = half_open(web, b"GET / HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"x" * 6000)
    received, after = read_until_closed(connection, SLACK)
    connection.close()
    assert received.startswith(b"HTTP/1.1 400") and after is not None
    assert httpx.get(f"{web}/plans/{PLAN}", headers={"X-Small": "x" * 1000}).status_code == 200


def test_a_client_that_stops_reading_is_dropped(web: str) -> None:
    """400 pipelined requests for the page (unzipped, 30 KB each), nothing read: the server
    stops writing into a full socket after 1 s (DONDOC_WEB_WRITE_TIMEOUT_SECONDS) instead of
    keeping the answers for it."""
    connection = socket.socket()
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    connection.connect(address(web))
    request = f"GET /plans/{PLAN} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: identity\r\n\r\n"
    connection.sendall(request.encode() * 400)
    time.sleep(1 + SLACK)
    received, after = read_until_closed(connection, 10)
    connection.close()
    assert after is not None
    assert received.count(b"HTTP/1.1 200 OK") < 400, "every answer was kept for it"
    assert httpx.get(f"{web}/healthz").status_code == 200


# --- the render limit -----------------------------------------------------------------------


@pytest.fixture
def large(tmp_path: Path) -> str:
    """A SQLite file with a 2,506-assignment synthetic plan (over the size whose builds wait
    for a render slot), half delivered."""
    url = f"sqlite:///{tmp_path / 'large.db'}"
    store_with_arrivals(url, read_plan_text(synthetic_plan_text(5, 25, 20), "synthetic.yaml"))
    return url


def test_look_backs_beyond_the_render_limit_are_503_with_retry_after(
    large: str, tmp_path: Path
) -> None:
    settings = {"DONDOC_WEB_RENDERS": "1", "DONDOC_WEB_RENDER_QUEUE": "0"}
    with dondoc_web(large, tmp_path / "web.log", **settings) as base:
        now = httpx.get(f"{base}/plans/synthetic", timeout=60)
        assert now.status_code == 200
        answers: list[httpx.Response] = []
        moments = [f"{10 + day}/03/2023 09:00" for day in range(8)]

        def ask(moment: str) -> None:
            answers.append(
                httpx.get(f"{base}/plans/synthetic", params={"as_of": moment}, timeout=60)
            )

        askers = [threading.Thread(target=ask, args=(m,)) for m in moments]
        for asker in askers:
            asker.start()
        again = httpx.get(f"{base}/plans/synthetic", timeout=10)  # built: served meanwhile
        for asker in askers:
            asker.join(60)
    statuses = sorted(answer.status_code for answer in answers)
    assert again.status_code == 200
    assert 200 in statuses and 503 in statuses and set(statuses) == {200, 503}
    busy = next(answer for answer in answers if answer.status_code == 503)
    assert busy.headers["retry-after"] == "10"
    assert "Máy chủ đang lập nhiều bảng lớn cùng lúc" in busy.text
    assert "Xin thử lại sau khoảng 10 giây" in busy.text
