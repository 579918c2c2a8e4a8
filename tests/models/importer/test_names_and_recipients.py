"""A Hà Tĩnh plan imported end to end with abbreviated names, collective owners, two
recipients, a relay and a year-less date the document is past: what the draft writes and
that, once its empty group is filled in, it passes `plan check`."""

from datetime import date
from pathlib import Path

import pytest

from models.importer.pipeline import ImportResult, import_document
from models.loader import read_plan_text

PLAN = """\
TỈNH ỦY HÀ TĨNH

Hà Tĩnh, ngày 20 tháng 11 năm 2025

KẾ HOẠCH

Tổng kết công tác năm 2025

III. TỔ CHỨC THỰC HIỆN

1. Văn phòng Tỉnh ủy:

- Tổng hợp báo cáo của các đơn vị, trình Thường trực Tỉnh ủy trước ngày 15/3.

2. Sở KH&ĐT:

- Xây dựng báo cáo kinh tế - xã hội, gửi 1 bản về Văn phòng Tỉnh ủy, 1 bản về Thường trực \
Tiểu ban Văn kiện trước ngày 10/12/2025.

3. UBND các huyện, thành phố:

- Đánh giá kết quả thực hiện, báo cáo Thường trực Tỉnh ủy (qua Văn phòng Tỉnh ủy) trước ngày \
05/12/2025.

4. Các huyện ủy, thành ủy, thị ủy:

- Xây dựng báo cáo tình hình, gửi Văn phòng Tỉnh ủy trước ngày 01/12/2025.

Nơi nhận:
"""
GROUP = "uy-ban-nhan-dan-cac-huyen-thanh-pho"


def imported_plan(tmp_path: Path, year: int | None = None) -> ImportResult:
    path = tmp_path / "ke-hoach-tong-ket.txt"
    path.write_text(PLAN, encoding="utf-8")
    return import_document(path, year=year)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> ImportResult:
    return imported_plan(tmp_path_factory.mktemp("kh"))


def line_of(result: ImportResult, text: str) -> str:
    return next(line for line in result.text.splitlines() if text in line)


def by_owner(result: ImportResult, owner: str):
    return next(d for d in result.plan.deliverables if d.owner == owner)


def test_an_abbreviated_owner_becomes_a_unit_named_in_full(imported):
    assert by_owner(imported, "so-ke-hoach-va-dau-tu")
    assert '{code: so-ke-hoach-va-dau-tu, name: "Sở Kế hoạch và Đầu tư"}' in imported.text
    assert "văn bản viết “Sở KH&ĐT”" in line_of(imported, "code: so-ke-hoach-va-dau-tu,")


def test_the_second_of_two_recipients_is_named_in_a_todo(imported):
    report = by_owner(imported, "so-ke-hoach-va-dau-tu")
    assert report.to == "vptu"
    assert "# TODO confirm (mơ hồ): nhiều nơi nhận (vptu “Văn phòng Tỉnh ủy”; " in line_of(
        imported, "to: vptu"
    )
    assert "thuong-truc-tieu-ban-van-kien “Thường trực Tiểu ban Văn kiện”" in imported.text


def test_a_relay_is_noted_and_the_final_recipient_is_the_to(imported):
    report = by_owner(imported, f"group:{GROUP}")
    assert report.to == "thuong-truc"
    relay = line_of(imported, "gửi qua Văn phòng Tỉnh ủy (vptu); nơi nhận cuối cùng ghi là")
    assert relay.startswith("    to: thuong-truc  # TODO confirm:")


def test_trinh_names_the_recipient(imported):
    assert by_owner(imported, "vptu").to == "thuong-truc"


def test_a_known_collective_owner_is_the_registrys_group(imported):
    assert by_owner(imported, "group:huyen")
    assert len(imported.plan.groups["huyen"]) == 13


def test_an_unknown_collective_owner_is_an_empty_group_saying_what_to_fill_in(imported):
    assert imported.plan.groups[GROUP] == ()
    todo = line_of(imported, f"{GROUP}: []")
    assert f"ghi mã các đơn vị thành viên vào groups.{GROUP}" in todo
    assert [p.message for p in imported.errors] == ["nhóm cần ít nhất một đơn vị"]


def test_the_draft_passes_plan_check_once_the_group_is_filled_in(imported):
    filled = imported.text.replace(f"{GROUP}: []", f"{GROUP}: [tp-ha-tinh, tx-hong-linh]")
    assert read_plan_text(filled, "draft").plan.code


def test_a_year_less_date_the_document_is_past_takes_the_next_year(imported):
    synthesis = by_owner(imported, "vptu")
    assert synthesis.due is not None and synthesis.due.when == date(2026, 3, 15)
    assert (
        "# TODO confirm: “trước ngày 15/3” không ghi năm; ngày đó năm 2025 đã qua khi văn bản ký"
        " (20/11/2025), tạm ghi năm 2026" in line_of(imported, "before: 2026-03-15")
    )


def test_a_year_given_on_the_command_line_is_taken_as_it_is(tmp_path):
    synthesis = by_owner(imported_plan(tmp_path, year=2025), "vptu")
    assert synthesis.due is not None and synthesis.due.when == date(2025, 3, 15)
