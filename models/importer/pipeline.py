"""The import end to end, minus the terminal: document → draft YAML text → plan check."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from models.errors import InvalidInputError, PlanError, Problem
from models.importer.build import draft_plan
from models.importer.draft import render
from models.importer.model import DraftPlan
from models.importer.registry import read_registry_file
from models.importer.text import read_paragraphs
from models.loader import read_plan_text
from models.spec import CODE_PATTERN

PLANS_DIR = Path("plans")


@dataclass(frozen=True)
class ImportResult:
    """The draft, its YAML text, and what `plan check` says about that text."""

    plan: DraftPlan
    text: str
    out: Path
    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def complete(self) -> bool:
        """Ready to load as it is: `plan check` passes and no `# TODO confirm` is left."""
        return self.valid and not self.plan.notes


def import_document(
    document: Path,
    *,
    year: int | None = None,
    registries: Sequence[Path] = (),
    code: str | None = None,
    out: Path | None = None,
) -> ImportResult:
    """Read `document`, draft the plan and check it as `plan check` would (nothing written);
    the draft goes to `out`, by default plans/<code>.yaml."""
    if code is not None and not re.match(CODE_PATTERN, code):
        raise InvalidInputError(f"mã kế hoạch '{code}' không hợp lệ: chữ thường, số và '-'")
    extra = [read_registry_file(path) for path in registries]
    plan = draft_plan(read_paragraphs(document), document, year, extra, code)
    text = render(plan, document.name)
    target = out or PLANS_DIR / f"{plan.code}.yaml"
    try:
        loaded = read_plan_text(text, str(target))
    except PlanError as error:
        return ImportResult(plan, text, target, tuple(error.problems), ())
    return ImportResult(plan, text, target, (), tuple(loaded.warnings))
