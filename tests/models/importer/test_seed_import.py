"""Importing the seed plan's own document gives back the seed plan where the text is dated."""

from difflib import SequenceMatcher

import pytest

from models.importer.names import fold
from models.importer.pipeline import ImportResult, import_document
from models.importer.problems import NoteKind
from models.loader import read_plan_file, read_plan_text
from models.spec import DeliverableSpec, PlanSpec
from tests.models.importer.documents import SEED_SOURCE
from tests.paths import SEED_PLAN

SEED = SEED_PLAN


@pytest.fixture(scope="module")
def imported() -> ImportResult:
    return import_document(SEED_SOURCE)


@pytest.fixture(scope="module")
def seed() -> PlanSpec:
    return read_plan_file(SEED).plan.spec


@pytest.fixture(scope="module")
def draft(imported: ImportResult) -> PlanSpec:
    return read_plan_text(imported.text, "draft").plan.spec


def similarity(a: str, b: str) -> float:
    """Quotes compared without diacritics; one containing the other counts as a match."""
    a, b = fold(a), fold(b)
    if a in b or b in a:
        return 1.0
    return SequenceMatcher(None, a, b).ratio()


def match(seed: PlanSpec, draft: PlanSpec) -> dict[str, DeliverableSpec]:
    """Seed code → the drafted deliverable whose quote is closest, for every dated one."""
    matched = {}
    for wanted in (d for d in seed.deliverables if d.due):
        best = max(draft.deliverables, key=lambda d: similarity(d.quote, wanted.quote))
        assert similarity(best.quote, wanted.quote) > 0.9, f"nothing drafted for {wanted.code}"
        matched[wanted.code] = best
    return matched


def test_the_draft_passes_plan_check(imported):
    assert imported.valid, imported.errors


def test_every_dated_deliverable_has_the_seed_owner_recipient_and_deadline(seed, draft):
    matched = match(seed, draft)
    assert len({d.code for d in matched.values()}) == len(matched) == 8
    for wanted in (d for d in seed.deliverables if d.due):
        got = matched[wanted.code]
        assert (got.owner, got.to, got.due) == (wanted.owner, wanted.to, wanted.due), wanted.code


def test_units_and_groups_use_the_seed_codes_and_names(seed, draft):
    seed_units = {u.code: u.name for u in seed.units}
    assert {u.code: u.name for u in draft.units}.items() <= seed_units.items()
    assert draft.groups == seed.groups
    assert draft.group_titles == seed.group_titles  # as the document names them
    assert (draft.coordinator, draft.leaders) == (seed.coordinator, seed.leaders)


def closure(spec: PlanSpec, codes: set[str]) -> set[tuple[str, str]]:
    """(x, y) for x waiting on y directly or through anything, restricted to `codes`."""
    after = {d.code: list(d.after) for d in spec.deliverables}
    pairs = set()
    for start in codes:
        stack, seen = list(after[start]), set()
        while stack:
            code = stack.pop()
            if code not in seen:
                seen.add(code)
                stack.extend(after[code])
        pairs |= {(start, reached) for reached in seen & codes}
    return pairs


def test_the_dag_of_dated_work_is_the_seed_dag(seed, draft):
    matched = match(seed, draft)
    renamed = {(matched[a].code, matched[b].code) for a, b in closure(seed, set(matched))}
    assert closure(draft, {d.code for d in matched.values()}) == renamed


def test_every_proposed_edge_is_marked_as_a_guess(imported, draft):
    guessed = {n.target for n in imported.plan.notes if n.field == "after"}
    assert {d.code for d in draft.deliverables if d.after} == guessed
    after_lines = [line for line in imported.text.splitlines() if line.strip().startswith("after:")]
    assert after_lines and all("# TODO confirm" in line for line in after_lines)


def test_the_typo_in_a_unit_heading_is_read_but_flagged(imported):
    [note] = [n for n in imported.plan.notes if n.target == "units.bcs-ubnd"]
    assert note.kind is NoteKind.GUESSED and "Ủy ban nhân tỉnh" in note.message


def test_undated_work_follows_the_seed_where_the_text_says_so(seed, draft):
    """The seed's follow-up meeting waits on the meeting; the draft reads "Sau gặp mặt"."""
    follow_up = next(d for d in draft.deliverables if d.quote.startswith("Sau gặp mặt"))
    meeting = next(d for d in draft.deliverables if d.due and d.due.kind == "on")
    assert follow_up.after == [meeting.code]
