"""The plan as the domain sees it: units, deliverables with resolved deadlines, assignments."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import NamedTuple
from zoneinfo import ZoneInfo

from models.dag import topological_order
from models.deadlines import Deadline, period_deadline, resolve
from models.fields import DataField, FieldType
from models.relative_deadlines import ArrivalRule, Count, days_after, days_before
from models.review import DEFAULT_POLICY, ReviewPolicy
from models.spec import (
    ARRIVAL_FORMS,
    OFFSET_FORMS,
    PERIOD_FORMS,
    DeliverableSpec,
    DueForm,
    DueSpec,
    FieldSpec,
    LadderSpec,
    PlanSpec,
)
from models.working_days import WorkingDays

GROUP_PREFIX = "group:"


class AssignmentRef(NamedTuple):
    """One deliverable owed by one unit: the unit of tracking."""

    deliverable: str
    unit: str


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    email: str | None = None
    head_email: str | None = None


@dataclass(frozen=True)
class Deliverable:
    """A deliverable with its owners expanded and its deadline resolved (maybe inferred)."""

    code: str
    title: str
    owner: str  # as written: a unit code or group:<name>
    owners: tuple[str, ...]
    to: str | None
    deadline: Deadline | None
    after: tuple[str, ...] = ()
    quote: str = ""
    fields: Mapping[str, DataField] = field(default_factory=dict)  # collected with a receipt
    # `{within_days: N, after_arrival_of: X}`: the deadline is fixed per assignment by X's
    # arrival (models.evaluate); `deadline` is then None.
    arrival: ArrivalRule | None = None

    def deadline_text(self, without: str = "không có hạn") -> str:
        """The deadline as people read it; one counted from an arrival in its own words."""
        if self.deadline is not None:
            return self.deadline.label()
        return self.arrival.wording() if self.arrival is not None else without


@dataclass(frozen=True)
class Plan:
    """A validated plan. Deliverables are kept in topological order (prerequisites first)."""

    code: str
    title: str
    source: str
    timezone: str
    warning_days: int
    coordinator: str | None
    leaders: tuple[str, ...]
    units: Mapping[str, Unit]
    groups: Mapping[str, tuple[str, ...]]
    deliverables: Mapping[str, Deliverable]
    spec: PlanSpec = field(repr=False, compare=False)
    group_titles: Mapping[str, str] = field(default_factory=dict)
    # The plan's own escalation ladder settings (validated), on top of the defaults; None: none.
    ladder: LadderSpec | None = None
    # When an arrival counts as done (models/review.py).
    review: ReviewPolicy = DEFAULT_POLICY

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def assignments(self) -> tuple[AssignmentRef, ...]:
        """Every deliverable × owning unit, prerequisites first."""
        return tuple(
            AssignmentRef(d.code, unit) for d in self.deliverables.values() for unit in d.owners
        )

    @cached_property
    def first_deadline(self) -> datetime | None:
        """The earliest deadline of the plan (None without any)."""
        return min(
            (d.deadline.due_at for d in self.deliverables.values() if d.deadline), default=None
        )

    def links_per_unit(self, prerequisite: str, dependent: str) -> bool:
        """Edges between two deliverables of the same group link unit X to unit X only."""
        owner = self.deliverables[prerequisite].owner
        return owner.startswith(GROUP_PREFIX) and owner == self.deliverables[dependent].owner

    def prerequisites_of(self, ref: AssignmentRef) -> list[AssignmentRef]:
        """The assignments this one waits on directly (per-unit or all, by the edge rule)."""
        found: list[AssignmentRef] = []
        for prerequisite in self.deliverables[ref.deliverable].after:
            if self.links_per_unit(prerequisite, ref.deliverable):
                found.append(AssignmentRef(prerequisite, ref.unit))
            else:
                found.extend(
                    AssignmentRef(prerequisite, u) for u in self.deliverables[prerequisite].owners
                )
        return found

    def group_title(self, name: str) -> str:
        """What people call a group: its title in the plan, else "Nhóm <name>"."""
        return self.group_titles.get(name) or f"Nhóm {name}"

    def unit_name(self, code: str) -> str:
        unit = self.units.get(code)
        return unit.name if unit else code


def owners_of(owner: str, groups: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The units an `owner` field stands for."""
    if owner.startswith(GROUP_PREFIX):
        return groups[owner.removeprefix(GROUP_PREFIX)]
    return (owner,)


def working_days_of(spec: PlanSpec) -> WorkingDays:
    """The plan's working days: weekdays but public holidays and its `ladder.days_off`."""
    days_off = spec.ladder.days_off if spec.ladder and spec.ladder.days_off else ()
    return WorkingDays(frozenset(days_off))


def explicit_deadlines(spec: PlanSpec, tz: ZoneInfo) -> dict[str, Deadline | None]:
    """Each deliverable's own deadline resolved to instants: a day, a period, or a count of
    days from another one's deadline (resolved after it); None where none is written or it
    waits for an arrival. References must be known and acyclic (models.validate checks)."""
    calendar = working_days_of(spec)
    by_code = {d.code: d for d in spec.deliverables}
    counted_from = {d.code: [d.due.of] if d.due and d.due.of else [] for d in spec.deliverables}
    resolved: dict[str, Deadline | None] = {}
    for code in topological_order(counted_from):
        resolved[code] = _own_deadline(by_code[code].due, resolved, by_code, calendar, tz)
    return {d.code: resolved[d.code] for d in spec.deliverables}


def _own_deadline(
    due: DueSpec | None,
    resolved: Mapping[str, Deadline | None],
    by_code: Mapping[str, DeliverableSpec],
    calendar: WorkingDays,
    tz: ZoneInfo,
) -> Deadline | None:
    if due is None or due.form in ARRIVAL_FORMS:
        return None
    if due.form in PERIOD_FORMS:
        return period_deadline(due.kind, str(due.value), tz)
    if due.form in OFFSET_FORMS:
        assert due.of is not None and isinstance(due.value, int)
        reference = resolved[due.of]
        assert reference is not None, "validate refuses a count from no deadline"
        count = Count(due.value, bool(due.working_days), calendar)
        shift = days_before if due.form is DueForm.DAYS_BEFORE else days_after
        return shift(reference, count, by_code[due.of].title, tz)
    day = due.day
    assert day is not None
    return resolve(due.kind, day, tz)


def arrival_rule(
    due: DueSpec | None, by_code: Mapping[str, DeliverableSpec], calendar: WorkingDays
) -> ArrivalRule | None:
    """The rule of a deadline fixed by another deliverable's arrival; None for other forms."""
    if due is None or due.form not in ARRIVAL_FORMS or due.after_arrival_of is None:
        return None
    assert isinstance(due.value, int)
    count = Count(due.value, bool(due.working_days), calendar)
    return ArrivalRule(due.after_arrival_of, count, by_code[due.after_arrival_of].title)


def earliest_downstream(
    order: list[str],
    dependents: Mapping[str, list[str]],
    explicit: Mapping[str, Deadline | None],
) -> dict[str, Deadline | None]:
    """For each deliverable, the written deadline with the earliest cutoff among all that wait
    on it, directly or transitively; None when nothing dated waits on it.

    Used both to infer missing deadlines and to catch a dependent due before its prerequisite.
    """
    result: dict[str, Deadline | None] = {}
    for code in reversed(order):
        best: Deadline | None = None
        for dependent in dependents[code]:
            for candidate in (explicit[dependent], result[dependent]):
                if candidate and (best is None or candidate.cutoff < best.cutoff):
                    best = candidate
        result[code] = best
    return result


def deliverable_graph(spec: PlanSpec) -> tuple[list[str], dict[str, list[str]]]:
    """Topological order and the dependents of each deliverable (spec must be acyclic)."""
    prerequisites = {d.code: list(d.after) for d in spec.deliverables}
    dependents: dict[str, list[str]] = {code: [] for code in prerequisites}
    for code, after in prerequisites.items():
        for prerequisite in dict.fromkeys(after):
            dependents[prerequisite].append(code)
    return topological_order(prerequisites), dependents


def build_plan(spec: PlanSpec) -> Plan:
    """Resolve a validated spec into the domain plan (see models.validate for the checks)."""
    tz = ZoneInfo(spec.timezone)
    groups = {name: tuple(members) for name, members in spec.groups.items()}
    order, dependents = deliverable_graph(spec)
    explicit = explicit_deadlines(spec, tz)
    downstream = earliest_downstream(order, dependents, explicit)
    by_code = {d.code: d for d in spec.deliverables}
    calendar = working_days_of(spec)
    deliverables = {}
    for code in order:
        d = by_code[code]
        later = downstream[code]
        inherited = later.as_inherited() if later else None
        deliverables[code] = Deliverable(
            code=code,
            title=d.title,
            owner=d.owner,
            owners=owners_of(d.owner, groups),
            to=d.to,
            deadline=explicit[code] if d.due else inherited,
            after=tuple(dict.fromkeys(d.after)),
            quote=d.quote,
            fields=data_fields(d.fields),
            arrival=arrival_rule(d.due, by_code, calendar),
        )
    return Plan(
        code=spec.code,
        title=spec.title,
        source=spec.source,
        timezone=spec.timezone,
        warning_days=spec.warning_days,
        coordinator=spec.coordinator,
        leaders=tuple(spec.leaders),
        units={u.code: Unit(u.code, u.name, u.email, u.head_email) for u in spec.units},
        groups=groups,
        deliverables=deliverables,
        spec=spec,
        group_titles=dict(spec.group_titles),
        ladder=spec.ladder,
        review=spec.review,
    )


def data_fields(specs: Mapping[str, FieldSpec]) -> dict[str, DataField]:
    """The figures a deliverable collects (its `fields:`), in the order the plan lists them."""
    return {
        name: DataField(
            name=name,
            type=FieldType(f.type),
            label=f.label or name,
            required=f.required,
            minimum=f.min,
            maximum=f.max,
        )
        for name, f in specs.items()
    }
