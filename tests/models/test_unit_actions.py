"""A unit's actions from its page, on a real database: acknowledging (once), and sending its
work with files (the receipt and its file rows in one transaction, or nothing)."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from sqlalchemy import Engine, func
from sqlmodel import select

from models import unit_actions
from models.errors import InvalidInputError, UploadRefused
from models.files.content_store import MissingUpload, blob_path, store_upload
from models.storage.engine import session_scope
from models.storage.store import all_submissions
from models.storage.tables import SubmissionFileRow
from models.storage.uploads import check_content_store, files_of
from models.submissions import SubmissionKind
from models.unit_actions import acknowledge, submit_with_files
from models.uploads.file_types import FileType
from models.uploads.limits import UploadLimits
from models.uploads.stored import StoredUpload
from tests.builders import local
from tests.models.uploads import samples

pytestmark = pytest.mark.db

PLAN = "gap-mat-2023"
NOW = local(2023, 3, 8, 10, 15)
LIMITS = UploadLimits(max_file_bytes=2_000_000, max_total_bytes=3_000_000)


def stored(root: Path, name: str, content: bytes, used: int = 0) -> StoredUpload:
    return store_upload(root, name, BytesIO(content), LIMITS, used)


def file_rows(engine: Engine) -> int:
    with session_scope(engine) as session:
        return session.exec(select(func.count()).select_from(SubmissionFileRow)).one()


def submit(engine: Engine, root: Path, uploads, unit="huong-khe", figures=None):
    with session_scope(engine) as session:
        return submit_with_files(
            session, PLAN, "bc-huyen", unit, uploads, NOW, files_dir=root, limits=LIMITS,
            figures=figures,
        )  # fmt: skip


def test_a_unit_acknowledges_once_and_is_told_since_when(seeded_engine: Engine) -> None:
    with session_scope(seeded_engine) as session:
        first = acknowledge(session, PLAN, "bc-huyen", "huong-khe", NOW)
    assert first.new and first.message == (
        "Văn phòng đã ghi nhận: đơn vị đã nhận nhiệm vụ lúc 08/03/2023 10:15. Nhiệm vụ vẫn cần "
        "nộp đúng hạn."
    )
    with session_scope(seeded_engine) as session:
        again = acknowledge(session, PLAN, "bc-huyen", "huong-khe", local(2023, 3, 8, 11))
        rows = all_submissions(session, PLAN)
    assert not again.new and again.row == first.row
    assert again.message == "Đơn vị đã báo nhận nhiệm vụ này lúc 08/03/2023 10:15."
    (row,) = rows
    assert (row.kind, row.recorded_by, dict(row.data)) == (
        SubmissionKind.ACKNOWLEDGED,
        "huong-khe (trang cá nhân)",
        {"source": "web"},
    )


def test_a_unit_that_has_delivered_has_nothing_to_acknowledge(seeded_engine, tmp_path) -> None:
    submit(seeded_engine, tmp_path, [])
    with (
        pytest.raises(InvalidInputError, match="đã nộp từ 08/03/2023 10:15"),
        session_scope(seeded_engine) as session,
    ):
        acknowledge(session, PLAN, "bc-huyen", "huong-khe", local(2023, 3, 8, 11))


def test_a_submission_and_its_files_are_recorded_together(seeded_engine, tmp_path) -> None:
    report = stored(tmp_path, "Báo cáo Hương Khê.docx", samples.docx_bytes())
    figures = stored(tmp_path, "so-lieu", samples.xlsx_bytes(), used=report.size)
    copy = stored(tmp_path, "Báo cáo (bản 2).docx", samples.docx_bytes(), used=2 * report.size)
    done = submit(seeded_engine, tmp_path, [report, figures, copy], figures={"so_dai_bieu": "12"})
    assert done.message == (
        "Văn phòng đã nhận bài nộp lúc 08/03/2023 10:15, kèm 2 tệp. Tệp trùng nội dung với tệp "
        "khác đã gửi nên chỉ giữ một bản: 'Báo cáo (bản 2).docx'."
    )
    assert done.duplicates == (copy,)
    with session_scope(seeded_engine) as session:
        (receipt,) = all_submissions(session, PLAN)
        attached = files_of(session, [receipt.id])[receipt.id]
    assert (receipt.kind, dict(receipt.data)) == (SubmissionKind.RECEIVED, {"so_dai_bieu": 12})
    assert [(f.name, f.file_type, f.sha256) for f in attached] == [
        ("Báo cáo Hương Khê.docx", FileType.DOCX, report.sha256),
        ("so-lieu.xlsx", FileType.XLSX, figures.sha256),
    ]
    assert all(f.uploaded_at == NOW and f.submission == receipt.id for f in attached)


def test_a_failure_after_the_receipt_leaves_no_row_at_all(
    seeded_engine, tmp_path, monkeypatch
) -> None:
    report = stored(tmp_path, "bao-cao.pdf", samples.pdf_bytes())

    def disk_gone(*args, **kwargs):
        raise OSError("the database connection dropped")

    monkeypatch.setattr(unit_actions, "attach_files", disk_gone)
    with pytest.raises(OSError):
        submit(seeded_engine, tmp_path, [report])
    with session_scope(seeded_engine) as session:
        assert all_submissions(session, PLAN) == []
    assert file_rows(seeded_engine) == 0
    assert blob_path(tmp_path, report.sha256).is_file()  # an orphan blob: harmless, listed


@pytest.mark.parametrize(
    ("figures", "says"),
    [({"so_dai_bieu": "mười hai"}, "so_dai_bieu"), ({"khong_co": "1"}, "khong_co")],
)
def test_a_refused_receipt_writes_no_file_row(seeded_engine, tmp_path, figures, says) -> None:
    report = stored(tmp_path, "bao-cao.pdf", samples.pdf_bytes())
    with pytest.raises(InvalidInputError, match=says):
        submit(seeded_engine, tmp_path, [report], figures=figures)
    assert file_rows(seeded_engine) == 0


def test_sending_again_while_the_first_arrival_counts_is_refused(seeded_engine, tmp_path) -> None:
    submit(seeded_engine, tmp_path, [stored(tmp_path, "a.pdf", samples.pdf_bytes())])
    later = stored(tmp_path, "b.png", samples.png_bytes())
    with pytest.raises(InvalidInputError, match="đơn vị đã nộp nhiệm vụ này lúc 08/03/2023 10:15"):
        submit(seeded_engine, tmp_path, [later])
    assert file_rows(seeded_engine) == 1


def test_files_beyond_the_limits_or_missing_from_the_store_are_refused(
    seeded_engine, tmp_path
) -> None:
    big = StoredUpload("ab" * 32, LIMITS.max_file_bytes + 1, "to.pdf", FileType.PDF)
    with pytest.raises(UploadRefused, match=r"'to\.pdf' lớn hơn"):
        submit(seeded_engine, tmp_path, [big])
    gone = StoredUpload("cd" * 32, 10, "mat.pdf", FileType.PDF)
    with pytest.raises(MissingUpload, match=r"'mat\.pdf' vừa tải lên không còn trong kho tệp"):
        submit(seeded_engine, tmp_path, [gone])
    with session_scope(seeded_engine) as session:
        assert all_submissions(session, PLAN) == []


def test_the_store_check_lists_blobs_without_rows_and_rows_without_blobs(
    seeded_engine, tmp_path
) -> None:
    kept = stored(tmp_path, "a.pdf", samples.pdf_bytes())
    orphan = stored(tmp_path, "b.png", samples.png_bytes())
    submit(seeded_engine, tmp_path, [kept])
    other = stored(tmp_path, "c.jpg", samples.jpeg_bytes())
    submit(seeded_engine, tmp_path, [other], unit="ky-anh")
    blob_path(tmp_path, other.sha256).unlink()  # lost: a backup restored without it
    with session_scope(seeded_engine) as session:
        report = check_content_store(session, tmp_path)
    assert (report.blobs, report.size) == (2, kept.size + orphan.size)
    assert report.unreferenced == ((orphan.sha256, orphan.size),)
    (missing,) = report.missing
    assert (missing.sha256, missing.name, missing.plan, missing.unit) == (
        other.sha256,
        "c.jpg",
        PLAN,
        "ky-anh",
    )
    assert report.leftovers == ()


def test_two_clicks_at_once_record_one_acknowledgement(seeded_engine: Engine) -> None:
    """Both requests take the assignment's lock: the second finds the first's row."""
    from concurrent.futures import ThreadPoolExecutor

    def click(_: int) -> bool:
        with session_scope(seeded_engine) as session:
            return acknowledge(session, PLAN, "bc-huyen", "ky-anh", NOW).new

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(click, range(4)))
    assert sorted(outcomes) == [False, False, False, True]
    with session_scope(seeded_engine) as session:
        assert len(all_submissions(session, PLAN)) == 1
