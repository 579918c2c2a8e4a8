"""The importer's test documents: real and invented plan texts in fixtures/, and .docx built
from blocks of (style, text)."""

from __future__ import annotations

from pathlib import Path

import docx

FIXTURES = Path(__file__).parent / "fixtures"


def written(folder: Path, text: str, name: str) -> Path:
    """`text` as the UTF-8 file `name` in `folder`: a document for the importer to read (its
    suffix says how: .txt, .md)."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


SEED_SOURCE = FIXTURES / "ke-hoach-gap-mat-2023.txt"
QUANG_TRI = FIXTURES / "ke-hoach-quang-tri-2024.txt"
QUANG_TRI_REGISTRY = FIXTURES / "registry-quang-tri.yaml"
NGHE_AN = FIXTURES / "ke-hoach-nghe-an-mo-ho.md"

# A Quảng Bình plan with no year anywhere (dates need --year), bullets as Word list items.
QUANG_BINH: list[tuple[str, str]] = [
    ("table", "ỦY BAN NHÂN DÂN TỈNH QUẢNG BÌNH|CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("Title", "KẾ HOẠCH"),
    ("Normal", "Tổ chức Lễ kỷ niệm Ngày giải phóng tỉnh Quảng Bình"),
    ("Heading 1", "I. MỤC ĐÍCH, YÊU CẦU"),
    ("List Bullet", "Tổ chức trang trọng, tiết kiệm, an toàn."),
    ("Heading 1", "II. THỜI GIAN, ĐỊA ĐIỂM"),
    ("Normal", "Thời gian: Lễ kỷ niệm diễn ra vào ngày 30/4."),
    ("Heading 1", "III. TỔ CHỨC THỰC HIỆN"),
    ("Normal", "1. Sở Văn hóa và Thể thao:"),
    (
        "List Bullet",
        "Xây dựng kịch bản chương trình nghệ thuật, gửi Văn phòng Ủy ban nhân dân tỉnh "
        "trước ngày 05/4.",
    ),
    ("List Bullet", "Tổ chức tổng duyệt chương trình nghệ thuật chậm nhất ngày 25/4."),
    ("Normal", "2. Sở Tài chính:"),
    ("List Bullet", "Thẩm định dự toán kinh phí, trình Ủy ban nhân dân tỉnh trong ngày 10/4."),
    ("Normal", "3. Công an tỉnh:"),
    (
        "List Bullet",
        "Xây dựng phương án bảo đảm an ninh, trật tự và báo cáo kết quả chuẩn bị, gửi "
        "Văn phòng Ủy ban nhân dân tỉnh trước 16 giờ 30 ngày 20/4.",
    ),
    ("Normal", "4. Văn phòng Ủy ban nhân dân tỉnh:"),
    (
        "List Bullet",
        "Tổng hợp báo cáo của các sở, ngành, báo cáo Chủ tịch Ủy ban nhân dân tỉnh "
        "trước ngày 22/4.",
    ),
    ("Normal", "Nơi nhận:"),
]

# A Hà Tĩnh plan with a quarter and deadlines counted from its event and from a tờ trình's
# arrival, and one counted from nothing the plan assigns ("nhận bài").
COUNTED_PLAN = """\
TỈNH ỦY HÀ TĨNH

Hà Tĩnh, ngày 01 tháng 3 năm 2023

KẾ HOẠCH

Tổ chức hội thảo khoa học về chuyển đổi số

II. THỜI GIAN, ĐỊA ĐIỂM

Hội thảo dự kiến tổ chức vào ngày 22/3/2023 tại Hội trường Tỉnh ủy.

III. TỔ CHỨC THỰC HIỆN

1. Văn phòng Tỉnh ủy:

- Chuẩn bị hội trường trước ngày 20/3/2023.

- Trước hội thảo ít nhất 10 ngày, gửi giấy mời đại biểu.

- Chậm nhất 07 ngày sau khi hội thảo kết thúc, báo cáo kết quả gửi Thường trực Tỉnh ủy.

2. Ban Tuyên giáo Tỉnh ủy:

- Xây dựng tờ trình về kỷ yếu hội thảo, gửi Ban Tổ chức Tỉnh ủy trước ngày 15/3/2023.

- Tổng hợp kết quả chuyển đổi số trong quý II/2023, gửi Văn phòng Tỉnh ủy.

3. Ban Tổ chức Tỉnh ủy:

- Thẩm định trong vòng 02 ngày làm việc kể từ khi nhận được tờ trình, gửi Văn phòng Tỉnh ủy.

- Đăng tin trong 03 ngày làm việc kể từ ngày nhận bài.
"""


def build_docx(path: Path, blocks: list[tuple[str, str]]) -> Path:
    """A Word document with these (style, text) paragraphs; "table" makes a table, its rows
    split by newlines and its cells by "|"."""
    document = docx.Document()
    for style, text in blocks:
        if style == "table":
            rows = [line.split("|") for line in text.split("\n")]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for row, values in zip(table.rows, rows, strict=True):
                for cell, value in zip(row.cells, values, strict=True):
                    cell.text = value
        else:
            document.add_paragraph(text, style=style)
    document.save(str(path))
    return path
