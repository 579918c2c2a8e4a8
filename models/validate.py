"""Semantic checks of a plan spec: references, duplicates, cycles, timezones, deadline order."""

from __future__ import annotations

from collections import Counter
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from models.dag import find_cycle
from models.errors import Problem, close_matches, suggestion_hint
from models.plan import GROUP_PREFIX, deliverable_graph, earliest_downstream, explicit_deadlines
from models.spec import PlanSpec

MIN_YEAR, MAX_YEAR = 1990, 2100
# Sizes far above any real plan (a province has ~25 units per plan, a few dozen deliverables);
# past them a file is a mistake or an attack, and every check below stays fast up to them.
MAX_UNITS = 5_000
MAX_DELIVERABLES = 2_000
MAX_ASSIGNMENTS = 100_000
MAX_PREREQUISITES = 20_000  # `after:` entries, all deliverables together
MAX_TIMEZONE_LENGTH = 64
MAX_SUGGESTED = 50  # unknown codes given a "did you mean"; each one scans the known codes


def check(spec: PlanSpec) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings). A plan with errors must not be loaded; warnings are worth a look."""
    too_big = _sizes(spec)
    if too_big:
        return too_big, []
    errors = [
        *_duplicates(spec),
        *_references(spec),
        *_timezone(spec),
        *_years(spec),
    ]
    cycle = _cycle(spec)
    errors.extend(cycle)
    if not errors:
        errors.extend(_deadline_order(spec))
    return errors, _warnings(spec) if not errors else []


def _duplicates(spec: PlanSpec) -> list[Problem]:
    problems = []
    for kind, codes in (
        ("unit", [u.code for u in spec.units]),
        ("deliverable", [d.code for d in spec.deliverables]),
    ):
        seen: set[str] = set()
        for i, code in enumerate(codes):
            if code in seen:
                problems.append(Problem(f"duplicate {kind} code '{code}'", f"{kind}s[{i}].code"))
            seen.add(code)
    for name, members in spec.groups.items():
        for member, count in Counter(members).items():
            if count > 1:
                problems.append(Problem(f"unit '{member}' listed twice", f"groups.{name}"))
    return problems


def _sizes(spec: PlanSpec) -> list[Problem]:
    """Counts over the limits, each named by its field."""
    members = {name: len(codes) for name, codes in spec.groups.items()}
    assignments = sum(
        members.get(d.owner.removeprefix(GROUP_PREFIX), 0)
        if d.owner.startswith(GROUP_PREFIX)
        else 1
        for d in spec.deliverables
    )
    prerequisites = sum(len(d.after) for d in spec.deliverables)
    counts = [
        ("units", "units", len(spec.units), MAX_UNITS),
        ("deliverables", "deliverables", len(spec.deliverables), MAX_DELIVERABLES),
        ("assignments (deliverable × owning unit)", "deliverables", assignments, MAX_ASSIGNMENTS),
        ("prerequisites (after:)", "deliverables", prerequisites, MAX_PREREQUISITES),
    ]
    return [
        Problem(f"too many {what}: {count}, at most {limit}", path)
        for what, path, count, limit in counts
        if count > limit
    ]


class _Unknown:
    """Problems for unknown codes; only the first few get a suggestion (each costs a scan)."""

    def __init__(self) -> None:
        self.suggested = 0

    def __call__(self, kind: str, code: str, path: str, known: set[str]) -> Problem:
        self.suggested += 1
        hint = (
            suggestion_hint(close_matches(code, known)) if self.suggested <= MAX_SUGGESTED else ""
        )
        return Problem(f"unknown {kind} '{code}'{hint}", path)


def _references(spec: PlanSpec) -> list[Problem]:
    _unknown = _Unknown()
    units = {u.code for u in spec.units}
    groups = set(spec.groups)
    deliverables = {d.code for d in spec.deliverables}
    problems = []
    for name, members in spec.groups.items():
        if not members:
            problems.append(Problem("a group needs at least one unit", f"groups.{name}"))
        problems += [
            _unknown("unit", m, f"groups.{name}[{i}]", units)
            for i, m in enumerate(members)
            if m not in units
        ]
    problems += [
        _unknown("group", name, f"group_titles.{name}", groups)
        for name in spec.group_titles
        if name not in groups
    ]
    if spec.coordinator and spec.coordinator not in units:
        problems.append(_unknown("unit", spec.coordinator, "coordinator", units))
    problems += [
        _unknown("unit", code, f"leaders[{i}]", units)
        for i, code in enumerate(spec.leaders)
        if code not in units
    ]
    for i, d in enumerate(spec.deliverables):
        path = f"deliverables[{i}]"
        if d.owner.startswith(GROUP_PREFIX):
            group = d.owner.removeprefix(GROUP_PREFIX)
            if group not in groups:
                problems.append(_unknown("group", group, f"{path}.owner", groups))
        elif d.owner not in units:
            problems.append(_unknown("unit", d.owner, f"{path}.owner", units))
        if d.to and d.to not in units:
            problems.append(_unknown("unit", d.to, f"{path}.to", units))
        for j, prerequisite in enumerate(d.after):
            where = f"{path}.after[{j}]"
            if prerequisite == d.code:
                problems.append(Problem(f"'{d.code}' cannot wait on itself", where))
            elif prerequisite not in deliverables:
                problems.append(_unknown("deliverable", prerequisite, where, deliverables))
    return problems


def _timezone(spec: PlanSpec) -> list[Problem]:
    unknown = [
        Problem(f"unknown timezone '{spec.timezone[:80]}' (e.g. Asia/Ho_Chi_Minh)", "timezone")
    ]
    if len(spec.timezone) > MAX_TIMEZONE_LENGTH:
        return unknown
    try:
        ZoneInfo(spec.timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name the OS cannot open
        return unknown
    return []


def _years(spec: PlanSpec) -> list[Problem]:
    return [
        Problem(
            f"deadline year {d.due.value.year} is outside {MIN_YEAR}–{MAX_YEAR}",
            f"deliverables[{i}].due",
        )
        for i, d in enumerate(spec.deliverables)
        if d.due and not MIN_YEAR <= d.due.value.year <= MAX_YEAR
    ]


def _cycle(spec: PlanSpec) -> list[Problem]:
    cycle = find_cycle({d.code: list(d.after) for d in spec.deliverables})
    if not cycle:
        return []
    index = next(i for i, d in enumerate(spec.deliverables) if d.code == cycle[0])
    return [
        Problem(
            f"cycle: {' → '.join(cycle)} (each waits on the next)", f"deliverables[{index}].after"
        )
    ]


def _deadline_order(spec: PlanSpec) -> list[Problem]:
    """A deliverable due later than something that waits on it cannot be met."""
    tz = ZoneInfo(spec.timezone)
    order, dependents = deliverable_graph(spec)
    explicit = explicit_deadlines(spec, tz)
    downstream = earliest_downstream(order, dependents, explicit)
    problems = []
    for i, d in enumerate(spec.deliverables):
        mine, theirs = explicit[d.code], downstream[d.code]
        if mine and theirs and theirs.cutoff < mine.due_at:
            problems.append(
                Problem(
                    f"'{d.code}' is due {mine.label()}, after a deliverable that waits on it "
                    f"must be ready ({theirs.label()})",
                    f"deliverables[{i}].due",
                )
            )
    return problems


def _warnings(spec: PlanSpec) -> list[Problem]:
    used = {spec.coordinator, *spec.leaders}
    for d in spec.deliverables:
        used.add(d.to)
        owner = d.owner.removeprefix(GROUP_PREFIX)
        used.update(spec.groups.get(owner, ()) if d.owner.startswith(GROUP_PREFIX) else (owner,))
    warnings = [
        Problem(f"unit '{u.code}' owns and receives nothing", f"units[{i}]")
        for i, u in enumerate(spec.units)
        if u.code not in used
    ]
    warnings += [
        Problem(f"unit '{u.code}' has no e-mail: it cannot be reminded", f"units[{i}].email")
        for i, u in enumerate(spec.units)
        if u.code in used and not u.email
    ]
    for i, d in enumerate(spec.deliverables):
        seen: set[str] = set()
        for j, prerequisite in enumerate(d.after):
            if prerequisite in seen:
                warnings.append(
                    Problem(f"'{prerequisite}' listed twice", f"deliverables[{i}].after[{j}]")
                )
            seen.add(prerequisite)
        if d.due and d.due.kind != "at" and d.due.value.weekday() >= 5:
            warnings.append(Problem("the deadline falls on a weekend", f"deliverables[{i}].due"))
    return warnings
