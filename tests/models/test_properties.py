"""Invariants that must hold for every plan, checked on generated plans (hypothesis)."""

from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from models.dag import find_cycle, topological_order
from models.errors import PlanError
from models.evaluate import evaluate
from models.loader import read_plan_text
from models.plan import AssignmentRef, Plan
from models.statuses import Status
from models.submissions import Submission, SubmissionKind, standings
from tests.builders import DISTRICTS, local, plan_text

START = date(2023, 3, 1)
OWNERS = ["vp", "d1", "group:huyen"]


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    """Valid plans: edges point back to earlier deliverables, deadlines grow along them."""
    size = draw(st.integers(1, 8))
    deliverables = []
    for i in range(size):
        fields: dict[str, Any] = {
            "code": f"t{i}",
            "title": f"Nhiệm vụ {i}",
            "owner": draw(st.sampled_from(OWNERS)),
        }
        earlier = [f"t{j}" for j in range(i)]
        fields["after"] = sorted(draw(st.sets(st.sampled_from(earlier), max_size=3))) if i else []
        if draw(st.booleans()):
            day = START + timedelta(days=2 * i)
            kind = draw(st.sampled_from(["before", "by", "on", "at"]))
            fields["due"] = {
                kind: f"{day}T{draw(st.integers(0, 23)):02d}:00" if kind == "at" else str(day)
            }
        deliverables.append(fields)
    return read_plan_text(plan_text(deliverables), "generated.yaml").plan


@st.composite
def histories(draw: st.DrawFn, plan: Plan) -> list[Submission]:
    rows: list[Submission] = []
    for i in range(draw(st.integers(0, 12))):
        ref = draw(st.sampled_from(plan.assignments))
        at = local(2023, 3, 1) + timedelta(hours=draw(st.integers(0, 24 * 30)))
        kind = draw(st.sampled_from(list(SubmissionKind)))
        undoes = (
            draw(st.sampled_from([r.id for r in rows]))
            if kind is SubmissionKind.UNDO and rows
            else None
        )
        if kind is SubmissionKind.UNDO and undoes is None:
            kind = SubmissionKind.RECEIVED
        rows.append(Submission(i + 1, ref.deliverable, ref.unit, kind, at, at, undoes=undoes))
    return rows


moments = st.integers(0, 24 * 35).map(lambda h: local(2023, 2, 28) + timedelta(hours=h))


@settings(max_examples=200, deadline=None)
@given(data=st.data(), as_of=moments)
def test_evaluation_never_depends_on_submissions_after_as_of(data, as_of):
    plan = data.draw(plans())
    history = data.draw(histories(plan))
    known_then = [s for s in history if s.received_at <= as_of]
    assert evaluate(plan, history, as_of) == evaluate(plan, known_then, as_of)


@settings(max_examples=200, deadline=None)
@given(plan=plans())
def test_inferred_deadlines_never_fall_after_a_dependent_deadline(plan):
    for deliverable in plan.deliverables.values():
        for prerequisite in deliverable.after:
            mine, theirs = plan.deliverables[prerequisite].deadline, deliverable.deadline
            if theirs is not None:
                assert mine is not None and mine.due_at <= theirs.cutoff


@settings(max_examples=300, deadline=None)
@given(
    edges=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=12),
)
def test_a_plan_is_accepted_exactly_when_its_graph_has_no_cycle(edges):
    after = {f"t{i}": sorted({f"t{b}" for a, b in edges if a == i and b != i}) for i in range(6)}
    deliverables = [
        {"code": c, "title": c, "owner": "vp", "after": deps} for c, deps in after.items()
    ]
    cyclic = find_cycle(after) is not None
    try:
        plan = read_plan_text(plan_text(deliverables), "g.yaml").plan
    except PlanError as error:
        assert cyclic and "chờ nhau thành vòng" in str(error)
        return
    assert not cyclic
    order = list(plan.deliverables)
    assert all(order.index(p) < order.index(c) for c, deps in after.items() for p in deps)
    assert order == topological_order(after)


@settings(max_examples=100, deadline=None)
@given(plan=plans(), as_of=moments)
def test_every_assignment_gets_exactly_one_status(plan, as_of):
    statuses = evaluate(plan, [], as_of)
    assert [s.ref for s in statuses] == list(plan.assignments)
    per_group = sum(
        len(DISTRICTS) if d.owner == "group:huyen" else 1 for d in plan.deliverables.values()
    )
    assert len(statuses) == per_group


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_waiting_on_names_overdue_upstream_work_exactly_when_an_unsettled_one_is_blocked(data):
    plan = data.draw(plans())
    statuses = evaluate(plan, data.draw(histories(plan)), data.draw(moments))
    by_ref = {s.ref: s for s in statuses}
    for item in statuses:
        for blocker in item.waiting_on:
            assert by_ref[blocker].status is Status.OVERDUE
        upstream_late = any(
            by_ref[p].status is Status.OVERDUE or by_ref[p].waiting_on
            for p in plan.prerequisites_of(item.ref)
            if not by_ref[p].status.is_settled
        )
        assert bool(item.waiting_on) == (upstream_late and not item.status.is_settled)
        if item.status is Status.AT_RISK:
            assert item.waiting_on  # at risk always says because of whom


# Periods and counted deadlines (docs/plan-format.md, "Deadlines").
COUNTED = ["days_before", "days_after", "within_days"]


@st.composite
def counted_plans(draw: st.DrawFn) -> tuple[list[dict[str, Any]], Plan | None]:
    """Plans whose deadlines may be periods or counted from earlier deliverables: some are
    refused (a count from nothing dated, a deadline after what waits on it), most load."""
    deliverables: list[dict[str, Any]] = []
    for i in range(draw(st.integers(1, 7))):
        earlier = [f"t{j}" for j in range(i)]
        fields: dict[str, Any] = {
            "code": f"t{i}",
            "title": f"Nhiệm vụ {i}",
            "owner": draw(st.sampled_from(OWNERS)),
            "after": sorted(draw(st.sets(st.sampled_from(earlier), max_size=2))) if i else [],
        }
        form = draw(st.sampled_from(["none", "day", "month", "quarter", *COUNTED]))
        if form == "day":
            fields["due"] = {"by": str(START + timedelta(days=draw(st.integers(0, 40))))}
        elif form == "month":
            fields["due"] = {"month": f"2023-{draw(st.integers(3, 6)):02d}"}
        elif form == "quarter":
            fields["due"] = {"quarter": f"2023-Q{draw(st.integers(1, 4))}"}
        elif form != "none" and earlier:
            key = "after_arrival_of" if form == "within_days" else "of"
            fields["due"] = {form: draw(st.integers(1, 20)), key: draw(st.sampled_from(earlier))}
            if draw(st.booleans()):
                fields["due"]["working_days"] = True
        deliverables.append(fields)
    try:
        return deliverables, read_plan_text(plan_text(deliverables), "counted.yaml").plan
    except PlanError as error:
        assert all(p.path.startswith("deliverables[") and p.line for p in error.problems)
        return deliverables, None


@settings(max_examples=300, deadline=None)
@given(generated=counted_plans())
def test_a_deliverable_is_never_due_after_what_waits_on_it_starts(generated):
    """What truly holds for every loaded plan, whatever its forms: along each edge, the
    prerequisite is due no later than the moment the deliverable waiting on it starts to
    count (its cutoff) — written, counted or inherited alike."""
    _, plan = generated
    if plan is None:
        return
    for deliverable in plan.deliverables.values():
        for prerequisite in deliverable.after:
            mine, theirs = plan.deliverables[prerequisite].deadline, deliverable.deadline
            if theirs is not None and mine is not None:
                assert mine.due_at <= theirs.cutoff


@settings(max_examples=300, deadline=None)
@given(generated=counted_plans())
def test_a_counted_deadline_keeps_its_distance_from_its_reference(generated):
    written, plan = generated
    if plan is None:
        return
    for fields in written:
        due = fields.get("due") or {}
        if "of" not in due:
            continue
        mine = plan.deliverables[fields["code"]].deadline
        reference = plan.deliverables[due["of"]].deadline
        assert mine is not None and reference is not None and not reference.inferred
        if "days_after" in due:
            assert mine.due_at > reference.due_at
        elif due.get("working_days"):
            assert mine.due_at <= reference.cutoff - timedelta(days=due["days_before"])
        else:
            assert mine.due_at == reference.cutoff - timedelta(days=due["days_before"])


@settings(max_examples=200, deadline=None)
@given(data=st.data(), as_of=moments)
def test_an_arrival_deadline_is_fixed_after_the_arrival_and_owes_nothing_before(data, as_of):
    _, plan = data.draw(counted_plans())
    if plan is None:
        return
    history = data.draw(histories(plan))
    for item in evaluate(plan, history, as_of):
        rule = plan.deliverables[item.deliverable].arrival
        if rule is None:
            continue
        if item.pending_deadline:
            assert item.deadline is None
            assert item.status not in (Status.OVERDUE, Status.AT_RISK, Status.DUE_SOON)
            continue
        assert item.deadline is not None
        # Fixed by the arrival standing at as_of (the latest of the units waited for): never
        # before it, and at least N days after it.
        units = (
            [item.unit]
            if plan.links_per_unit(rule.upstream, item.deliverable)
            else plan.deliverables[rule.upstream].owners
        )
        standing = standings(history, as_of)
        arrivals = [
            found.received_at
            for unit in units
            if (found := standing.get(AssignmentRef(rule.upstream, unit))) is not None
            and found.received_at is not None
            and not found.waived
        ]
        fixed = (item.deadline.original or item.deadline).due_at
        assert arrivals and fixed > max(arrivals)
        assert fixed - max(arrivals) > timedelta(days=rule.count.days)
