"""The corpus of real documents (issue 15): complete and sourced, and the importer's score on it
never falls below what it reached when the corpus was written."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from models.deadlines import Period
from models.importer.deadline_phrases import DueKind
from models.importer.model import DraftCount, DraftDeliverable, DraftDue, DraftPlan, DraftUnit
from models.importer.pipeline import ImportResult, import_document
from models.loader import read_plan_text
from models.spec import DueForm
from tests.models.importer.corpus_docx import SOURCES, build
from tests.models.importer.corpus_score import (
    CORPUS,
    Deadline,
    DocumentScore,
    Expected,
    ExpectedDocument,
    Party,
    document_text,
    expected_documents,
    missing_quotes,
    names_party,
    owner_names,
    score,
    score_corpus,
)

README = CORPUS / "README.md"
DOCUMENT_SUFFIXES = (".txt", ".md", ".docx")
EXPECTED = expected_documents()


def readme_entry(slug: str) -> str:
    """The README section about one document: from its `### slug` heading to the next one."""
    text = README.read_text(encoding="utf-8")
    found = re.search(rf"^### {re.escape(slug)}\n(.*?)(?=^### |\Z)", text, re.M | re.S)
    return found.group(1) if found else ""


def test_the_corpus_has_at_least_sixteen_documents_of_every_format():
    documents = [e.document for e in EXPECTED]
    assert len(documents) >= 16
    assert {d.suffix for d in documents} == set(DOCUMENT_SUFFIXES)
    assert sum(d.suffix == ".docx" for d in documents) >= 2


def test_every_document_in_the_folder_has_an_expected_draft():
    on_disk = {p.name for p in CORPUS.iterdir() if p.suffix in DOCUMENT_SUFFIXES}
    on_disk.discard(README.name)
    assert on_disk == {e.document.name for e in EXPECTED}


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda e: e.slug)
def test_every_document_has_a_readme_entry_naming_its_source(expected: ExpectedDocument):
    entry = readme_entry(expected.slug)
    assert entry, f"README.md has no '### {expected.slug}' section"
    source = re.search(r"^- Source: (.+)$", entry, re.M)
    assert source and re.search(r"https?://|github\.com/|index", source.group(1))
    for field in ("Title", "Issued by", "Number", "Date", "Assignments"):
        assert re.search(rf"^- {field}: \S", entry, re.M), f"{expected.slug}: no {field}"
    assert expected.document.name in entry


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda e: e.slug)
def test_every_expected_quote_is_the_documents_own_words(expected: ExpectedDocument):
    assert expected.document.exists()
    assert expected.assignments
    assert missing_quotes(expected) == []


@pytest.mark.parametrize("source", sorted(SOURCES.glob("*.md")), ids=lambda p: p.stem)
def test_each_word_document_holds_the_text_it_was_built_from(source: Path, tmp_path: Path):
    committed = CORPUS / f"{source.stem}.docx"
    rebuilt = build(source, tmp_path / committed.name)
    assert document_text(committed) == document_text(rebuilt)


# What the importer reached on this corpus when it was written (issue 15). The targets are
# ≥ 85 % right owners, ≥ 90 % dated deadlines right, ≤ 10 % false tasks and no relative deadline
# drafted as a fixed date (bench/import_corpus.py prints all of them). Raise these floors as
# the importer improves; a change that lowers a score below them fails here.
FLOOR_DOCUMENTS_IMPORTED = 33
# of 450 expected assignments on thirty-three documents (425 before KH 552's part VI was read;
# 428 before its "Báo cáo giữa kỳ …" sentence was a report of its own;
# 381 when the fifth held-out six joined, 67 of their 128; 314 of 322 on twenty-seven, 302 when
# the fourth held-out five joined, 55 of their 70; 247 of 252 on twenty-two; 215 when the third
# held-out three joined; 204 of 210 on nineteen, 198 when the second held-out three joined; 176
# of 182 on the first sixteen)
FLOOR_OWNER_RIGHT = 429
# of 67 dated deadlines (65 before KH 552's part VI was read; 58 when the fifth held-out six
# joined, 3 of their 12; 55 of 55 on twenty-seven, 49 when the fourth held-out five joined, 3 of
# their 9; 46 of 46 on twenty-two; 32 of 32 on nineteen; 27 of 27 on the first sixteen)
FLOOR_DATED_RIGHT = 67
# of 96 month / quarter / year deadlines, drafted in their own period form (91 when the fifth
# held-out six joined, 17 of their 22; 74 of 74 on twenty-seven; 60 of 64 with the third
# held-out three, until QĐ 1627's time lines "Tháng 11 - 12/2025" were read; 54 of 54 on
# nineteen; 46 of 46 on the first sixteen)
FLOOR_PERIODS_RIGHT = 93
# 47 false tasks of 485 drafted (9.7 %); 78 of 474 (16.5 %) when the fifth held-out six joined,
# 49 of their 126 (most of the rest: bullets that repeat a row of KH 552's table, now dropped,
# and "Hỗ trợ …" / "Chủ động phối hợp …" bullets of QĐ 2954 its expected draft does not count,
# a judgment); 29 of 347 (8.4 %) on twenty-seven, 36 of 344 when the fourth held-out five
# joined; 17 of 267 (6.4 %) on twenty-two; 10 of 217 (4.6 %) on nineteen documents; 5 of 184
# (2.7 %) on the first sixteen
CEILING_FALSE_RATE = 0.10
CEILING_RELATIVE_AS_FIXED = 0  # of 38 relative deadlines
# Of the 38, none counts from work the document drafts with a number of days (kiến nghị of
# voters, a session of the council, a decree, other plans, the ministries' roadmap, "theo yêu
# cầu, tiến độ", "Trên cơ sở đó"): each is rightly left unplaced. Raise when one is drafted.
FLOOR_RELATIVE_DRAFTED = 0
# of 125 recipients the expected drafts name, on matched assignments (45 of 71 when first
# counted on twenty-two; 60 of 71 once "về X để tổng hợp", "tham mưu X …" and names cut at
# their verb were read; 66 of 83 when the fourth held-out five joined; 92 of 125 on
# thirty-three)
FLOOR_RECIPIENTS_RIGHT = 92


@pytest.fixture(scope="module")
def corpus_scores() -> tuple[list[DocumentScore], DocumentScore]:
    return score_corpus()


def test_the_importer_does_not_regress_on_the_corpus(corpus_scores):
    scores, total = corpus_scores
    assert sum(not s.error for s in scores) >= FLOOR_DOCUMENTS_IMPORTED
    assert total.owner_right >= FLOOR_OWNER_RIGHT
    assert total.dated_right >= FLOOR_DATED_RIGHT
    assert total.periods_right >= FLOOR_PERIODS_RIGHT
    assert total.false_rate <= CEILING_FALSE_RATE
    assert total.relative_as_fixed <= CEILING_RELATIVE_AS_FIXED
    assert total.relative_drafted >= FLOOR_RELATIVE_DRAFTED
    assert total.recipients_right >= FLOOR_RECIPIENTS_RIGHT


def with_groups_filled(result: ImportResult) -> str:
    """The draft as the coordinator makes it loadable: each empty group given a member (the
    draft's own TODO asks for exactly that)."""
    text, member = result.text, result.plan.units[0].code
    for code in (code for code, members in result.plan.groups.items() if not members):
        text = text.replace(f"  {code}: []", f"  {code}: [{member}]", 1)
    return text


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda e: e.slug)
def test_every_corpus_draft_passes_plan_check_once_its_empty_groups_are_filled(
    expected: ExpectedDocument,
):
    result = import_document(expected.document)
    assert all(p.message == "nhóm cần ít nhất một đơn vị" for p in result.errors)
    assert read_plan_text(with_groups_filled(result), expected.document.name).plan.code


def test_a_refused_document_counts_every_assignment_as_missed():
    expected = EXPECTED[0]
    refused = score(expected, None, "không tìm thấy phần giao nhiệm vụ")
    assert (refused.drafted, refused.matched, refused.owner_right) == (0, 0, 0)
    assert refused.expected == len(expected.assignments) <= len(refused.misses)


def deliverable(quote: str, owner: str, due: DraftDue | None = None) -> DraftDeliverable:
    return DraftDeliverable(code="d", title="t", owner=owner, quote=quote, line=1, due=due)


def plan_of(*deliverables: DraftDeliverable) -> DraftPlan:
    units = (DraftUnit("so-noi-vu", "Giao Sở Nội vụ"), DraftUnit("so-tu-phap", "Sở Tư pháp"))
    return DraftPlan(
        "p",
        "t",
        "s",
        None,
        (),
        units,
        {"xa": ()},
        tuple(deliverables),
        group_titles={"xa": "UBND các xã, phường"},
    )


ON_TIME = DraftDue(DueKind.BEFORE, date(2025, 12, 31), "trước ngày 31/12/2025")
QUOTE = "Sở Nội vụ báo cáo Chủ tịch UBND tỉnh kết quả thực hiện"
IN_DECEMBER = DraftDue(DueKind.BY, date(2025, 12, 31), "trong tháng 12/2025", Period.MONTH)
IN_2030 = DraftDue(DueKind.BY, date(2030, 12, 31), "2026-2030", Period.YEAR)
TEN_DAYS_BEFORE = DraftDue(
    DueKind.BEFORE,
    date(2025, 11, 20),
    "Chậm nhất là 30 ngày, trước ngày khai mạc kỳ họp",
    count=DraftCount(DueForm.DAYS_BEFORE, 30, "ky-hop"),
)
SEVEN_DAYS_AFTER = DraftDue(DueKind.BY, None, "", count=DraftCount(DueForm.DAYS_AFTER, 7, "ky-hop"))


@pytest.mark.parametrize(
    ("as_written", "form"),
    [
        ("Chậm nhất là 30 ngày, trước ngày khai mạc kỳ họp thường lệ", "days_before"),
        ("Trong 03 ngày làm việc kể từ ngày nhận được kiến nghị", "within_days"),
        ("Chậm nhất 07 ngày sau khi hội thảo kết thúc", "days_after"),
        ("Sau khi Nghị định quy định chi tiết … ban hành", None),
        ("Theo kế hoạch công tác tư pháp hàng năm", None),
    ],
)
def test_a_relative_deadline_calls_for_the_form_its_words_say(as_written, form):
    assert Deadline("relative", as_written=as_written, relative_to="x").relative_form == form


@pytest.mark.parametrize(
    ("kind", "drafted", "counts"),
    [
        (
            "date",
            deliverable(f"- {QUOTE} trước ngày 31/12/2025.", "so-noi-vu", ON_TIME),
            {"matched": 1, "owner_right": 1, "dated_right": 1, "false_tasks": 0},
        ),
        (
            "date",
            deliverable(QUOTE, "so-tu-phap"),
            {"matched": 1, "owner_right": 0, "dated_right": 0, "false_tasks": 0},
        ),
        (
            "relative",
            deliverable(QUOTE, "so-noi-vu", ON_TIME),
            {"matched": 1, "relative": 1, "relative_as_fixed": 1},
        ),
        ("relative", deliverable(QUOTE, "so-noi-vu"), {"relative": 1, "relative_as_fixed": 0}),
        (
            "month",
            deliverable(QUOTE, "so-noi-vu", DraftDue(DueKind.BY, date(2025, 12, 31), "")),
            {"periods": 1, "periods_right": 0},  # the right day, not the month's own form
        ),
        (
            "month",
            deliverable(QUOTE, "so-noi-vu", IN_DECEMBER),
            {"periods": 1, "periods_right": 1},
        ),
        (
            "span",
            deliverable(QUOTE, "so-noi-vu", IN_2030),
            {"periods": 1, "periods_right": 1},
        ),
        (
            "month",
            deliverable(QUOTE, "so-noi-vu", IN_2030),
            {"periods": 1, "periods_right": 0},
        ),
        (
            "relative",
            deliverable(QUOTE, "so-noi-vu", TEN_DAYS_BEFORE),
            {"relative": 1, "relative_drafted": 1, "relative_as_fixed": 0},
        ),
        (
            "relative",
            deliverable(QUOTE, "so-noi-vu", SEVEN_DAYS_AFTER),  # "trước …" is days_before
            {"relative": 1, "relative_drafted": 0, "relative_as_fixed": 0},
        ),
        (
            "relative",
            deliverable(QUOTE, "so-noi-vu", IN_DECEMBER),
            {"relative": 1, "relative_drafted": 0, "relative_as_fixed": 1},
        ),
        (
            "date",
            deliverable("Tổ chức hội nghị sơ kết công tác năm 2025 toàn tỉnh", "so-noi-vu"),
            {"matched": 0, "owner_right": 0, "false_tasks": 1},
        ),
    ],
)
def test_the_scorer_matches_by_quote_and_judges_owner_and_deadline(kind, drafted, counts):
    deadline = {
        "date": Deadline("date", form="before", when=date(2025, 12, 31)),
        "relative": Deadline(
            "relative",
            as_written="Chậm nhất là 30 ngày, trước ngày khai mạc kỳ họp",
            relative_to="ngày khai mạc kỳ họp",
        ),
        "month": Deadline("month", value="2025-12"),
        "span": Deadline("period", value="2026..2030"),
    }[kind]
    wanted = Expected(QUOTE, (Party("Sở Nội vụ", "Sở Nội vụ"),), deadline, "report")
    expected = ExpectedDocument("x", Path("x.txt"), date(2025, 11, 1), (wanted,))
    result = score(expected, plan_of(drafted))
    assert {name: getattr(result, name) for name in counts} == counts


def test_a_collective_owner_is_recognised_by_its_group_title():
    wanted = Party("UBND các xã, phường", "Ủy ban nhân dân các xã, phường")
    assert names_party(wanted, owner_names(plan_of(), "group:xa"))
    assert not names_party(Party("Sở Tư pháp", "Sở Tư pháp"), ["Sở Tư pháp và Sở Nội vụ"])
