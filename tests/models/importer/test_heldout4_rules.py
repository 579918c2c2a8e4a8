"""Rules added after the fourth held-out check (Kết luận 221-KL/TW, Công văn 174/CV-BCĐ, Kế
hoạch 235/KH-UBND Thanh Hóa, Kế hoạch 980/KH-UBND Nghệ An, Quyết định 2954/QĐ-UBND Sơn La,
2025): each with short real sentences of those documents."""

from datetime import date

import pytest

from models.importer.assigned import assigned_owner
from models.importer.deadline_phrases import find_deadlines
from models.importer.pipeline import import_document
from tests.models.importer.documents import written

# KL 221-KL/TW: a title line "VỀ TÌNH HÌNH, KẾT QUẢ …" (no part that reviews the past), praise
# of the past, numbered items that give work, and the "Nơi nhận:" list joined on one line.
CONCLUSION = """\
BAN CHẤP HÀNH TRUNG ƯƠNG

Hà Nội, ngày 28 tháng 11 năm 2025

KẾT LUẬN

CỦA BỘ CHÍNH TRỊ, BAN BÍ THƯ

VỀ TÌNH HÌNH, KẾT QUẢ HOẠT ĐỘNG CỦA BỘ MÁY HỆ THỐNG CHÍNH TRỊ VÀ CHÍNH QUYỀN ĐỊA PHƯƠNG 2 CẤP

1. Cơ bản thống nhất với Báo cáo của Ban Tổ chức Trung ương về tình hình, kết quả hoạt động.

Bộ Chính trị, Ban Bí thư ghi nhận và biểu dương các cấp uỷ, tổ chức đảng, Đảng uỷ Chính phủ đã \
tiếp tục nỗ lực, khắc phục khó khăn.

4. Yêu cầu các cấp uỷ, cơ quan, đơn vị, địa phương đẩy mạnh việc rà soát, sắp xếp tổ chức bộ \
máy bên trong. Các tỉnh uỷ, thành uỷ phối hợp Bộ Y tế khẩn trương sắp xếp các trạm y tế cấp \
xã, hoàn thành dứt điểm trước ngày 31/12/2025.

5. Giao Ban Tổ chức Trung ương tiếp tục chủ trì, phối hợp với Bộ Nội vụ đánh giá kỹ tình hình, \
báo cáo Bộ Chính trị, Ban Bí thư để chỉ đạo.

Nơi nhận:

- Các cơ quan, ban đảng Trung ương, - Các tỉnh uỷ, thành uỷ, đảng uỷ trực thuộc Trung ương, - \
Đảng uỷ các bộ, ngành, tổ chức chính trị - xã hội ở Trung ương, - Lưu Văn phòng Trung ương Đảng.
"""


def test_a_title_line_about_results_does_not_silence_the_work_below_it(tmp_path):
    plan = import_document(written(tmp_path, CONCLUSION, "kl.txt"), code="kl-221").plan
    owners = [d.owner.removeprefix("group:") for d in plan.deliverables]
    assert owners == [
        "cap-uy-co-quan-don-vi",  # a group: "các cấp uỷ, cơ quan, đơn vị, địa phương"
        "tinh-uy-thanh-uy",
        "ban-to-chuc-trung-uong",
    ]
    assert plan.deliverables[1].due is not None and str(plan.deliverables[1].due.when) == (
        "2025-12-31"
    )


def test_praise_and_the_distribution_list_are_no_work(tmp_path):
    plan = import_document(written(tmp_path, CONCLUSION, "kl.txt"), code="kl-221").plan
    quotes = " ".join(d.quote for d in plan.deliverables)
    assert "biểu dương" not in quotes and "ban đảng Trung ương" not in quotes


def test_tổ_chức_as_a_noun_is_part_of_a_name_not_its_verb():
    # KH 980/KH-UBND Nghệ An: "tổ chức chính trị - xã hội" is a kind of body
    sentence = (
        "Các sở, ban, ngành, Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã "
        "hội tỉnh xây dựng Kế hoạch triển khai thực hiện."
    )
    assert assigned_owner(sentence) == (
        "Các sở, ban, ngành, Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã "
        "hội tỉnh"
    )


# CV 174/CV-BCĐ: a letter whose opening asks the ministers for "các nội dung sau:", topics, items
# that name their own subject (after a topic "Đối với …" with an aside in brackets, or a request
# to "các Bộ:" listed with ";"), a subjectless item, and a dated closing.
LETTER = """\
Hà Nội, ngày 02 tháng 12 năm 2025

Kính gửi: Các đồng chí Bộ trưởng, Thủ trưởng cơ quan ngang Bộ

Thực hiện Kết luận số 221-KL/TW, ngày 28/11/2025 của Bộ Chính trị, Ban Bí thư, Ban Chỉ đạo thực \
hiện sắp xếp đơn vị hành chính yêu cầu các đồng chí Bộ trưởng, Thủ trưởng cơ quan ngang Bộ khẩn \
trương chỉ đạo thực hiện các nội dung sau:

1. Về phân cấp, phân quyền khi vận hành chính quyền địa phương 2 cấp

1.1. Đối với 355 nhiệm vụ cần ban hành văn bản để hướng dẫn thực hiện (danh mục cụ thể theo Báo \
cáo số 11296/BC-BNV ngày 27/11/2025 của Bộ Nội vụ gửi kèm), các Bộ, cơ quan ngang Bộ khẩn trương \
rà soát, ban hành các văn bản hướng dẫn, hoàn thành chậm nhất ngày 25/12/2025.

1.2. Đối với 10 nhiệm vụ cần điều chỉnh thẩm quyền (danh mục cụ thể theo Báo cáo số \
11296/BC-BNV), yêu cầu các Bộ: Nông nghiệp và Môi trường; Xây dựng; Khoa học và Công nghệ xây \
dựng phương án đề xuất điều chỉnh thẩm quyền, báo cáo Ban Chỉ đạo của Chính phủ trước ngày \
15/12/2025.

2. Về việc tháo gỡ khó khăn, vướng mắc

2.2. Khẩn trương nghiên cứu, giải quyết, xử lý các kiến nghị cụ thể của các cơ quan, đơn vị, địa \
phương, hoàn thành trước ngày 15/12/2025.

Trên đây là một số nội dung trọng tâm cần thực hiện ngay, Ban Chỉ đạo của Chính phủ đề nghị các \
đồng chí Bộ trưởng, Thủ trưởng cơ quan ngang Bộ quan tâm chỉ đạo thực hiện và báo cáo kết quả \
thực hiện về Ban Chỉ đạo của Chính phủ (qua Bộ Nội vụ) trước Thứ Tư ngày 03/12/2025./.
"""


def test_a_letters_opening_owns_its_points_unless_a_point_names_its_own_subject(tmp_path):
    plan = import_document(written(tmp_path, LETTER, "cv.md"), code="cv-174").plan
    drafted = [(d.owner, d.due.label() if d.due else None) for d in plan.deliverables]
    assert drafted == [
        ("group:bo-co-quan-ngang-bo", "chậm nhất 25/12/2025"),
        ("bo-nong-nghiep-va-moi-truong", "trước 15/12/2025"),
        ("group:dong-chi-bo-truong-thu-truong", "trước 15/12/2025"),
        ("group:dong-chi-bo-truong-thu-truong", "trước 03/12/2025"),  # the dated closing
    ]


def test_the_ministries_listed_with_semicolons_are_one_owner_and_the_others_named(tmp_path):
    plan = import_document(written(tmp_path, LETTER, "cv.md"), code="cv-174").plan
    listed = plan.deliverables[1]
    assert listed.owner == "bo-nong-nghiep-va-moi-truong"
    notes = " ".join(n.message for n in plan.notes if n.target == listed.code)
    assert "Bộ Xây dựng" in notes and "Bộ Khoa học và Công nghệ" in notes


@pytest.mark.parametrize(
    ("phrase", "kind", "day"),
    [
        ("báo cáo trước Thứ Tư ngày 03/12/2025 và", "before", date(2025, 12, 3)),
        ("gửi chậm nhất thứ Sáu, ngày 05/12/2025", "by", date(2025, 12, 5)),
        ("gửi trước thứ 2 ngày 08/12/2025", "before", date(2025, 12, 8)),
    ],
)
def test_a_weekday_before_the_day_is_read_through(phrase, kind, day):
    [found] = find_deadlines(phrase, 2025)
    assert (found.kind.value, found.when) == (kind, day)


# QĐ 2954/QĐ-UBND Sơn La, V.1 and V.8: role sub-headings over the owner's bullets, and an owner
# heading that lists four bodies.
ROLES = """\
Sơn La, ngày 20 tháng 11 năm 2025

V. TỔ CHỨC THỰC HIỆN

1. Sở Công Thương

a) Chủ trì, phối hợp với các sở, ban, ngành, UBND các xã, phường và cơ quan, đơn vị có liên quan

- Tổ chức chương trình tập huấn kiến thức về hội nhập kinh tế quốc tế, xuất khẩu hàng hóa.

b) Phối hợp với các sở, ngành, UBND các xã, phường

- Thực hiện có hiệu quả các hoạt động xúc tiến thương mại và phát triển thương mại điện tử.

8. Đề nghị Liên minh Hợp tác xã tỉnh, Đoàn TNCS Hồ Chí Minh tỉnh, Hội nông dân tỉnh, Hiệp hội \
doanh nghiệp tỉnh

- Đẩy mạnh tập huấn, học tập mô hình sản xuất tiên tiến, phù hợp với điều kiện thực tế của tỉnh.
"""


def test_role_sub_headings_are_no_tasks_and_keep_the_owner_of_their_bullets(tmp_path):
    plan = import_document(written(tmp_path, ROLES, "qd.txt"), code="qd-2954").plan
    titles = [d.title.split()[0] for d in plan.deliverables]
    assert titles == ["Tổ", "Thực", "Đẩy"]
    assert [d.owner for d in plan.deliverables[:2]] == ["so-cong-thuong", "so-cong-thuong"]


def test_an_owner_heading_of_four_bodies_names_the_first_and_notes_the_others(tmp_path):
    plan = import_document(written(tmp_path, ROLES, "qd.txt"), code="qd-2954").plan
    last = plan.deliverables[-1]
    assert last.owner == "lien-minh-hop-tac-xa-tinh"
    notes = " ".join(n.message for n in plan.notes if n.target == last.code)
    assert all(name in notes for name in ("Đoàn TNCS", "Hội nông dân", "Hiệp hội doanh"))


# QĐ 2954/QĐ-UBND Sơn La, V. CHẾ ĐỘ BÁO CÁO: an owner item whose first sentence is a general
# duty and whose second is a report, due monthly, half-yearly and yearly.
REPORTS = """\
Sơn La, ngày 20 tháng 11 năm 2025

V. TỔ CHỨC THỰC HIỆN

1. Các Sở, ngành, UBND các xã, phường và các cơ quan, đơn vị có liên quan: Căn cứ chức năng, \
nhiệm vụ được giao theo Kế hoạch, tổ chức triển khai thực hiện đảm bảo đúng yêu cầu, đạt hiệu \
quả cao. Định kỳ hàng tháng (trước ngày 16 hàng tháng), 6 tháng (trước ngày 16/6), tổng kết năm \
(trước ngày 20/11 hàng năm) hoặc khi có yêu cầu báo cáo tình hình thực hiện Kế hoạch, gửi Sở Công \
thương tổng hợp báo cáo Tỉnh ủy, HĐND, UBND tỉnh.
"""


def test_a_report_after_a_general_duty_is_drafted_at_its_first_time(tmp_path):
    plan = import_document(written(tmp_path, REPORTS, "qd.txt"), code="qd-2954").plan
    [report] = plan.deliverables
    assert "Định kỳ hàng tháng" in report.quote and "Căn cứ chức năng" not in report.quote
    # the monthly 16/12/2025 comes first: the yearly "trước ngày 20/11" is past on 20/11/2025
    assert report.due is not None and report.due.when == date(2025, 12, 16)
    assert report.to == "so-cong-thuong"
