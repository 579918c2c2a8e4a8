"""A document with a period and deadlines counted from other work, imported end to end: the
draft writes the plan's own forms, passes `plan check` and is evaluated like any plan."""

from pathlib import Path

import pytest

from models.evaluate import evaluate
from models.importer.pipeline import ImportResult, import_document
from models.loader import read_plan_text
from models.statuses import Status
from tests.builders import local, received
from tests.models.importer.documents import COUNTED_PLAN


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> ImportResult:
    path: Path = tmp_path_factory.mktemp("kh") / "kh-hoi-thao.txt"
    path.write_text(COUNTED_PLAN, encoding="utf-8")
    return import_document(path)


@pytest.mark.parametrize(
    ("written", "guessed"),
    [
        ("due: {quarter: 2023-Q2}", False),  # the text's own period
        ("due: {days_before: 10, of: hoi-thao}", True),  # what it counts from is a guess
        ("due: {days_after: 7, of: hoi-thao}", True),
        ("due: {within_days: 2, after_arrival_of: xay-dung-to-trinh-ky, working_days: true}", True),
    ],
)
def test_periods_and_counts_are_drafted_in_the_plans_own_forms(imported, written, guessed):
    line = next(line for line in imported.text.splitlines() if written in line)
    assert ("# TODO confirm:" in line) is guessed


def test_a_count_from_work_not_in_the_draft_stays_unplaced(imported):
    [note] = [n for n in imported.plan.notes if n.target == "dang-tin-trong-03-ngay"]
    assert "không có nhiệm vụ nào là “bài”" in note.message
    assert next(d for d in imported.plan.deliverables if d.code == note.target).due is None


def test_the_draft_passes_plan_check_and_is_evaluated(imported):
    assert imported.valid, imported.errors
    plan = read_plan_text(imported.text, "draft").plan
    sent = received("xay-dung-to-trinh-ky", "ban-tuyen-giao", local(2023, 3, 10, 15, 20))
    statuses = {s.deliverable: s for s in evaluate(plan, [sent], local(2023, 3, 13, 9))}
    invitations = statuses["truoc-hoi-thao-it-nhat"]
    assert invitations.status is Status.OVERDUE  # 10 days before 22/03: before 12/03
    assert invitations.deadline is not None and "12/03/2023" in invitations.deadline.label()
    report = statuses["cham-nhat-07-ngay-sau"].deadline
    assert report is not None and "29/03/2023" in report.label()
    summary = statuses["tong-hop-ket-qua-chuyen"].deadline
    assert summary is not None and summary.label() == "trong quý II/2023"
    review = statuses["tham-dinh-trong-vong-02"]  # tờ trình in Friday 10/03: through 14/03
    assert review.deadline is not None and "14/03/2023" in review.deadline.label()
