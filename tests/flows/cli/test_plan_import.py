"""`dondoc plan import` end to end: the summary, the file, exit codes, nothing half written."""

from pathlib import Path

import pytest

from tests.models.importer.documents import (
    COUNTED_PLAN,
    NGHE_AN,
    QUANG_TRI,
    QUANG_TRI_REGISTRY,
    SEED_SOURCE,
)

pytestmark = pytest.mark.cli


def test_importing_the_seed_document_writes_a_plan_that_plan_check_accepts(dondoc, tmp_path):
    result = dondoc("plan", "import", SEED_SOURCE)
    assert result.exit_code == 1, result.output  # valid, but its guesses are still to confirm
    written = tmp_path / "plans" / "gap-mat-2023.yaml"
    assert written.is_file()
    assert "Đã ghi bản nháp" in result.stdout and "Cần xác nhận" in result.stdout
    assert "Bản nháp hợp lệ" in result.stdout and "chỗ “TODO confirm”" in result.stdout
    check = dondoc("plan", "check", written)
    assert check.exit_code == 0 and "gap-mat-2023" in check.stdout


def test_the_summary_names_guesses(dondoc, tmp_path):
    result = dondoc(
        "plan", "import", QUANG_TRI, "--registry", QUANG_TRI_REGISTRY, "--out", "qt.yaml"
    )
    assert result.exit_code == 1, result.output
    assert "không ghi năm; lấy năm 2024" in result.stdout and "Đoán" in result.stdout
    assert (tmp_path / "qt.yaml").read_text(encoding="utf-8").startswith("# Bản nháp")


def test_an_ambiguous_plan_is_written_reported_and_exits_1(dondoc, tmp_path):
    result = dondoc("plan", "import", NGHE_AN, "--out", "na.yaml")
    assert result.exit_code == 1
    assert "Mơ hồ" in result.stdout and "Không xếp được" in result.stdout
    assert "nhóm cần ít nhất một đơn vị" in result.stderr
    assert "TODO confirm (mơ hồ)" in (tmp_path / "na.yaml").read_text(encoding="utf-8")


HEADER = "TỈNH ỦY HÀ TĨNH\n\nHà Tĩnh, ngày 01 tháng 3 năm 2023\n\nKẾ HOẠCH\n\nTổ chức hội nghị\n\n"
SECTION = (
    "III. TỔ CHỨC THỰC HIỆN\n\n1. Văn phòng Tỉnh ủy:\n\n"
    "- Chuẩn bị hội trường trước ngày 09/3/2023.\n"
)


def test_a_draft_with_nothing_to_confirm_exits_0(dondoc, tmp_path):
    document = tmp_path / "kh.txt"
    document.write_text(HEADER + SECTION, encoding="utf-8")
    result = dondoc("plan", "import", document, "--code", "hn-2023", "--out", "hn.yaml")
    assert result.exit_code == 0, result.output
    assert "tìm thấy 1 nhiệm vụ" in result.stdout and "0 chỗ đoán" in result.stdout
    assert "không còn chỗ nào cần xác nhận" in result.stdout


def test_the_summary_counts_guesses_and_lists_each_unplaced_sentence_by_line(dondoc, tmp_path):
    document = tmp_path / "kh.txt"
    relative = (
        "\n2. Ban Tuyên giáo Tỉnh ủy:\n\n- Đăng tin trong 03 ngày làm việc kể từ ngày nhận bài.\n"
    )
    document.write_text(HEADER + SECTION + relative, encoding="utf-8")
    result = dondoc("plan", "import", document, "--out", "hn.yaml")
    assert result.exit_code == 1, result.output
    assert "tìm thấy 2 nhiệm vụ" in result.stdout and "1 chỗ không xếp được:" in result.stdout
    assert "1 chỗ đoán" in result.stdout  # the plan code, proposed from the title
    assert "Không xếp được, dòng 17: “trong 03 ngày làm việc kể từ" in result.stdout


def test_a_draft_with_a_period_and_counted_deadlines_passes_plan_check(dondoc, tmp_path):
    document = tmp_path / "kh-hoi-thao.txt"
    document.write_text(COUNTED_PLAN, encoding="utf-8")
    result = dondoc("plan", "import", document, "--out", "ht.yaml")
    assert result.exit_code == 1, result.output  # the counts are guesses to confirm
    written = (tmp_path / "ht.yaml").read_text(encoding="utf-8")
    assert "due: {quarter: 2023-Q2}" in written and "due: {days_after: 7, of: hoi-thao}" in written
    check = dondoc("plan", "check", tmp_path / "ht.yaml")
    assert check.exit_code == 0, check.output


def test_the_docx_plan_with_year_option(dondoc, quang_binh_docx, tmp_path):
    result = dondoc("plan", "import", quang_binh_docx, "--year", "2025", "--code", "le-qb-2025")
    assert result.exit_code == 1, result.output
    assert "2025-04-20T16:30" in (tmp_path / "plans" / "le-qb-2025.yaml").read_text()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("rong.txt", b"", "tệp rỗng"),
        (
            "khong-giao-viec.txt",
            "KẾ HOẠCH\n\nI. MỤC ĐÍCH\n\n- Nắm tình hình.\n".encode(),
            "TỔ CHỨC",
        ),
        ("nhi-phan.txt", bytes(range(256)), "tệp nhị phân"),
        ("hong.docx", b"not a docx", "không đọc được tệp Word"),
        ("ke-hoach.pdf", b"%PDF-1.4", "không được hỗ trợ"),
    ],
)
def test_malformed_input_exits_2_names_the_file_and_writes_nothing(
    dondoc, tmp_path, name, content, message
):
    document = tmp_path / name
    document.write_bytes(content)
    result = dondoc("plan", "import", document, "--out", "out.yaml")
    assert result.exit_code == 2
    assert message in result.stderr and name in result.stderr
    assert not (tmp_path / "out.yaml").exists() and not (tmp_path / "plans").exists()


def test_an_existing_out_file_is_not_overwritten_without_force(dondoc, tmp_path):
    out = tmp_path / "plan.yaml"
    out.write_text("của người khác\n")
    refused = dondoc("plan", "import", SEED_SOURCE, "--out", out)
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert out.read_text() == "của người khác\n"
    forced = dondoc("plan", "import", SEED_SOURCE, "--out", out, "--force")
    assert forced.exit_code == 1 and out.read_text(encoding="utf-8").startswith("# Bản nháp")


def test_a_missing_document_exits_2(dondoc, tmp_path: Path):
    result = dondoc("plan", "import", tmp_path / "khong-co.txt")
    assert result.exit_code == 2 and "không tìm thấy tệp" in result.stderr


def test_an_invalid_plan_code_exits_2_before_anything_is_written(dondoc, tmp_path: Path):
    result = dondoc("plan", "import", SEED_SOURCE, "--code", "Gặp Mặt")
    assert result.exit_code == 2 and "mã kế hoạch" in result.stderr
    assert not (tmp_path / "plans").exists()


TB_634 = (
    Path(__file__).parents[2] / "models/importer/corpus/tb-634-2025-vpcp-thanh-hoa.txt"
).resolve()


def test_an_edge_the_deadlines_forbid_is_listed_not_drafted_and_the_draft_checks(dondoc, tmp_path):
    result = dondoc("plan", "import", TB_634, "--out", "tb.yaml")
    assert result.exit_code == 1, result.output
    assert "không đề xuất chờ" in " ".join(result.stdout.split())
    assert "muộn hơn lúc một nhiệm vụ chờ" not in result.stderr
    # The document's words and the notes are printed as they are: "[…]" is no rich markup.
    assert "[don-vi-a," in result.stdout and "don-vi-b])" in result.stdout  # in a folded cell
