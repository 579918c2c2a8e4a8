"""Three more plans in the same administrative style: other provinces, units and wordings."""

from datetime import date, datetime

import pytest

from models.importer.pipeline import ImportResult, import_document
from models.importer.problems import NoteKind
from models.loader import read_plan_text
from models.spec import DeliverableSpec, DueSpec, PlanSpec
from tests.models.importer.documents import NGHE_AN, QUANG_TRI, QUANG_TRI_REGISTRY


def spec_of(result: ImportResult) -> PlanSpec:
    return read_plan_text(result.text, "draft").plan.spec


def by_quote(spec: PlanSpec, start: str) -> DeliverableSpec:
    return next(d for d in spec.deliverables if d.quote.startswith(start))


def due_of(deliverable: DeliverableSpec) -> DueSpec:
    """The deadline the importer read for `deliverable`, which must have one."""
    assert deliverable.due is not None, f"{deliverable.code} has no deadline"
    return deliverable.due


@pytest.fixture(scope="module")
def quang_tri() -> ImportResult:
    return import_document(QUANG_TRI, registries=[QUANG_TRI_REGISTRY])


def test_quang_tri_reads_every_wording_as_its_deadline(quang_tri):
    spec = spec_of(quang_tri)
    assert due_of(by_quote(spec, "Xây dựng báo cáo")).by == date(2024, 4, 10)  # year from dateline
    assert due_of(by_quote(spec, "Đăng ký")).at == datetime(2024, 4, 15, 17, 0)
    assert due_of(by_quote(spec, "Chủ trì, tổng hợp")).by == date(2024, 4, 18)
    assert due_of(by_quote(spec, "Sở Tài chính:")).before == date(2024, 4, 12)
    assert due_of(by_quote(spec, "Thời gian:")).on == date(2024, 4, 25)


def test_quang_tri_uses_the_users_registry_for_owners_and_recipients(quang_tri):
    spec = spec_of(quang_tri)
    report = by_quote(spec, "Xây dựng báo cáo")
    assert (report.owner, report.to) == ("group:huyen", "ban-to-chuc")
    assert len(spec.groups["huyen"]) == 10
    assert by_quote(spec, "Sở Tài chính:").owner == "so-tai-chinh"
    assert {u.code: u.email for u in spec.units}["vptu"] == "vptu@quangtri.example"
    assert not [n for n in quang_tri.plan.notes if n.target.startswith("units.")]


def test_quang_tri_synthesis_waits_on_the_reports_and_the_meeting_on_the_rest(quang_tri):
    spec = spec_of(quang_tri)
    report, synthesis = by_quote(spec, "Xây dựng báo cáo"), by_quote(spec, "Chủ trì, tổng hợp")
    assert synthesis.after == [report.code]
    meeting = by_quote(spec, "Thời gian:")
    assert synthesis.code in meeting.after and report.code not in meeting.after
    assert by_quote(spec, "Chuẩn bị tài liệu").code in meeting.after


def test_quang_tri_year_taken_from_the_document_is_marked(quang_tri):
    [note] = [n for n in quang_tri.plan.notes if n.field == "due"]
    assert note.kind is NoteKind.GUESSED and "2024" in note.message
    assert "# TODO confirm: “chậm nhất ngày 10/4” không ghi năm" in quang_tri.text


def test_docx_plan_is_read_with_the_given_year_and_new_unit_codes(quang_binh_docx):
    result = import_document(quang_binh_docx, year=2025)
    assert result.valid, result.errors
    spec = spec_of(result)
    script = by_quote(spec, "Xây dựng kịch bản")
    assert (script.owner, script.to) == ("so-van-hoa-va-the-thao", "van-phong-uy-ban-nhan-dan-tinh")
    assert due_of(script).before == date(2025, 4, 5)
    assert due_of(by_quote(spec, "Tổ chức tổng duyệt")).by == date(2025, 4, 25)
    assert due_of(by_quote(spec, "Thẩm định")).by == date(2025, 4, 10)
    assert due_of(by_quote(spec, "Xây dựng phương án")).at == datetime(2025, 4, 20, 16, 30)
    assert due_of(by_quote(spec, "Thời gian:")).on == date(2025, 4, 30)
    assert by_quote(spec, "Thẩm định").to == "uy-ban-nhan-dan-tinh"  # "trình Ủy ban …"
    assert by_quote(spec, "Tổng hợp báo cáo").to == "chu-tich-uy-ban-nhan-dan-tinh"
    proposed = {n.target for n in result.plan.notes if "chưa có trong danh mục" in n.message}
    assert proposed == {
        "units.so-van-hoa-va-the-thao",
        "units.so-tai-chinh",
        "units.cong-an-tinh",
        "units.uy-ban-nhan-dan-tinh",
        "units.chu-tich-uy-ban-nhan-dan-tinh",
    }


def test_docx_without_year_and_without_year_option_leaves_dates_unplaced(quang_binh_docx):
    result = import_document(quang_binh_docx)
    unplaced = [n for n in result.plan.notes if n.kind is NoteKind.UNPLACED]
    assert len(unplaced) == 5 and all("không rõ năm" in n.message for n in unplaced)
    assert all(d.due is None for d in result.plan.deliverables)


@pytest.fixture(scope="module")
def nghe_an() -> ImportResult:
    return import_document(NGHE_AN)


def test_two_dates_in_one_bullet_are_reported_and_marked_not_resolved(nghe_an):
    [note] = [n for n in nghe_an.plan.notes if n.kind is NoteKind.AMBIGUOUS and n.field == "due"]
    assert "trước ngày 10/5/2024" in note.message and "chậm nhất ngày 15/5/2024" in note.message
    due_line = next(line for line in nghe_an.text.splitlines() if "before: 2024-05-10" in line)
    assert "# TODO confirm (mơ hồ): một ý có 2 hạn khác nhau" in due_line


def test_an_unknown_collective_owner_is_reported_and_left_for_the_coordinator(nghe_an):
    [note] = [n for n in nghe_an.plan.notes if n.target == "groups.so-nganh-lien-quan"]
    assert note.kind is NoteKind.AMBIGUOUS
    assert "so-nganh-lien-quan: []  # TODO confirm (mơ hồ)" in nghe_an.text
    assert not nghe_an.valid  # an empty group fails `plan check`: nothing was silently filled in
    assert any("nhóm cần ít nhất một đơn vị" in p.message for p in nghe_an.errors)


def test_a_date_that_is_no_deadline_is_reported_as_unplaced(nghe_an):
    [note] = [n for n in nghe_an.plan.notes if n.kind is NoteKind.UNPLACED]
    assert "ngày 12/5" in note.message and note.line is not None
