"""The escalation ladder: which message each assignment calls for at `as_of` (pure, no I/O)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from models.evaluate import AssignmentStatus
from models.extension_requests import stored_request
from models.plan import AssignmentRef, Plan
from models.spec import LadderSpec
from models.statuses import Status
from models.submissions import Submission, SubmissionKind
from models.uploads.stored import AttachedFile
from notifications.calendar import CLOSES, OPENS, OfficeCalendar, office_calendar
from notifications.messages import (
    LateLine,
    Message,
    assignment_key,
    deadline_occurrence,
    digest_key,
    moment_occurrence,
    parse_key,
)
from notifications.rules import Rule
from notifications.sent_log import SentLog

__all__ = [
    "DEFAULT_LADDER",
    "Ladder",
    "Rule",
    "decide",
    "extension_answer_for",
    "ladder_of",
    "receipt_for",
    "superseded",
]

# The unit's own track, lowest first: a run sends only the highest step that is due.
UNIT_TRACK: tuple[Rule, ...] = (
    Rule.REMINDER,
    Rule.FINAL_REMINDER,
    Rule.OVERDUE,
    Rule.OVERDUE_REPEAT,
)


class Role(StrEnum):
    CONTACT = "contact"  # the unit's working address (email)
    HEAD = "head"  # the unit's head (head_email)
    COORDINATOR = "coordinator"  # the plan's coordinator unit
    LEADERS = "leaders"  # the plan's leader units


# The rules a plan may time in days (and the Ladder field that holds them), and those it may
# only turn on or off.
TIMED: dict[Rule, str] = {
    Rule.REMINDER: "reminder_days",
    Rule.FINAL_REMINDER: "final_reminder_days",
    Rule.OVERDUE_REPEAT: "repeat_days",
    Rule.ESCALATION: "escalation_days",
}
SWITCHED: tuple[Rule, ...] = (Rule.OVERDUE, Rule.AT_RISK, Rule.RECEIPT)

# The table: to whom each rule writes, and who is copied.
ROUTES: dict[Rule, tuple[tuple[Role, ...], tuple[Role, ...]]] = {
    Rule.REMINDER: ((Role.CONTACT,), ()),
    Rule.FINAL_REMINDER: ((Role.CONTACT,), (Role.HEAD,)),
    Rule.OVERDUE: ((Role.HEAD,), (Role.CONTACT, Role.COORDINATOR)),
    Rule.OVERDUE_REPEAT: ((Role.HEAD,), (Role.COORDINATOR,)),
    Rule.ESCALATION: ((Role.LEADERS,), (Role.COORDINATOR,)),
    Rule.AT_RISK: ((Role.CONTACT,), (Role.COORDINATOR,)),
    Rule.RECEIPT: ((Role.CONTACT,), ()),
    Rule.RETURNED: ((Role.CONTACT,), ()),
    Rule.EXTENSION_GRANTED: ((Role.CONTACT,), ()),
    Rule.EXTENSION_REFUSED: ((Role.CONTACT,), ()),
}
# Answers to a unit's request for more time: sent once the coordinator answers, whatever
# happens to the assignment after (the unit asked a question; it gets its answer).
ANSWERS = (Rule.EXTENSION_GRANTED, Rule.EXTENSION_REFUSED)


@dataclass(frozen=True)
class Ladder:
    """When each rule fires, in days relative to the deadline, and when mail may go out.

    `reminder_days` None means the plan's `warning_days`; `repeat_days` None means no
    repeated overdue notices. Receipts confirm submissions received in the last
    `receipt_window_days` (so a first run does not confirm a plan's whole history).
    """

    reminder_days: int | None = None
    final_reminder_days: int = 1
    repeat_days: int | None = 2
    escalation_days: int = 2
    receipt_window_days: int = 14
    off: frozenset[Rule] = frozenset()
    opens: time = OPENS
    closes: time = CLOSES
    days_off: frozenset[date] = frozenset()

    def sends(self, rule: Rule) -> bool:
        if rule is Rule.OVERDUE_REPEAT and self.repeat_days is None:
            return False
        return rule not in self.off

    def lead_days(self, rule: Rule, plan: Plan) -> int:
        if rule is Rule.FINAL_REMINDER:
            return self.final_reminder_days
        return plan.warning_days if self.reminder_days is None else self.reminder_days

    def calendar(self, tz: ZoneInfo) -> OfficeCalendar:
        return office_calendar(tz, opens=self.opens, closes=self.closes, days_off=self.days_off)

    @classmethod
    def from_spec(cls, spec: LadderSpec | None) -> Ladder:
        """A plan's `ladder:` override on top of the defaults. The spec was validated when the
        plan was loaded (models.spec.LadderSpec, the one place the rules are checked): a
        number of days per timed rule, true/false to turn a rule on or off."""
        ladder = DEFAULT_LADDER
        if spec is None:
            return ladder
        for rule, attribute in TIMED.items():
            value = getattr(spec, rule.value)
            if isinstance(value, bool):
                ladder = _switch(ladder, rule, value)
            elif value is not None:
                ladder = replace(_switch(ladder, rule, True), **{attribute: value})
        for rule in SWITCHED:
            value = getattr(spec, rule.value)
            if value is not None:
                ladder = _switch(ladder, rule, value)
        if spec.office_hours is not None:
            opens, closes = (time.fromisoformat(part) for part in spec.office_hours.split("-"))
            ladder = replace(ladder, opens=opens, closes=closes)
        if spec.days_off is not None:
            ladder = replace(ladder, days_off=frozenset(spec.days_off))
        return ladder


DEFAULT_LADDER = Ladder()


def ladder_of(plan: Plan) -> Ladder:
    """The plan's ladder: its `ladder:` override on top of DEFAULT_LADDER, or DEFAULT_LADDER."""
    return Ladder.from_spec(plan.ladder)


def _switch(ladder: Ladder, rule: Rule, on: bool) -> Ladder:
    return replace(ladder, off=ladder.off - {rule} if on else ladder.off | {rule})


@dataclass
class _Run:
    """One decision: its inputs and what it has worked out so far (moments, new threads)."""

    plan: Plan
    ladder: Ladder
    sent: SentLog
    as_of: datetime
    calendar: OfficeCalendar
    by_ref: dict[AssignmentRef, AssignmentStatus]
    moments: dict[tuple[Rule, datetime], datetime] = field(default_factory=dict)
    threads: dict[tuple[str, str], str] = field(default_factory=dict)

    def moment(self, rule: Rule, due_at: datetime) -> datetime:
        """When `rule` is due for a deadline: reminders move earlier to a working morning,
        notices after the deadline to the next time the office is open."""
        found = self.moments.get((rule, due_at))
        if found is None:
            found = _moment(self, rule, due_at)
            self.moments[(rule, due_at)] = found
        return found

    def occurrence(self, item: AssignmentStatus) -> str:
        return deadline_occurrence(item.deadline, self.plan.tz)

    def key(self, rule: Rule, item: AssignmentStatus, occurrence: str) -> str:
        return assignment_key(self.plan.code, rule, item.deliverable, item.unit, occurrence)

    def message(self, rule: Rule, item: AssignmentStatus, occurrence: str, **facts: Any) -> Message:
        key = self.key(rule, item, occurrence)
        ref = (item.deliverable, item.unit)
        thread = self.sent.thread_root(*ref) or self.threads.get(ref)
        if thread is None:
            self.threads[ref] = key
        to, cc = _route(self.plan, rule, item.unit)
        return Message(
            key, rule, to, cc, self.as_of, item.deliverable, item.unit, item.deadline,
            item.days_late, item.submitted_at, thread=thread, **facts,
        )  # fmt: skip


def _moment(run: _Run, rule: Rule, due_at: datetime) -> datetime:
    calendar = run.calendar
    if rule in (Rule.REMINDER, Rule.FINAL_REMINDER):
        lead = timedelta(days=run.ladder.lead_days(rule, run.plan))
        day = (due_at - lead).astimezone(calendar.tz).date()
        return calendar.opening(calendar.working_day_from(day, step=-1))
    if rule is Rule.ESCALATION:
        return calendar.next_open(due_at + timedelta(days=run.ladder.escalation_days))
    return calendar.next_open(due_at)


def _addresses(plan: Plan, role: Role, unit: str) -> list[str]:
    if role is Role.LEADERS:
        return [a for leader in plan.leaders for a in _addresses(plan, Role.CONTACT, leader)]
    code = plan.coordinator if role is Role.COORDINATOR else unit
    found = plan.units.get(code) if code else None
    if found is None:
        return []
    first, second = (
        (found.head_email, found.email) if role is Role.HEAD else (found.email, found.head_email)
    )
    address = first or second
    return [address] if address else []


def _route(plan: Plan, rule: Rule, unit: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """To and Cc of a rule for a unit, each address once, Cc never repeating a To."""
    to_roles, cc_roles = ROUTES[rule]
    to = dict.fromkeys(a for role in to_roles for a in _addresses(plan, role, unit))
    cc = dict.fromkeys(a for role in cc_roles for a in _addresses(plan, role, unit) if a not in to)
    return tuple(to), tuple(cc)


def decide(
    plan: Plan,
    statuses: Sequence[AssignmentStatus],
    ladder: Ladder,
    sent: SentLog,
    as_of: datetime,
    calendar: OfficeCalendar | None = None,
) -> list[Message]:
    """The messages due at `as_of` that the outbox does not hold yet, in plan order, the
    leaders' digest last. Nothing outside office hours on working days.

    Per assignment: an at-risk notice (once per deadline), the highest due step of its own
    track (reminder < final reminder < overdue notice < repeated notice), a receipt for a
    new submission, the reason of a new return. Nothing about done or waived assignments
    except the receipt, nothing to a unit whose arrival waits for review.
    """
    calendar = calendar or ladder.calendar(plan.tz)
    if as_of.tzinfo is None:
        raise ValueError("as_of must be timezone-aware")
    if not calendar.is_open(as_of):
        return []
    run = _Run(plan, ladder, sent, as_of, calendar, {s.ref: s for s in statuses})
    messages: list[Message] = []
    for item in statuses:
        for step in (_at_risk, _returned, _unit_step, _receipt):
            message = step(run, item)
            if message is not None:
                messages.append(message)
    digest = _digest(run, statuses)
    return [*messages, digest] if digest else messages


def _unit_step(run: _Run, item: AssignmentStatus) -> Message | None:
    if item.deadline is None or not item.status.awaits_unit:
        return None
    if item.is_overdue:  # a returned assignment past its deadline too
        return _overdue_step(run, item)
    for rule in (Rule.FINAL_REMINDER, Rule.REMINDER):  # the highest due step only
        if run.ladder.sends(rule) and run.moment(rule, item.deadline.due_at) <= run.as_of:
            occurrence = run.occurrence(item)
            if run.key(rule, item, occurrence) in run.sent:
                return None
            return run.message(rule, item, occurrence)
    return None


def _overdue_step(run: _Run, item: AssignmentStatus) -> Message | None:
    """The overdue notice once; then, if repeats are on, one every `repeat_days` after the
    previous notice (so a notice sent late after downtime is not followed by a burst)."""
    assert item.deadline is not None
    if not run.ladder.sends(Rule.OVERDUE) or run.moment(Rule.OVERDUE, item.deadline.due_at) > (
        run.as_of
    ):
        return None
    occurrence = run.occurrence(item)
    previous = run.key(Rule.OVERDUE, item, occurrence)
    if previous not in run.sent:
        return run.message(Rule.OVERDUE, item, occurrence)
    if not run.ladder.sends(Rule.OVERDUE_REPEAT) or run.ladder.repeat_days is None:
        return None
    count = 0
    while (following := run.key(Rule.OVERDUE_REPEAT, item, f"{occurrence}-{count + 1}")) in (
        run.sent
    ):
        count, previous = count + 1, following
    last = run.sent.at(previous)
    assert last is not None
    day = last.astimezone(run.plan.tz).date() + timedelta(days=run.ladder.repeat_days)
    if run.calendar.next_open(datetime.combine(day, time(0), tzinfo=run.plan.tz)) > run.as_of:
        return None
    repeat = count + 1
    return run.message(Rule.OVERDUE_REPEAT, item, f"{occurrence}-{repeat}", repeat=repeat)


def _at_risk(run: _Run, item: AssignmentStatus) -> Message | None:
    # Open-ended work (no deadline) is not warned: nothing is at stake before a date.
    if item.status is not Status.AT_RISK or item.deadline is None:
        return None
    if not run.ladder.sends(Rule.AT_RISK):
        return None
    occurrence = run.occurrence(item)
    if run.key(Rule.AT_RISK, item, occurrence) in run.sent:
        return None
    lines = tuple(
        LateLine(ref.deliverable, ref.unit, run.by_ref[ref].days_late or 0)
        for ref in item.waiting_on
    )
    return run.message(Rule.AT_RISK, item, occurrence, lines=lines)


def _receipt(run: _Run, item: AssignmentStatus) -> Message | None:
    """The unit hears that its arrival reached the Office: once per arrival (the key is the
    arrival's moment), whether it counts at once or waits for review; the receipt of an
    arrival in review says so, and its acceptance later sends nothing more."""
    received = item.submitted_at
    in_review = item.status is Status.IN_REVIEW
    arrived = item.status.is_done or in_review
    if not arrived or received is None or not run.ladder.sends(Rule.RECEIPT):
        return None
    if received < run.as_of - timedelta(days=run.ladder.receipt_window_days):
        return None
    occurrence = moment_occurrence(received, run.plan.tz)
    if run.key(Rule.RECEIPT, item, occurrence) in run.sent:
        return None
    return run.message(Rule.RECEIPT, item, occurrence, in_review=in_review)


def receipt_for(
    plan: Plan,
    statuses: Sequence[AssignmentStatus],
    ladder: Ladder,
    sent: SentLog,
    ref: AssignmentRef,
    as_of: datetime,
    files: tuple[AttachedFile, ...] = (),
) -> Message | None:
    """The receipt of `ref`'s arrival at once (a unit that sent from its page), listing
    `files`: the very message a run would decide later (the same key, so the outbox keeps
    one), at any hour (delivery waits for office hours). None when it is not due (receipts
    off, not done, already in the outbox)."""
    run = _Run(plan, ladder, sent, as_of, ladder.calendar(plan.tz), {s.ref: s for s in statuses})
    message = _receipt(run, run.by_ref[ref])
    return replace(message, files=files) if message is not None else None


def return_notice_for(
    plan: Plan,
    statuses: Sequence[AssignmentStatus],
    ladder: Ladder,
    sent: SentLog,
    ref: AssignmentRef,
    as_of: datetime,
) -> Message | None:
    """The reason of a return, to the unit at once (a coordinator just returned its arrival):
    the very message a run would decide later (the same key, so the outbox keeps one), at
    any hour (delivery waits for office hours). None when not returned at `as_of`, returns
    are not told, or it is in the outbox already."""
    run = _Run(plan, ladder, sent, as_of, ladder.calendar(plan.tz), {s.ref: s for s in statuses})
    return _returned(run, run.by_ref[ref])


def extension_answer_for(
    plan: Plan,
    statuses: Sequence[AssignmentStatus],
    sent: SentLog,
    request: Submission,
    answer: Submission,
    as_of: datetime,
) -> Message | None:
    """The one e-mail that tells the unit how its `request` for more time was answered: the
    grant (`answer` an `extended` row; the message carries the deadline in force at `as_of`)
    or the refusal (its reason). Keyed by the request's moment, so a second call, a double
    click or a rerun adds nothing; None when already in the outbox or unreadable. Any hour
    (delivery waits for office hours)."""
    asked = stored_request(request)
    if asked is None:
        return None
    granted = answer.kind is SubmissionKind.EXTENDED
    rule = Rule.EXTENSION_GRANTED if granted else Rule.EXTENSION_REFUSED
    run = _Run(plan, DEFAULT_LADDER, sent, as_of, DEFAULT_LADDER.calendar(plan.tz), {})
    item = next(s for s in statuses if s.ref == request.ref)
    occurrence = moment_occurrence(request.received_at, plan.tz)
    if run.key(rule, item, occurrence) in sent:
        return None
    return run.message(
        rule, item, occurrence, reason=answer.note, asked_at=request.received_at,
        asked_until=asked.until,
    )  # fmt: skip


def _returned(run: _Run, item: AssignmentStatus) -> Message | None:
    """The reason of a return, to the unit, once per return (keyed by its moment); like
    receipts, only returns of the last `receipt_window_days`."""
    returned = item.returned_at
    if item.status is not Status.RETURNED or returned is None:
        return None
    if not run.ladder.sends(Rule.RETURNED):
        return None
    if returned < run.as_of - timedelta(days=run.ladder.receipt_window_days):
        return None
    occurrence = moment_occurrence(returned, run.plan.tz)
    if run.key(Rule.RETURNED, item, occurrence) in run.sent:
        return None
    return run.message(
        Rule.RETURNED, item, occurrence, reason=item.return_note, returned_at=returned
    )


def _digest(run: _Run, statuses: Iterable[AssignmentStatus]) -> Message | None:
    """One digest to the leaders when at least one assignment has reached escalation since
    the previous digest; it lists every escalated assignment (overdue ≥ escalation_days,
    explicit deadline), in plan order: grouped by deliverable, then unit. At most one a day."""
    if not run.ladder.sends(Rule.ESCALATION):
        return None
    last = run.sent.last_digest
    lines: list[LateLine] = []
    for item in statuses:
        if not item.is_overdue or item.deadline is None or item.deadline.inferred:
            continue
        reached = run.moment(Rule.ESCALATION, item.deadline.due_at)
        if reached <= run.as_of:
            new = last is None or reached > last
            lines.append(LateLine(item.deliverable, item.unit, item.days_late or 0, new))
    if not any(line.new for line in lines):
        return None
    key = digest_key(run.plan.code, run.as_of.astimezone(run.plan.tz).date())
    if key in run.sent:
        return None
    to, cc = _route(run.plan, Rule.ESCALATION, "")
    return Message(
        key, Rule.ESCALATION, to, cc, run.as_of, lines=tuple(lines), thread=run.sent.first_digest
    )


def superseded(key: str, statuses: Mapping[AssignmentRef, AssignmentStatus], tz: ZoneInfo) -> str:
    """Why a pending message about an assignment should no longer go out ('' if it should).

    Receipts, digests and answers to a request for more time always go; the rest stop when
    the assignment is done, waived, gone from the plan or has a new deadline; reminders also
    when the deadline has passed, an at-risk notice when the risk is gone.
    """
    parts = parse_key(key)
    if parts.rule in (Rule.RECEIPT, Rule.ESCALATION, *ANSWERS) or parts.deliverable is None:
        return ""
    item = statuses.get(AssignmentRef(parts.deliverable, parts.unit or ""))
    if item is None:
        return "phân công không còn trong kế hoạch"
    if parts.rule is Rule.RETURNED:
        still = item.returned_at and moment_occurrence(item.returned_at, tz) == parts.occurrence
        return "" if still else "không còn bị trả lại (đã hủy lần trả lại, hoặc đơn vị đã nộp lại)"
    if not item.status.awaits_unit:
        return f"phân công đã có kết quả: {item.status.label}"
    if parts.occurrence.split("-")[0] != deadline_occurrence(item.deadline, tz):
        return "hạn nộp đã thay đổi"
    if parts.rule in (Rule.REMINDER, Rule.FINAL_REMINDER) and item.is_overdue:
        return "đã quá hạn nộp"
    if parts.rule is Rule.AT_RISK and item.status is not Status.AT_RISK:
        return "không còn nguy cơ chậm"
    return ""


def collapse(keys: Sequence[str]) -> dict[str, str]:
    """Among pending keys, the unit-track steps overtaken by a higher pending step of the same
    assignment (a reminder still pending when the overdue notice joins it), with why."""
    highest: dict[tuple[str | None, str | None], tuple[int, int, str]] = {}
    for key in keys:
        parts = parse_key(key)
        if parts.rule in UNIT_TRACK:
            rank = (UNIT_TRACK.index(parts.rule), len(key), key)  # repeat 10 after repeat 9
            ref = (parts.deliverable, parts.unit)
            highest[ref] = max(highest.get(ref, rank), rank)
    result: dict[str, str] = {}
    for key in keys:
        parts = parse_key(key)
        top = highest.get((parts.deliverable, parts.unit))
        if parts.rule in UNIT_TRACK and top and top[2] != key:
            result[key] = f"đã có thư thay thế: {parse_key(top[2]).rule.label}"
    return result
