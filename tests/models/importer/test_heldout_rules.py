"""Rules added after the held-out check (KH 308 Hà Nội, KH 174 TP HCM, CV 10989 Bộ Nội vụ,
CT 06 Quảng Trị, 2025): each with a short real sentence of those documents."""

from datetime import date

import pytest

from models.importer.assigned import assigned_owner, general_duty
from models.importer.deadline_phrases import DueKind, find_deadlines, next_monthly
from models.importer.paragraph_tasks import sentence_tasks
from models.importer.pipeline import import_document
from models.importer.problems import NoteKind
from models.importer.text import Paragraph
from tests.models.importer.documents import written

# KH 308/KH-UBND, III: a work and its monthly report in one item.
MONTHLY = """\
Hà Nội, ngày 17 tháng 11 năm 2025

KẾ HOẠCH

Triển khai thực hiện Nghị quyết số 214/NQ-CP

III. TỔ CHỨC THỰC HIỆN

1. Sở Khoa học và Công nghệ theo dõi, đôn đốc các Sở, ban, ngành, UBND xã, phường triển khai \
thực hiện nhiệm vụ được nêu trong Kế hoạch theo đúng tiến độ; tham mưu UBND Thành phố báo cáo \
kết quả triển khai thực hiện trước ngày 20 hằng tháng.

2. Các Sở, ban, ngành căn cứ Kế hoạch này, xây dựng Kế hoạch triển khai tại cơ quan đơn vị; \
báo cáo UBND Thành phố kết quả thực hiện thông qua Sở Khoa học và Công nghệ trước ngày 15 hằng \
tháng.
"""


@pytest.mark.parametrize(
    ("sentence", "kind", "day"),
    [
        ("báo cáo kết quả trước ngày 20 hằng tháng lên phần mềm", DueKind.BEFORE, 20),
        ("gửi báo cáo chậm nhất ngày 05 hàng tháng", DueKind.BY, 5),
    ],
)
def test_a_monthly_deadline_is_read_not_dropped(sentence, kind, day):
    [phrase] = find_deadlines(sentence, 2025)
    assert (phrase.kind, phrase.monthly, phrase.recurring) == (kind, True, True)
    assert phrase.day == date(2025, 1, day)


@pytest.mark.parametrize(
    ("day", "since", "first"),
    [
        (20, date(2025, 11, 17), date(2025, 11, 20)),
        (15, date(2025, 11, 17), date(2025, 12, 15)),
        (31, date(2025, 11, 17), date(2025, 11, 30)),  # a short month: its last day
        (10, date(2025, 12, 20), date(2026, 1, 10)),
    ],
)
def test_a_monthly_deadline_first_falls_on_or_after_the_document(day, since, first):
    assert next_monthly(day, since) == first


def test_a_work_and_its_dated_report_after_a_semicolon_are_two_tasks():
    text = MONTHLY.split("\n\n")[4]
    follow_up, report = sentence_tasks(Paragraph(text, 9), 0, None)
    assert follow_up.text.startswith("Sở Khoa học và Công nghệ theo dõi, đôn đốc")
    assert follow_up.text.endswith("theo đúng tiến độ.")
    assert report.text.startswith("tham mưu UBND Thành phố báo cáo kết quả")


def test_a_monthly_report_is_drafted_at_its_first_time_with_a_todo(tmp_path):
    plan = import_document(written(tmp_path, MONTHLY, "kh.txt"), code="kh-308").plan
    dues = [(d.quote[:20], d.due and d.due.when) for d in plan.deliverables]
    assert dues == [
        ("Sở Khoa học và Công ", None),
        ("tham mưu UBND Thành ", date(2025, 11, 20)),
        ("Các Sở, ban, ngành c", None),
        ("báo cáo UBND Thành p", date(2025, 12, 15)),  # 15/11 was past on 17/11
    ]
    notes = [n for n in plan.notes if n.field == "due"]
    assert all(n.kind is NoteKind.GUESSED and "hằng tháng" in n.message for n in notes)
    assert len(notes) == 2


# KH 174/KH-UBND, V–VII: an owner heading with an aside, general duties, and parts after
# "TỔ CHỨC THỰC HIỆN" that still give work.
AFTER_SECTION = """\
Thành phố Hồ Chí Minh, ngày 18 tháng 11 năm 2025

KẾ HOẠCH

Triển khai các nhiệm vụ trọng tâm cuối năm 2025 lĩnh vực bình đẳng giới

V. TỔ CHỨC THỰC HIỆN

1. Sở Nội vụ (Cơ quan thường trực Ban Vì sự tiến bộ phụ nữ và Bình đẳng giới Thành phố):

- Theo dõi, tổng hợp báo cáo từ các sở, ban, ngành, đoàn thể Thành phố.

2. Thủ trưởng các sở, ban, ngành, đoàn thể Thành phố

- Trong phạm vi, lĩnh vực quản lý của mình, chủ động phối hợp với các cơ quan, đơn vị có liên \
quan thực hiện các nhiệm vụ được giao tại Kế hoạch này.

- Quan tâm thực hiện công tác cán bộ nữ.

VI. KINH PHÍ THỰC HIỆN

1. Các sở, ban, ngành, đoàn thể Thành phố xây dựng dự toán kinh phí từ ngân sách hằng năm.

VII. CHẾ ĐỘ BÁO CÁO

Các sở, ban, ngành, đoàn thể Thành phố gửi báo cáo kết quả thực hiện Tháng hành động năm 2025 \
về Sở Nội vụ trước ngày 16 tháng 12 năm 2025 để tổng hợp báo cáo Bộ Nội vụ.

Nơi nhận:

- Văn phòng Chính phủ;
"""


def test_parts_after_to_chuc_thuc_hien_that_give_work_are_read(tmp_path):
    plan = import_document(written(tmp_path, AFTER_SECTION, "kh.txt"), code="kh-174").plan
    budget, report = plan.deliverables[-2:]
    assert budget.quote.startswith("Các sở, ban, ngành, đoàn thể Thành phố xây dựng dự toán")
    assert report.quote.startswith("Các sở, ban, ngành, đoàn thể Thành phố gửi báo cáo")
    assert report.to == "so-noi-vu"
    assert report.due is not None and report.due.when == date(2025, 12, 16)


def test_an_aside_after_an_owner_heading_makes_no_second_unit(tmp_path):
    plan = import_document(written(tmp_path, AFTER_SECTION, "kh.txt"), code="kh-174").plan
    assert plan.deliverables[0].owner == "so-noi-vu"
    assert not any(u.code.startswith("so-noi-vu-") for u in plan.units)


def test_general_duties_are_not_tasks(tmp_path):
    plan = import_document(written(tmp_path, AFTER_SECTION, "kh.txt"), code="kh-174").plan
    quotes = [d.quote for d in plan.deliverables]
    assert not any(q.startswith(("Trong phạm vi", "Quan tâm")) for q in quotes)
    assert len(quotes) == 3


@pytest.mark.parametrize(
    "sentence",
    [
        "Trong phạm vi, lĩnh vực quản lý của mình, chủ động phối hợp với các cơ quan thực hiện.",
        "Các sở, ban, ngành liên quan theo chức năng nhiệm vụ được giao phối hợp với các địa "
        "phương, đơn vị, chủ rừng triển khai thực hiện có hiệu quả Chỉ thị này.",
        "Đề nghị bộ, ngành, địa phương quan tâm thực hiện./.",
    ],
)
def test_a_general_duty_names_no_owner(sentence):
    assert general_duty(sentence)
    assert assigned_owner(sentence) is None


def test_cooperation_with_its_own_work_is_still_a_task():
    sentence = (
        "Sở Tài chính chủ trì, phối hợp với các Sở, ban, ngành bố trí kinh phí để triển khai "
        "thực hiện các nhiệm vụ, giải pháp của Kế hoạch này."
    )
    assert not general_duty(sentence)
    assert assigned_owner(sentence) == "Sở Tài chính"


# CV 10989/BNV-TCBC (Bộ Nội vụ, 2025): the request sits mid-sentence; the subject is "V/v …".
LETTER = """\
BỘ NỘI VỤ

Số: 10989/BNV-TCBC V/v đề xuất biên chế giai đoạn 2026-2031 theo vị trí việc làm

Hà Nội, ngày 21 tháng 11 năm 2025

Để việc đề xuất biên chế giai đoạn 2026-2031 của các bộ, ngành, địa phương được triển khai \
thống nhất, đề nghị bộ, ngành, địa phương khẩn trương tổng hợp đề xuất biên chế giai đoạn \
2026-2031 theo biểu mẫu gửi kèm (bộ, ngành báo cáo số liệu theo Phụ lục số 1A; địa phương báo \
cáo số liệu theo Phụ lục số 2A) và gửi về Bộ Nội vụ trước ngày 26/11/2025 để tổng hợp.

Đề nghị bộ, ngành, địa phương quan tâm thực hiện./.

Nơi nhận:

- Như trên;
"""


def test_a_request_mid_sentence_is_the_task_and_the_closing_courtesy_is_not(tmp_path):
    plan = import_document(written(tmp_path, LETTER, "cv.txt"), code="cv-10989").plan
    [request] = plan.deliverables
    assert request.quote.startswith("đề nghị bộ, ngành, địa phương khẩn trương tổng hợp")
    # The title is the work, not the request's wording: no "Đề nghị bộ, ngành … khẩn trương".
    assert request.title == "Tổng hợp đề xuất biên chế giai đoạn 2026-2031 theo biểu mẫu"
    assert request.code.startswith("tong-hop-")
    assert request.to == "bo-noi-vu"
    assert request.due is not None and request.due.when == date(2025, 11, 26)


def test_a_letter_is_titled_by_its_subject_line(tmp_path):
    plan = import_document(written(tmp_path, LETTER, "cv.txt"), code="cv-10989").plan
    assert plan.title == "đề xuất biên chế giai đoạn 2026-2031 theo vị trí việc làm"


# CT 06/CT-UBND (Quảng Trị, 2025): an owner heading naming a class of bodies, a restated duty,
# a closing general item.
DIRECTIVE = """\
ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ

Quảng Trị, ngày 25 tháng 11 năm 2025

CHỈ THỊ

VỀ VIỆC TĂNG CƯỜNG XỬ LÝ CHỒNG LẤN, LẤN CHIẾM RỪNG

4. Công an tỉnh

Chỉ đạo các đơn vị trực thuộc, lực lượng Công an xã tăng cường phối hợp, hỗ trợ chính quyền \
địa phương trong công tác tuần tra, kiểm soát.

5. Các chủ rừng là tổ chức (các Ban quản lý rừng đặc dụng, rừng phòng hộ, các Công ty nông, \
lâm nghiệp…)

- Thực hiện đầy đủ quyền, nghĩa vụ và trách nhiệm chủ rừng theo quy định của Luật Lâm nghiệp \
và các quy định liên quan.

- Xây dựng nhu cầu kinh phí và đề xuất cơ quan có thẩm quyền bố trí kinh phí để cắm mốc ranh \
giới lâm phận theo quy định.

6. Các sở, ban, ngành liên quan theo chức năng nhiệm vụ được giao phối hợp với các địa phương, \
đơn vị, chủ rừng triển khai thực hiện có hiệu quả Chỉ thị này.

Yêu cầu Giám đốc các sở, ban, ngành triển khai thực hiện nghiêm túc Chỉ thị này./.

KT. CHỦ TỊCH PHÓ CHỦ TỊCH Hoàng Nam
"""


def test_a_class_of_bodies_owns_its_items_as_a_group(tmp_path):
    plan = import_document(written(tmp_path, DIRECTIVE, "ct.txt"), code="ct-06").plan
    drafted = [(d.owner, d.quote[:25]) for d in plan.deliverables]
    assert drafted == [
        ("cong-an-tinh", "Chỉ đạo các đơn vị trực t"),
        ("group:chu-rung-la-to-chuc", "Xây dựng nhu cầu kinh phí"),
    ]
    assert plan.group_titles["chu-rung-la-to-chuc"] == "Các chủ rừng là tổ chức"
    assert any(n.target == "groups.chu-rung-la-to-chuc" for n in plan.notes)  # its members: TODO


@pytest.mark.parametrize(
    ("sentence", "when"),
    [
        ("b) Thời gian: Từ ngày 15/11/2025 đến ngày 15/12/2025.", date(2025, 12, 15)),
        ("Triển khai Tháng hành động (từ ngày 15/11 đến ngày 15/12)", date(2025, 12, 15)),
    ],
)
def test_a_window_is_due_by_its_last_day_as_a_guess(sentence, when):
    [phrase] = find_deadlines(sentence, 2025)
    assert (phrase.kind, phrase.when) == (DueKind.BY, when)
    assert "khoảng thời gian" in phrase.doubt


# KH 174/KH-UBND, II.2: activities a lead-in gives before "TỔ CHỨC THỰC HIỆN", the part's time
# line above them.
LISTED = """\
Thành phố Hồ Chí Minh, ngày 18 tháng 11 năm 2025

KẾ HOẠCH

Triển khai các nhiệm vụ trọng tâm cuối năm 2025 lĩnh vực bình đẳng giới

II. MỤC TIÊU CỦA KẾ HOẠCH

2. Tháng hành động

b) Thời gian: Từ ngày 15/11/2025 đến ngày 15/12/2025.

d) Các hoạt động chính

Căn cứ tình hình thực tế, các cơ quan, đơn vị, địa phương phối hợp thực hiện các hoạt động sau:

- Lồng ghép tổ chức Lễ phát động, các hoạt động hưởng ứng Tháng hành động.

- Tăng cường kiểm tra về bình đẳng giới trong Tháng hành động.

III. TỔ CHỨC THỰC HIỆN

1. Sở Nội vụ theo dõi, tổng hợp báo cáo kết quả triển khai thực hiện Kế hoạch này.
"""


def test_activities_listed_before_the_section_are_the_named_bodies_within_the_parts_time(
    tmp_path,
):
    plan = import_document(written(tmp_path, LISTED, "kh.txt"), code="kh-174").plan
    launch, checks, follow_up = plan.deliverables
    assert launch.owner == checks.owner == "group:co-quan-don-vi-dia-phuong"
    assert launch.quote.startswith("Lồng ghép tổ chức Lễ phát động")
    assert launch.due is not None and launch.due.when == date(2025, 12, 15)
    assert follow_up.owner == "so-noi-vu"
    notes = [n for n in plan.notes if n.target == launch.code and n.field == "due"]
    assert [n.kind for n in notes] == [NoteKind.GUESSED]


def test_a_directive_is_titled_by_the_line_after_chi_thi(tmp_path):
    plan = import_document(written(tmp_path, DIRECTIVE, "ct.txt"), code="ct-06").plan
    assert plan.title == "VỀ VIỆC TĂNG CƯỜNG XỬ LÝ CHỒNG LẤN, LẤN CHIẾM RỪNG"


def test_a_monthly_deadline_without_a_dateline_is_unplaced_not_january(tmp_path):
    undated = MONTHLY.replace("Hà Nội, ngày 17 tháng 11 năm 2025\n\n", "")
    plan = import_document(written(tmp_path, undated, "kh.txt"), code="kh-308", year=2025).plan
    assert all(d.due is None for d in plan.deliverables)
    notes = [n for n in plan.notes if n.field == "due"]
    assert [n.kind for n in notes] == [NoteKind.UNPLACED, NoteKind.UNPLACED]
    assert all("hằng tháng" in n.message for n in notes)
