"""Dependencies read from the text; every one is a guess the coordinator confirms."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from models.importer.deadline_phrases import DueKind
from models.importer.due_order import window
from models.importer.model import DraftDeliverable
from models.importer.names import fold
from models.importer.problems import Note, NoteKind
from models.spec import DueForm

_PRODUCT_INPUT = re.compile(r"\bcho\b.{0,120}?\bxay dung (\w+)")


class _Graph:
    """Edges being proposed, with their reasons. An edge that would close a cycle is refused;
    so is one that would leave work due after something waiting on it (`plan check` rejects
    that), and that one is kept to be reported."""

    def __init__(self, deliverables: tuple[DraftDeliverable, ...]):
        self.after: dict[str, list[str]] = {d.code: [] for d in deliverables}
        self.reasons: dict[tuple[str, str], str] = {}
        self.windows = {d.code: window(d.due) for d in deliverables}
        # (code, prerequisite) → (reason, work due too late, work that needs it sooner)
        self.refused: dict[tuple[str, str], tuple[str, str, str]] = {}

    def add(self, code: str, prerequisite: str, reason: str) -> None:
        if code == prerequisite or prerequisite in self.after[code]:
            return
        if self.reaches(prerequisite, code):
            return
        conflict = self.order_conflict(code, prerequisite)
        if conflict is not None:
            self.refused.setdefault((code, prerequisite), (reason, *conflict))
            return
        self.after[code].append(prerequisite)
        self.reasons[(code, prerequisite)] = reason

    def order_conflict(self, code: str, prerequisite: str) -> tuple[str, str] | None:
        """The work that would be due too late and the work that would need it sooner, if
        `code` waited on `prerequisite` (the deadline order `plan check` enforces)."""
        upstream = self.closure(prerequisite, lambda c: self.after[c])
        downstream = self.closure(code, self.dependents)
        dated_up = [(w.due_at, c) for c in upstream if (w := self.windows[c]) is not None]
        dated_down = [(w.cutoff, c) for c in downstream if (w := self.windows[c]) is not None]
        if not dated_up or not dated_down:
            return None
        (due_at, late), (cutoff, early) = max(dated_up), min(dated_down)
        return (late, early) if due_at > cutoff else None

    def dependents(self, code: str) -> list[str]:
        return [c for c, prerequisites in self.after.items() if code in prerequisites]

    @staticmethod
    def closure(start: str, step: Callable[[str], list[str]]) -> set[str]:
        stack, seen = [start], {start}
        while stack:
            for following in step(stack.pop()):
                if following not in seen:
                    seen.add(following)
                    stack.append(following)
        return seen

    def reaches(self, start: str, goal: str) -> bool:
        """Does `start` wait on `goal`, directly or through others?"""
        stack, seen = [start], set()
        while stack:
            code = stack.pop()
            if code == goal:
                return True
            if code not in seen:
                seen.add(code)
                stack.extend(self.after[code])
        return False

    def has_successor(self, code: str) -> bool:
        return any(code in prerequisites for prerequisites in self.after.values())


def propose(
    deliverables: tuple[DraftDeliverable, ...],
) -> tuple[tuple[DraftDeliverable, ...], list[Note]]:
    """The deliverables with `after` filled in, and a note per proposed edge."""
    graph = _Graph(deliverables)
    _counted(deliverables, graph)
    _same_bullet(deliverables, graph)
    _syntheses(deliverables, graph)
    _product_inputs(deliverables, graph)
    for event in (d for d in deliverables if d.event):
        _event(event, deliverables, graph)
    updated = tuple(replace(d, after=tuple(graph.after[d.code])) for d in deliverables)
    return updated, [*_notes(graph), *_refused(graph, deliverables)]


def _notes(graph: _Graph) -> list[Note]:
    """One note per deliverable and reason: "chờ a, b: tổng hợp báo cáo …"."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for (code, prerequisite), reason in graph.reasons.items():
        grouped.setdefault((code, reason), []).append(prerequisite)
    return [
        Note(NoteKind.GUESSED, code, "after", f"chờ {', '.join(prerequisites)} ({reason})")
        for (code, reason), prerequisites in grouped.items()
    ]


def _refused(graph: _Graph, deliverables: tuple[DraftDeliverable, ...]) -> list[Note]:
    """An edge the text suggests but the deadlines forbid is not drafted, and said so: the
    coordinator decides whether a deadline or the order is wrong."""
    labels = {d.code: d.due.label() if d.due else "" for d in deliverables}
    notes = []
    for (code, prerequisite), (reason, late, early) in graph.refused.items():
        if graph.reaches(code, prerequisite):
            continue  # drafted after all, through another edge
        message = (
            f"không đề xuất chờ {prerequisite} ({reason}): khi đó {late} (hạn {labels[late]}) "
            f"phải xong trước hạn của {early} ({labels[early]}); nếu phải chờ, sửa hạn rồi "
            "thêm vào after"
        )
        notes.append(Note(NoteKind.GUESSED, code, "after", message))
    return notes


def _counted(deliverables: tuple[DraftDeliverable, ...], graph: _Graph) -> None:
    """A deadline counted after X (its deadline or its arrival) is work done after X; one
    counted before X is work X waits on. Proposed first, so no later guess contradicts them."""
    for deliverable in deliverables:
        count = deliverable.due.count if deliverable.due else None
        if count is None:
            continue
        if count.form is DueForm.DAYS_BEFORE:
            reason = f"hạn của {deliverable.code} tính trước {count.reference}"
            graph.add(count.reference, deliverable.code, reason)
        else:
            graph.add(deliverable.code, count.reference, f"hạn tính sau {count.reference}")


def _same_bullet(deliverables: tuple[DraftDeliverable, ...], graph: _Graph) -> None:
    """Two tasks of one bullet ("tin mời …. Tổng hợp báo cáo …") are done in that order."""
    for earlier, later in itertools.pairwise(deliverables):
        if later.bullet is not None and later.bullet == earlier.bullet:
            graph.add(later.code, earlier.code, "cùng một gạch đầu dòng, làm sau ý trước")


def _syntheses(deliverables: tuple[DraftDeliverable, ...], graph: _Graph) -> None:
    """ "Tổng hợp báo cáo" waits on the reports sent to the unit that synthesises them."""
    for synthesis in deliverables:
        text = fold(synthesis.quote)
        if "tong hop" not in text or synthesis.owner.startswith("group:"):
            continue
        for report in deliverables:
            is_report = report.to == synthesis.owner and "bao cao" in fold(report.quote)
            if is_report and _no_later(report, synthesis):
                reason = f"tổng hợp các báo cáo gửi {synthesis.owner}"
                graph.add(synthesis.code, report.code, reason)


def _product_inputs(deliverables: tuple[DraftDeliverable, ...], graph: _Graph) -> None:
    """Information sent "cho X xây dựng Video" comes before X's "Xây dựng Video"."""
    for source in deliverables:
        match = _PRODUCT_INPUT.search(fold(source.quote))
        if not match or source.to is None:
            continue
        product = f"xay dung {match.group(1)}"
        for target in deliverables:
            if target.owner == source.to and fold(target.quote).startswith(product):
                reason = f"thông tin gửi {source.to} để xây dựng {match.group(1)}"
                graph.add(target.code, source.code, reason)


def _event(
    event: DraftDeliverable, deliverables: tuple[DraftDeliverable, ...], graph: _Graph
) -> None:
    """The event waits on what is due before it and on undated preparation; work the text
    puts after it ("Sau gặp mặt …") waits on it."""
    assert event.due is not None and event.due.day is not None
    day = event.due.day
    for follower in (d for d in deliverables if d.follows_event):
        graph.add(follower.code, event.code, "văn bản ghi làm sau sự kiện")
    dated = [d for d in deliverables if d.due and not d.event and _due_before(d, day)]
    undated = [
        d
        for d in deliverables
        if d.due is None and not d.follows_event and not d.event and not graph.has_successor(d.code)
    ]
    candidates = [*dated, *undated]
    for candidate in candidates:
        if any(
            other is not candidate and graph.reaches(other.code, candidate.code)
            for other in candidates
        ):
            continue  # already waited on through another candidate
        reason = (
            f"việc có hạn trước sự kiện ngày {day:%d/%m/%Y}"
            if candidate.due
            else "việc chuẩn bị không ghi hạn"
        )
        graph.add(event.code, candidate.code, reason)


def _due_before(deliverable: DraftDeliverable, day: date) -> bool:
    """Due before the event's day; a deadline fixed only by an arrival is not known to be."""
    assert deliverable.due is not None
    due_day = deliverable.due.day
    if due_day is None:
        return False
    return due_day < day or (due_day == day and deliverable.due.kind is DueKind.BEFORE)


def _no_later(report: DraftDeliverable, synthesis: DraftDeliverable) -> bool:
    if report.code == synthesis.code:
        return False
    report_day = report.due.day if report.due else None
    synthesis_day = synthesis.due.day if synthesis.due else None
    return report_day is None or synthesis_day is None or report_day <= synthesis_day
