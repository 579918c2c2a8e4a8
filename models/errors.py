"""The one error hierarchy of dondoc: problems a person can fix, located by file, path and line."""

from __future__ import annotations

from collections.abc import Iterable
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


def close_matches(code: str, known: Iterable[str]) -> list[str]:
    """Codes a person probably meant (typos in short codes like 'huong-khe' included)."""
    return get_close_matches(code, sorted(known), n=2, cutoff=0.5)


class DondocError(Exception):
    """Base of every error the CLI turns into a clear message and exit code 2."""


class PlanError(DondocError):
    """A plan file (or plan text) that cannot be accepted; carries every problem found."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        super().__init__("\n".join(p.render(source) for p in problems))


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
}


class NotFoundError(DondocError):
    """A code that names nothing (plan, unit, deliverable), with close matches to suggest."""

    def __init__(self, kind: str, code: str, known: Iterable[str] = ()):
        self.kind = kind
        self.code = code
        self.suggestions = close_matches(code, known)
        label = KIND_LABELS.get(kind, kind)
        super().__init__(f"không có {label} '{code}'{suggestion_hint(self.suggestions)}")


class InvalidInputError(DondocError):
    """A command argument that is well-formed for the shell but wrong for the domain."""
