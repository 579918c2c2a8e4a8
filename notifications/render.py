"""Messages as words: Vietnamese subjects, plain-text and HTML bodies (Jinja2 templates)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from models.control_characters import printable
from models.deadlines import Deadline, days_late
from models.evaluate import AssignmentStatus
from models.plan import Plan
from models.uploads.limits import size_text
from models.uploads.stored import AttachedFile
from notifications.messages import LateLine, Message
from notifications.rules import Rule

TEMPLATES = Path(__file__).with_name("templates")
TITLE_IN_SUBJECT = 40  # characters of a deliverable's title kept in a subject
NO_COORDINATOR = "Bộ phận theo dõi kế hoạch"
WHITESPACE = re.compile(r"\s+")  # \r, \n, \t, \v, \f, \x1c-\x1f, \x85, \u2028, \u2029 …
TEMPLATE_OF: dict[Rule, str] = {
    Rule.REMINDER: "reminder",
    Rule.FINAL_REMINDER: "reminder",
    Rule.OVERDUE: "overdue",
    Rule.OVERDUE_REPEAT: "overdue",
    Rule.ESCALATION: "escalation",
    Rule.AT_RISK: "at_risk",
    Rule.RECEIPT: "receipt",
    Rule.RETURNED: "returned",
    Rule.EXTENSION_GRANTED: "extension_granted",
    Rule.EXTENSION_REFUSED: "extension_refused",
}


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def one_line(text: str) -> str:
    """Any run of whitespace (line breaks included) as one space, and any other control
    character shown as a symbol (stored text may predate the checks): safe in a header."""
    return printable(WHITESPACE.sub(" ", text).strip())


def shorten(text: str, limit: int = TITLE_IN_SUBJECT) -> str:
    """At most `limit` characters, cut at a word and ended with … when cut."""
    text = one_line(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut.rstrip(" ,;:.-–—") + "…"


def status_deadline_text(status: AssignmentStatus) -> str:
    """`deadline_text` of an assignment's deadline in force; for one counted from an arrival
    that has not come yet, its wording (`2 ngày làm việc sau khi … (chưa xác định)`)."""
    if status.deadline is None and status.pending_deadline:
        return status.pending_deadline
    return deadline_text(status.deadline)


def deadline_text(deadline: Deadline | None) -> str:
    """The plan's own wording (`trước ngày 09/03/2023`), saying so when it was inferred."""
    if deadline is None:
        return "không có hạn"
    if not deadline.inferred:
        return deadline.label()
    written = replace(deadline, inferred=False).label()
    return f"{written} (kế hoạch không ghi hạn; xác định theo nhiệm vụ tiếp nối)"


def moment_text(moment: datetime, plan: Plan) -> str:
    """`07:30 ngày 13/03/2023`, plan-local."""
    local = moment.astimezone(plan.tz)
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}"


def days_left(deadline: Deadline, as_of: datetime, plan: Plan) -> int:
    """Calendar days left to act, today included: 3 on 06/3 for "trước ngày 09/03/2023"."""
    last = (deadline.due_at - timedelta(microseconds=1)).astimezone(plan.tz).date()
    return max(0, (last - as_of.astimezone(plan.tz).date()).days + 1)


def subject(message: Message, plan: Plan) -> str:
    """Short and scannable: `[Quá hạn 2 ngày] Báo cáo khó khăn, vướng mắc… — Huyện ủy Hương Khê`."""
    if message.rule is Rule.ESCALATION:
        count = len(message.lines)
        return one_line(f"[Báo cáo lãnh đạo] {count} nhiệm vụ quá hạn — {plan.title}")
    tag = {
        Rule.REMINDER: "Nhắc việc",
        Rule.FINAL_REMINDER: "Nhắc lần cuối",
        Rule.OVERDUE: f"Quá hạn {message.days_late} ngày",
        Rule.OVERDUE_REPEAT: f"Quá hạn {message.days_late} ngày – nhắc lại",
        Rule.AT_RISK: "Cảnh báo nguy cơ",
        Rule.RECEIPT: "Đã nhận, chờ xem xét" if message.in_review else "Xác nhận đã nhận",
        Rule.RETURNED: "Trả lại, yêu cầu bổ sung",
        Rule.EXTENSION_GRANTED: "Đồng ý gia hạn",
        Rule.EXTENSION_REFUSED: "Không đồng ý gia hạn",
    }[message.rule]
    title = plan.deliverables[message.deliverable or ""].title
    return one_line(f"[{tag}] {shorten(title)} — {plan.unit_name(message.unit or '')}")


def environment() -> Environment:
    """The e-mails' and the board's templates."""
    return templates_in(TEMPLATES)


@cache
def templates_in(folder: Path) -> Environment:
    """Templates of `folder`: HTML autoescaped, text not; any missing variable is an error."""
    return Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_shown,
    )


def render(message: Message, plan: Plan, link: str = "") -> Rendered:
    """Subject, plain text and HTML of a message, in formal Vietnamese; with the unit's
    personal `link` (its assignment's page) when there is one."""
    context = _context(message, plan)
    context["link"] = link
    name = TEMPLATE_OF[message.rule]
    text = environment().get_template(f"{name}.txt.j2").render(context)
    html = environment().get_template(f"{name}.html.j2").render(context)
    return Rendered(subject(message, plan), text, html)


def _context(message: Message, plan: Plan) -> dict[str, Any]:
    coordinator = plan.units.get(plan.coordinator or "")
    context: dict[str, Any] = {
        "rule": message.rule.value,
        "plan_title": one_line(plan.title),
        "sender": one_line(coordinator.name) if coordinator else NO_COORDINATOR,
        "contact_email": (coordinator.email or coordinator.head_email or "") if coordinator else "",
        "addressee": _addressee(message, plan),
        "now": moment_text(message.decided_at, plan),
        "key": message.key,
        "repeat": message.repeat,
        "days_late": message.days_late or 0,
    }
    if message.rule is Rule.ESCALATION:
        context["groups"] = _groups(message.lines, plan)
        context["count"] = len(message.lines)
        return context
    context.update(_assignment_facts(message, plan))
    context["blockers"] = [_line(line, plan) for line in message.lines]
    return context


def _addressee(message: Message, plan: Plan) -> str:
    if message.rule is Rule.ESCALATION:
        names = [one_line(plan.unit_name(code)) for code in plan.leaders]
        return ", ".join(names) or "Lãnh đạo"
    unit = one_line(plan.unit_name(message.unit or ""))
    return f"Lãnh đạo {unit}" if message.rule in (Rule.OVERDUE, Rule.OVERDUE_REPEAT) else unit


def _assignment_facts(message: Message, plan: Plan) -> dict[str, Any]:
    deliverable = plan.deliverables[message.deliverable or ""]
    deadline = message.deadline
    received = message.submitted_at
    return {
        "unit": one_line(plan.unit_name(message.unit or "")),
        "title": one_line(deliverable.title),
        "quote": one_line(deliverable.quote),
        "to": one_line(plan.unit_name(deliverable.to)) if deliverable.to else "",
        "deadline": deadline_text(deadline),
        "days_left": days_left(deadline, message.decided_at, plan) if deadline else 0,
        "received": moment_text(received, plan) if received else "",
        "returned": moment_text(message.returned_at, plan) if message.returned_at else "",
        "reason": one_line(message.reason),
        "files": [_file(attached) for attached in message.files],
        "asked_at": moment_text(message.asked_at, plan) if message.asked_at else "",
        "asked_until": f"{message.asked_until:%d/%m/%Y}" if message.asked_until else "",
        "in_review": message.in_review,
        "standing": arrival_standing(message),
    }


def arrival_standing(message: Message) -> str:
    """What a receipt says of the arrival: `đúng hạn`, `quá hạn 2 ngày`, or, when it counts
    only once accepted, `chờ xem xét (nộp sau hạn 2 ngày)` (the lateness of the arrival
    itself, judged against the deadline in force, as the accepted status will be)."""
    if not message.in_review:
        return f"quá hạn {message.days_late} ngày" if message.days_late else "đúng hạn"
    due = message.deadline.due_at if message.deadline else None
    late = days_late(due, message.submitted_at) if due and message.submitted_at else 0
    return f"chờ xem xét (nộp sau hạn {late} ngày)" if late else "chờ xem xét (nộp đúng hạn)"


def _file(attached: AttachedFile) -> dict[str, str]:
    return {
        "name": one_line(attached.name),
        "size": size_text(attached.size),
        "sha256": attached.sha256,
    }


def _line(line: LateLine, plan: Plan) -> dict[str, Any]:
    deliverable = plan.deliverables[line.deliverable]
    deadline = deliverable.deadline
    # A deadline fixed per unit by an arrival: its rule, each unit's date in its own notices.
    counted = deliverable.arrival.wording() if deliverable.arrival and not deadline else ""
    return {
        "title": one_line(deliverable.title),
        "unit": one_line(plan.unit_name(line.unit)),
        "deadline": counted or deadline_text(deadline),
        "days_late": line.days_late,
        "new": line.new,
    }


def _groups(lines: tuple[LateLine, ...], plan: Plan) -> list[dict[str, Any]]:
    """Lines grouped by deliverable, in the order given (the plan's)."""
    groups: dict[str, dict[str, Any]] = {}
    for line in lines:
        facts = _line(line, plan)
        group = groups.setdefault(
            line.deliverable,
            {"title": facts["title"], "deadline": facts["deadline"], "units": []},
        )
        group["units"].append(facts)
    return list(groups.values())


def _shown(value: object) -> object:
    """Every `{{ … }}` of every template: text stored before the checks may hold control
    characters; they reach no e-mail or page as they are (shown as ␛, ␀…), escaping follows."""
    if not isinstance(value, str) or value.isprintable():
        return value
    return Markup(printable(value)) if isinstance(value, Markup) else printable(value)
