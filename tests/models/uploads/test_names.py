"""The name an uploaded file is shown and downloaded under: the unit's own, Vietnamese kept,
and nothing a path, a terminal, Windows or a browser would act on."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.uploads.file_types import FileType
from models.uploads.names import (
    DEFAULT_STEM,
    MAX_NAME_BYTES,
    ascii_name,
    content_disposition,
    display_name,
)


@pytest.mark.parametrize(
    ("raw", "file_type", "expected"),
    [
        ("Báo cáo tiến độ.pdf", FileType.PDF, "Báo cáo tiến độ.pdf"),
        ("../../etc/passwd", None, "passwd"),
        ("..\\..\\Windows\\system32\\cmd.exe", None, "cmd.exe"),
        ("C:\\Users\\Lan\\Desktop\\Báo cáo.docx", FileType.DOCX, "Báo cáo.docx"),
        ("bao\x00cao.pdf", FileType.PDF, "baocao.pdf"),
        ("bao cao\r\nX-Evil: 1.pdf", FileType.PDF, "bao caoX-Evil_ 1.pdf"),
        ("\x1b]0;title\x07ten.pdf", FileType.PDF, "]0;titleten.pdf"),
        ("hoa-don\u202efdp.exe", FileType.PDF, "hoa-donfdp.exe.pdf"),  # RTL override gone
        ("zero\u200bwidth\ufeff.pdf", FileType.PDF, "zerowidth.pdf"),
        ('a<b>c:d"e|f?g*h.pdf', FileType.PDF, "a_b_c_d_e_f_g_h.pdf"),
        ("CON.pdf", FileType.PDF, "_CON.pdf"),
        ("nul", FileType.PDF, "_nul.pdf"),
        ("com1.tar.pdf", FileType.PDF, "_com1.tar.pdf"),
        ("LPT9 .docx", FileType.DOCX, "_LPT9.docx"),
        ("console.pdf", FileType.PDF, "console.pdf"),  # only the exact device names
        ("  ..bao cao..  ", None, "bao cao"),
        ("bao   \t  cao\u00a0 tháng 3.pdf", FileType.PDF, "bao cao tháng 3.pdf"),
        ("", FileType.PDF, f"{DEFAULT_STEM}.pdf"),
        ("...", FileType.XLSX, f"{DEFAULT_STEM}.xlsx"),
        ("/", None, DEFAULT_STEM),
        ("scan", FileType.JPEG, "scan.jpg"),
        ("anh.JPEG", FileType.JPEG, "anh.JPEG"),
        ("bao cao.docx", FileType.PDF, "bao cao.docx.pdf"),  # opens in the right program
        ("Báo cáo số 12.3", FileType.PDF, "Báo cáo số 12.3.pdf"),
        (".pdf", FileType.PDF, "pdf.pdf"),
    ],
)
def test_a_name_is_cleaned_for_showing_and_saving(raw, file_type, expected):
    assert display_name(raw, file_type) == expected


def test_a_decomposed_vietnamese_name_from_a_mac_is_composed():
    decomposed = unicodedata.normalize("NFD", "Kế hoạch Đại hội.pdf")
    assert display_name(decomposed, FileType.PDF) == "Kế hoạch Đại hội.pdf"


def test_a_very_long_vietnamese_name_is_cut_at_a_letter_and_keeps_its_extension():
    raw = "Báo cáo kết quả thực hiện nhiệm vụ chuẩn bị gặp mặt cán bộ chủ chốt " * 10 + ".docx"
    name = display_name(raw, FileType.DOCX)
    assert name.endswith(".docx") and name.startswith("Báo cáo kết quả")
    assert len(name.encode()) <= MAX_NAME_BYTES
    assert name.encode().decode() == name  # no letter cut in half
    assert not name.removesuffix(".docx").endswith((" ", "."))


@settings(max_examples=300, deadline=None)
@given(raw=st.text(max_size=400), file_type=st.sampled_from([None, *FileType]))
def test_any_name_comes_out_short_printable_and_pathless(raw, file_type):
    name = display_name(raw, file_type)
    assert name and len(name.encode()) <= MAX_NAME_BYTES + 10
    assert "/" not in name and "\\" not in name
    assert name == name.strip(" .")  # no hidden file, nothing Windows would strip
    categories = {unicodedata.category(c) for c in name}
    assert not categories & {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
    assert not set(name) & set('<>:"|?*')
    if file_type is not None:
        assert name.lower().endswith(file_type.extensions)
    assert display_name(name, file_type) == name  # cleaning again changes nothing


def test_content_disposition_offers_the_vietnamese_name_and_an_ascii_one():
    header = content_disposition("Báo cáo tiến độ Đợt 1.pdf")
    assert header == (
        'attachment; filename="Bao cao tien do Dot 1.pdf"; '
        "filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20ti%E1%BA%BFn%20%C4%91%E1%BB%99%20%C4%90%E1%BB%A3t"
        "%201.pdf"
    )


@settings(max_examples=200, deadline=None)
@given(raw=st.text(max_size=200))
def test_content_disposition_is_one_header_line_of_printable_ascii(raw):
    header = content_disposition(display_name(raw, FileType.PDF))
    assert header.isascii() and header.isprintable()
    fallback = header.split('filename="', 1)[1].split('"; filename*=', 1)[0]
    assert '"' not in fallback and "\\" not in fallback


def test_the_ascii_name_takes_the_accents_off():
    assert ascii_name("Đề xuất của Huyện ủy Hương Khê.xlsx") == (
        "De xuat cua Huyen uy Huong Khe.xlsx"
    )
    assert ascii_name("报告.pdf") == "__.pdf"
