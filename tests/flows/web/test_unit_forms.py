"""A unit's actions from its page: "Đã nhận nhiệm vụ", sending its work with files and figures,
downloading back what it sent; each POST bound to the link token, each refusal writing
nothing, a double click recording once."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine
from sqlmodel import select

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

from flows.runtime import Runtime
from flows.settings import UploadSettings, WebSettings
from flows.web import create_app
from models.loader import LoadedPlan, read_plan_text
from models.storage.engine import session_scope
from models.storage.store import save_plan
from models.storage.tables import NotificationRow, SubmissionFileRow, SubmissionRow
from notifications.links import sign
from tests.databases import dump
from tests.html_pages import parse_html, text_content
from tests.models.uploads.samples import HTML, pdf_bytes, png_bytes
from tests.runtimes import runtime_on

pytestmark = pytest.mark.db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
PLAN = "gap-mat-2023"
SECRET = "k" * 40
NOW = datetime(2023, 3, 10, 9, tzinfo=HCM)  # bc-huyen (before 09/03) is overdue
OURS = ("bc-huyen", "huong-khe")
THEIRS = ("bc-huyen", "can-loc")


@pytest.fixture
def stored(engine: Engine, seed: LoadedPlan) -> Engine:
    with session_scope(engine) as session:
        save_plan(session, seed)
    return engine


@pytest.fixture
def files_dir(tmp_path: Path) -> Path:
    return tmp_path / "files"


@pytest.fixture
def runtime(stored: Engine, database_url: str, files_dir: Path) -> Iterator[Runtime]:
    web = WebSettings(secret=SecretStr(SECRET), base_url="http://vptu.example:8765")
    uploads = UploadSettings(files_dir=files_dir, max_file_mb=1, max_total_mb=2)
    runtime = runtime_on(database_url, web=web, uploads=uploads)
    yield runtime
    runtime.close()


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    app = create_app(runtime, lambda: NOW)
    with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as client:
        yield client


def page_of(assignment: tuple[str, str] = OURS) -> str:
    return "/n/" + sign(SECRET, PLAN, *assignment, NOW)


def csrf_in(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def send(
    client: TestClient,
    page: str,
    files: list[tuple[str, bytes]],
    csrf: str | None = None,
    **fields: str,
) -> object:
    token = csrf if csrf is not None else csrf_in(client.get(page).text)
    data = {"csrf": token, "nguoi_gui": "Nguyễn Văn Nam, Chánh Văn phòng", **fields}
    if "so_lieu.so_dai_bieu" not in data:
        data["so_lieu.so_dai_bieu"] = "12"
    return client.post(
        f"{page}/nop", data=data, files=[("tep", (name, body)) for name, body in files]
    )


def kept_files(files_dir: Path) -> list[Path]:
    return [p for p in files_dir.rglob("*") if p.is_file()] if files_dir.exists() else []


def rows(engine: Engine, kind: str) -> list[tuple[dict, str]]:
    """(data, note) of the rows of `kind`."""
    with session_scope(engine) as session:
        found = session.exec(select(SubmissionRow).where(SubmissionRow.kind == kind))
        return [(dict(row.data or {}), row.note) for row in found]


def shown(html: str) -> str:
    return " ".join(text_content(parse_html(html)).split())


# --- the page and "Đã nhận nhiệm vụ" ---------------------------------------------------------


def test_the_page_offers_the_acknowledgement_and_the_upload_and_a_get_writes_nothing(
    client: TestClient, stored: Engine
) -> None:
    before = dump(stored)
    html = client.get(page_of()).text
    assert client.get(page_of() + "?xong=da-nhan").status_code == 200
    assert dump(stored) == before
    assert "Đã nhận nhiệm vụ" in html and 'enctype="multipart/form-data"' in html
    assert 'name="so_lieu.so_dai_bieu"' in html and "<script" not in html


def test_acknowledging_redirects_to_the_page_that_confirms_it_and_twice_records_once(
    client: TestClient, stored: Engine
) -> None:
    page = page_of()
    csrf = csrf_in(client.get(page).text)
    first = client.post(f"{page}/da-nhan", data={"csrf": csrf})
    second = client.post(f"{page}/da-nhan", data={"csrf": csrf})
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == f"{page}?xong=da-nhan"
    confirmed = shown(client.get(first.headers["location"]).text)
    assert "Văn phòng đã ghi nhận: đơn vị đã nhận nhiệm vụ" in confirmed
    assert "Đơn vị đã báo nhận nhiệm vụ lúc 09:00 ngày 10/03/2023" in confirmed
    assert len(rows(stored, "acknowledged")) == 1


@pytest.mark.parametrize("action", ["da-nhan", "nop"])
@pytest.mark.parametrize("given", ["missing", "forged", "another assignment's"])
def test_a_post_without_the_token_of_its_own_link_is_403_and_writes_nothing(
    client: TestClient, stored: Engine, files_dir: Path, action: str, given: str
) -> None:
    theirs = csrf_in(client.get(page_of(THEIRS)).text)
    token = {"missing": "", "forged": "x" * 43, "another assignment's": theirs}[given]
    before = dump(stored)
    data = {"csrf": token} if token else {}
    files = [("tep", ("bao-cao.pdf", pdf_bytes()))] if action == "nop" else None
    answer = client.post(f"{page_of()}/{action}", data={**data, "nguoi_gui": "A"}, files=files)
    assert answer.status_code == 403
    assert "không có gì được ghi" in shown(answer.text)
    assert dump(stored) == before
    assert kept_files(files_dir) == []


def test_a_link_of_another_assignment_cannot_post_here(client: TestClient, stored: Engine) -> None:
    """Its token is good for its own page only: with its own form token, on our address, 403."""
    theirs = page_of(THEIRS)
    csrf = csrf_in(client.get(theirs).text)
    before = dump(stored)
    assert client.post(f"{page_of()}/da-nhan", data={"csrf": csrf}).status_code == 403
    assert dump(stored) == before


# --- sending work ------------------------------------------------------------------------------


def test_a_submission_records_the_arrival_its_files_and_one_receipt_listing_them(
    client: TestClient, stored: Engine, files_dir: Path
) -> None:
    pdf, png = pdf_bytes(), png_bytes()
    answer = send(client, page_of(), [("Báo cáo.pdf", pdf), ("ảnh.png", png)], ghi_chu="Gửi kèm")
    assert answer.status_code == 303, shown(answer.text)  # type: ignore[attr-defined]
    received = rows(stored, "received")
    assert len(received) == 1 and received[0][0] == {"so_dai_bieu": 12}
    assert "Nguyễn Văn Nam" in received[0][1] and "Gửi kèm" in received[0][1]
    with session_scope(stored) as session:
        attached = session.exec(select(SubmissionFileRow)).all()
        receipts = session.exec(
            select(NotificationRow).where(NotificationRow.key.contains(":receipt:"))  # type: ignore[attr-defined]
        ).all()
        sums = {row.sha256 for row in attached}
        assert len(receipts) == 1
        assert all(sha in receipts[0].body_text for sha in sums)
        assert "Báo cáo.pdf" in receipts[0].body_text
    assert len(sums) == 2 and len(kept_files(files_dir)) == 2
    page = shown(client.get(page_of()).text)
    assert "Báo cáo.pdf" in page and all(sha in page for sha in sums)


def test_under_review_on_acceptance_the_receipt_says_the_report_waits_for_review(
    client: TestClient, stored: Engine, seed: LoadedPlan
) -> None:
    """A plan that counts a report once accepted still confirms its arrival at once: the unit
    has its checksums, and reads that the Office has yet to accept it."""
    reviewed = seed.text.replace(
        "coordinator: vptu\n", "coordinator: vptu\nreview: on_acceptance\n", 1
    )
    with session_scope(stored) as session:
        save_plan(session, read_plan_text(reviewed, "gap-mat-2023.yaml"))
    answer = send(client, page_of(), [("bao-cao.pdf", pdf_bytes())])
    assert answer.status_code == 303, shown(answer.text)  # type: ignore[attr-defined]
    with session_scope(stored) as session:
        receipts = session.exec(
            select(NotificationRow).where(NotificationRow.key.contains(":receipt:"))  # type: ignore[attr-defined]
        ).all()
        assert len(receipts) == 1
        assert "[Đã nhận, chờ xem xét]" in receipts[0].subject
        assert "Tình trạng: chờ xem xét (nộp sau hạn 2 ngày)" in receipts[0].body_text
        assert "được tính là hoàn thành khi kết quả được chấp nhận" in receipts[0].body_text


def test_a_double_click_records_once_with_one_receipt_and_says_why(
    client: TestClient, stored: Engine
) -> None:
    page = page_of()
    csrf = csrf_in(client.get(page).text)
    first = send(client, page, [("bao-cao.pdf", pdf_bytes())], csrf)
    second = send(client, page, [("bao-cao.pdf", pdf_bytes())], csrf)
    assert first.status_code == 303  # type: ignore[attr-defined]
    assert second.status_code == 400  # type: ignore[attr-defined]
    assert "đã nộp nhiệm vụ này lúc" in shown(second.text)  # type: ignore[attr-defined]
    assert len(rows(stored, "received")) == 1
    with session_scope(stored) as session:
        keys = session.exec(select(NotificationRow.key)).all()
    assert sum(":receipt:" in key for key in keys) == 1


def test_a_file_of_a_refused_type_is_refused_with_the_domains_message(
    client: TestClient, stored: Engine, files_dir: Path
) -> None:
    before = dump(stored)
    answer = send(client, page_of(), [("bao-cao.pdf", HTML)])
    assert answer.status_code == 400  # type: ignore[attr-defined]
    assert "tệp 'bao-cao.pdf'" in shown(answer.text)  # type: ignore[attr-defined]
    assert dump(stored) == before
    assert kept_files(files_dir) == []


def test_a_figure_is_checked_as_receive_set_checks_it_and_what_was_typed_stays(
    client: TestClient, stored: Engine
) -> None:
    before = dump(stored)
    answer = send(client, page_of(), [("bao-cao.pdf", pdf_bytes())], **{"so_lieu.so_dai_bieu": "x"})
    assert answer.status_code == 400  # type: ignore[attr-defined]
    assert "so_dai_bieu" in answer.text or "Số đại biểu" in answer.text  # type: ignore[attr-defined]
    assert 'value="Nguyễn Văn Nam, Chánh Văn phòng"' in answer.text  # type: ignore[attr-defined]
    assert dump(stored) == before


def test_a_body_declared_too_large_is_413_before_it_is_read(
    client: TestClient, stored: Engine, files_dir: Path
) -> None:
    before = dump(stored)
    headers = {
        "content-type": "multipart/form-data; boundary=b",
        "content-length": str(3 * 1024 * 1024),
    }
    answer = client.post(f"{page_of()}/nop", content=b"--b--\r\n", headers=headers)
    assert answer.status_code == 413
    assert "mức tối đa của một lần nộp" in shown(answer.text)
    assert dump(stored) == before and kept_files(files_dir) == []


def test_a_streamed_body_growing_too_large_is_refused_and_leaves_no_file(
    client: TestClient, stored: Engine, files_dir: Path
) -> None:
    csrf = csrf_in(client.get(page_of()).text)

    def body() -> Iterator[bytes]:
        yield (
            f'--b\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{csrf}\r\n'
            '--b\r\nContent-Disposition: form-data; name="tep"; filename="to.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
        ).encode()
        for _ in range(40):  # 10 MB, never announced
            yield b"0" * (256 * 1024)
        yield b"\r\n--b--\r\n"

    before = dump(stored)
    headers = {"content-type": "multipart/form-data; boundary=b"}
    answer = client.post(f"{page_of()}/nop", content=body(), headers=headers)
    assert answer.status_code in (400, 413)
    assert "1 MB" in shown(answer.text) or "2 MB" in shown(answer.text)
    assert dump(stored) == before and kept_files(files_dir) == []


# --- downloading back ---------------------------------------------------------------------------


def test_a_sent_file_comes_back_as_an_attachment_to_its_own_link_only(
    client: TestClient, stored: Engine
) -> None:
    pdf = pdf_bytes("Bao cao cua Huong Khe")
    assert send(client, page_of(), [("Báo cáo.pdf", pdf)]).status_code == 303  # type: ignore[attr-defined]
    with session_scope(stored) as session:
        sha = session.exec(select(SubmissionFileRow.sha256)).one()
    mine = client.get(f"{page_of()}/tep/{sha}")
    assert mine.status_code == 200 and mine.content == pdf
    assert mine.headers["content-type"] == "application/pdf"
    assert mine.headers["x-content-type-options"] == "nosniff"
    assert mine.headers["content-disposition"].startswith("attachment;")
    assert "B%C3%A1o%20c%C3%A1o.pdf" in mine.headers["content-disposition"]
    assert client.get(f"{page_of(THEIRS)}/tep/{sha}").status_code == 403
    assert client.get(f"{page_of()}/tep/{'0' * 64}").status_code == 403
    assert client.get(f"{page_of()}/tep/..%2F..%2Fetc").status_code in (403, 404)
