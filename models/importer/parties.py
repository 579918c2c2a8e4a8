"""Who owes and who receives: unit headings resolved to units or groups, recipients found."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import get_close_matches

from models.importer.abbreviations import expand
from models.importer.assigned import before_verb
from models.importer.names import fold, fold_name, slug
from models.importer.problems import NoteKind
from models.importer.registry import KnownGroup, KnownUnit, Registry

FUZZY_CUTOFF = 0.88
# "gửi về X", "nộp X", "gửi 1 bản về X, 1 bản về Y": where the work goes, named for sure.
_STRONG = re.compile(
    r"\b(?:(?:gui|nop)(?: ve| den| cho)?(?: (?:\d{1,2}|mot) ban)?(?: ve| den| cho)?"
    r"|(?:\d{1,2}|mot) ban (?:ve|den|cho|gui))\s+"
)
# "báo cáo Thường trực Tỉnh ủy", "trình Thủ tướng Chính phủ", "tham mưu UBND tỉnh bố trí …",
# "đề xuất Bộ Khoa học và Công nghệ ban hành …": who the work is submitted to,
# read when nothing is sent ("gửi") anywhere, and only when a body is named right after.
_SUBMIT = re.compile(r"\b(?:trinh|bao cao|tham muu|de xuat)\s+")
_WEAK = re.compile(r"\b(?:ve|cho|den)\s+")
# "(qua Văn phòng Tỉnh ủy)": the unit the work passes through, not the one it is for.
_RELAY = re.compile(r"\bqua\s+")
# "báo cáo kết quả … về Sở Kế hoạch và Đầu tư để tổng hợp, báo cáo UBND tỉnh": the body named
# after "về/cho/đến" gathers the work for another; it receives it, the other does not.
# A deadline may stand between ("về Sở Nội vụ trước ngày 16 tháng 12 năm 2025 để tổng hợp …").
_GATHERS = re.compile(
    r"(?:\s+(?:truoc|cham nhat|trong)\b[^,;.()]{0,40}?)?"
    r"\s*,?\s*de\s+(?:tong hop|theo doi|tham muu)\b"
)
_DIRECTED = re.compile(r"^chi dao\s+")
# Where a written name ends: a deadline, a purpose, or what is sent ("báo cáo Thủ tướng Chính
# phủ kết quả thực hiện", "… Chính phủ về việc chuẩn bị …"), also after "các" ("báo cáo UBND
# Thành phố các nội dung cần sửa đổi": no unit "Ủy ban nhân dân Thành phố các").
_NAME_STOP = re.compile(
    # and a verb of what the recipient is asked to do, in lower case only ("tham mưu UBND tỉnh
    # đánh giá, phương án …"; "Sở Xây dựng" keeps its words)
    r"\s+(?:đánh giá|quyết định|thành lập|sửa đổi|bổ sung|điều chỉnh|công bố|bãi bỏ|thông qua"
    r"|phương án|giải quyết)\b"
    r"|\s+(?:các\s+)?(?:trước|chậm nhất|trong|để|vào|theo|qua|trình|kèm|bằng|tổng hợp|kết quả"
    r"|tình hình|về việc|về tình hình|về kết quả"
    r"|việc|cho ý kiến|xem xét|phê duyệt|ban hành|đề xuất|dự thảo|nội dung|số liệu"
    r"|danh sách|vấn đề|giải pháp|nhiệm vụ|khó khăn|kiến nghị)\b|[,;.:()]"
)
# A name submitted to opens with the word of a body ("báo cáo kết quả …" names none).
_BODY_WORD = re.compile(
    r"^(?:Thường trực|Thủ tướng|Chính phủ|Quốc hội|Chủ tịch|Bộ|Sở|Ban|Văn phòng|Ủy ban|Uỷ ban"
    r"|Hội đồng|Tỉnh ủy|Tỉnh uỷ|Thành ủy|Thành uỷ|Huyện ủy|Huyện uỷ)\b"
)
# A collective: "các …" heads it, or "các" + a kind of body ("Ủy ban nhân dân các xã,
# phường"), or a level of bodies ("cấp ủy cơ sở", "UBND cấp xã"); compared folded.
_COLLECTIVE = re.compile(
    r"^cac\s|\bcac (?:xa|phuong|huyen|so|ban|nganh|bo|co quan|don vi|dia phuong|tinh|thanh"
    r"|thi|dang uy|cap uy|chi bo|truong|doanh nghiep|to chuc|hoi|doan the|phong|dac khu"
    r"|tap doan)\b|\bcap (?:uy|xa|huyen|co so)\b"
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


def close_name(folded: str, known: list[str]) -> str | None:
    """The known name `folded` is a misspelling of ("thuong truc tinh ujy"), if any: close
    enough, and naming the same kind of body. "Bộ Tài chính" is no misspelling of "Sở Tài
    chính" (a ministry, not a province's department), however close the letters."""
    kind = folded.split(" ", 1)[0]
    for close in get_close_matches(folded, known, n=3, cutoff=FUZZY_CUTOFF):
        if close.split(" ", 1)[0] == kind:
            return close
    return None


def read_heading(heading: str, registry: Registry) -> Reading:
    """The owner a unit heading ("3. Ban cán sự đảng …:") stands for; abbreviations ("Sở
    KH&ĐT") are compared, and a new unit named, in full (abbreviations.yaml)."""
    entry = registry.lookup(heading)
    if entry is not None:
        return Reading(party_of(entry))
    full = expand(heading)
    names = registry.names()
    close = close_name(fold_name(full), list(names))
    if close:
        party = party_of(names[close])
        return Reading(
            party, NoteKind.GUESSED, f"“{heading}” đọc là “{party.name}” (tên gần giống)"
        )
    if is_collective(full):
        return _unknown_group(heading, full)
    party = Party(slug(full, words=8), full, known=False)
    return Reading(party, NoteKind.GUESSED, _new_unit(heading, party))


def is_collective(name: str) -> bool:
    """ "Các sở, ngành liên quan", "UBND các huyện, thành phố", "cấp ủy cơ sở": many bodies;
    "Liên hiệp các Hội Khoa học và Kỹ thuật" is one (a union that names its members' kind)."""
    folded = fold_name(name)
    return not folded.startswith("lien hiep ") and bool(_COLLECTIVE.search(folded))


def _unknown_group(heading: str, full: str) -> Reading:
    """A collective the registry does not know: a group with its title and no members yet,
    and a note that says what to write so the draft passes `plan check`."""
    words = full.split(" ", 1)
    rest = words[1] if fold(words[0]) == "cac" and len(words) > 1 else full
    code = slug(rest, words=6 if rest is not full else 8)
    reason = (
        f"không biết “{heading}” gồm những đơn vị nào: ghi mã các đơn vị thành viên vào "
        f"groups.{code} (ví dụ [don-vi-a, don-vi-b]) và thêm từng đơn vị vào units "
        "(hoặc dùng --registry)"
    )
    return Reading(Party(code, heading, True, (), False), NoteKind.AMBIGUOUS, reason)


def _new_unit(written: str, party: Party) -> str:
    reason = f"đơn vị chưa có trong danh mục, mã đề xuất “{party.code}”"
    return f"{reason}; văn bản viết “{written}”" if written != party.name else reason


def directory(registry: Registry, headings: list[Party]) -> dict[str, Party]:
    """Folded name → party, longest first: every name a recipient may be written as."""
    names = {name: party_of(entry) for name, entry in registry.names().items()}
    names.update({fold_name(p.name): p for p in headings if not p.is_group})
    return dict(sorted(names.items(), key=lambda item: -len(item[0])))


def _party_at(folded: str, position: int, names: dict[str, Party]) -> Party | None:
    name = _name_at(folded, position, names)
    return names[name] if name else None


def _name_at(folded: str, position: int, names: dict[str, Party]) -> str:
    """The longest name of the directory written at `position` (a whole word), or ""."""
    for name in names:
        end = position + len(name)
        if folded.startswith(name, position) and (end == len(folded) or not folded[end].isalnum()):
            return name
    return ""


def _written_name(text: str, position: int) -> str | None:
    """The name right after "gửi" when the directory does not know it ("gửi Sở Nội vụ")."""
    rest = text[position:]
    stop = _NAME_STOP.search(rest)
    name = before_verb((rest[: stop.start()] if stop else rest).strip())
    if not name or not name[0].isupper() or len(name.split()) > MAX_NAME_WORDS:
        return None
    return name


def read_recipient(text: str, names: dict[str, Party]) -> list[Reading]:
    """The parties `text` sends its work to: after "gửi …" first, else after "trình / báo
    cáo …", else after "về/cho …"; abbreviations are read in full ("gửi Sở KH&ĐT")."""
    text = expand(text)
    folded = fold(text)
    found = _named_after(_STRONG, text, folded, names, body_only=False)
    found = found or _gatherers(text, folded, names)
    found = found or _named_after(_SUBMIT, text, folded, names, body_only=True)
    if found:
        return _distinct(found)
    weak = [_party_at(folded, m.end(), names) for m in _WEAK.finditer(folded)]
    return _distinct([Reading(p) for p in weak if p is not None])


def _gatherers(text: str, folded: str, names: dict[str, Party]) -> list[Reading]:
    """The body named after the first "về/cho/đến" that names one, when it gathers the work
    for another ("về Sở Kế hoạch và Đầu tư để tổng hợp, báo cáo …"): a known one, or a body's
    name as written. A later one is another step ("báo cáo kết quả thực hiện về UBND Thành phố
    (qua Ban Quản lý …). … nếu có vướng mắc, kịp thời phản ánh về Ban Quản lý … để tổng hợp")."""
    for match in _WEAK.finditer(folded):
        start = match.end()
        party = _party_at(folded, start, names)
        if party is not None:
            reading, end = Reading(party), start + len(_name_at(folded, start, names))
        else:
            written = _written_name(text, start)
            if written is None or is_collective(written) or not _BODY_WORD.match(written):
                continue
            reading, end = _written_recipient(written, names), start + len(written)
        return [reading] if _GATHERS.match(folded, end) else []
    return []


def read_relay(text: str, names: dict[str, Party]) -> Reading | None:
    """ "báo cáo Thường trực Tỉnh ủy (qua Văn phòng Tỉnh ủy)": the unit the work passes
    through on its way to the recipient."""
    text = expand(text)
    found = _named_after(_RELAY, text, fold(text), names, body_only=True)
    return found[0] if found else None


def _named_after(
    pattern: re.Pattern[str], text: str, folded: str, names: dict[str, Party], body_only: bool
) -> list[Reading]:
    """Each party named right after a match of `pattern`: a known one, else a name as written
    (a new unit, never a collective); with `body_only`, only a name that opens with a body's
    word."""
    found: list[Reading] = []
    for match in pattern.finditer(folded):
        party = _party_at(folded, match.end(), names)
        if party is not None:
            found.append(Reading(party))
            continue
        written = _written_name(text, match.end())
        if written is None or is_collective(written):  # many bodies receive nothing as one
            continue
        if not body_only or _BODY_WORD.match(written):
            found.append(_written_recipient(written, names))
    return found


def _written_recipient(written: str, names: dict[str, Party]) -> Reading:
    """A recipient the directory does not hold as written: a close name ("Thường trực Tỉnh
    ujy") is that party, a guess; anything else is a new unit with a proposed code."""
    close = close_name(fold_name(written), list(names))
    if close:
        party = names[close]
        return Reading(party, NoteKind.GUESSED, f"“{written}” đọc là “{party.name}”")
    party = Party(slug(written, words=8), written, known=False)
    reason = f"nơi nhận “{written}” chưa có trong danh mục, mã đề xuất “{party.code}”"
    return Reading(party, NoteKind.GUESSED, reason)


def read_directed(text: str, names: dict[str, Party]) -> Party | None:
    """ "Chỉ đạo Ủy ban nhân dân tỉnh …": the unit being directed does the work."""
    match = _DIRECTED.match(fold(text))
    return _party_at(fold(text), match.end(), names) if match else None


def _distinct(readings: list[Reading]) -> list[Reading]:
    seen: dict[str, Reading] = {}
    for reading in readings:
        seen.setdefault(reading.party.code, reading)
    return list(seen.values())
