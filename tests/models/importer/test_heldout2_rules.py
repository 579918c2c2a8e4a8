"""Rules added after the second held-out check (KH 310 Hà Nội, CV 6225 Bộ Văn hóa, Thể thao và
Du lịch, CV 17899 Bộ Tài chính, 2025): each with a short real sentence of those documents."""

from datetime import date
from pathlib import Path

from models.importer.pipeline import import_document

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


def _file(tmp_path: Path, text: str, name: str = "cv.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_request_after_the_issuers_name_is_drafted_not_refused(tmp_path):
    plan = import_document(_file(tmp_path, ISSUER_REQUEST), code="cv-17899").plan
    [request] = plan.deliverables
    assert request.quote.startswith("đề nghị Ủy ban nhân dân các tỉnh, thành phố")
    assert "bo-tai-chinh" not in request.owner  # the issuer asks, it is not the owner
    assert request.due is not None and request.due.when == date(2025, 11, 24)
