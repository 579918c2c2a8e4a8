"""The import summary as rows: what was found, what was guessed, what could not be placed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from models.importer.model import DraftPlan
from models.importer.problems import Note, NoteKind


@dataclass(frozen=True)
class FoundRow:
    """One drafted deliverable as the summary table shows it."""

    code: str
    owner: str
    to: str
    due: str
    after: str
    doubt: str  # "", "Đoán" or "Mơ hồ"/"Không xếp được": the strongest note on it


_STRENGTH = {NoteKind.GUESSED: 1, NoteKind.AMBIGUOUS: 2, NoteKind.UNPLACED: 3}


def found_rows(plan: DraftPlan) -> list[FoundRow]:
    by_target: dict[str, list[Note]] = {}
    for note in plan.notes:
        by_target.setdefault(note.target, []).append(note)
    rows = []
    for d in plan.deliverables:
        notes = by_target.get(d.code, [])
        strongest = max(notes, key=lambda n: _STRENGTH[n.kind]).label if notes else ""
        rows.append(
            FoundRow(
                d.code,
                d.owner,
                d.to or "—",
                d.due.label() if d.due else "—",
                ", ".join(d.after) or "—",
                strongest,
            )
        )
    return rows


def notes_of(plan: DraftPlan, kind: NoteKind) -> list[Note]:
    return [n for n in plan.notes if n.kind is kind]


def counts(plan: DraftPlan) -> Counter[NoteKind]:
    return Counter(n.kind for n in plan.notes)


@dataclass(frozen=True)
class Tally:
    """The summary's three numbers: deliverables found, places marked `# TODO confirm` because
    the importer guessed (ambiguities included), and what it found but could not place."""

    found: int
    guessed: int
    ambiguous: int  # of `guessed`, those the text allows several readings of
    unplaced: tuple[Note, ...]  # each with the document line it comes from


def tally(plan: DraftPlan) -> Tally:
    kinds = counts(plan)
    guessed = kinds[NoteKind.GUESSED] + kinds[NoteKind.AMBIGUOUS]
    unplaced = tuple(sorted(notes_of(plan, NoteKind.UNPLACED), key=lambda n: n.line or 0))
    return Tally(len(plan.deliverables), guessed, kinds[NoteKind.AMBIGUOUS], unplaced)


def where(note: Note) -> str:
    """`bc-huyen.due`, `units.bcs-ubnd`, `plan.coordinator`: the place in the draft."""
    return f"{note.target}.{note.field}" if note.field else note.target
