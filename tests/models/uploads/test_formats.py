"""What a unit may send is told by the content, never by the name: real documents of every
kept format pass under any name, anything else is refused naming the file and what it is."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from models.errors import UploadRefused
from models.uploads.file_types import FileType
from models.uploads.formats import detect
from tests.models.uploads import samples


def detected(content: bytes, name: str = "bao-cao.pdf") -> FileType:
    return detect(BytesIO(content), len(content), name)


def refusal(content: bytes, name: str = "bao-cao.pdf") -> str:
    with pytest.raises(UploadRefused) as caught:
        detected(content, name)
    message = str(caught.value)
    assert message.startswith(f"tệp '{name}' ") and "\n" not in message
    return message


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (samples.pdf_bytes, FileType.PDF),
        (samples.docx_bytes, FileType.DOCX),
        (samples.xlsx_bytes, FileType.XLSX),
        (lambda: samples.odf_bytes("text"), FileType.ODT),
        (lambda: samples.odf_bytes("spreadsheet"), FileType.ODS),
        (samples.png_bytes, FileType.PNG),
        (samples.jpeg_bytes, FileType.JPEG),
        (lambda: samples.ole_bytes("WordDocument", "1Table"), FileType.DOC),
        (lambda: samples.ole_bytes("Workbook"), FileType.XLS),
        (lambda: samples.ole_bytes("Book"), FileType.XLS),  # Excel 5/95
    ],
)
def test_a_real_file_of_each_kept_format_is_recognized_whatever_its_name(make, expected):
    content = make()
    for name in ("bao-cao.pdf", "scan", "Báo cáo.exe"):
        assert detected(content, name) is expected


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (samples.exe_bytes(), "là chương trình chạy được (.exe, .dll)"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 9, "là chương trình chạy được"),
        (b"#!/bin/sh\nrm -rf /\n", "là tập lệnh (script)"),
        (samples.HTML, "là trang web hoặc tệp XML/HTML"),
        (b"\xef\xbb\xbf  <html><body>x</body></html>", "là trang web hoặc tệp XML/HTML"),
        (b"Rar!\x1a\x07\x00" + b"\x00" * 9, "là tệp nén RAR"),
        (b"GIF89a" + b"\x00" * 10, "là ảnh GIF"),
        (b"Bao cao bang chu, khong phai tep PDF", "không phải tệp PDF, Word (.doc, .docx)"),
    ],
)
def test_anything_else_is_refused_naming_the_file_and_what_it_is(content, says):
    message = refusal(content, "bao-cao.pdf")
    assert says in message and "không nhận" in message


def test_a_program_renamed_pdf_is_refused_even_behind_a_pdf_like_name():
    assert "chương trình chạy được" in refusal(samples.exe_bytes(), "Báo cáo.pdf")


def test_a_pdf_cut_short_is_refused_as_incomplete():
    whole = samples.pdf_bytes()
    assert "PDF không trọn vẹn" in refusal(whole[: len(whole) // 2])


def test_a_pdf_with_bytes_after_its_end_within_a_kilobyte_is_kept():
    assert detected(samples.pdf_bytes() + b"\r\n" + b"\x00" * 500) is FileType.PDF


def test_a_png_signature_without_its_header_chunk_is_not_a_png():
    assert "không phải tệp PDF" in refusal(b"\x89PNG\r\n\x1a\n" + b"\x00" * 8)


@pytest.mark.parametrize(
    ("streams", "says"),
    [
        (("PowerPoint Document",), "không phải Word (.doc) hay Excel (.xls)"),
        (("EncryptionInfo", "EncryptedPackage"), "có đặt mật khẩu"),
        (("WordDocument", "Macros"), "có macro"),
        (("Workbook", "_VBA_PROJECT_CUR"), "có macro"),
    ],
)
def test_an_old_office_file_is_refused_unless_word_or_excel_without_macros(streams, says):
    assert says in refusal(samples.ole_bytes(*streams), "bao-cao.doc")


def test_a_broken_old_office_file_is_refused():
    truncated = samples.ole_bytes("WordDocument")[:700]  # the directory sector is gone
    assert "bị hỏng" in refusal(truncated, "bao-cao.doc")


def test_an_old_office_directory_chain_that_loops_is_refused_not_followed_forever():
    content = bytearray(samples.ole_bytes("WordDocument"))
    content[512 + 4 : 512 + 8] = (1).to_bytes(4, "little")  # sector 1 → sector 1 → …
    assert "bị hỏng" in refusal(bytes(content), "bao-cao.doc")


def test_a_zip_that_is_not_an_office_document_is_refused(tmp_path: Path):
    plain = samples.zip_of(tmp_path, {"bao-cao.pdf": samples.pdf_bytes()})
    assert "là tệp nén ZIP nhưng không phải Word" in refusal(plain, "bao-cao.docx")


def test_a_powerpoint_package_is_refused(tmp_path: Path):
    pptx = samples.zip_of(tmp_path, {"[Content_Types].xml": b"<Types/>", "ppt/x.xml": b"<p/>"})
    assert "không phải Word hay Excel" in refusal(pptx, "bao-cao.pptx")


def test_an_opendocument_of_another_kind_is_refused():
    presentation = samples.odf_bytes("presentation")
    assert "không phải Word (.docx), Excel" in refusal(presentation, "trinh-chieu.odp")


@pytest.mark.parametrize(
    ("extra", "name"),
    [
        ({"word/vbaProject.bin": b"\x00" * 10}, "bao-cao.docx"),
        ({"xl/vbaProject.bin": b"\x00" * 10}, "bao-cao.xlsx"),
    ],
)
def test_an_office_package_with_macros_is_refused(tmp_path: Path, extra, name):
    folder = "word/" if name.endswith("docx") else "xl/"
    entries = {"[Content_Types].xml": b"<Types/>", f"{folder}main.xml": b"<x/>", **extra}
    assert "có macro" in refusal(samples.zip_of(tmp_path, entries), name)


def test_an_opendocument_with_basic_macros_is_refused():
    with_macros = samples.odf_bytes("text", {"Basic/Standard/Module1.xml": b"<script/>"})
    assert "có macro" in refusal(with_macros, "bao-cao.odt")


def test_a_zip_bomb_is_refused_by_its_compression_ratio(tmp_path: Path):
    bomb = samples.ratio_bomb(tmp_path)
    assert len(bomb) < 100_000
    message = refusal(bomb, "bao-cao.docx")
    assert "nở" in message and "nghi là bom nén" in message


def test_a_zip_that_declares_more_than_a_document_holds_is_refused(tmp_path: Path):
    message = refusal(samples.declared_bomb(tmp_path), "bao-cao.docx")
    assert "khai báo giải nén ra 600 MB, quá 500 MB" in message


def test_a_zip_whose_entries_share_compressed_bytes_is_refused(tmp_path: Path):
    def overlap(entries: list[zipfile.ZipInfo]) -> None:
        entries[-1].header_offset = entries[0].header_offset

    entries = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    overlapping = samples.zip_of(tmp_path, entries, retouch=overlap)
    assert "dùng chung dữ liệu nén" in refusal(overlapping, "bao-cao.docx")


def test_a_zip_with_a_broken_directory_is_refused():
    docx = samples.docx_bytes()
    assert "tệp nén hỏng" in refusal(docx[: len(docx) - 30], "bao-cao.docx")


def test_every_kept_format_has_a_media_type_an_extension_and_a_label():
    for file_type in FileType:
        assert file_type.media_type and file_type.label
        assert all(e.startswith(".") and e == e.lower() for e in file_type.extensions)
