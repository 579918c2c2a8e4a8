"""Who owes and who receives: unit headings resolved to units or groups, recipients found."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import get_close_matches

from models.importer.names import fold, fold_name, slug
from models.importer.problems import NoteKind
from models.importer.registry import KnownGroup, KnownUnit, Registry

FUZZY_CUTOFF = 0.88
_STRONG = re.compile(r"\b(?:gui ve|gui den|gui cho|gui|nop ve|nop cho|nop)\s+")
_WEAK = re.compile(r"\b(?:ve|cho|den)\s+")
_DIRECTED = re.compile(r"^chi dao\s+")
_NAME_STOP = re.compile(
    r"\s+(?:trước|chậm nhất|trong|để|vào|theo|qua|trình|kèm|bằng|tổng hợp)\b|[,;.:()]"
)
MAX_NAME_WORDS = 10


@dataclass(frozen=True)
class Party:
    """A unit or a group as the draft will name it; `known` if the registry had it."""

    code: str
    name: str
    is_group: bool = False
    members: tuple[str, ...] = ()
    known: bool = True

    @property
    def owner(self) -> str:
        return f"group:{self.code}" if self.is_group else self.code


@dataclass(frozen=True)
class Reading:
    """A party read from the text, with the doubt attached to that reading (if any)."""

    party: Party
    doubt: NoteKind | None = None
    reason: str = ""


def party_of(entry: KnownUnit | KnownGroup) -> Party:
    if isinstance(entry, KnownGroup):
        return Party(entry.code, entry.name, True, entry.members)
    return Party(entry.code, entry.name)


def read_heading(heading: str, registry: Registry) -> Reading:
    """The owner a unit heading ("3. Ban cán sự đảng …:") stands for."""
    entry = registry.lookup(heading)
    if entry is not None:
        return Reading(party_of(entry))
    names = registry.names()
    close = get_close_matches(fold_name(heading), list(names), n=1, cutoff=FUZZY_CUTOFF)
    if close:
        party = party_of(names[close[0]])
        return Reading(
            party, NoteKind.GUESSED, f"“{heading}” đọc là “{party.name}” (tên gần giống)"
        )
    if fold_name(heading).startswith("cac "):
        code = slug(heading.split(" ", 1)[1], words=6)
        reason = (
            f"không biết “{heading}” gồm những đơn vị nào: ghi danh sách vào groups.{code} "
            "(hoặc dùng --registry)"
        )
        return Reading(Party(code, heading, True, (), False), NoteKind.AMBIGUOUS, reason)
    party = Party(slug(heading, words=8), heading, known=False)
    return Reading(
        party, NoteKind.GUESSED, f"đơn vị chưa có trong danh mục, mã đề xuất “{party.code}”"
    )


def directory(registry: Registry, headings: list[Party]) -> dict[str, Party]:
    """Folded name → party, longest first: every name a recipient may be written as."""
    names = {name: party_of(entry) for name, entry in registry.names().items()}
    names.update({fold_name(p.name): p for p in headings if not p.is_group})
    return dict(sorted(names.items(), key=lambda item: -len(item[0])))


def _party_at(folded: str, position: int, names: dict[str, Party]) -> Party | None:
    for name, party in names.items():
        end = position + len(name)
        if folded.startswith(name, position) and (end == len(folded) or not folded[end].isalnum()):
            return party
    return None


def _written_name(text: str, position: int) -> str | None:
    """The name right after "gửi" when the directory does not know it ("gửi Sở Nội vụ")."""
    rest = text[position:]
    stop = _NAME_STOP.search(rest)
    name = (rest[: stop.start()] if stop else rest).strip()
    if not name or not name[0].isupper() or len(name.split()) > MAX_NAME_WORDS:
        return None
    return name


def read_recipient(text: str, names: dict[str, Party]) -> list[Reading]:
    """The parties `text` sends its work to: after "gửi …" first, else after "về/cho …"."""
    folded = fold(text)
    strong: list[Reading] = []
    for match in _STRONG.finditer(folded):
        party = _party_at(folded, match.end(), names)
        if party is not None:
            strong.append(Reading(party))
            continue
        written = _written_name(text, match.end())
        if written:
            party = Party(slug(written, words=8), written, known=False)
            reason = f"nơi nhận “{written}” chưa có trong danh mục, mã đề xuất “{party.code}”"
            strong.append(Reading(party, NoteKind.GUESSED, reason))
    if strong:
        return _distinct(strong)
    weak = [_party_at(folded, m.end(), names) for m in _WEAK.finditer(folded)]
    return _distinct([Reading(p) for p in weak if p is not None])


def read_directed(text: str, names: dict[str, Party]) -> Party | None:
    """ "Chỉ đạo Ủy ban nhân dân tỉnh …": the unit being directed does the work."""
    match = _DIRECTED.match(fold(text))
    return _party_at(fold(text), match.end(), names) if match else None


def _distinct(readings: list[Reading]) -> list[Reading]:
    seen: dict[str, Reading] = {}
    for reading in readings:
        seen.setdefault(reading.party.code, reading)
    return list(seen.values())
