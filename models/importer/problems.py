"""What an import can say about a document: a fatal DocumentError, or notes on the draft."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from models.errors import InputError


class DocumentError(InputError):
    """A document that cannot be imported at all (exit code 2): names the file and the fault."""

    def __init__(self, path: Path | str, message: str):
        self.path = str(path)
        self.message = message
        super().__init__(f"{path}: {message}")


class NoteKind(StrEnum):
    """How sure the importer is about something it wrote into the draft."""

    GUESSED = "guessed"  # a reasonable reading, written with `# TODO confirm`
    AMBIGUOUS = "ambiguous"  # the text allows several readings; one is written, all are named
    UNPLACED = "unplaced"  # found in the text but not written anywhere in the draft


NOTE_LABELS = {
    NoteKind.GUESSED: "Đoán",
    NoteKind.AMBIGUOUS: "Mơ hồ",
    NoteKind.UNPLACED: "Không xếp được",
}


@dataclass(frozen=True)
class Note:
    """One remark for the coordinator: where in the draft (`target`, `field`) and why."""

    kind: NoteKind
    target: str  # a deliverable code, `units.<code>`, `groups.<code>` or `plan`
    field: str  # the YAML key it concerns (`owner`, `due`, …), or "" for the whole entry
    message: str
    line: int | None = None  # the paragraph of the document it comes from

    @property
    def label(self) -> str:
        return NOTE_LABELS[self.kind]
