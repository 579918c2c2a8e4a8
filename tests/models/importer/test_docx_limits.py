"""A .docx's zip checked before python-docx opens it (issue 13, class 10): entries, names,
methods, declared and counted sizes, ratios; each refusal names the file and what is wrong."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.importer.docx_limits import MAX_ENTRIES, MAX_MARKUP_BYTES, MAX_RATIO
from models.importer.problems import DocumentError
from models.importer.text import read_paragraphs
from tests.models.importer.documents import QUANG_BINH, build_docx
from tests.models.importer.zip_bombs import build_docx_bomb, build_zip


def refusal(path: Path) -> str:
    with pytest.raises(DocumentError) as error:
        read_paragraphs(path)
    message = str(error.value)
    assert message.startswith(f"{path}: ")
    return message


def test_a_word_document_with_its_parts_passes(tmp_path: Path) -> None:
    paragraphs = read_paragraphs(build_docx(tmp_path / "k.docx", QUANG_BINH))
    assert paragraphs[1].text == "KẾ HOẠCH"


def test_more_entries_than_a_word_document_has_are_refused(tmp_path: Path) -> None:
    entries = {f"word/media/image{i}.png": b"x" for i in range(MAX_ENTRIES + 1)}
    message = refusal(build_zip(tmp_path / "nhieu-muc.docx", entries))
    assert "1.001 mục, vượt giới hạn 1.000 mục" in message and "bom nén" in message


def test_markup_declared_past_its_limit_is_refused_before_inflating(tmp_path: Path) -> None:
    bomb = build_docx_bomb(tmp_path / "bom-nho.docx", 2 * MAX_MARKUP_BYTES)
    message = refusal(bomb)
    assert "phần văn bản (XML)" in message and "theo khai báo của tệp nén" in message
    assert "vượt giới hạn 10 MB" in message


def test_an_entry_inflating_past_the_ratio_is_refused(tmp_path: Path) -> None:
    bomb = build_docx_bomb(tmp_path / "ti-le.docx", 5_000_000)
    message = refusal(bomb)
    assert "mục 'word/document.xml' nở" in message
    assert f"vượt tỉ lệ tối đa {MAX_RATIO} lần" in message


def test_a_picture_inflating_past_the_ratio_is_refused(tmp_path: Path) -> None:
    entries = {"word/media/image1.png": bytes(2_000_000)}
    message = refusal(build_zip(tmp_path / "anh.docx", entries))
    assert "mục 'word/media/image1.png' nở" in message


def test_a_header_declaring_less_than_its_data_is_stopped_at_the_limit(tmp_path: Path) -> None:
    bomb = build_docx_bomb(tmp_path / "khai-gian.docx", 200_000_000, declared=500_000)
    message = refusal(bomb)
    assert "đếm được khi giải nén, đến mục 'word/document.xml'" in message
    assert "vượt giới hạn 10 MB" in message


def _grow_last(entries: list[zipfile.ZipInfo]) -> None:
    entries[-1].file_size += 10


def _flip_crc(entries: list[zipfile.ZipInfo]) -> None:
    entries[-1].CRC ^= 1


def _encrypt(entries: list[zipfile.ZipInfo]) -> None:
    entries[-1].flag_bits |= 0x1


def _overlap(entries: list[zipfile.ZipInfo]) -> None:
    entries[-1].header_offset = entries[0].header_offset


@pytest.mark.parametrize(
    ("retouch", "message"),
    [
        (_grow_last, "giải nén ra 4.000 byte, không phải 4.010 byte như đã khai báo"),
        (_flip_crc, "có dữ liệu nén hỏng hoặc sai mã kiểm tra CRC"),
        (_encrypt, "có đặt mật khẩu"),
        (_overlap, "dùng chung dữ liệu nén"),
    ],
)
def test_a_central_directory_that_lies_is_refused(tmp_path: Path, retouch, message) -> None:
    entries = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>" * 307}
    entries["word/document.xml"] += b"!" * 9  # 4,000 bytes
    path = build_zip(tmp_path / "sua-tay.docx", entries, retouch=retouch)
    assert message in refusal(path)


@pytest.mark.parametrize(
    ("name", "fault"),
    [
        ("../../etc/cron.d/x.xml", "'..'"),
        ("word/./document.xml", "'..'"),
        ("word//document.xml", "đoạn rỗng"),
        ("/etc/passwd", "đường dẫn tuyệt đối"),
        ("C:/Windows/x.xml", "đường dẫn tuyệt đối"),
        ("word\\document.xml", "dấu '\\'"),
    ],
)
def test_an_entry_named_outside_the_package_is_refused(tmp_path: Path, name, fault) -> None:
    path = build_zip(tmp_path / "ten-la.docx", {"[Content_Types].xml": b"<Types/>", name: b"<a/>"})
    message = refusal(path)
    assert "tệp nén có mục tên" in message and fault in message


def test_an_entry_name_with_a_control_character_is_refused_and_shown_escaped(tmp_path):
    name = "word/\x1b[2Jdocument.xml"  # ESC [2J clears a terminal
    message = refusal(build_zip(tmp_path / "esc.docx", {name: b"<a/>"}))
    assert "có ký tự điều khiển" in message
    assert "\x1b" not in message and "'word/\\x1b[2Jdocument.xml'" in message


def test_two_entries_whose_names_differ_only_in_case_are_refused(tmp_path: Path) -> None:
    entries = {"word/document.xml": b"<a/>", "WORD/Document.xml": b"<b/>"}
    assert "hai mục cùng tên 'WORD/Document.xml'" in refusal(
        build_zip(tmp_path / "d.docx", entries)
    )


def test_a_method_word_does_not_use_is_refused_before_reading(tmp_path: Path) -> None:
    path = build_zip(tmp_path / "bz.docx", {"word/document.xml": b"<a/>"}, zipfile.ZIP_BZIP2)
    assert "nén theo cách tệp Word không dùng (mã 12)" in refusal(path)


def test_an_old_doc_or_an_encrypted_docx_is_named_for_what_it_is(tmp_path: Path) -> None:
    path = tmp_path / "cu.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    assert "tệp Word cũ (.doc) hoặc tệp .docx có đặt mật khẩu" in refusal(path)


def test_an_external_entity_in_document_xml_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "bi-mat.txt"
    secret.write_text("MẬT KHẨU", encoding="utf-8")
    path = build_docx(tmp_path / "xxe.docx", [("Normal", "Kế hoạch"), ("Normal", "Nội dung")])
    with zipfile.ZipFile(path) as source:
        parts = {entry.filename: source.read(entry) for entry in source.infolist()}
    declaration = f'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file://{secret}">]>'.encode()
    document = parts["word/document.xml"].replace(b"?>", b"?>" + declaration, 1)
    parts["word/document.xml"] = document.replace("Kế hoạch".encode(), b"&x;")
    texts = [p.text for p in read_paragraphs(build_zip(tmp_path / "xxe2.docx", parts))]
    assert texts == ["Nội dung"]


DAMAGE = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@DAMAGE
@given(
    cut=st.none() | st.integers(min_value=0, max_value=40_000),
    changes=st.lists(st.tuples(st.integers(min_value=1, max_value=40_000), st.integers(0, 255))),
)
def test_a_damaged_word_document_is_read_or_refused_never_a_traceback(
    tmp_path: Path, cut: int | None, changes: list[tuple[int, int]]
) -> None:
    model = tmp_path / "mau.docx"
    if not model.exists():
        build_docx(model, QUANG_BINH)
    damaged = bytearray(model.read_bytes()[:cut])
    for from_end, value in changes:  # the central directory, where the sizes are, is at the end
        if from_end <= len(damaged):
            damaged[-from_end] = value
    path = tmp_path / "hong.docx"
    path.write_bytes(bytes(damaged))
    try:
        read_paragraphs(path)
    except DocumentError as error:
        assert str(error).startswith(f"{path}: ")
