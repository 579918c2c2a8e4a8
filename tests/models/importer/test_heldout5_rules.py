"""Rules added after the fifth held-out check (Kế hoạch 182/KH-UBND Đồng Nai, Chỉ thị 09/CT-UBND
Cần Thơ, Công văn 11554/VPCP-V.I, Quyết định 2623/QĐ-TTg, Kế hoạch 552/KH-UBND Đồng Tháp, Công
văn 4169/UBND-VX Hồ Chí Minh, 2025): each with short real sentences of those documents."""

from datetime import date

from models.deadlines import Period
from models.importer.pipeline import import_document
from tests.models.importer.documents import written

# KH 182/KH-UBND: the work is handed out in "III. …, PHÂN CÔNG TRÁCH NHIỆM" → "2. Phân công trách
# nhiệm" → "2.1. Sở Tài chính", before a "IV. TỔ CHỨC THỰC HIỆN" that gives work too.
RESPONSIBILITIES = """\
Đồng Nai, ngày 20 tháng 11 năm 2025

III. NHIỆM VỤ, GIẢI PHÁP, PHÂN CÔNG TRÁCH NHIỆM

1. Nhiệm vụ, giải pháp tổng thể

1.1. Tiếp tục tăng cường sự lãnh đạo của Đảng trong công tác phòng, chống ma túy.

2. Phân công trách nhiệm

2.1. Sở Tài chính

a) Tham mưu Ủy ban nhân dân tỉnh trình Hội đồng nhân dân cấp tỉnh quyết định:

- Phương án phân bổ vốn kế hoạch đầu tư công trung hạn nguồn hỗ trợ từ ngân sách trung ương.

b) Chủ trì, phối hợp

- Lập, giao kế hoạch mục tiêu, nhiệm vụ, kế hoạch đầu tư công trung hạn và hằng năm.

2.2. Công an tỉnh

- Hướng dẫn, theo dõi, đôn đốc các địa phương xây dựng, triển khai kế hoạch thực hiện.

IV. TỔ CHỨC THỰC HIỆN

1. Giao Công an tỉnh chủ trì, phối hợp các đơn vị có liên quan tham mưu Ủy ban nhân dân tỉnh \
thực hiện chức năng chủ quản Chương trình.
"""


def test_a_part_that_hands_out_responsibilities_is_read_besides_to_chuc_thuc_hien(tmp_path):
    plan = import_document(written(tmp_path, RESPONSIBILITIES, "kh.txt"), code="kh-182").plan
    drafted = [(d.owner, d.title.split()[0]) for d in plan.deliverables]
    assert drafted == [
        ("so-tai-chinh", "Phương"),  # the lead-in "a) Tham mưu … quyết định:" names no owner
        ("so-tai-chinh", "Lập,"),  # nor does the role "b) Chủ trì, phối hợp"
        ("cong-an-tinh", "Hướng"),
        ("cong-an-tinh", "Công"),  # IV.1, after the part ("Giao" is no part of a title)
    ]


# CT 09/CT-UBND Cần Thơ: items that assign to another body under an owner heading, a lettered
# lead-in for the bullets below it, an owner heading that ends "có trách nhiệm", private persons'
# duties, and the closing "Trên đây là Chỉ thị …".
DIRECTIVE = """\
Cần Thơ, ngày 18 tháng 11 năm 2025

CHỈ THỊ

Về tăng cường công tác quản lý, bảo vệ tài nguyên nước dưới đất

8. Giám đốc Sở, Thủ trưởng cơ quan, ban, ngành

a) Phối hợp Sở Nông nghiệp và Môi trường và Ủy ban nhân dân xã, phường tuyên truyền, phổ biến \
quy định của pháp luật về tài nguyên nước.

b) Giao Thanh tra thành phố tổ chức thanh tra việc chấp hành các quy định pháp luật về tài \
nguyên nước theo định kỳ hoặc đột xuất.

c) Giao Công an thành phố kịp thời phát hiện và xử lý các tổ chức, cá nhân có hành vi vi phạm.

d) Giao Ban Quản lý các khu chế xuất và công nghiệp Cần Thơ chỉ đạo các đơn vị kinh doanh hạ \
tầng khu chế xuất, khu, cụm công nghiệp có trách nhiệm:

- Vận động các doanh nghiệp thuộc khu vực quản lý thực hiện các giải pháp tiết kiệm nước.

11. Các đơn vị cấp nước sạch trên địa bàn thành phố có trách nhiệm

a) Tiếp tục đầu tư, đẩy nhanh tiến độ xây dựng, mở rộng và nâng cấp mạng lưới cấp nước.

12. Các tổ chức, cá nhân và hộ gia đình khai thác sử dụng tài nguyên nước dưới đất trên địa bàn \
có trách nhiệm

a) Thực hiện các quy định về khai thác, sử dụng tài nguyên nước dưới đất.

Trên đây là Chỉ thị về tăng cường công tác quản lý, bảo vệ tài nguyên nước dưới đất trên địa \
bàn thành phố Cần Thơ, yêu cầu Giám đốc sở, Thủ trưởng cơ quan, ban, ngành thành phố nghiêm túc \
triển khai thực hiện.
"""


def test_items_that_give_work_to_another_body_are_that_bodys(tmp_path):
    plan = import_document(written(tmp_path, DIRECTIVE, "ct.txt"), code="ct-09").plan
    owners = [d.owner.removeprefix("group:") for d in plan.deliverables]
    assert owners == [
        "giam-doc-so-thu-truong-co-quan-ban",
        "thanh-tra-thanh-pho",
        "cong-an-thanh-pho",
        "ban-quan-ly-cac-khu-che-xuat-va",  # its bullets, after "d) Giao … có trách nhiệm:"
        "don-vi-cap-nuoc-sach-tren",  # "11. … có trách nhiệm" is an owner heading
    ]  # 12 (private persons' duties) and the closing give none


# CV 11554/VPCP-V.I: a work and its one-off report are one task, due by the report's date; a
# clause "Trên cơ sở đó, <body> …" after it is that body's.
REPORT = """\
Hà Nội, ngày 25 tháng 11 năm 2025

3. Bộ trưởng Bộ Tài chính - Phó Trưởng ban Thường trực Ban Chỉ đạo 389 quốc gia tập trung lãnh \
đạo, chỉ đạo các đơn vị liên quan khẩn trương thực hiện một số nhiệm vụ sau:

3.1. Hoàn thiện Kế hoạch cao điểm chống buôn lậu, gian lận thương mại và hàng giả dịp Tết Nguyên \
đán Bính Ngọ 2026; báo cáo Phó Thủ tướng Chính phủ - Trưởng Ban Chỉ đạo 389 quốc gia trước ngày \
30 tháng 11 năm 2025; Trên cơ sở đó, Ban Chỉ đạo 389 các bộ, ngành, địa phương xây dựng kế \
hoạch, tổ chức quán triệt, chỉ đạo triển khai thực hiện nghiêm túc, quyết liệt, hiệu quả các nội \
dung trong Kế hoạch của Ban Chỉ đạo 389 quốc gia.
"""


def test_a_work_and_its_one_off_report_are_one_task_due_by_the_report(tmp_path):
    plan = import_document(written(tmp_path, REPORT, "cv.txt"), code="cv-11554").plan
    work, after = plan.deliverables
    assert work.title.startswith("Hoàn thiện Kế hoạch cao điểm")
    assert work.due is not None and work.due.when == date(2025, 11, 30)
    assert "ban-chi-dao-389" in after.owner and after.due is None


# QĐ 2623/QĐ-TTg: "Thời hạn ban hành:", an empty "Thời gian thực hiện:" over dated "+" items
# naming their own owners, "năm 2026 - 2027", a funding part before "TỔ CHỨC THỰC HIỆN", and
# the standing duty "chịu trách nhiệm thực hiện Kế hoạch này".
DECISION = """\
Hà Nội, ngày 29 tháng 11 năm 2025

II. NỘI DUNG

4. Rà soát văn bản quy phạm pháp luật

- Nội dung: rà soát các văn bản quy phạm pháp luật có liên quan đến Luật.

- Cơ quan thực hiện: Bộ Công an tiến hành rà soát các văn bản quy phạm pháp luật có liên quan \
đến Luật; các bộ, cơ quan ngang bộ rà soát văn bản quy phạm pháp luật có liên quan đến Luật.

- Thời gian thực hiện:

+ Các bộ, cơ quan ngang bộ gửi kết quả rà soát về Bộ Công an trước ngày 15 tháng 12 năm 2025.

+ Bộ Công an tổng hợp kết quả rà soát, báo cáo Thủ tướng Chính phủ trước ngày 31 tháng 12 năm 2025.

5. Xây dựng Nghị định của Chính phủ

- Nội dung: quy định chi tiết một số điều Luật Bảo vệ dữ liệu cá nhân.

- Cơ quan chủ trì: Bộ Công an.

- Thời hạn ban hành: trước ngày 01 tháng 01 năm 2026.

6. Xây dựng Cổng thông tin quốc gia về bảo vệ dữ liệu cá nhân

- Cơ quan thực hiện: Bộ Công an.

- Thời gian thực hiện: năm 2026 - 2027.

III. KINH PHÍ THỰC HIỆN

1. Nguồn ngân sách: kinh phí bảo đảm thực hiện Kế hoạch này được bố trí từ nguồn ngân sách.

2. Đối với các nhiệm vụ triển khai trong năm 2025, các bộ, cơ quan, đơn vị, địa phương chủ động \
bố trí trong nguồn ngân sách nhà nước được giao năm 2025 để triển khai thực hiện.

3. Bộ Tài chính chủ trì tổng hợp, trình cấp có thẩm quyền bố trí kinh phí chi thường xuyên.

IV. TỔ CHỨC THỰC HIỆN

1. Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan thuộc Chính phủ chịu trách nhiệm thực hiện \
Kế hoạch này.
"""


def test_labelled_times_dated_sub_items_year_spans_and_a_funding_part(tmp_path):
    plan = import_document(written(tmp_path, DECISION, "qd.txt"), code="qd-2623").plan
    drafted = {d.title.split(",")[0][:30]: d for d in plan.deliverables}
    assert [d.owner.removeprefix("group:") for d in plan.deliverables] == [
        "bo-co-quan-ngang-bo",  # "+ Các bộ … trước ngày 15 tháng 12 năm 2025"
        "bo-cong-an",  # "+ Bộ Công an tổng hợp … trước ngày 31 tháng 12 năm 2025"
        "bo-cong-an",  # the decree, "Thời hạn ban hành: …"
        "bo-cong-an",  # the portal, 2026 - 2027
        "bo-tai-chinh",  # III.3; III.1 is no owner, III.2 a budget formula, IV.1 a duty
    ]
    dues = [d.due.when if d.due else None for d in plan.deliverables]
    assert dues[:3] == [date(2025, 12, 15), date(2025, 12, 31), date(2026, 1, 1)]
    portal = plan.deliverables[3]
    assert portal.due is not None and portal.due.period is Period.YEAR
    assert portal.due.when == date(2027, 12, 31)
    assert drafted


# KH 552/KH-UBND Đồng Tháp: "V. TỔ CHỨC THỰC HIỆN" repeats the rows of the appendix table in
# other words; the row (with its time) is drafted once, the bullet is named in a note.
REPEATED = """\
Đồng Tháp, ngày 19 tháng 11 năm 2025

V. TỔ CHỨC THỰC HIỆN

1. Sở Khoa học và Công nghệ

a) Là cơ quan thường trực, chủ trì tham mưu Ủy ban nhân dân Tỉnh triển khai, theo dõi, đôn đốc.

b) Xây dựng và triển khai các chương trình, đề án phát triển hạ tầng số, dữ liệu số, chính \
quyền số, kinh tế số và xã hội số.

c) Định kỳ hằng năm, báo cáo Ủy ban nhân dân Tỉnh kết quả thực hiện.

7. Liên hiệp các Hội Khoa học và Kỹ thuật

- Nghiên cứu, tư vấn, phản biện chính sách, giải pháp công nghệ.

PHỤ LỤC

| STT | NHIỆM VỤ VÀ GIẢI PHÁP | CHỦ TRÌ | PHỐI HỢP | THỜI GIAN |
| --- | --- | --- | --- | --- |
| 1 | Xây dựng và triển khai Chương trình/ Đề án phát triển hạ tầng số, dữ liệu số, chính quyền \
số, kinh tế số | Sở Khoa học và Công nghệ | Các sở, ngành | 2026 |
"""


def test_a_bullet_that_repeats_a_table_row_is_drafted_once_at_the_row(tmp_path):
    plan = import_document(written(tmp_path, REPEATED, "kh.md"), code="kh-552").plan
    quotes = [d.quote[:33] for d in plan.deliverables]
    assert quotes == [
        "c) Định kỳ hằng năm, báo cáo Ủy b",  # after the role "a) Là cơ quan thường trực …"
        "Nghiên cứu, tư vấn, phản biện chí",  # "7. Liên hiệp các Hội …" is an owner heading
        "Xây dựng và triển khai Chương trì",  # the row, not the bullet b)
    ]  # "PHỤ LỤC" ends the section: no task
    row = plan.deliverables[-1]
    assert row.due is not None and row.due.period is Period.YEAR
    notes = [n.message for n in plan.notes if n.target == row.code]
    assert any("cùng việc với dòng" in message for message in notes)
    assert plan.deliverables[1].owner.startswith("lien-hiep-cac-hoi")


# CV 4169/UBND-VX Hồ Chí Minh: cases ("c) Đối với tập thể …:") over procedure lines that refer to
# another text ("- Về …: thực hiện theo điểm 2.7 khoản 2 Mục I Hướng dẫn số 01-HD/BTCTU."); KH
# 182: "Hoàn thành, báo cáo …" closes the work before it.
PROCEDURES = """\
Thành phố Hồ Chí Minh, ngày 29 tháng 11 năm 2025

IV. TỔ CHỨC THỰC HIỆN

1. Sở Nội vụ

- Tổng hợp, báo cáo kết quả đánh giá, xếp loại chất lượng các tập thể trước ngày 15/12/2025.

c) Đối với tập thể Thường trực Hội đồng nhân dân cấp xã:

- Về đối tượng và thành phần tham dự kiểm điểm: thực hiện theo điểm 2.7 khoản 2 Mục I Hướng \
dẫn số 01-HD/BTCTU.

- Về phương pháp, quy trình đánh giá: thực hiện tương tự như khoản 2 Mục III Hướng dẫn số \
01-HD/BTCTU.

2. Sở Văn hóa, Thể thao và Du lịch

- Xây dựng kế hoạch tuyên truyền phòng, chống ma túy năm 2026. Hoàn thành, báo cáo kết quả Ủy \
ban nhân dân tỉnh (qua Công an tỉnh) trong tháng 11/2025.
"""


def test_procedures_set_elsewhere_and_a_closing_hoan_thanh_are_no_tasks_of_their_own(tmp_path):
    plan = import_document(written(tmp_path, PROCEDURES, "cv.md"), code="cv-4169").plan
    assert [d.title.split()[0] for d in plan.deliverables] == ["Tổng", "Xây"]
    plan_2026 = plan.deliverables[1]
    assert "Hoàn thành, báo cáo" in plan_2026.quote
    assert plan_2026.due is not None and plan_2026.due.period is Period.MONTH


# KH 552/KH-UBND Đồng Tháp, VI: a part "TỔ CHỨC THEO DÕI, KIỂM TRA VÀ CHẾ ĐỘ BÁO CÁO" after the
# assignment section still gives work, in bullets that name their own owners.
MONITORING = """\
Đồng Tháp, ngày 19 tháng 11 năm 2025

V. TỔ CHỨC THỰC HIỆN

1. Sở Công Thương

- Phối hợp với các ngành liên quan phát triển thị trường cho sản phẩm công nghệ cao.

VI. TỔ CHỨC THEO DÕI, KIỂM TRA VÀ CHẾ ĐỘ BÁO CÁO

2. Chế độ báo cáo

- Các sở, ban, ngành, Ủy ban nhân dân xã, phường và các đơn vị liên quan có trách nhiệm xây dựng \
kế hoạch chi tiết hằng năm và định kỳ báo cáo kết quả thực hiện trước ngày 20/11 về Sở Khoa học \
và Công nghệ để tổng hợp.

- Sở Khoa học và Công nghệ tổng hợp, báo cáo Ủy ban nhân dân Tỉnh và Bộ Khoa học và Công nghệ \
trước ngày 30/11 hằng năm.
"""


def test_a_monitoring_and_reporting_part_gives_work_in_bullets_that_name_their_owner(tmp_path):
    plan = import_document(written(tmp_path, MONITORING, "kh.md"), code="kh-552").plan
    owners = [d.owner.removeprefix("group:") for d in plan.deliverables]
    assert owners[0] == "so-cong-thuong" and owners[-1] == "so-khoa-hoc-va-cong-nghe"
    assert owners[1].startswith("so-ban-nganh")
    dues = [d.due.when if d.due else None for d in plan.deliverables[1:]]
    assert dues == [date(2025, 11, 20), date(2025, 11, 30)]
