"""A paragraph's sentences as tasks: one per sentence that names its owner, a work and its
report apart when each has its own deadline, a closing time limit shared by all."""

from __future__ import annotations

import re
from dataclasses import dataclass

from models.importer.assigned import (
    addressed,
    after_topic,
    assigned_owner,
    is_body,
    split_owners,
    unnumbered,
)
from models.importer.deadline_phrases import find_deadlines
from models.importer.period_phrases import periods_in_text
from models.importer.text import Paragraph

# Where a work's report starts: ", báo cáo Thủ tướng …", ". Định kỳ báo cáo UBND tỉnh …".
_REPORT = re.compile(r"(?:[,;]|(?<=\.))\s+(?=(?:định kỳ\s+)?báo cáo\s)", re.IGNORECASE)
# A report after a semicolon, with a deadline the work before it lacks: "… theo dõi, đôn đốc …;
# tham mưu UBND Thành phố báo cáo kết quả … trước ngày 20 hằng tháng".
# A sentence that names a report of its own ("Báo cáo giữa kỳ thực hiện Kế hoạch (năm 2030) và
# báo cáo tổng kết … (năm 2035)", KH 552/KH-UBND), not "Báo cáo gửi về …" of the work before it.
_NAMED_REPORT = re.compile(r"^\s*Báo cáo (?:giữa kỳ|sơ kết|tổng kết|định kỳ)\b")
_PERIODIC = re.compile(r"\bh[ằà]ng\s+(?:tháng|quý|năm|tuần)|\bđịnh kỳ\b", re.IGNORECASE)
_OWN_REPORT = re.compile(r";\s+(?=(?:định kỳ\s+|tham mưu(?:\s+\S+){1,4}\s+)?báo cáo\s)")
# A request after an opening clause: "…, đề nghị bộ, ngành …", "…; yêu cầu các sở …".
_MID_REQUEST = re.compile(r"[,;]\s+(?=(?:đề nghị|yêu cầu)\s)")
# A request after the issuer's own name: "Bộ Tài chính trân trọng đề nghị Ủy ban nhân dân …".
_ISSUER_REQUEST = re.compile(r"^(?P<issuer>[^;:]+?)\s+(?:trân trọng\s+)?(?=(?:đề nghị|yêu cầu)\s)")
_TERM = re.compile(r"^(?:Thời hạn|Thời gian)(?: hoàn thành| thực hiện)?\s*:?\s")
_CLAUSE_END = re.compile(r"(?<=[.!?;])\s+(?=[^\W\d_])")
# "yêu cầu các Bộ: Nông nghiệp và Môi trường; Xây dựng; Khoa học và Công nghệ xây dựng …" (CV
# 174/CV-BCĐ): the names of one kind of body, listed with ";", are no clauses (a name is short
# and has no comma: "các Tập đoàn: Bưu chính …, Công nghiệp … tổ chức …; Bộ X …" is two).
_LISTING = re.compile(
    r"\b[Cc]ác\s+(?:Bộ|Sở|Tập đoàn|Tổng công ty|Ban|Cục)\s*:\s*(?:[^;.:,]{1,50};\s*)+$"
)


@dataclass(frozen=True)
class Task:
    """One piece of work a unit is asked for: the heading it sits under and its sentences."""

    heading: str
    text: str
    line: int
    bullet: int  # the bullet (or paragraph) it comes from; tasks split from one bullet share it
    part: int  # 0 for the first task of its bullet
    quote: str  # as the document words it (with the heading when the task shares its line)
    others: tuple[str, ...] = ()  # further owners the heading or sentence names (an ambiguity)


def sentence_tasks(paragraph: Paragraph, bullet: int, heading: str | None) -> list[Task]:
    """A paragraph's sentences as tasks: a sentence naming its owner starts one, the others
    continue it; the first sentence is the heading's when it names no owner."""
    groups: list[tuple[str, list[str]]] = []
    body = after_topic(unnumbered(paragraph.text))
    if not any(char.isalpha() for char in body):  # "[…]": a cut in an excerpt, no work
        return []
    clauses = _clauses(body)
    addressees = None  # whom a request that gives no work names ("yêu cầu các Sở … nghiêm túc …")
    on_duty = None  # the body whose standing duty the clause before restated
    for number, sentence in enumerate(clauses):
        owner = assigned_owner(sentence) if number or heading is None else None
        if owner is None and on_duty and _SUBJECTLESS_WORK.match(sentence):
            owner = on_duty  # "…; chủ trì, phối hợp với … đề xuất …": the duty's body's work
        on_duty = _on_duty(sentence) if owner is None else None
        if owner is None and heading is None:
            sentence, owner = _mid_request(sentence, " ".join(clauses[number + 1 :]))
        if owner is None and heading is None and not groups:
            owner = addressees if has_deadline(sentence) else None
            addressees = addressees or _requested(sentence)
        if owner is None and groups and _NAMED_REPORT.match(sentence):
            owner = groups[-1][0]  # "… hằng năm. Báo cáo giữa kỳ … (năm 2030) …": another report
        if owner:
            groups.append((owner, [sentence]))
        elif groups:
            groups[-1][1].append(sentence)
        elif heading is not None:
            groups.append((heading, [sentence]))
    term = _closing_term(groups)
    tasks: list[Task] = []
    for owner, sentences in groups:
        first, *others = split_owners(owner)
        for quote in _two_deadlines(" ".join(sentences)):
            text = f"{quote} {term}" if term and not has_deadline(quote) else quote
            part = len(tasks)
            tasks.append(Task(first, text, paragraph.line, bullet, part, quote, tuple(others)))
    return tasks


# "Bộ Tư pháp có trách nhiệm kiểm tra, đôn đốc …": a standing duty, no task; but the clause
# after it may give its body work with no subject of its own ("…; chủ trì, phối hợp với Văn
# phòng Chính phủ khẩn trương nghiên cứu, đề xuất …").
_STANDING_DUTY = re.compile(r"^(?P<body>[^,;:]{3,120}?)\s+(?:có|chịu) trách nhiệm\s")
_SUBJECTLESS_WORK = re.compile(r"^\s*(?:chủ trì|khẩn trương|đồng thời)\b")


def _on_duty(sentence: str) -> str | None:
    """The body a clause restates a standing duty of, if it names one."""
    found = _STANDING_DUTY.match(sentence.strip())
    return found.group("body") if found and is_body(found.group("body")) else None


def _clauses(body: str) -> list[str]:
    """Sentences and ';' clauses, but not within brackets: "(bộ, ngành báo cáo … 3B; địa
    phương báo cáo … 4B)" is an aside of the sentence around it."""
    clauses, start = [], 0
    for end in _CLAUSE_END.finditer(body):
        before = body[start : end.start()]
        if before.count("(") > before.count(")"):
            continue
        if _LISTING.search(before) and body[end.end()].isupper():
            continue
        clauses.append(before)
        start = end.end()
    return [*clauses, body[start:]]


def _mid_request(sentence: str, following: str) -> tuple[str, str | None]:
    """ "Để việc đề xuất … được triển khai thống nhất …, đề nghị bộ, ngành, địa phương khẩn
    trương tổng hợp … và gửi về Bộ Nội vụ trước ngày 26/11/2025", "Bộ Tài chính trân trọng đề
    nghị Ủy ban nhân dân các tỉnh … chỉ đạo …; tổng hợp …; đồng thời gửi … trước ngày
    24/11/2025": a dated request after an opening clause or the issuer's name is the task, from
    "đề nghị" on (the clauses after it continue it and may give its date); the opening is its
    reason, the issuer is not the owner."""
    issuer = _ISSUER_REQUEST.match(sentence)
    starts = [request.end() for request in _MID_REQUEST.finditer(sentence)]
    if issuer and is_body(issuer.group("issuer")):
        starts.insert(0, issuer.end())
    for start in starts:
        rest = sentence[start:]
        owner = assigned_owner(rest)
        if owner and has_deadline(f"{rest} {following}"):
            return rest, owner
    return sentence, None


def issuer_request(text: str) -> bool:
    """ "Bộ Văn hóa, Thể thao và Du lịch yêu cầu Thủ trưởng …", "Ủy ban nhân dân Thành phố yêu
    cầu các Sở …": the issuer speaking in its own name closes the owners' items above it."""
    issuer = _ISSUER_REQUEST.match(text)
    return bool(issuer and is_body(issuer.group("issuer")))


def _requested(sentence: str) -> str | None:
    """ "Ủy ban nhân dân Thành phố yêu cầu các Sở, ban, ngành Thành phố, UBND phường, xã …
    nghiêm túc triển khai thực hiện; định kỳ trước ngày 30 tháng 11 hàng năm báo cáo …": the
    closing request gives no work, but the dated clause after it is the bodies it names'."""
    issuer = _ISSUER_REQUEST.match(sentence)
    if issuer is None or not is_body(issuer.group("issuer")):
        return None
    return addressed(sentence[issuer.end() :])


def has_deadline(text: str) -> bool:
    """Whether `text` gives a date or a period (that is what decides whether a time limit
    stated elsewhere applies to it)."""
    return bool(find_deadlines(text, None) or periods_in_text(text))


def _two_deadlines(text: str) -> list[str]:
    """ "Bộ X khẩn trương rà soát, sớm bàn giao trong năm 2025 …, báo cáo Thủ tướng Chính phủ
    kết quả thực hiện trước ngày 31 tháng 12 năm 2025": a work and its report, each with its own
    deadline, are two tasks (the report after the work)."""
    for report in _REPORT.finditer(text):
        work, rest = text[: report.start()], text[report.end() :]
        if has_deadline(work) and has_deadline(rest):
            return [f"{work.rstrip(' ,;.')}.", rest]
    return _dated_report(text)


def _dated_report(text: str) -> list[str]:
    """ "Các Sở … xây dựng Kế hoạch triển khai …; báo cáo UBND Thành phố kết quả thực hiện …
    trước ngày 15 hằng tháng": an undated work and its dated report, after a semicolon, are
    two tasks too (the deadline is the report's, not the work's)."""
    for report in _OWN_REPORT.finditer(text):
        work, rest = text[: report.start()], text[report.end() :]
        # a one-off report is the work's own deadline: "Hoàn thiện Kế hoạch cao điểm …; báo cáo
        # Phó Thủ tướng … trước ngày 30 tháng 11 năm 2025" is one task (CV 11554/VPCP-V.I)
        if not has_deadline(work) and has_deadline(rest) and _PERIODIC.search(rest):
            return [f"{work.rstrip(' ,;.')}.", rest]
    return [text]


def _closing_term(groups: list[tuple[str, list[str]]]) -> str:
    """ "… Thời hạn hoàn thành: trước ngày 30/11/2025." closing a paragraph of several owners'
    tasks is the time limit of each of them (each one that names none of its own)."""
    if len(groups) < 2 or len(groups[-1][1]) < 2:
        return ""
    last = groups[-1][1][-1]
    return last if _TERM.match(last) else ""
