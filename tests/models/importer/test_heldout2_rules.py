"""Rules added after the second held-out check (KH 310 Hà Nội, CV 6225 Bộ Văn hóa, Thể thao và
Du lịch, CV 17899 Bộ Tài chính, 2025): each with a short real sentence of those documents."""

from datetime import date

import pytest

from models.importer.assigned import general_duty, owner_heading
from models.importer.parties import read_recipient
from models.importer.period_phrases import period_in_cell, periods_in_text
from models.importer.pipeline import import_document
from tests.models.importer.documents import written

# CV 17899/BTC-VP: the request after the issuer's name, its date in the last clause.
ISSUER_REQUEST = """\
Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.

3. Nội dung: Bồi dưỡng, tập huấn chuyên môn, nghiệp vụ quản lý thuế cho công chức, viên chức cấp xã.

Bộ Tài chính trân trọng đề nghị Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương chỉ \
đạo các xã, phường, đặc khu cử cán bộ, công chức, viên chức tham dự lớp bồi dưỡng; tổng hợp \
các câu hỏi của cấp xã về nội dung quản lý thuế trong thực thi công vụ gửi về Trường Bồi dưỡng \
cán bộ Kinh tế - Tài chính; đồng thời gửi thông tin theo hình thức trực tuyến trước ngày \
24/11/2025.

Trân trọng thông báo./.
"""


def test_a_request_after_the_issuers_name_is_drafted_not_refused(tmp_path):
    plan = import_document(written(tmp_path, ISSUER_REQUEST, "cv.txt"), code="cv-17899").plan
    [request] = plan.deliverables
    assert request.quote.startswith("đề nghị Ủy ban nhân dân các tỉnh, thành phố")
    assert "bo-tai-chinh" not in request.owner  # the issuer asks, it is not the owner
    assert request.due is not None and request.due.when == date(2025, 11, 24)


# CV 6225/BVHTTDL-VP, appendix: the head of the body and the body each have a column.
HEAD_AND_BODY = """\
Kính gửi: Các cơ quan, đơn vị thuộc Bộ.

PHỤ LỤC

STT | Tên nhiệm vụ | Người đứng đầu chịu trách nhiệm | Cơ quan chủ trì | Cơ quan phối hợp | \
Thời hạn hoàn thành
---|---|---|---|---|---
1 | Đẩy nhanh tiến độ xây dựng, làm sạch, kết nối 03/7 cơ sở dữ liệu chuyên ngành | Cục trưởng \
các Cục: Di sản văn hóa, Bản quyền tác giả | Các Cục: Di sản văn hóa, Bản quyền tác giả | \
Trung tâm Chuyển đổi số VHTTDL | Tháng 12/2025
2 | Xây dựng bộ quy tắc ứng xử văn hóa trên môi trường số | Cục trưởng Cục Phát thanh truyền \
hình và Thông tin điện tử | Cục Phát thanh truyền hình và Thông tin điện tử | Các cơ quan, đơn \
vị liên quan | Tháng 12/2025
"""


def test_the_owner_is_the_body_column_not_the_person_answerable(tmp_path):
    plan = import_document(written(tmp_path, HEAD_AND_BODY, "cv.md"), code="cv-6225").plan
    owners = [d.owner for d in plan.deliverables]
    # "Các Cục: Di sản văn hóa, Bản quyền tác giả" names two Cục: the first leads
    assert owners == ["cuc-di-san-van-hoa", "cuc-phat-thanh-truyen-hinh-va-thong-tin"]


@pytest.mark.parametrize(
    "heading",
    ["2. Tiểu ban giúp việc Ban Chỉ đạo 934", "3. Vụ Tổ chức cán bộ", "4. Văn phòng Bộ"],
)
def test_a_numbered_heading_naming_a_ministrys_department_is_an_owner(heading):
    assert owner_heading(heading) == heading[3:]


# KH 310/KH-UBND, V: the closing request, its yearly report owned by the bodies it names.
CLOSING_REPORT = """\
Hà Nội, ngày 24 tháng 11 năm 2025

KẾ HOẠCH

Phát triển hạ tầng 5G, IoT

V. TỔ CHỨC THỰC HIỆN

1. Sở Tài chính

- Tổng hợp, tham mưu UBND Thành phố bố trí kinh phí thực hiện nhiệm vụ của kế hoạch.

Ủy ban nhân dân Thành phố yêu cầu các Sở, ban, ngành Thành phố, UBND phường, xã và các doanh \
nghiệp viễn thông nghiêm túc triển khai thực hiện; định kỳ trước ngày 30 tháng 11 hàng năm báo \
cáo kết quả thực hiện về UBND Thành phố (qua Ban Quản lý các khu công nghệ cao và khu công nghiệp).
"""


def test_a_closing_requests_yearly_report_is_the_named_bodies_first_time_as_a_guess(tmp_path):
    result = import_document(written(tmp_path, CLOSING_REPORT, "kh.txt"), code="kh-310")
    report = result.plan.deliverables[-1]
    assert report.owner == "group:so-ban-nganh-thanh-pho"
    assert report.title == "Báo cáo kết quả thực hiện về UBND Thành phố"
    assert report.due is not None and report.due.when == date(2025, 11, 30)
    assert f"{report.code}.due" in result.text or "lặp lại hằng năm" in result.text


# CV 6225/BVHTTDL-VP: addressees, a sentence about things, the closing exhortation.
NOT_OWNERS = """\
Kính gửi:

- Các cơ quan tham mưu quản lý nhà nước thuộc Bộ;

- Trung tâm Chuyển đổi số Văn hóa, Thể thao và Du lịch.

Trước tình hình đó, Bộ Văn hóa, Thể thao và Du lịch yêu cầu:

2. Tiểu ban giúp việc Ban Chỉ đạo 934

- Thường xuyên tổ chức giao ban, tăng cường công tác kiểm tra, đôn đốc việc triển khai thực hiện \
nhiệm vụ được giao. Các vấn đề thuộc thẩm quyền phải được giải quyết một cách khẩn trương, triệt để.

Bộ Văn hóa, Thể thao và Du lịch yêu cầu Thủ trưởng các cơ quan, đơn vị được giao nhiệm vụ tập \
trung nguồn lực, đảm bảo tiến độ được giao./.
"""


def test_addressees_things_and_a_closing_exhortation_are_no_owners(tmp_path):
    plan = import_document(written(tmp_path, NOT_OWNERS, "cv.txt"), code="cv-6225").plan
    assert [d.owner for d in plan.deliverables] == ["tieu-ban-giup-viec-ban-chi-dao-934"]
    assert not plan.groups


# KH 310/KH-UBND, V.3 and V.5.
LEAD_AND_CLASS = """\
Hà Nội, ngày 24 tháng 11 năm 2025

KẾ HOẠCH

Phát triển hạ tầng 5G, IoT

V. TỔ CHỨC THỰC HIỆN

3. Sở Tài chính

- Chủ trì, phối hợp với Ban Quản lý các khu công nghệ cao và khu công nghiệp, Sở Khoa học và \
Công nghệ, các đơn vị liên quan tham mưu cho UBND Thành phố các giải pháp thu hút các nguồn vốn \
đầu tư để triển khai thực hiện kế hoạch này.

5. Các doanh nghiệp viễn thông, tổ chức, cá nhân có liên quan

- Doanh nghiệp viễn thông, tổ chức bảo đảm kinh phí thực hiện các mục tiêu, nhiệm vụ, giải pháp \
của Kế hoạch này do doanh nghiệp triển khai.
"""


def test_a_lead_bullet_with_its_own_work_is_drafted_and_a_class_heading_is_no_task(tmp_path):
    plan = import_document(written(tmp_path, LEAD_AND_CLASS, "kh.txt"), code="kh-310").plan
    lead, funding = plan.deliverables
    assert (lead.owner, lead.quote[:20]) == ("so-tai-chinh", "Chủ trì, phối hợp vớ")
    assert funding.owner.startswith("group:doanh-nghiep-vien-thong")
    assert funding.quote.startswith("Doanh nghiệp viễn thông, tổ chức bảo đảm kinh phí")


@pytest.mark.parametrize(
    ("sentence", "duty"),
    [
        ("Tuân thủ các quy định về cấp phép và quản lý xây dựng đối với các công trình", True),
        (
            "Trên cơ sở những nội dung định hướng của Thành phố nêu tại Kế hoạch này, tổ chức "
            "triển khai thực hiện đảm bảo chất lượng, hiệu quả",
            True,
        ),
        (
            "Phối hợp với Ban Quản lý các khu công nghệ cao và khu công nghiệp tổ chức thực hiện "
            "kế hoạch theo đúng quy định của pháp luật và chức năng nhiệm vụ được giao",
            True,
        ),
        (
            "Chủ trì, phối hợp với Sở Khoa học và Công nghệ tham mưu cho UBND Thành phố các giải "
            "pháp thu hút các nguồn vốn đầu tư để triển khai thực hiện kế hoạch này",
            False,
        ),
    ],
)
def test_obeying_and_carrying_out_the_text_are_general_duties_a_purpose_is_not(sentence, duty):
    assert general_duty(sentence) is duty


@pytest.mark.parametrize(
    "sentence",
    [
        "Chủ trì … điều chỉnh, bổ sung quy hoạch hạ tầng viễn thông trong các khu công nghệ cao "
        "và khu công nghiệp đến năm 2030.",
        "phê duyệt quy hoạch Thủ đô Hà Nội thời kỳ 2021-2030, tầm nhìn đến năm 2050",
        "rà soát, điều chỉnh, bổ sung quy hoạch hạ tầng viễn thông trong các Khu công nghệ cao, "
        "khu công nghiệp, cụm công nghiệp đến năm 2030",
    ],
)
def test_the_year_a_plan_reaches_to_is_no_deadline(sentence):
    assert periods_in_text(sentence, 2025) == []


def test_a_deadline_up_to_a_year_is_still_read():
    [phrase] = periods_in_text("Xây dựng quy hoạch chi tiết, hoàn thành đến năm 2030.", 2025)
    assert phrase.day == date(2030, 12, 31)


def test_a_quarter_range_is_due_by_its_last_quarter_as_a_guess():
    phrase = period_in_cell("Quý IV/2025- Quý II/2026", 2025)
    assert phrase is not None and phrase.day == date(2026, 6, 30)
    assert "quý II/2026" in phrase.doubt


def test_a_recipient_ends_before_what_is_reported():
    text = "Tổng hợp, tham mưu, báo cáo UBND Thành phố các nội dung cần sửa đổi, bổ sung"
    [reading] = read_recipient(text, {})
    assert reading.party.name == "Ủy ban nhân dân Thành phố"
