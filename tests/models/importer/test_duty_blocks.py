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
