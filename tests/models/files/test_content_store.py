"""The content store: a file streamed in, counted and hashed as it comes, checked by its
content, kept once under its sha256, read-only, written all or nothing."""

from __future__ import annotations

import hashlib
import os
import stat
from io import BytesIO
from pathlib import Path

import pytest

from models.errors import InvalidInputError, UploadRefused
from models.files import content_store
from models.files.content_store import (
    MissingUpload,
    blob_path,
    leftovers,
    open_upload,
    store_upload,
    stored_blobs,
)
from models.uploads.file_types import FileType
from models.uploads.limits import UploadLimits
from tests.models.uploads import samples

LIMITS = UploadLimits(max_file_bytes=1_000_000, max_total_bytes=2_500_000)


def everything_in(root: Path) -> list[Path]:
    """Every file under the store, temporary ones included."""
    return sorted(p for p in root.rglob("*") if p.is_file())


class Endless:
    """A stream that never ends (a client that keeps sending), counting what was read."""

    def __init__(self, start: bytes) -> None:
        self.start, self.read_bytes = start, 0

    def read(self, size: int = -1) -> bytes:
        chunk = (self.start if self.read_bytes == 0 else b"") + b"\x00" * size
        chunk = chunk[:size]
        self.read_bytes += len(chunk)
        return chunk


class Broken:
    """A stream that fails after two chunks (the connection dropped mid-upload)."""

    def __init__(self, content: bytes) -> None:
        self.stream, self.calls = BytesIO(content), 0

    def read(self, size: int = -1) -> bytes:
        self.calls += 1
        if self.calls > 2:
            raise ConnectionResetError("client went away")
        return self.stream.read(size)


def test_a_pdf_is_kept_under_its_sha256_read_only_and_never_executable(tmp_path: Path):
    content = samples.pdf_bytes(padding=300_000)
    stored = store_upload(tmp_path, "Báo cáo tiến độ", BytesIO(content), LIMITS)
    digest = hashlib.sha256(content).hexdigest()
    assert (stored.sha256, stored.size, stored.file_type) == (digest, len(content), FileType.PDF)
    assert stored.name == "Báo cáo tiến độ.pdf"
    path = blob_path(tmp_path, digest)
    assert path == tmp_path / digest[:2] / digest[2:4] / digest
    assert path.read_bytes() == content
    mode = stat.S_IMODE(path.stat().st_mode)
    assert mode & 0o222 == 0 and mode & 0o111 == 0 and mode & 0o400
    assert everything_in(tmp_path) == [path]  # no temporary file left


def test_the_same_content_is_stored_once_under_each_name_it_came_with(tmp_path: Path):
    content = samples.docx_bytes()
    first = store_upload(tmp_path, "ban-1.docx", BytesIO(content), LIMITS)
    second = store_upload(tmp_path, "bản 2.docx", BytesIO(content), LIMITS)
    assert first.sha256 == second.sha256 and (first.name, second.name) == (
        "ban-1.docx",
        "bản 2.docx",
    )
    assert list(stored_blobs(tmp_path)) == [(first.sha256, len(content))]
    assert leftovers(tmp_path) == []


def test_a_damaged_copy_of_the_same_address_is_replaced(tmp_path: Path):
    content = samples.png_bytes()
    path = blob_path(tmp_path, hashlib.sha256(content).hexdigest())
    path.parent.mkdir(parents=True)
    path.write_bytes(content[:10])  # cut short: a disk error, a copy interrupted
    store_upload(tmp_path, "anh.png", BytesIO(content), LIMITS)
    assert path.read_bytes() == content


def test_a_file_exactly_at_the_limit_is_kept(tmp_path: Path):
    exact = samples.pdf_of_size(LIMITS.max_file_bytes)
    assert store_upload(tmp_path, "dung-gioi-han.pdf", BytesIO(exact), LIMITS).size == len(exact)


def test_one_byte_over_the_limit_is_refused_and_nothing_is_kept(tmp_path: Path):
    over = samples.pdf_of_size(LIMITS.max_file_bytes + 1)
    with pytest.raises(UploadRefused, match=r"^tệp 'qua-1-byte.pdf' lớn hơn"):
        store_upload(tmp_path, "qua-1-byte.pdf", BytesIO(over), LIMITS)
    assert everything_in(tmp_path) == []


def test_an_endless_upload_is_stopped_at_the_limit_not_read_to_its_end(tmp_path: Path):
    endless = Endless(b"%PDF-1.4\n")
    with pytest.raises(UploadRefused, match="lớn hơn"):
        store_upload(tmp_path, "vo-tan.pdf", endless, LIMITS)  # type: ignore[arg-type]  # a duck
    assert endless.read_bytes <= LIMITS.max_file_bytes + content_store.CHUNK
    assert everything_in(tmp_path) == []


def test_the_files_of_one_submission_share_the_total(tmp_path: Path):
    content = samples.pdf_bytes(padding=600_000)
    with pytest.raises(UploadRefused, match="làm các tệp của lần nộp này vượt"):
        store_upload(tmp_path, "thu-ba.pdf", BytesIO(content), LIMITS, used=2_000_000)
    assert everything_in(tmp_path) == []


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (samples.exe_bytes(), "chương trình chạy được"),
        (samples.HTML, "trang web"),
        (b"", "rỗng \\(0 byte\\)"),
    ],
)
def test_a_refused_file_leaves_nothing_behind(tmp_path: Path, content, says):
    with pytest.raises(UploadRefused, match=says):
        store_upload(tmp_path, "hoa-don.pdf", BytesIO(content), LIMITS)
    assert everything_in(tmp_path) == []


def test_a_refusal_names_the_file_cleaned_of_what_could_harm_a_screen(tmp_path: Path):
    with pytest.raises(UploadRefused) as caught:
        store_upload(tmp_path, "../x\x1b[2J\u202e.pdf", BytesIO(samples.HTML), LIMITS)
    assert str(caught.value).startswith("tệp 'x[2J.pdf' là trang web")


def test_an_upload_that_breaks_off_midway_leaves_nothing(tmp_path: Path):
    content = samples.pdf_bytes(padding=500_000)
    with pytest.raises(ConnectionResetError):
        store_upload(tmp_path, "dut.pdf", Broken(content), LIMITS)  # type: ignore[arg-type]
    assert everything_in(tmp_path) == []


def test_a_rename_that_fails_leaves_neither_the_file_nor_its_temporary(tmp_path, monkeypatch):
    def disk_full(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("models.files.content_store.os.replace", disk_full)
    with pytest.raises(OSError, match="No space left"):
        store_upload(tmp_path, "a.pdf", BytesIO(samples.pdf_bytes()), LIMITS)
    assert everything_in(tmp_path) == []


def test_a_kept_file_is_flushed_to_disk_before_it_gets_its_name(tmp_path, monkeypatch):
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(descriptor: int) -> None:
        events.append("fsync")
        real_fsync(descriptor)

    def replace(source: Path, target: Path) -> None:
        events.append("rename")
        real_replace(source, target)

    monkeypatch.setattr("models.files.content_store.os.fsync", fsync)
    monkeypatch.setattr("models.files.content_store.os.replace", replace)
    store_upload(tmp_path, "a.xlsx", BytesIO(samples.xlsx_bytes()), LIMITS)
    assert events == ["fsync", "rename", "fsync"]  # the file, then its folder


def test_a_kept_file_is_served_back_by_its_sha256(tmp_path: Path):
    content = samples.jpeg_bytes()
    stored = store_upload(tmp_path, "anh", BytesIO(content), LIMITS)
    assert stored.name == "anh.jpg"
    with open_upload(tmp_path, stored.sha256) as served:
        assert served.read() == content


def test_an_address_that_is_not_a_sha256_reaches_no_path(tmp_path: Path):
    for bad in ("../../etc/passwd", "A" * 64, "0" * 63, "0" * 64 + "/x"):
        with pytest.raises(InvalidInputError, match="mã tệp không hợp lệ"):
            open_upload(tmp_path, bad)


def test_a_file_missing_from_the_store_is_an_infrastructure_error(tmp_path: Path):
    with pytest.raises(MissingUpload, match="không có trong kho tệp"):
        open_upload(tmp_path, "0" * 64)


def test_the_store_lists_its_files_and_the_temporaries_left_by_a_crash(tmp_path: Path):
    stored = store_upload(tmp_path, "a.odt", BytesIO(samples.odf_bytes("text")), LIMITS)
    crashed = tmp_path / ".tmp" / "0123456789abcdef.part"
    crashed.write_bytes(b"%PDF-half")
    (tmp_path / "ab").mkdir()
    (tmp_path / "ab" / "note.txt").write_text("không phải tệp của kho")
    assert list(stored_blobs(tmp_path)) == [(stored.sha256, stored.size)]
    assert leftovers(tmp_path) == [crashed]
