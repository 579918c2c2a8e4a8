"""Reading documents (.txt/.md/.docx) and finding the section that assigns work."""

import zipfile
from pathlib import Path

import pytest

from models.importer.names import fold, slug
from models.importer.problems import DocumentError
from models.importer.sections import read_layout, split_tasks
from models.importer.text import clean, read_paragraphs
from tests.models.importer.documents import NGHE_AN, SEED_SOURCE, build_docx


def test_markdown_emphasis_and_heading_marks_are_removed():
    assert clean("**1. Các sở, ngành liên quan:**") == "1. Các sở, ngành liên quan:"
    assert clean("## III. TỔ CHỨC THỰC HIỆN") == "III. TỔ CHỨC THỰC HIỆN"
    assert clean("* gửi **trước ngày 09/3/2023**.") == "- gửi trước ngày 09/3/2023."


def test_a_hard_wrapped_line_continues_its_paragraph(tmp_path):
    path = tmp_path / "k.txt"
    path.write_text("- Gửi báo cáo về Văn phòng\ntrước ngày 09/3/2023.\n- Việc khác.\n")
    assert [p.text for p in read_paragraphs(path)] == [
        "- Gửi báo cáo về Văn phòng trước ngày 09/3/2023.",
        "- Việc khác.",
    ]


def test_word_list_items_become_bullets_and_table_rows_keep_their_cells(tmp_path):
    path = build_docx(tmp_path / "k.docx", [("table", "TỈNH ỦY|ĐẢNG"), ("List Bullet", "Gửi.")])
    row, bullet = read_paragraphs(path)
    assert (row.text, row.cells, row.table, row.is_row) == (
        "TỈNH ỦY | ĐẢNG",
        ("TỈNH ỦY", "ĐẢNG"),
        1,
        True,
    )
    assert (bullet.text, bullet.line, bullet.is_row) == ("- Gửi.", 3, False)  # Word's count


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"  \n\n", "tệp rỗng"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "tệp nhị phân"),
        (
            "latin.md",
            "Kế hoạch".encode("cp1258", errors="replace") + b"\xff",
            "không phải văn bản UTF-8",
        ),
        ("broken.docx", b"PK\x03\x04 not really a zip", "không đọc được tệp Word"),
        ("plan.pdf", b"%PDF-1.4", "không được hỗ trợ"),
    ],
)
def test_unreadable_documents_name_the_file_and_the_fault(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError) as error:
        read_paragraphs(path)
    assert message in str(error.value) and str(path) in str(error.value)


def test_a_zip_that_is_not_a_word_document_is_refused(tmp_path):
    path = tmp_path / "bang-tinh.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document")
    with pytest.raises(DocumentError, match="không đọc được tệp Word"):
        read_paragraphs(path)


def test_the_assignment_section_is_found_with_its_unit_headings():
    layout = read_layout(read_paragraphs(SEED_SOURCE), "seed")
    headings = list(dict.fromkeys(t.heading for t in layout.tasks))
    assert headings == [
        "Các huyện, thành, thị ủy",
        "Các ban Đảng, Ủy ban Kiểm tra Tỉnh ủy",
        "Ban cán sự đảng Ủy ban nhân tỉnh",
        "Văn phòng Tỉnh ủy",
        "Đài Phát thanh và Truyền hình tỉnh",
    ]
    assert not any("thực hiện nghiêm túc" in t.text for t in layout.tasks)
    assert layout.title.startswith("Tổ chức gặp mặt cán bộ chủ chốt")


def test_markdown_section_ends_at_the_closing_paragraph():
    layout = read_layout(read_paragraphs(NGHE_AN), "md")
    assert len(layout.tasks) == 3 and layout.tasks[0].heading == "Các sở, ngành liên quan"


def test_a_document_without_assignment_section_is_refused(tmp_path):
    path = tmp_path / "thong-bao.txt"
    path.write_text("KẾ HOẠCH\n\nI. MỤC ĐÍCH\n\n- Nắm tình hình.\n")
    with pytest.raises(DocumentError, match="TỔ CHỨC THỰC HIỆN"):
        read_layout(read_paragraphs(path), str(path))


def test_a_new_action_verb_starts_a_new_task_within_a_bullet():
    bullet = "Khi có giấy mời, tin mời đại biểu. Tổng hợp báo cáo về Văn phòng trước ngày 09/3."
    assert len(split_tasks(bullet)) == 2
    follow_on = "Chuẩn bị báo cáo tóm tắt. Báo cáo gửi về Văn phòng trước ngày 09/3."
    assert len(split_tasks(follow_on)) == 1


def test_codes_are_ascii_slugs_with_d_for_dj():
    assert slug("Huyện ủy Đức Thọ") == "huyen-uy-duc-tho"
    assert fold("Ủy ban") == fold("Uỷ ban") == "uy ban"


def test_a_missing_file_is_reported_by_name(tmp_path: Path):
    with pytest.raises(DocumentError, match="không tìm thấy tệp"):
        read_paragraphs(tmp_path / "missing.txt")
