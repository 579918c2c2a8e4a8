"""How well `dondoc plan import` drafts the real documents of corpus/: counts against the
hand-written expected drafts, per document and overall.

The importer is a black box here: `import_document(path)` in, a `DraftPlan` out. Each expected
assignment (corpus/<slug>.expected.yaml, schema in corpus/README.md) is matched to at most one
drafted deliverable by its quote:

- both quotes are folded (NFC → no diacritics, lowercase, Markdown emphasis and punctuation
  dropped) and split into words;
- coverage = words of the expected quote found, in order, in the drafted quote (the matching
  blocks of difflib.SequenceMatcher) ÷ words of the expected quote;
- a pair matches when coverage ≥ MIN_COVERAGE; pairs are taken best first, one to one.

Then, over the matched pairs:

- right owner: one of the expected owners names the drafted owner (its unit name, group title
  or code): equal once folded, or the drafted name is the expected one with at most
  MAX_EXTRA_OWNER_WORDS extra words before it ("Giao Sở Nội vụ"), or the drafted code is the
  expected name as a code;
- dated deadline right: the expected deadline is a calendar date (`kind: date`, or a recurring
  deadline with its `first` date) and the draft has that day with the same form
  (before/by/at/on; `at` with the same time);
- period deadline right: month/quarter/year drafted in that period form (`{quarter: 2025-Q4}`)
  with the same last day; a `period` span ("2026..2030") drafted as its last year;
- relative deadline drafted as relative: `kind: relative` drafted as a count in the form its
  words call for (`relative_form`: "trước …" → days_before, "kể từ ngày nhận được …" →
  within_days, "N ngày sau …" → days_after; none for a count with no number of days);
- relative deadline drafted as a fixed date: `kind: relative` with any other drafted `due`;
- spurious date (reported): an undated assignment (ongoing, start, none, recurring without a
  date) drafted with a `due`;
- false task: a drafted deliverable that matches no expected assignment.

A document the importer refuses (no assignment section, …) drafts nothing: every expected
assignment of it is missed.
"""

from __future__ import annotations

import calendar
import re
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import docx
from ruamel.yaml import YAML

from models.errors import InputError
from models.importer.model import DraftDeliverable, DraftPlan
from models.importer.pipeline import import_document

CORPUS = Path(__file__).parent / "corpus"
MIN_COVERAGE = 0.8
MAX_EXTRA_OWNER_WORDS = 2

# Issue 15's targets: what the importer must reach on this corpus.
TARGET_OWNER_RATE = 0.85
TARGET_DATED_RATE = 0.90
TARGET_FALSE_RATE = 0.10
TARGET_RELATIVE_AS_FIXED = 0

DATED_KINDS = {"date"}
PERIOD_KINDS = {"month", "quarter", "year", "period"}
UNDATED_KINDS = {"ongoing", "start", "none", "recurring"}
DEADLINE_KINDS = DATED_KINDS | PERIOD_KINDS | UNDATED_KINDS | {"relative"}
FORMS = {"before", "by", "at", "on"}
# The plan form of a period kind: a span of years is drafted as its last year.
PERIOD_FORMS = {"month": "month", "quarter": "quarter", "year": "year", "period": "year"}


# --- the expected drafts ------------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    """An owner or recipient: as the document writes it, and the name it stands for."""

    as_written: str
    name: str
    aliases: tuple[str, ...] = ()

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.name, self.as_written, *self.aliases)


@dataclass(frozen=True)
class Deadline:
    """`kind` says what the words mean; `when` is the calendar date a dated deadline falls on."""

    kind: str
    as_written: str = ""
    form: str | None = None
    when: date | datetime | None = None
    value: str = ""  # month 2025-12, quarter 2025-Q4, year 2023, period 2026..2030
    relative_to: str = ""

    @property
    def dated(self) -> bool:
        return self.when is not None and self.form is not None

    @property
    def period_end(self) -> date | None:
        """The last day of a month, quarter, year or period deadline."""
        return period_end(self.kind, self.value)

    @property
    def relative_form(self) -> str | None:
        """The plan form a relative deadline's words call for; None when it has no number of
        days ("Sau khi Nghị định … ban hành", "Theo tiến độ …")."""
        words = fold(self.as_written)
        if not re.search(r"\b\d+ (?:\w+ )?(?:ngay|tuan)\b", words):
            return None
        if re.search(r"\btruoc\b", words):
            return "days_before"
        if re.search(r"\b(?:nhan duoc|nhan|tiep nhan)\b", words):
            return "within_days"
        return "days_after"


@dataclass(frozen=True)
class Expected:
    quote: str
    owners: tuple[Party, ...]
    deadline: Deadline
    form: str
    recipients: tuple[Party, ...] = ()


@dataclass(frozen=True)
class ExpectedDocument:
    slug: str
    document: Path
    dateline: date
    assignments: tuple[Expected, ...]


def load_expected(path: Path) -> ExpectedDocument:
    """Read one corpus/<slug>.expected.yaml; a ValueError names what is wrong."""
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    slug = path.name.removesuffix(".expected.yaml")
    document = path.parent / str(data["document"])
    assignments = tuple(
        _assignment(item, f"{path.name}[{i}]") for i, item in enumerate(data["assignments"])
    )
    dateline = data["dateline"]
    if not isinstance(dateline, date):
        raise ValueError(f"{path.name}: dateline must be a date, not {dateline!r}")
    return ExpectedDocument(slug, document, dateline, assignments)


def _assignment(item: dict[str, Any], where: str) -> Expected:
    owners = tuple(_party(p) for p in item["owners"])
    if not owners:
        raise ValueError(f"{where}: an assignment needs an owner")
    quote = str(item["quote"]).strip()
    if len(words(quote)) < 4:
        raise ValueError(f"{where}: quote too short to match by: {quote!r}")
    return Expected(
        quote=quote,
        owners=owners,
        deadline=_deadline(item["deadline"], where),
        form=str(item["form"]),
        recipients=tuple(_party(p) for p in item.get("recipients") or ()),
    )


def _party(raw: dict[str, Any]) -> Party:
    aliases = tuple(str(a) for a in raw.get("aliases") or ())
    return Party(str(raw["as_written"]), str(raw.get("name") or raw["as_written"]), aliases)


def _deadline(raw: dict[str, Any], where: str) -> Deadline:
    kind = str(raw["kind"])
    if kind not in DEADLINE_KINDS:
        raise ValueError(f"{where}: unknown deadline kind {kind!r}")
    form = raw.get("form")
    if form is not None and form not in FORMS:
        raise ValueError(f"{where}: unknown deadline form {form!r}")
    when = raw.get("date") if kind == "date" else raw.get("first")
    if kind == "date" and (not isinstance(when, date) or form is None):
        raise ValueError(f"{where}: a date deadline needs `date` and `form`")
    if kind in PERIOD_KINDS and period_end(kind, str(raw.get("value", ""))) is None:
        raise ValueError(f"{where}: {kind} deadline needs a readable `value`")
    if kind == "relative" and not raw.get("relative_to"):
        raise ValueError(f"{where}: a relative deadline says what it is relative to")
    return Deadline(
        kind=kind,
        as_written=str(raw.get("as_written", "")),
        form=str(form) if form else None,
        when=when if isinstance(when, date) else None,
        value=str(raw.get("value", "")),
        relative_to=str(raw.get("relative_to", "")),
    )


def period_end(kind: str, value: str) -> date | None:
    """2025-12 → 31/12/2025; 2025-Q4 → 31/12/2025; 2023 → 31/12/2023; 2026..2030 → 31/12/2030."""
    found = None
    if kind == "month" and (m := re.fullmatch(r"(\d{4})-(\d{1,2})", value)):
        found = (int(m[1]), int(m[2]))
    elif kind == "quarter" and (m := re.fullmatch(r"(\d{4})-Q([1-4])", value)):
        found = (int(m[1]), 3 * int(m[2]))
    elif kind == "year" and re.fullmatch(r"\d{4}", value):
        found = (int(value), 12)
    elif kind == "period" and (m := re.fullmatch(r"\d{4}(?:-\d{2})?\.\.(\d{4})", value)):
        found = (int(m[1]), 12)
    if found is None:
        return None
    year, month = found
    return date(year, month, calendar.monthrange(year, month)[1])


def expected_documents(corpus: Path = CORPUS) -> list[ExpectedDocument]:
    return [load_expected(path) for path in sorted(corpus.glob("*.expected.yaml"))]


# --- text and quotes ----------------------------------------------------------------------


def fold(text: str) -> str:
    """Lowercase, no diacritics (đ → d), no emphasis or punctuation, single spaces."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.findall(r"\w+", bare.replace("_", " ")))


def words(text: str) -> list[str]:
    return fold(text).split()


def coverage(expected_quote: str, drafted_quote: str) -> float:
    """The share of the expected quote's words found in order in the drafted quote."""
    wanted, found = words(expected_quote), words(drafted_quote)
    if not wanted:
        return 0.0
    blocks = SequenceMatcher(None, wanted, found, autojunk=False).get_matching_blocks()
    return sum(block.size for block in blocks) / len(wanted)


def document_text(path: Path) -> str:
    """All the text of a corpus document (paragraphs and table cells), for checking quotes."""
    if path.suffix == ".docx":
        document = docx.Document(str(path))
        parts = [p.text for p in document.paragraphs]
        parts += [
            cell.text for table in document.tables for row in table.rows for cell in row.cells
        ]
        return "\n".join(parts)
    return path.read_text(encoding="utf-8")


def missing_quotes(expected: ExpectedDocument) -> list[str]:
    """Expected quotes that are not, once folded, a run of words of the document."""
    text = f" {fold(document_text(expected.document))} "
    return [a.quote for a in expected.assignments if f" {fold(a.quote)} " not in text]


# --- scoring ------------------------------------------------------------------------------


@dataclass
class DocumentScore:
    slug: str
    expected: int = 0
    drafted: int = 0
    matched: int = 0
    owner_right: int = 0
    dated: int = 0
    dated_right: int = 0
    periods: int = 0
    periods_right: int = 0
    relative: int = 0
    relative_drafted: int = 0
    relative_as_fixed: int = 0
    recipients: int = 0  # matched assignments whose expected draft names a recipient
    recipients_right: int = 0
    spurious_dates: int = 0
    false_tasks: int = 0
    error: str = ""
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)  # what went wrong, one line each

    def add(self, other: DocumentScore) -> None:
        for name in (
            "expected",
            "drafted",
            "matched",
            "owner_right",
            "dated",
            "dated_right",
            "periods",
            "periods_right",
            "relative",
            "relative_drafted",
            "relative_as_fixed",
            "recipients",
            "recipients_right",
            "spurious_dates",
            "false_tasks",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.seconds += other.seconds

    @property
    def owner_rate(self) -> float:
        return self.owner_right / self.expected if self.expected else 1.0

    @property
    def dated_rate(self) -> float:
        return self.dated_right / self.dated if self.dated else 1.0

    @property
    def recipient_rate(self) -> float:
        return self.recipients_right / self.recipients if self.recipients else 1.0

    @property
    def false_rate(self) -> float:
        return self.false_tasks / self.drafted if self.drafted else 0.0


def match(expected: Sequence[Expected], drafted: Sequence[DraftDeliverable]) -> dict[int, int]:
    """Expected index → drafted index, best coverage first, one to one."""
    pairs = [
        (coverage(e.quote, d.quote), -len(d.quote), i, j)
        for i, e in enumerate(expected)
        for j, d in enumerate(drafted)
    ]
    chosen: dict[int, int] = {}
    used: set[int] = set()
    for score, _, i, j in sorted(pairs, reverse=True):
        if score < MIN_COVERAGE:
            break
        if i not in chosen and j not in used:
            chosen[i] = j
            used.add(j)
    return chosen


def owner_names(plan: DraftPlan, owner: str) -> list[str]:
    """What the draft calls an owner: the unit's name or the group's title, and the code."""
    code = owner.removeprefix("group:")
    names = [code.replace("-", " ")]
    names += [u.name for u in plan.units if u.code == code]
    if code in plan.group_titles:
        names.append(plan.group_titles[code])
    return names


def names_party(party: Party, drafted_names: Iterable[str]) -> bool:
    wanted = [fold(s) for s in party.spellings if s]
    for drafted in (fold(n) for n in drafted_names):
        for name in wanted:
            if drafted == name:
                return True
            extra = drafted.removesuffix(name)
            if drafted.endswith(" " + name) and len(extra.split()) <= MAX_EXTRA_OWNER_WORDS:
                return True
    return False


# "Ủy ban nhân dân tỉnh" for "Ủy ban nhân dân tỉnh Quảng Trị": a text names its own province's
# or city's bodies without the place; the draft cannot add it.
_PLACE = re.compile(r"^(?:\s[A-ZĐ]\w*){1,3}$")
MIN_PLACELESS_WORDS = 4


def names_own_place(party: Party, drafted_names: Iterable[str]) -> bool:
    """The drafted name is the expected one without its trailing place name."""
    for drafted in drafted_names:
        if len(drafted.split()) < MIN_PLACELESS_WORDS:
            continue
        for name in (party.name, *party.aliases):
            if fold(name).startswith(fold(drafted) + " ") and _PLACE.match(name[len(drafted) :]):
                return True
    return False


def right_date(deadline: Deadline, drafted: DraftDeliverable) -> bool:
    due = drafted.due
    if due is None or due.when is None or due.period or due.count or deadline.when is None:
        return False
    if str(due.kind.value) != deadline.form:
        return False
    if isinstance(deadline.when, datetime) or deadline.form == "at":
        return isinstance(due.when, datetime) and due.when == deadline.when
    day = due.when.date() if isinstance(due.when, datetime) else due.when
    return day == deadline.when


def right_period(deadline: Deadline, drafted: DraftDeliverable) -> bool:
    """Drafted in the period form the expected span calls for, ending on the same day."""
    end, due = deadline.period_end, drafted.due
    if end is None or due is None or due.period is None:
        return False
    return str(due.period.value) == PERIOD_FORMS[deadline.kind] and due.day == end


def drafted_as_relative(deadline: Deadline, drafted: DraftDeliverable) -> bool:
    """Drafted as a count in the form the expected words call for."""
    due = drafted.due
    if due is None or due.count is None:
        return False
    return str(due.count.form.value) == deadline.relative_form


def score(expected: ExpectedDocument, plan: DraftPlan | None, error: str = "") -> DocumentScore:
    """Count how `plan` (None: the import failed with `error`) drafts `expected`."""
    result = DocumentScore(expected.slug, expected=len(expected.assignments), error=error)
    drafted = list(plan.deliverables) if plan else []
    result.drafted = len(drafted)
    pairs = match(expected.assignments, drafted)
    result.matched = len(pairs)
    result.false_tasks = len(drafted) - len(pairs)
    for i, wanted in enumerate(expected.assignments):
        got = drafted[pairs[i]] if i in pairs else None
        _count(result, wanted, got, plan)
    return result


def _count(
    result: DocumentScore, wanted: Expected, got: DraftDeliverable | None, plan: DraftPlan | None
) -> None:
    deadline = wanted.deadline
    short = wanted.quote[:60]
    if got is None or plan is None:
        result.misses.append(f"not drafted: {short}")
    elif any(names_party(p, owner_names(plan, got.owner)) for p in wanted.owners):
        result.owner_right += 1
    else:
        result.misses.append(f"owner {got.owner} ≠ {wanted.owners[0].name}: {short}")
    if deadline.dated:
        result.dated += 1
        if got is not None and right_date(deadline, got):
            result.dated_right += 1
        else:
            label = got.due.label() if got is not None and got.due else "no date"
            result.misses.append(f"date {label} ≠ {deadline.form} {deadline.when}: {short}")
    elif deadline.kind in PERIOD_KINDS:
        result.periods += 1
        if got is not None and right_period(deadline, got):
            result.periods_right += 1
        else:
            label = got.due.label() if got is not None and got.due else "no date"
            result.misses.append(f"period {label} ≠ {deadline.kind} {deadline.value}: {short}")
    elif deadline.kind == "relative":
        _count_relative(result, deadline, got, short)
    elif got is not None and got.due is not None:
        result.spurious_dates += 1
    if wanted.recipients and got is not None and plan is not None:
        _count_recipient(result, wanted, got, plan)


def _count_recipient(
    result: DocumentScore, wanted: Expected, got: DraftDeliverable, plan: DraftPlan
) -> None:
    """The drafted `to` names one of the expected recipients (a matched assignment only)."""
    result.recipients += 1
    drafted = owner_names(plan, got.to) if got.to else []
    if any(names_party(p, drafted) or names_own_place(p, drafted) for p in wanted.recipients):
        result.recipients_right += 1
    else:
        result.misses.append(f"to {got.to} ≠ {wanted.recipients[0].name}: {wanted.quote[:60]}")


def _count_relative(
    result: DocumentScore, deadline: Deadline, got: DraftDeliverable | None, short: str
) -> None:
    result.relative += 1
    if got is None or got.due is None:
        return
    if got.due.count is None:
        result.relative_as_fixed += 1
        result.misses.append(f"relative drafted as {got.due.label()}: {short}")
    elif drafted_as_relative(deadline, got):
        result.relative_drafted += 1
    else:
        result.misses.append(f"relative drafted as {got.due.label()}: {short}")


def import_and_score(expected: ExpectedDocument) -> DocumentScore:
    """Import the document as `dondoc plan import` would and score the draft; timed."""
    start = time.perf_counter()
    try:
        plan: DraftPlan | None = import_document(expected.document).plan
        error = ""
    except InputError as failure:  # the importer refused the document: nothing drafted
        plan, error = None, str(getattr(failure, "message", failure)).splitlines()[0]
    result = score(expected, plan, error)
    result.seconds = time.perf_counter() - start
    return result


def score_corpus(corpus: Path = CORPUS) -> tuple[list[DocumentScore], DocumentScore]:
    """Every document's score and the totals."""
    scores = [import_and_score(e) for e in expected_documents(corpus)]
    total = DocumentScore("total")
    for one in scores:
        total.add(one)
    return scores, total


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def table(scores: Sequence[DocumentScore], total: DocumentScore) -> str:
    """The scores as a plain-text table, totals and targets last."""
    head = (
        f"{'document':44} {'exp':>4} {'drft':>4} {'owner':>6} {'dated':>7} {'period':>7} "
        f"{'rel':>7} {'rel→fix':>7} {'to':>7} {'false':>6} {'secs':>6}"
    )
    lines = [head, "-" * len(head)]
    for s in [*scores, total]:
        if s is total:
            lines.append("-" * len(head))
        lines.append(
            f"{s.slug[:44]:44} {s.expected:4} {s.drafted:4} {s.owner_right:3}/{s.expected:<2}"
            f" {s.dated_right:3}/{s.dated:<3} {s.periods_right:3}/{s.periods:<3}"
            f" {s.relative_drafted:3}/{s.relative:<3}"
            f" {s.relative_as_fixed:3}/{s.relative:<3} {s.recipients_right:3}/{s.recipients:<3}"
            f" {s.false_tasks:6} {s.seconds:6.2f}"
            + (f"  refused: {_short(s.error)}" if s.error else "")
        )
    lines += [
        "",
        f"right owner      {total.owner_rate:6.1%}   target ≥ {TARGET_OWNER_RATE:.0%}",
        f"dated deadlines  {total.dated_rate:6.1%}   target ≥ {TARGET_DATED_RATE:.0%}",
        f"false tasks      {total.false_rate:6.1%}   target ≤ {TARGET_FALSE_RATE:.0%}",
        f"relative → fixed {total.relative_as_fixed:6d}   target = {TARGET_RELATIVE_AS_FIXED}",
        f"right recipient  {total.recipient_rate:6.1%}   (no target; of matched assignments "
        "whose expected draft names one)",
    ]
    return "\n".join(lines)
