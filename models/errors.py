"""The one error hierarchy of dondoc, split by who can fix it.

- `InputError`: a person's mistake (a plan file, a CSV, a code that names nothing, a wrong
  argument). Exit code 2, never retried: waiting does not fix a typo.
- `InfrastructureError`: the database or the mail server failed. Exit code 1, retried with
  backoff: it usually clears by itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import get_close_matches


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or suspicious) in an input, with where it is."""

    message: str
    path: str = ""
    line: int | None = None

    def render(self, source: str = "") -> str:
        """`plans/x.yaml:12: deliverables[3].after[0]: unknown deliverable 'foo'`."""
        where = source
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"dòng {self.line}"
        parts = [p for p in (where, self.path) if p]
        return ": ".join([*parts, self.message])


SHOWN_CHARACTERS = 40  # of a value a person typed, echoed in a message


def shown(text: str, limit: int = SHOWN_CHARACTERS) -> str:
    """`text` as a message may repeat it: at most `limit` characters, then "…" and how long it
    was (a 4,000-digit number is not worth echoing whole)."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text)} ký tự)"


def listing(items: Sequence[str], limit: int, others: str, separator: str = ", ") -> str:
    """At most `limit` items, then "và 3 <others> khác" for the rest: a message stays short."""
    listed = separator.join(items[:limit])
    more = len(items) - limit
    return f"{listed} và {more} {others} khác" if more > 0 else listed


def close_matches(code: str, known: Iterable[str]) -> list[str]:
    """Codes a person probably meant (typos in short codes like 'huong-khe' included)."""
    return get_close_matches(code, sorted(known), n=2, cutoff=0.5)


class DondocError(Exception):
    """Base of every error dondoc raises on purpose, each with a message a person can read."""


class InputError(DondocError):
    """A person's mistake: the CLI prints it and exits 2; a Prefect task does not retry it."""


class InfrastructureError(DondocError):
    """A part dondoc depends on failed (database, mail server): exit 1, retried with backoff."""


class ProblemsError(InputError):
    """An input file (or text) that cannot be accepted; carries every problem found in it."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        super().__init__("\n".join(p.render(source) for p in problems))


class PlanError(ProblemsError):
    """A plan file (or plan text) that cannot be accepted."""


class FileError(ProblemsError):
    """A data file (a CSV of arrivals or submissions) that cannot be read."""


def suggestion_hint(suggestions: list[str]) -> str:
    """` (có phải 'huong-khe' hoặc 'huong-son'?)`, or nothing without suggestions."""
    quoted = " hoặc ".join(f"'{s}'" for s in suggestions)
    return f" (có phải {quoted}?)" if suggestions else ""


# What people call each kind of code, in messages (the kinds stay English in code).
KIND_LABELS = {
    "plan": "kế hoạch",
    "unit": "đơn vị",
    "deliverable": "nhiệm vụ",
    "group": "nhóm",
    "field": "số liệu",
    "account": "tài khoản",
}


class NotFoundError(InputError):
    """A code that names nothing (plan, unit, deliverable), with close matches to suggest."""

    def __init__(self, kind: str, code: str, known: Iterable[str] = ()):
        self.kind = kind
        self.code = code
        self.suggestions = close_matches(code, known)
        label = KIND_LABELS.get(kind, kind)
        super().__init__(f"không có {label} '{code}'{suggestion_hint(self.suggestions)}")


class InvalidInputError(InputError):
    """A command argument that is well-formed for the shell but wrong for the domain."""


class UploadRefused(InvalidInputError):
    """A file a unit sent that dondoc will not keep (its format, its size, a zip bomb…): the
    message names the file (its cleaned name, so it can carry no control character)."""

    def __init__(self, name: str, reason: str):
        self.name = name
        self.reason = reason
        super().__init__(f"tệp '{shown(name, 60)}' {reason}")
