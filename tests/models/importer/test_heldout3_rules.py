"""Rules added after the third held-out check (QĐ 1627 Quảng Ngãi, CV 6278 Bộ Văn hóa, Thể thao
và Du lịch, TB 659 Văn phòng Chính phủ, 2025): each with a short real sentence of those
documents."""

from datetime import date

from models.deadlines import Period
from models.importer.pipeline import import_document
from models.importer.problems import NoteKind
from tests.models.importer.documents import written

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


def test_owner_sub_headings_are_read_when_the_assignment_section_gives_no_work(tmp_path):
    plan = import_document(written(tmp_path, SUB_HEADINGS, "qd.txt"), code="qd-1627").plan
    assert [d.title.split()[0] for d in plan.deliverables] == ["Thành", "Tổng"]
    assert all("phuong-xa-dac" in d.owner for d in plan.deliverables)


def test_a_time_line_is_the_time_of_the_task_above_not_a_task(tmp_path):
    plan = import_document(written(tmp_path, SUB_HEADINGS, "qd.txt"), code="qd-1627").plan
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
    plan = import_document(written(tmp_path, OWN_OWNERS, "qd.txt"), code="qd-1627").plan
    owners = [d.owner for d in plan.deliverables]
    assert owners[1] == "so-xay-dung"
    assert owners[2] == "so-tai-chinh"  # the partner after "phối hợp" is not the owner
    # both "+" lines share the one time line below them
    assert [d.due.when for d in plan.deliverables[1:3] if d.due] == [date(2025, 12, 31)] * 2


def test_a_responsibility_heading_names_the_owner_of_its_items(tmp_path):
    plan = import_document(written(tmp_path, OWN_OWNERS, "qd.txt"), code="qd-1627").plan
    assert "doi-tuong-thuc-hien-kiem-ke" in plan.deliverables[-1].owner


# CV 6278/BVHTTDL-VP, items 3 and 7: two Cục in one heading; an "if" sentence after the task.
LETTER = """\
Kính gửi: Các đơn vị thuộc Bộ được giao thực hiện thủ tục hành chính.

Trước tình hình đó, Bộ Văn hóa, Thể thao và Du lịch yêu cầu:

3. Cục Điện ảnh, Cục Du lịch Quốc gia Việt Nam

Phối hợp với Vụ Pháp chế đưa nội dung thực thi Phương án vào dự thảo Luật sửa đổi, bổ sung một \
số điều của Luật Điện ảnh, Luật Du lịch... đảm bảo hoàn thành thực thi trong năm 2026.

7. Cục Hợp tác quốc tế

Khẩn trương hoàn thành thực thi phương án cắt giảm, đơn giản hóa TTHC đã được phê duyệt tại \
Quyết định số 498/QĐ-TTg của Thủ tướng Chính phủ. Trường hợp có đề xuất khác, khẩn trương báo \
cáo cấp có thẩm quyền xem xét, phê duyệt, đảm bảo hoàn thành nhiệm vụ trước ngày 15/12/2025.
"""


def test_two_departments_in_one_heading_are_two_owners(tmp_path):
    result = import_document(written(tmp_path, LETTER, "cv.txt"), code="cv-6278")
    assert result.plan.deliverables[0].owner == "cuc-dien-anh"
    assert "Cục Du lịch Quốc gia Việt Nam" in result.text  # named in the draft's note


def test_an_if_sentence_is_no_unit_and_its_date_is_the_task_before_it(tmp_path):
    plan = import_document(written(tmp_path, LETTER, "cv.txt"), code="cv-6278").plan
    assert not any(u.name.startswith("Trường hợp") for u in plan.units)
    last = plan.deliverables[-1]
    assert last.owner == "cuc-hop-tac-quoc-te" and last.title.startswith("Khẩn trương")
    assert last.due is not None and last.due.when == date(2025, 12, 15)


# TB 659/TB-VPCP: a numbered lead-in, a second owner in a bullet, a duty followed by work.
NOTICE = """\
Hà Nội, ngày 29 tháng 11 năm 2025

1. Các đồng chí Bộ trưởng, Thủ trưởng cơ quan ngang Bộ, cơ quan thuộc Chính phủ theo chức \
năng, nhiệm vụ, thẩm quyền đề cao trách nhiệm, trực tiếp chỉ đạo thực hiện đồng bộ, quyết liệt, \
hiệu quả các nhiệm vụ, giải pháp; trong đó lưu ý chú trọng thực hiện tốt một số nội dung trọng \
tâm sau:

- Khẩn trương chỉ đạo tập trung rà soát, hoàn thiện các báo cáo. Các Báo cáo trên gửi Bộ Tư \
pháp trước ngày 05 tháng 12 năm 2025. Trên cơ sở đó, Bộ Tư pháp tổng hợp, báo cáo Thủ tướng \
Chính phủ trước ngày 10 tháng 12 năm 2025.

3. Bộ Tư pháp có trách nhiệm kiểm tra, đôn đốc các Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính \
phủ trong việc thực hiện các Nghị quyết và các nhiệm vụ nêu trên; chủ trì, phối hợp với Văn \
phòng Chính phủ khẩn trương nghiên cứu, đề xuất cấp có thẩm quyền ban hành tiêu chí đánh giá.
"""


def test_a_numbered_lead_in_gives_its_bullets_to_its_subject(tmp_path):
    plan = import_document(written(tmp_path, NOTICE, "tb.txt"), code="tb-659").plan
    first = plan.deliverables[0]
    assert first.title.startswith("Khẩn trương chỉ đạo")
    assert "dong-chi-bo-truong" in first.owner
    assert first.due is not None and first.due.when == date(2025, 12, 5)
    assert not any(d.title.startswith("Các đồng chí") for d in plan.deliverables)


def test_the_verb_after_a_ministry_is_no_part_of_its_name(tmp_path):
    plan = import_document(written(tmp_path, NOTICE, "tb.txt"), code="tb-659").plan
    summary = plan.deliverables[1]
    assert summary.owner == "bo-tu-phap"
    assert summary.due is not None and summary.due.when == date(2025, 12, 10)


def test_the_work_after_a_standing_duty_is_the_duty_bodys_task(tmp_path):
    plan = import_document(written(tmp_path, NOTICE, "tb.txt"), code="tb-659").plan
    [work] = [d for d in plan.deliverables if "tiêu chí" in d.quote]
    assert work.owner == "bo-tu-phap" and work.quote.startswith("chủ trì")
    assert not any("có trách nhiệm" in d.quote for d in plan.deliverables)


# CV 6278/BVHTTDL-VP, item 8: doing well what is done anyway is no task; the dated work is.
GENERAL = """\
Kính gửi: Các đơn vị thuộc Bộ được giao thực hiện thủ tục hành chính.

8. Các đơn vị có TTHC

- Thực hiện nghiêm túc việc lấy ý kiến của Văn phòng Bộ (đơn vị thực hiện công tác kiểm soát \
TTHC) trong quá trình xây dựng dự thảo các VBQPPL có quy định TTHC.

- Kiểm soát chặt chẽ và thực hiện nghiêm việc đánh giá tác động chính sách, TTHC tại các dự án, \
dự thảo VBQPPL đang thực hiện và sắp triển khai.

- Tập trung số hóa 100% hồ sơ, tài liệu, kết quả giải quyết TTHC còn hiệu lực, hoàn thành trước \
30/11/2025.
"""


def test_general_duties_under_an_owner_are_no_tasks(tmp_path):
    plan = import_document(written(tmp_path, GENERAL, "cv.txt"), code="cv-6278").plan
    [task] = plan.deliverables
    assert task.title.startswith("Tập trung số hóa")
    assert task.due is not None and task.due.when == date(2025, 11, 30)


# QĐ 1627/QĐ-UBND, IV.1.1: time lines that give a month ("Tháng 12/2025") or a range of months
# written with one year ("Tháng 11 - 12/2025"), and one that gives only a start.
MONTH_LINES = """\
Quảng Ngãi, ngày 21 tháng 11 năm 2025

IV. NHIỆM VỤ CỤ THỂ

1.1. Sở Tài chính

- Tuyên truyền, phổ biến, quán triệt các cơ quan, tổ chức, đơn vị thực hiện nghiêm túc các quy định.

Thời gian thực hiện: Từ tháng 11/2025 đến khi kết thúc Tổng kiểm kê.

- Tham mưu triển khai thực hiện kế hoạch kiểm kê và phân công nhiệm vụ cho các thành viên.

Thời gian hoàn thành: Tháng 11 - 12/2025.

- Phối hợp với các cơ quan chuyên môn có liên quan hướng dẫn chỉ tiêu, biểu mẫu kiểm kê.

Thời gian hoàn thành: Tháng 12/2025.
"""


def test_a_time_line_of_months_is_due_by_the_last_month_and_a_range_is_a_guess(tmp_path):
    plan = import_document(written(tmp_path, MONTH_LINES, "qd.txt"), code="qd-1627").plan
    start, ranged, month = plan.deliverables
    assert start.due is None  # a start is no deadline
    for drafted in (ranged, month):
        assert drafted.due is not None and drafted.due.period is Period.MONTH
        assert drafted.due.when == date(2025, 12, 31)
    assert ranged.due is not None and ranged.due.phrase == "Tháng 11 - 12/2025"
    guesses = [n.target for n in plan.notes if n.field == "due" and n.kind is NoteKind.GUESSED]
    assert guesses == [ranged.code]
