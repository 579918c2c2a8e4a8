"""Semantic checks of a plan spec: references, duplicates, cycles, timezones, deadline order."""

from __future__ import annotations

from collections import Counter
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from models.dag import find_cycle
from models.errors import Problem, close_matches, suggestion_hint
from models.plan import GROUP_PREFIX, deliverable_graph, earliest_downstream, explicit_deadlines
from models.spec import PlanSpec

MIN_YEAR, MAX_YEAR = 1990, 2100


def check(spec: PlanSpec) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings). A plan with errors must not be loaded; warnings are worth a look."""
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


def _unknown(kind: str, code: str, path: str, known: set[str]) -> Problem:
    return Problem(f"unknown {kind} '{code}'{suggestion_hint(close_matches(code, known))}", path)


def _references(spec: PlanSpec) -> list[Problem]:
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
    try:
        ZoneInfo(spec.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return [Problem(f"unknown timezone '{spec.timezone}' (e.g. Asia/Ho_Chi_Minh)", "timezone")]
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
        for j, prerequisite in enumerate(d.after):
            if d.after.index(prerequisite) != j:
                warnings.append(
                    Problem(f"'{prerequisite}' listed twice", f"deliverables[{i}].after[{j}]")
                )
        if d.due and d.due.kind != "at" and d.due.value.weekday() >= 5:
            warnings.append(Problem("the deadline falls on a weekend", f"deliverables[{i}].due"))
    return warnings
