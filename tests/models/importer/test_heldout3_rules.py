"""Rules added after the third held-out check (QĐ 1627 Quảng Ngãi, CV 6278 Bộ Văn hóa, Thể thao
và Du lịch, TB 659 Văn phòng Chính phủ, 2025): each with a short real sentence of those
documents."""

from datetime import date
from pathlib import Path

from models.importer.pipeline import import_document

# QĐ 1627/QĐ-UBND: a content item opening with "Tổ chức thực hiện", the work under owner
# sub-headings of "IV. NHIỆM VỤ CỤ THỂ", each task followed by its time line, and a "TỔ CHỨC
# THỰC HIỆN" section that only says how to proceed.
SUB_HEADINGS = """\
Quảng Ngãi, ngày 21 tháng 11 năm 2025

III. NỘI DUNG THỰC HIỆN

4. Tổ chức thực hiện kiểm kê, đôn đốc, kiểm tra, giám sát việc thực hiện các nội dung kiểm kê.

IV. NHIỆM VỤ CỤ THỂ

1.4. Ủy ban nhân dân các phường, xã, đặc khu

- Thành lập Ban Chỉ đạo tổng kiểm kê tài sản cấp xã để chỉ đạo, đôn đốc, kiểm tra các cơ quan.

Thời gian hoàn thành: Trước ngày 15/11/2025.

- Tổng hợp kết quả kiểm kê, báo cáo kết quả kiểm kê theo từng loại tài sản.

Thời gian hoàn thành: Trước ngày 15/4/2026.

VI. TỔ CHỨC THỰC HIỆN

2. Việc triển khai Kế hoạch này phải được thực hiện bằng nhiều phương pháp, hình thức phù hợp.
"""


def _file(tmp_path: Path, text: str, name: str = "qd.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_owner_sub_headings_are_read_when_the_assignment_section_gives_no_work(tmp_path):
    plan = import_document(_file(tmp_path, SUB_HEADINGS), code="qd-1627").plan
    assert [d.title.split()[0] for d in plan.deliverables] == ["Thành", "Tổng"]
    assert all("phuong-xa-dac" in d.owner for d in plan.deliverables)


def test_a_time_line_is_the_time_of_the_task_above_not_a_task(tmp_path):
    plan = import_document(_file(tmp_path, SUB_HEADINGS), code="qd-1627").plan
    dues = [d.due.when if d.due else None for d in plan.deliverables]
    assert dues == [date(2025, 11, 15), date(2026, 4, 15)]
    assert not any(d.title.startswith("Thời gian") for d in plan.deliverables)


# QĐ 1627/QĐ-UBND, IV.1.3 and 1.5: "+" lines naming their own owner under one time line, and a
# "Trách nhiệm của …" heading.
OWN_OWNERS = """\
Quảng Ngãi, ngày 21 tháng 11 năm 2025

IV. NHIỆM VỤ CỤ THỂ

1.2. Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo

- Tổng hợp kết quả kiểm kê, báo cáo kết quả kiểm kê gửi Bộ Tài chính.

Thời gian hoàn thành: Trước ngày 31/5/2026.

+ Sở Xây dựng: hướng dẫn các cơ quan, tổ chức, đơn vị, địa phương thực hiện kiểm kê.

+ Sở Tài chính phối hợp Ban Quản lý Khu kinh tế Dung Quất và các Khu công nghiệp Quảng Ngãi: \
hướng dẫn các cơ quan, tổ chức, đơn vị thực hiện kiểm kê.

Thời gian thực hiện: Trước ngày 31/12/2025.

1.5. Trách nhiệm của đối tượng thực hiện kiểm kê:

- Chuẩn bị các điều kiện cần thiết về hồ sơ, thông tin tài sản.

Thời hạn hoàn thành: Trước ngày 31/12/2025.
"""


def test_a_sub_item_naming_a_body_before_its_colon_is_that_bodys_task(tmp_path):
    plan = import_document(_file(tmp_path, OWN_OWNERS), code="qd-1627").plan
    owners = [d.owner for d in plan.deliverables]
    assert owners[1] == "so-xay-dung"
    assert owners[2] == "so-tai-chinh"  # the partner after "phối hợp" is not the owner
    # both "+" lines share the one time line below them
    assert [d.due.when for d in plan.deliverables[1:3] if d.due] == [date(2025, 12, 31)] * 2


def test_a_responsibility_heading_names_the_owner_of_its_items(tmp_path):
    plan = import_document(_file(tmp_path, OWN_OWNERS), code="qd-1627").plan
    assert "doi-tuong-thuc-hien-kiem-ke" in plan.deliverables[-1].owner
