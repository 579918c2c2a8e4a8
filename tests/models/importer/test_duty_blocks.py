"""Duty blocks ("Đơn vị chủ trì: … / Đơn vị phối hợp: … / Thời gian thực hiện: …" under a task):
one assignment per block, owned by the chủ trì, due at the end of its time."""

from datetime import date
from pathlib import Path

import pytest

from models.deadlines import Period
from models.importer.duty_blocks import Label, labelled, read_blocks
from models.importer.pipeline import import_document
from models.importer.problems import NoteKind
from models.importer.text import read_paragraphs
from tests.models.importer.documents import written

PLAN = """\
Bắc Ninh, ngày 20 tháng 11 năm 2025

KẾ HOẠCH

Nâng cao năng lực xây dựng pháp luật

III. NHIỆM VỤ, GIẢI PHÁP

1. Rà soát, kiện toàn đội ngũ cán bộ

- Thường xuyên rà soát, kiện toàn đội ngũ cán bộ xây dựng pháp luật.

*Đơn vị chủ trì thực hiện: *Các Sở, ngành, đơn vị, UBND cấp xã.

*Đơn vị phối hợp: *Sở Nội vụ, Sở Tư pháp.

*Thời gian thực hiện: *Thường xuyên.

- Ra mắt AI pháp luật hỗ trợ cho cán bộ, công chức.

*- Đơn vị chủ trì tham mưu thực hiện: *Sở Khoa học và Công nghệ.

*- Đơn vị phối hợp thực hiện: *Sở Tư pháp.

*- Thời gian thực hiện: *Quý II/2026.

2. Rà soát văn bản quy phạm pháp luật

- Cơ quan thực hiện: Sở Tư pháp tiến hành rà soát các văn bản; các sở, ngành liên quan và \
Ủy ban nhân dân các xã, phường rà soát văn bản do cơ quan mình tham mưu ban hành.

IV. TỔ CHỨC THỰC HIỆN

1. Sở Tư pháp theo dõi, đôn đốc thực hiện Kế hoạch này.
"""


@pytest.mark.parametrize(
    ("line", "label", "value"),
    [
        ("Đơn vị chủ trì thực hiện: Sở Tư pháp.", Label.OWNER, "Sở Tư pháp."),
        ("- Cơ quan chủ trì: Sở Khoa học và Công nghệ", Label.OWNER, "Sở Khoa học và Công nghệ"),
        ("Đơn vị phối hợp thực hiện: Sở Tư pháp.", Label.PARTNER, "Sở Tư pháp."),
        ("- Thời gian thực hiện: Quý IV năm 2025.", Label.TIME, "Quý IV năm 2025."),
        ("- Nội dung: Rà soát các văn bản.", Label.CONTENT, "Rà soát các văn bản."),
        ("- Nội dung thực hiện: Tổ chức tập huấn.", Label.CONTENT, "Tổ chức tập huấn."),
    ],
)
def test_a_block_line_is_read_by_its_label(line, label, value):
    assert labelled(line) == (label, value)


def test_a_sentence_with_a_colon_is_no_block_line():
    assert labelled("Sở Tư pháp chủ trì, phối hợp với các đơn vị thực hiện: rà soát, …") is None


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "kh-141.md"
    path.write_text(PLAN, encoding="utf-8")
    return path


def test_each_block_is_one_task_with_the_heading_it_follows(plan_file):
    first, second, by_sentence = read_blocks(read_paragraphs(plan_file))
    assert first.content.startswith("1. Rà soát, kiện toàn đội ngũ cán bộ Thường xuyên rà soát")
    assert (first.owner, first.time) == ("Các Sở, ngành, đơn vị, UBND cấp xã.", "Thường xuyên.")
    assert second.content == "Ra mắt AI pháp luật hỗ trợ cho cán bộ, công chức."
    assert (second.owner, second.partners) == ("Sở Khoa học và Công nghệ.", "Sở Tư pháp.")
    assert by_sentence.owner.startswith("Sở Tư pháp tiến hành rà soát")


def test_blocks_are_drafted_with_the_chu_tri_as_owner_and_the_quarter_as_due(plan_file):
    imported = import_document(plan_file, code="kh-141")
    launch = next(d for d in imported.plan.deliverables if d.quote.startswith("Ra mắt AI"))
    assert launch.owner == "so-khoa-hoc-va-cong-nghe"
    assert launch.due is not None and launch.due.when == date(2026, 6, 30)
    assert launch.due.period is Period.QUARTER and "due: {quarter: 2026-Q2}" in imported.text
    notes = [n for n in imported.plan.notes if n.target == launch.code]
    assert any(n.kind is NoteKind.GUESSED and "Sở Tư pháp" in n.message for n in notes)
    assert not any(n.field == "due" for n in notes)  # "Quý II/2026" is the plan's own form


def test_an_owner_line_that_is_a_sentence_gives_a_task_per_owner(plan_file):
    plan = import_document(plan_file, code="kh-141").plan
    reviews = [d for d in plan.deliverables if "rà soát" in d.quote and "văn bản" in d.quote]
    assert [d.owner for d in reviews] == ["so-tu-phap", "group:so-nganh-lien-quan"]


def test_block_lines_are_not_read_again_as_tasks_of_the_section(plan_file):
    plan = import_document(plan_file, code="kh-141").plan
    assert not any(d.quote.startswith(("Đơn vị", "Thời gian")) for d in plan.deliverables)
    assert len(plan.deliverables) == 5  # three blocks (one of two owners) and IV.1


def test_a_start_date_is_no_deadline(tmp_path):
    path = tmp_path / "kh.md"
    start = "- Thực hiện chế độ hỗ trợ.\n\nĐơn vị chủ trì: Sở Tài chính.\n\n"
    path.write_text(
        PLAN.replace("IV. TỔ CHỨC", f"{start}Thời gian thực hiện: Từ 01/7/2025.\n\nIV. TỔ CHỨC"),
        encoding="utf-8",
    )
    plan = import_document(path, code="kh-141").plan
    support = next(d for d in plan.deliverables if d.quote.startswith("Thực hiện chế độ"))
    assert support.due is None
    [note] = [n for n in plan.notes if n.target == support.code and n.field == "due"]
    assert note.kind is NoteKind.UNPLACED and "ngày bắt đầu" in note.message


# KH 308/KH-UBND (Hà Nội, 2025): lettered blocks, the owner on a line below "b)".
LETTERED = """\
Hà Nội, ngày 17 tháng 11 năm 2025

KẾ HOẠCH

Triển khai thực hiện Nghị quyết số 214/NQ-CP

II. NHIỆM VỤ

1.1. Xây dựng các Chiến lược triển khai của thành phố Hà Nội:

a) Nhiệm vụ: Tham mưu UBND Thành phố phối hợp với Bộ Công an rà soát, hoàn thiện Chiến lược \
dữ liệu thành phố Hà Nội đến năm 2030.

b) Cơ quan thực hiện:

- Đơn vị chủ trì: Sở Khoa học và Công nghệ.

- Đơn vị phối hợp: Các Sở, ban, ngành.

c) Thời gian thực hiện: Hoàn thành trong năm 2025.

1.2. Triển khai, phát triển dữ liệu:

a) Nhiệm vụ:

- Triển khai rà soát, hoàn thiện, chuẩn hóa cơ sở dữ liệu của đơn vị.

- Phối hợp triển khai số hóa theo hướng dẫn của Bộ, ngành chuyên môn.

b) Cơ quan thực hiện:

- Đơn vị chủ trì: Các Sở, ban, ngành.

c) Thời gian thực hiện: Triển khai đảm bảo theo lộ trình, hướng dẫn của Bộ, ngành.

III. TỔ CHỨC THỰC HIỆN

1. Sở Khoa học và Công nghệ theo dõi, đôn đốc thực hiện Kế hoạch này.
"""

# KH 174/KH-UBND (TP HCM, 2025): "- Nội dung: … / - Cơ quan thực hiện: Sở X chủ trì, …".
ACTIVITIES = """\
Thành phố Hồ Chí Minh, ngày 18 tháng 11 năm 2025

KẾ HOẠCH

Triển khai các nhiệm vụ trọng tâm cuối năm 2025 lĩnh vực bình đẳng giới

III. NỘI DUNG HOẠT ĐỘNG

a) Hoạt động 2

- Nội dung: Triển khai lồng ghép nội dung về phòng ngừa, ứng phó bạo lực trên cơ sở giới.

- Cơ quan thực hiện: Sở Văn hóa và Thể thao chủ trì, phối hợp với các sở, ban, ngành.

c) Hoạt động 3

- Nội dung: Tuyên truyền, giáo dục về phòng ngừa, ứng phó bạo lực trên cơ sở giới.

- Cơ quan thực hiện:

+ Sở Văn hóa và Thể thao chủ trì, phối hợp với các sở, ban, ngành, đoàn thể Thành phố.

+ Sở Xây dựng đăng tải thông điệp truyền thông Tháng hành động trên bảng quang báo.

b) Hoạt động 2

- Nội dung: Triển khai các mô hình phòng ngừa tại cơ sở y tế, cơ sở giáo dục.

- Cơ quan thực hiện: Sở Giáo dục và Đào tạo và Sở Y tế chủ trì, phối hợp với các sở.

V. TỔ CHỨC THỰC HIỆN

1. Sở Nội vụ theo dõi, tổng hợp báo cáo kết quả triển khai thực hiện Kế hoạch này.
"""


@pytest.mark.parametrize(
    ("line", "label", "value"),
    [
        (
            "a) Nhiệm vụ: Lựa chọn kiến trúc sư trưởng.",
            Label.CONTENT,
            "Lựa chọn kiến trúc sư trưởng.",
        ),
        ("b) Cơ quan thực hiện:", Label.OWNER, ""),
        (
            "c) Thời gian thực hiện: Hoàn thành trong năm 2025.",
            Label.TIME,
            "Hoàn thành trong năm 2025.",
        ),
    ],
)
def test_a_lettered_block_line_is_read_by_its_label(line, label, value):
    assert labelled(line) == (label, value)


def test_a_lettered_block_takes_its_task_from_nhiem_vu_and_its_owner_from_below(tmp_path):
    first, second = read_blocks(read_paragraphs(written(tmp_path, LETTERED, "kh.txt")))
    assert first.content.startswith("Tham mưu UBND Thành phố phối hợp với Bộ Công an")
    assert (first.owner, first.time) == ("Sở Khoa học và Công nghệ.", "Hoàn thành trong năm 2025.")
    assert second.content.startswith("Triển khai rà soát, hoàn thiện, chuẩn hóa")


def test_a_time_line_in_words_gives_its_period_and_a_roadmap_is_left_unplaced(tmp_path):
    plan = import_document(written(tmp_path, LETTERED, "kh.txt"), code="kh-308").plan
    strategy, data = plan.deliverables[:2]
    assert strategy.title.startswith("Tham mưu") and strategy.owner == "so-khoa-hoc-va-cong-nghe"
    assert strategy.due is not None and strategy.due.period is Period.YEAR
    assert strategy.due.when == date(2025, 12, 31)  # not "đến năm 2030" of the task's words
    assert data.due is None
    [note] = [n for n in plan.notes if n.target == data.code and n.field == "due"]
    assert note.kind is NoteKind.UNPLACED and "theo một kế hoạch hoặc tiến độ khác" in note.message


def test_an_activity_is_quoted_from_noi_dung_and_owned_by_its_chu_tri(tmp_path):
    plan = import_document(written(tmp_path, ACTIVITIES, "kh.txt"), code="kh-174").plan
    drafted = [(d.owner, d.quote[:30]) for d in plan.deliverables]
    assert drafted[:4] == [
        ("so-van-hoa-va-the-thao", "Triển khai lồng ghép nội dung "),
        ("so-van-hoa-va-the-thao", "Tuyên truyền, giáo dục về phòn"),
        ("so-xay-dung", "Sở Xây dựng đăng tải thông điệ"),
        ("so-giao-duc-va-dao-tao", "Triển khai các mô hình phòng n"),
    ]
    assert not any(d.quote.startswith("Cơ quan thực hiện") for d in plan.deliverables)


def test_an_owner_line_that_leads_and_gives_work_stays_a_sentence_of_work(tmp_path):
    # Kế hoạch triển khai Luật Việc làm (TP HCM, 2025): "chủ trì tham mưu …" is work, not a lead
    text = ACTIVITIES.replace(
        "Sở Văn hóa và Thể thao chủ trì, phối hợp với các sở, ban, ngành.",
        "Sở Nội vụ chủ trì tham mưu Ủy ban nhân dân Thành phố ban hành Kế hoạch; Sở Tư pháp và "
        "các sở, ban, ngành chủ động tổ chức triển khai Luật Việc làm.",
    )
    plan = import_document(written(tmp_path, text, "kh.txt"), code="kh-174").plan
    first, second = plan.deliverables[:2]
    assert (first.owner, second.owner) == ("so-noi-vu", "so-tu-phap")
    assert first.quote.startswith("Sở Nội vụ chủ trì tham mưu")


# KH 174/KH-UBND Hồ Chí Minh, III.2.a: "- Nội dung:" with its works as "+" items below it, and
# a lettered "a) Nhiệm vụ:" whose "-" bullets are the one work of its block (KH 308/KH-UBND).
LISTED = """\
Thành phố Hồ Chí Minh, ngày 10 tháng 11 năm 2025

2. Duy trì, phát triển các mô hình liên quan đến công tác phòng ngừa bạo lực trên cơ sở giới.

a) Hoạt động 1

- Nội dung:

+ Tổng kết “Mô hình một cửa hỗ trợ phụ nữ và trẻ em trên địa bàn Thành phố Hồ Chí Minh”.

+ Tập huấn nâng cao năng lực cho đội ngũ cán bộ, y bác sỹ tại 04 Mô hình một cửa.

- Cơ quan thực hiện: Sở Y tế chủ trì, phối hợp với các sở, ban, ngành, đoàn thể Thành phố.

1.2. Triển khai, phát triển dữ liệu:

a) Nhiệm vụ:

- Triển khai rà soát, hoàn thiện, chuẩn hóa cơ sở dữ liệu của đơn vị.

- Phối hợp triển khai số hóa theo hướng dẫn của Bộ, ngành chuyên môn.

b) Cơ quan thực hiện:

- Đơn vị chủ trì: Sở Khoa học và Công nghệ.
"""


def test_the_sub_items_of_an_empty_noi_dung_bullet_are_works_of_their_own(tmp_path):
    plan = import_document(written(tmp_path, LISTED, "kh.txt"), code="kh-174").plan
    owners = [(d.title.split()[0], d.owner) for d in plan.deliverables]
    assert owners == [
        ("Tổng", "so-y-te"),
        ("Tập", "so-y-te"),
        ("Triển", "so-khoa-hoc-va-cong-nghe"),  # one work: the lettered block's
    ]
    assert plan.deliverables[2].quote.count("- ") == 0 and "số hóa" in plan.deliverables[2].quote
