"""Assignment tables (.docx tables, Markdown pipe tables): one deliverable per row."""

from datetime import date, datetime
from pathlib import Path

import pytest

from models.importer.assignment_tables import Column, column_of, names_in
from models.importer.pipeline import ImportResult, import_document
from models.importer.problems import NoteKind
from models.importer.text import read_paragraphs
from tests.models.importer.documents import build_docx
from tests.models.importer.test_other_plans import by_quote, due_of, spec_of

HEADER = "TT|Nội dung công việc|Đơn vị chủ trì|Đơn vị phối hợp|Thời gian hoàn thành|Ghi chú"
ROWS = [
    "(1)|(2)|(3)|(4)|(5)|(6)",  # column numbers: no task
    "I|CÔNG TÁC CHUẨN BỊ||||",  # a group of rows: no task
    "1|Xây dựng báo cáo tổng kết công tác y tế dự phòng, gửi Văn phòng Ủy ban nhân dân tỉnh"
    "|Sở Y tế|Sở Tài chính|Trước ngày 10/4/2024|",
    "2|Chuẩn bị bài tham luận của ngành giáo dục|Sở Giáo dục và Đào tạo||15/4/2024|",
    # a group heading in a cell merged across the row: Word repeats it in every column
    "II|" + "|".join(["Công tác tổ chức hội nghị"] * 5),
    "3|Xây dựng phương án bảo đảm an ninh, trật tự tại hội nghị|Công an tỉnh||Chậm nhất ngày 18/4|",
    "4|Bố trí kinh phí tổ chức hội nghị|Sở Tài chính||Trước 16 giờ ngày 12/4/2024|",
]
NO_OWNER = "5|Chuẩn bị hội trường, âm thanh, ánh sáng|||20/4/2024|Cần phân công"
BUDGET = "TT|Nội dung|Số tiền (đồng)|Ghi chú\n1|Thuê hội trường trước ngày 01/4/2024|10.000.000|"


def lam_ha(rows: list[str]) -> list[tuple[str, str]]:
    """A plan of the (invented) province Lâm Hà: one bullet, the rest in an appendix table."""
    return [
        ("Normal", "ỦY BAN NHÂN DÂN TỈNH LÂM HÀ"),
        ("Normal", "Lâm Hà, ngày 05 tháng 3 năm 2024"),
        ("Title", "KẾ HOẠCH"),
        ("Normal", "Tổ chức Hội nghị tổng kết công tác phòng, chống dịch bệnh năm 2024"),
        ("Heading 1", "I. THỜI GIAN, ĐỊA ĐIỂM"),
        ("Normal", "Hội nghị dự kiến tổ chức vào ngày 25/4/2024 tại Hội trường tỉnh."),
        ("Heading 1", "II. TỔ CHỨC THỰC HIỆN"),
        ("Normal", "Nhiệm vụ của các sở, ngành tại Phụ lục kèm theo."),
        ("Normal", "1. Văn phòng Ủy ban nhân dân tỉnh:"),
        (
            "List Bullet",
            "Tổng hợp báo cáo của các sở, ngành, báo cáo Chủ tịch Ủy ban nhân dân tỉnh "
            "trước ngày 20/4/2024.",
        ),
        ("Normal", "Nơi nhận:"),
        ("Normal", "PHỤ LỤC PHÂN CÔNG NHIỆM VỤ"),
        ("table", "\n".join([HEADER, *rows])),
        ("Normal", "DỰ TRÙ KINH PHÍ"),
        ("table", BUDGET),
    ]


@pytest.fixture
def with_gap(tmp_path: Path) -> ImportResult:
    """Every row but one (no owner) can be placed."""
    return import_document(build_docx(tmp_path / "lam-ha.docx", lam_ha([*ROWS, NO_OWNER])))


@pytest.fixture
def complete(tmp_path: Path) -> ImportResult:
    return import_document(build_docx(tmp_path / "lam-ha-du.docx", lam_ha(ROWS)))


def test_each_table_row_becomes_a_deliverable_with_its_owner_and_deadline(complete):
    assert complete.valid, complete.errors
    spec = spec_of(complete)
    report = by_quote(spec, "Xây dựng báo cáo tổng kết")
    assert (report.owner, report.to) == ("so-y-te", "van-phong-uy-ban-nhan-dan-tinh")
    assert due_of(report).before == date(2024, 4, 10)
    assert by_quote(spec, "Chuẩn bị bài tham luận").owner == "so-giao-duc-va-dao-tao"
    assert due_of(by_quote(spec, "Chuẩn bị bài tham luận")).by == date(2024, 4, 15)
    assert due_of(by_quote(spec, "Xây dựng phương án")).by == date(2024, 4, 18)
    assert due_of(by_quote(spec, "Bố trí kinh phí")).at == datetime(2024, 4, 12, 16, 0)
    assert by_quote(spec, "Tổng hợp báo cáo").owner == "van-phong-uy-ban-nhan-dan-tinh"
    assert due_of(by_quote(spec, "Hội nghị dự kiến")).on == date(2024, 4, 25)


def test_structure_rows_and_a_table_without_assignment_headers_give_nothing(complete):
    quotes = [d.quote for d in spec_of(complete).deliverables]
    assert len(quotes) == 6  # one bullet, four rows, the meeting
    assert not any(q.startswith(("CÔNG TÁC", "Công tác", "(1)", "Thuê")) for q in quotes)


def test_a_bare_date_is_a_guess_and_a_cooperating_unit_only_a_note(complete):
    spec = spec_of(complete)
    notes = {(n.target, n.field): n for n in complete.plan.notes}
    bare = notes[(by_quote(spec, "Chuẩn bị bài tham luận").code, "due")]
    assert bare.kind is NoteKind.GUESSED and "Bảng 1, dòng 2" in bare.message
    assert "“15/4/2024”: hiểu là chậm nhất ngày đó" in bare.message
    report = by_quote(spec, "Xây dựng báo cáo tổng kết")
    partner = notes[(report.code, "owner")]
    assert "đơn vị phối hợp (không phải chủ trì): Sở Tài chính" in partner.message
    assert "so-tai-chinh" not in (report.owner, report.to)
    assert "# TODO confirm: Bảng 1, dòng 1: đơn vị phối hợp" in complete.text


def test_a_row_without_an_owner_is_reported_not_dropped(with_gap):
    [note] = [n for n in with_gap.plan.notes if n.kind is NoteKind.UNPLACED]
    assert "Bảng 1, dòng 5" in note.message and "không ghi đơn vị chủ trì" in note.message
    assert "Chuẩn bị hội trường" in note.message and note.line is not None
    assert "Không xếp được:\n# - Bảng 1, dòng 5" in with_gap.text
    assert not any(d.quote.startswith("Chuẩn bị hội trường") for d in with_gap.plan.deliverables)


PIPE_PLAN = """\
Lâm Hà, ngày 05 tháng 3 năm 2024

# KẾ HOẠCH

Tổ chức Hội nghị tổng kết công tác phòng, chống dịch bệnh năm 2024

## II. TỔ CHỨC THỰC HIỆN

**1. Văn phòng Ủy ban nhân dân tỉnh:**

- Tổng hợp báo cáo của các sở, ngành trước ngày 20/4/2024.

**2. Các sở, ngành theo bảng sau:**

| STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn | Nơi nhận/Gửi về |
|----:|---|---|---|---|---|
| 1 | Xây dựng báo cáo tổng kết | **Sở Y tế** | Sở Tài chính | trước ngày 10/4/2024 \
| Văn phòng Ủy ban nhân dân tỉnh |
| 2 | Chuẩn bị bài tham luận | Sở Giáo dục và Đào tạo | | 15/4 | |
| 3 | Tổng hợp số liệu tiêm chủng | Sở Y tế<br>Trung tâm Kiểm soát bệnh tật | | Quý II/2024 \
| Văn phòng Ủy ban nhân dân tỉnh |

Nơi nhận:
"""


@pytest.fixture
def pipe(tmp_path: Path) -> ImportResult:
    path = tmp_path / "lam-ha.md"
    path.write_text(PIPE_PLAN, encoding="utf-8")
    return import_document(path)


def test_markdown_pipe_table_rows_are_deliverables(pipe):
    spec = spec_of(pipe)
    report = by_quote(spec, "Xây dựng báo cáo tổng kết")
    assert (report.owner, report.to) == ("so-y-te", "van-phong-uy-ban-nhan-dan-tinh")
    assert due_of(report).before == date(2024, 4, 10)
    assert due_of(by_quote(spec, "Chuẩn bị bài tham luận")).by == date(2024, 4, 15)
    assert by_quote(spec, "Chuẩn bị bài tham luận").to is None
    speech = by_quote(spec, "Chuẩn bị bài tham luận").code
    bare, year = [n for n in pipe.plan.notes if n.target == speech]
    assert "“15/4”: hiểu là chậm nhất ngày đó" in bare.message
    assert "không ghi năm; lấy năm 2024" in year.message and year.kind is NoteKind.GUESSED
    assert len(spec.deliverables) == 4  # the bullet and three rows; "2. Các sở, ngành" no task


def test_a_quarter_is_drafted_as_a_quarter_and_two_owners_in_a_row_as_a_guess(pipe):
    figures = by_quote(spec_of(pipe), "Tổng hợp số liệu tiêm chủng")
    assert figures.owner == "so-y-te" and due_of(figures).quarter == "2024-Q2"
    assert due_of(figures).day == date(2024, 6, 30)
    notes = {n.field: n for n in pipe.plan.notes if n.target == figures.code}
    assert "due" not in notes  # "Quý II/2024" is written as the plan's own quarter form
    assert notes["owner"].kind is NoteKind.AMBIGUOUS
    assert "Trung tâm Kiểm soát bệnh tật" in notes["owner"].message


def test_a_table_without_assignment_headers_is_ignored(tmp_path):
    path = tmp_path / "kinh-phi.md"
    path.write_text(
        "KẾ HOẠCH\n\nIII. TỔ CHỨC THỰC HIỆN\n\n1. Sở Tài chính:\n\n- Cấp kinh phí.\n\n"
        "| TT | Nội dung | Số tiền | Ghi chú |\n|---|---|---|---|\n"
        "| 1 | Thuê hội trường trước ngày 01/4/2024 | 10.000.000 | |\n",
        encoding="utf-8",
    )
    rows = [p for p in read_paragraphs(path) if p.is_row]
    assert [r.cells for r in rows][1] == (
        "1",
        "Thuê hội trường trước ngày 01/4/2024",
        "10.000.000",
        "",
    )
    result = import_document(path)
    assert [d.quote for d in result.plan.deliverables] == ["Cấp kinh phí."]


def test_a_document_whose_only_assignments_are_a_table_is_imported(tmp_path):
    path = tmp_path / "phu-luc.md"
    table = PIPE_PLAN[PIPE_PLAN.index("| STT") : PIPE_PLAN.index("Nơi nhận:")]
    path.write_text(f"KẾ HOẠCH\n\nHội nghị năm 2024\n\n{table}", encoding="utf-8")
    result = import_document(path)
    assert [d.owner for d in result.plan.deliverables] == [
        "so-y-te",
        "so-giao-duc-va-dao-tao",
        "so-y-te",
    ]


SUBMITTED = """\
KẾ HOẠCH

Chương trình hành động năm 2023

TT | Nhiệm vụ | Cơ quan chủ trì thực hiện | Thời gian trình | Cấp trình
---|---|---|---|---
1 | Báo cáo tổng kết thi hành Luật Thủ đô | Bộ Tư pháp | 2023 | Chính phủ
2 | Dự án Luật Thủ đô (sửa đổi) | Bộ Tư pháp | 2024 | Chính phủ, Quốc hội
3 | Đề án phát triển các viện nghiên cứu | Bộ KH&CN | 2023 | Thủ tướng Chính phủ
"""


def test_the_cap_trinh_column_is_the_recipient_of_its_row(tmp_path):
    path = tmp_path / "chuong-trinh.md"
    path.write_text(SUBMITTED, encoding="utf-8")
    result = import_document(path)
    drafted = result.plan.deliverables
    assert [d.to for d in drafted] == ["chinh-phu", "chinh-phu", "thu-tuong-chinh-phu"]
    assert drafted[2].owner == "bo-khoa-hoc-va-cong-nghe"  # "Bộ KH&CN" in full
    [two] = [n for n in result.plan.notes if n.field == "to" and n.kind is NoteKind.AMBIGUOUS]
    assert "quoc-hoi “Quốc hội”" in two.message and two.target == drafted[1].code


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Nội dung công việc", Column.CONTENT),
        ("NHIỆM VỤ", Column.CONTENT),
        ("Cơ quan chủ trì", Column.OWNER),
        ("Đơn vị thực hiện", Column.OWNER),
        ("Đơn vị phối hợp", Column.PARTNER),
        ("Thời gian thực hiện", Column.TIME),
        ("Thời hạn", Column.TIME),
        ("Nơi nhận/Gửi về", Column.RECIPIENT),
        ("Cấp trình", Column.RECIPIENT),  # the level a row is submitted to
        ("Thời gian trình", Column.TIME),
        ("STT", Column.NUMBER),
        ("Số tiền (đồng)", None),
    ],
)
def test_headers_are_recognised_without_case_or_diacritics(header, column):
    assert column_of(header) == column


@pytest.mark.parametrize(
    ("cell", "owners"),
    [
        (
            "Bộ Xây dựng, Bộ Tài nguyên và Môi trường",
            ("Bộ Xây dựng", "Bộ Tài nguyên và Môi trường"),
        ),
        ("Sở Lao động, Thương binh và Xã hội", ("Sở Lao động, Thương binh và Xã hội",)),
        ("Các Sở, ngành, đơn vị, UBND cấp xã.", ("Các Sở, ngành, đơn vị, UBND cấp xã",)),
        ("Sở Y tế\nTrung tâm Kiểm soát bệnh tật", ("Sở Y tế", "Trung tâm Kiểm soát bệnh tật")),
    ],
)
def test_an_owner_cell_is_split_by_line_semicolon_or_bodies_of_one_kind(cell, owners):
    assert names_in(cell) == owners


TIME_CELLS = """\
Lâm Hà, ngày 05 tháng 3 năm 2024

# KẾ HOẠCH

Tổ chức Hội nghị tổng kết công tác phòng, chống dịch bệnh năm 2024

## II. TỔ CHỨC THỰC HIỆN

| STT | Nhiệm vụ | Cơ quan chủ trì | Thời hạn |
|----:|---|---|---|
| 1 | Xây dựng đề án phát triển y tế cơ sở | Sở Y tế | 2022-2030 |
| 2 | Tuyên truyền phòng, chống dịch bệnh | Sở Y tế | Thường xuyên |
| 3 | Rà soát danh mục thuốc thiết yếu | Sở Y tế | Quý III |
| 4 | Tập huấn cán bộ y tế cơ sở | Sở Y tế | Theo tiến độ của Bộ Y tế |
| 5 | Kiểm tra công tác tiêm chủng | Sở Y tế | Tháng 6/2024 |

Nơi nhận:
"""


@pytest.fixture
def time_cells(tmp_path: Path) -> ImportResult:
    path = tmp_path / "lam-ha-thoi-han.md"
    path.write_text(TIME_CELLS, encoding="utf-8")
    return import_document(path, code="lam-ha-2024")


@pytest.mark.parametrize(
    ("quote", "written", "note"),
    [
        ("Xây dựng đề án", "due: {year: 2030}", "một giai đoạn; tạm ghi hạn là năm cuối (2030)"),
        ("Rà soát danh mục", "due: {quarter: 2024-Q3}", "không ghi năm; lấy năm 2024"),
        ("Kiểm tra công tác", "due: {month: 2024-06}", ""),
        ("Tuyên truyền", "", "việc làm thường xuyên hoặc định kỳ"),
        ("Tập huấn cán bộ", "", "làm theo một kế hoạch hoặc tiến độ khác"),
    ],
)
def test_a_time_column_is_drafted_as_its_period_or_reported_saying_why(
    time_cells, quote, written, note
):
    assert time_cells.valid, time_cells.errors
    found = next(d for d in time_cells.plan.deliverables if d.quote.startswith(quote))
    notes = [n.message for n in time_cells.plan.notes if n.target == found.code]
    assert (found.due is not None) is bool(written)
    if written:
        assert any(written in line for line in time_cells.text.splitlines())
    assert any(note in message for message in notes) if note else notes == []
