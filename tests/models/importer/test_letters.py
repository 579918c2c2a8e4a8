"""Documents with no "TỔ CHỨC THỰC HIỆN" section: letters, công điện, thông báo (sections.py)."""

from datetime import date
from pathlib import Path

from models.importer.build import draft_plan
from models.importer.pipeline import import_document
from models.importer.problems import NoteKind
from models.importer.sections import read_layout
from models.importer.text import read_paragraphs

LETTER = """\
Số: 4085/UBND-ĐT

Thành phố Hồ Chí Minh, ngày 25 tháng 11 năm 2025

Kính gửi:
- Sở Xây dựng;
- Sở Nông nghiệp và Môi trường.

Chủ tịch Ủy ban nhân dân Thành phố có ý kiến chỉ đạo như sau:

1. Về việc rà soát, làm sạch dữ liệu số nhà đã cấp

1.1. Giao Sở Nông nghiệp và Môi trường

Khẩn trương chia sẻ toàn bộ cơ sở dữ liệu đất đai đã được cập nhật.

2. Về công tác triển khai ứng dụng phần mềm

- Giao Sở Xây dựng chủ trì, tổ chức khảo sát, đánh giá hiện trạng.

- Trên cơ sở kết quả khảo sát, Sở Xây dựng chủ trì xây dựng phần mềm dùng chung.

Chủ tịch Ủy ban nhân dân Thành phố đề nghị các cơ quan, đơn vị khẩn trương, nghiêm túc triển khai.

Nơi nhận:
- Như trên;
- Lưu: VT.
"""


def read(tmp_path: Path, text: str):
    path = tmp_path / "cong-van.txt"
    path.write_text(text, encoding="utf-8")
    return read_layout(read_paragraphs(path), str(path))


def test_a_letter_is_read_by_its_assigning_sentences_instead_of_refused(tmp_path):
    layout = read(tmp_path, LETTER)
    assert [(t.heading, t.text[:20]) for t in layout.tasks] == [
        ("Sở Nông nghiệp và Môi trường", "Khẩn trương chia sẻ "),
        ("Sở Xây dựng", "Giao Sở Xây dựng chủ"),
        ("Sở Xây dựng", "Trên cơ sở kết quả k"),
    ]


def test_a_second_sentence_with_its_own_owner_is_a_task_of_its_own(tmp_path):
    item = (
        "1. Các bộ chủ trì, phối hợp với cơ quan thanh tra khẩn trương hoàn thành việc cập "
        "nhật. UBND thành phố Đà Nẵng khẩn trương hoàn thành việc rà soát. Thời hạn hoàn "
        "thành: trước ngày 30/11/2025.\n"
    )
    layout = read(tmp_path, f"CÔNG ĐIỆN\n\n{item}\nNơi nhận:\n- Như trên;\n")
    assert [t.heading for t in layout.tasks] == ["Các bộ", "UBND thành phố Đà Nẵng"]
    assert layout.tasks[1].text.endswith("trước ngày 30/11/2025.")


def test_a_part_that_reviews_the_past_assigns_nothing(tmp_path):
    text = (
        "KẾT LUẬN\n\n1. Về đánh giá tình hình hoạt động từ tháng 6/2022 đến nay\n\n"
        "Các văn phòng tỉnh uỷ, thành uỷ chủ động tham mưu cấp uỷ.\n\n"
        "2. Về các kiến nghị, đề xuất\n\n"
        "Văn phòng Trung ương Đảng chủ trì tổng hợp kiến nghị trước ngày 30/12/2025.\n"
    )
    assert [t.heading for t in read(tmp_path, text).tasks] == ["Văn phòng Trung ương Đảng"]


def test_in_the_assignment_section_a_numbered_items_subject_is_its_owner(tmp_path):
    text = (
        "KẾ HOẠCH\n\nIV. TỔ CHỨC THỰC HIỆN\n\n1. Giao Sở Tư pháp\n\n- Theo dõi việc thực hiện.\n\n"
        "2. Sở Tài chính chủ trì, phối hợp với các Sở bố trí kinh phí.\n"
    )
    layout = read(tmp_path, text)
    assert [t.heading for t in layout.tasks] == ["Sở Tư pháp", "Sở Tài chính"]


def test_a_heading_naming_several_bodies_files_under_the_first_and_names_the_rest(tmp_path):
    text = (
        "KẾ HOẠCH\n\nIV. TỔ CHỨC THỰC HIỆN\n\n"
        "7. Các sở, ban, ngành tỉnh, Ủy ban nhân dân các xã, phường\n\n"
        "Tổ chức thực hiện nhiệm vụ được giao.\n"
    )
    [task] = read(tmp_path, text).tasks
    assert (task.heading, task.others) == (
        "Các sở, ban, ngành tỉnh",
        ("Ủy ban nhân dân các xã, phường",),
    )


YEARLY_AND_RELATIVE = """\
Bắc Ninh, ngày 20 tháng 11 năm 2025

KẾ HOẠCH

IV. TỔ CHỨC THỰC HIỆN

1. Giao Sở Tư pháp

- Định kỳ hằng năm (trước ngày 15 tháng 11) báo cáo UBND tỉnh kết quả thực hiện.

2. Văn phòng UBND tỉnh chủ trì, trong 03 ngày làm việc kể từ ngày nhận được kiến nghị, \
phân loại kiến nghị.
"""


def draft_of(tmp_path: Path, text: str):
    path = tmp_path / "ke-hoach.txt"
    path.write_text(text, encoding="utf-8")
    return draft_plan(read_paragraphs(path), path)


def test_a_yearly_deadline_is_never_drafted_before_the_documents_date(tmp_path):
    plan = draft_of(tmp_path, YEARLY_AND_RELATIVE)
    report = plan.deliverables[0]
    assert report.due is not None and report.due.when == date(2026, 11, 15)
    [note] = [n for n in plan.notes if n.target == report.code and n.field == "due"]
    assert note.kind is NoteKind.GUESSED and "hằng năm" in note.message


def test_a_deadline_counted_from_an_event_is_listed_as_unplaced_not_dated(tmp_path):
    plan = draft_of(tmp_path, YEARLY_AND_RELATIVE)
    sorting = plan.deliverables[1]
    assert sorting.due is None
    [note] = [n for n in plan.notes if n.target == sorting.code and n.field == "due"]
    assert note.kind is NoteKind.UNPLACED and note.line == sorting.line


LEAD_IN_PLAN = """\
Hà Tĩnh, ngày 01 tháng 3 năm 2023

KẾ HOẠCH

Tổ chức hội nghị

III. TỔ CHỨC THỰC HIỆN

1. Văn phòng Tỉnh ủy:

- Chuẩn bị hội trường trước ngày 09/3/2023.

Ban Thường vụ Tỉnh ủy giao Ban cán sự đảng UBND tỉnh chỉ đạo:

- Bố trí kinh phí tổ chức hội nghị trước ngày 10/3/2023.

- Bảo đảm an ninh, trật tự trong thời gian hội nghị.

3. Giao Ban Tuyên giáo Tỉnh ủy chỉ đạo:

- Đưa tin về hội nghị.
"""


def test_a_lead_in_naming_its_owner_gives_that_owner_the_bullets_below(tmp_path):
    path = tmp_path / "kh.txt"
    path.write_text(LEAD_IN_PLAN, encoding="utf-8")
    plan = import_document(path, code="hn-2023").plan
    owners = {d.quote.split(" ")[0]: d.owner for d in plan.deliverables}
    assert owners == {"Chuẩn": "vptu", "Bố": "bcs-ubnd", "Bảo": "bcs-ubnd", "Đưa": "ban-tuyen-giao"}


NOTICE = """\
Hà Nội, ngày 22 tháng 11 năm 2025

THÔNG BÁO

1. Về nạo vét luồng tàu: Bộ Xây dựng khẩn trương rà soát, sớm bàn giao trong năm 2025 dự án \
cho tỉnh, báo cáo Thủ tướng Chính phủ kết quả thực hiện trước ngày 31 tháng 12 năm 2025.

2. Các bộ chủ trì, phối hợp với cơ quan thanh tra hoàn thành việc phân loại các dự án. UBND \
thành phố Đà Nẵng khẩn trương hoàn thành việc rà soát. Thời hạn hoàn thành: trước ngày 30/11/2025.

3. Về kho dầu thô: với vai trò là chủ đầu tư, Tập đoàn Dầu khí Việt Nam chủ động làm việc với \
các đối tác.
"""


def test_a_work_and_its_report_with_two_deadlines_are_two_tasks_in_order(tmp_path):
    plan = draft_of(tmp_path, NOTICE)
    work, report = plan.deliverables[:2]
    assert work.quote.endswith("cho tỉnh.") and report.quote.startswith("báo cáo Thủ tướng")
    assert work.due is not None and work.due.when == date(2025, 12, 31)
    assert report.due is not None and report.due.kind == "before"
    # "trong năm 2025" ends after "trước ngày 31/12/2025": waiting would break `plan check`
    assert work.code not in report.after
    [refused] = [n for n in plan.notes if n.target == report.code and n.field == "after"]
    assert f"không đề xuất chờ {work.code}" in refused.message


def test_a_closing_time_limit_is_the_deadline_of_every_task_of_its_paragraph(tmp_path):
    plan = draft_of(tmp_path, NOTICE)
    ministries, da_nang = plan.deliverables[2:4]
    assert ministries.due is not None and ministries.due.when == date(2025, 11, 30)
    assert da_nang.due is not None and da_nang.due.when == date(2025, 11, 30)
    assert "Thời hạn" not in ministries.quote  # the quote stays the task's own words


def test_an_owner_after_an_opening_role_clause_is_found(tmp_path):
    plan = draft_of(tmp_path, NOTICE)
    assert plan.deliverables[-1].quote.startswith("với vai trò là chủ đầu tư, Tập đoàn Dầu khí")
    assert plan.deliverables[-1].owner == "tap-doan-dau-khi-viet-nam"


CONCLUSIONS = """\
Hà Nội, ngày 01 tháng 12 năm 2025

KẾT LUẬN

2. Về nhiệm vụ trọng tâm từ nay đến tháng 6/2027

Văn phòng Trung ương Đảng và các văn phòng tỉnh uỷ, thành uỷ cụ thể hoá để tổ chức thực hiện, \
trong đó, cần tập trung một số nhiệm vụ trọng tâm sau:

(1) Nâng cao chất lượng công tác tham mưu, tổng hợp.

(2) Hoàn thiện hệ thống phần mềm trước ngày 30/12/2025.

3. Về các kiến nghị, đề xuất

Đề nghị thường trực các tỉnh uỷ quan tâm lãnh đạo, chỉ đạo các văn phòng.
"""


def test_items_after_a_lead_in_are_its_owners_and_due_by_their_topics_period(tmp_path):
    plan = draft_of(tmp_path, CONCLUSIONS)
    advice, software, request = plan.deliverables
    assert advice.owner == software.owner == "van-phong-trung-uong-dang"
    assert advice.due is not None and advice.due.when == date(2027, 6, 30)
    assert software.due is not None and software.due.when == date(2025, 12, 30)  # its own
    assert request.due is None  # the next topic gives no period
