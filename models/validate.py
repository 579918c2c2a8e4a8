"""Semantic checks of a plan spec: references, duplicates, cycles, timezones, deadline order."""

from __future__ import annotations

from collections import Counter
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from models.addresses import needs_smtputf8
from models.dag import find_cycle
from models.errors import KIND_LABELS, Problem, close_matches, suggestion_hint
from models.plan import GROUP_PREFIX, deliverable_graph, earliest_downstream, explicit_deadlines
from models.spec import ARRIVAL_FORMS, OFFSET_FORMS, PERIOD_FORMS, DueForm, DueSpec, PlanSpec

MIN_YEAR, MAX_YEAR = 1990, 2100
# Sizes far above any real plan (a province has ~25 units per plan, a few dozen deliverables);
# past them a file is a mistake or an attack, and every check below stays fast up to them.
MAX_UNITS = 5_000
MAX_DELIVERABLES = 2_000
MAX_ASSIGNMENTS = 100_000
MAX_PREREQUISITES = 20_000  # `after:` entries, all deliverables together
MAX_TIMEZONE_LENGTH = 64
# Forms that name one day: worth a warning when it is a weekend (a period's last day is not).
WEEKDAY_FORMS = (DueForm.BEFORE, DueForm.BY, DueForm.ON)
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
        errors.extend(_counted_from(spec))
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
                label = KIND_LABELS[kind]
                message = f"mã {label} '{code}' bị trùng: mỗi {label} cần một mã riêng"
                problems.append(Problem(message, f"{kind}s[{i}].code"))
            seen.add(code)
    for name, members in spec.groups.items():
        for member, count in Counter(members).items():
            if count > 1:
                message = f"đơn vị '{member}' được ghi {count} lần: chỉ giữ một lần"
                problems.append(Problem(message, f"groups.{name}"))
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
        ("đơn vị", "units", len(spec.units), MAX_UNITS),
        ("nhiệm vụ", "deliverables", len(spec.deliverables), MAX_DELIVERABLES),
        ("phân công (nhiệm vụ × đơn vị thực hiện)", "deliverables", assignments, MAX_ASSIGNMENTS),
        ("nhiệm vụ phải chờ (after:)", "deliverables", prerequisites, MAX_PREREQUISITES),
    ]
    return [
        Problem(f"quá nhiều {what}: {count}, tối đa {limit}", path)
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
        return Problem(f"không có {KIND_LABELS[kind]} '{code}'{hint}", path)


def _references(spec: PlanSpec) -> list[Problem]:
    _unknown = _Unknown()
    units = {u.code for u in spec.units}
    groups = set(spec.groups)
    deliverables = {d.code for d in spec.deliverables}
    problems = []
    for name, members in spec.groups.items():
        if not members:
            problems.append(Problem("nhóm cần ít nhất một đơn vị", f"groups.{name}"))
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
                message = f"nhiệm vụ '{d.code}' không thể chờ chính nó: xóa khỏi after"
                problems.append(Problem(message, where))
            elif prerequisite not in deliverables:
                problems.append(_unknown("deliverable", prerequisite, where, deliverables))
        if d.due and d.due.reference:
            key = "of" if d.due.of else "after_arrival_of"
            where = f"{path}.due.{key}"
            if d.due.reference == d.code:
                message = f"hạn của '{d.code}' không thể tính từ chính nó: ghi mã nhiệm vụ khác"
                problems.append(Problem(message, where))
            elif d.due.reference not in deliverables:
                problems.append(_unknown("deliverable", d.due.reference, where, deliverables))
    return problems


def _timezone(spec: PlanSpec) -> list[Problem]:
    unknown = [
        Problem(f"không có múi giờ '{spec.timezone[:80]}' (ví dụ Asia/Ho_Chi_Minh)", "timezone")
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
            f"năm của hạn ({_year(d.due)}) phải trong khoảng {MIN_YEAR}–{MAX_YEAR}",
            f"deliverables[{i}].due",
        )
        for i, d in enumerate(spec.deliverables)
        if d.due and not MIN_YEAR <= _year(d.due) <= MAX_YEAR
    ]


def _year(due: DueSpec) -> int:
    """The year of a written day or period (a count of days has none of its own to check)."""
    if due.form in PERIOD_FORMS:
        return int(str(due.value)[:4]) if due.form is not DueForm.YEAR else int(str(due.value))
    day = due.day
    return day.year if day is not None else MIN_YEAR


def _cycle(spec: PlanSpec) -> list[Problem]:
    cycle = find_cycle({d.code: list(d.after) for d in spec.deliverables})
    if not cycle:
        return []
    index = next(i for i, d in enumerate(spec.deliverables) if d.code == cycle[0])
    return [
        Problem(
            f"các nhiệm vụ chờ nhau thành vòng: {' → '.join(cycle)} (mỗi nhiệm vụ chờ nhiệm vụ"
            " kế tiếp); bỏ một mục after để phá vòng",
            f"deliverables[{index}].after",
        )
    ]


def _counted_from(spec: PlanSpec) -> list[Problem]:
    """A deadline counted from another deliverable's deadline needs that one to have its own
    fixed deadline, and counts may not go round in a circle; the arrival a deadline waits for
    may not itself wait (through `after`) on the deliverable that waits for it."""
    by_code = {d.code: d for d in spec.deliverables}
    index = {d.code: i for i, d in enumerate(spec.deliverables)}
    problems = []
    for i, d in enumerate(spec.deliverables):
        if not d.due or d.due.form not in OFFSET_FORMS or d.due.of is None:
            continue
        reference = by_code[d.due.of].due
        if reference is None:
            message = (
                f"nhiệm vụ '{d.due.of}' không có hạn riêng (due) nên không tính được hạn từ đó:"
                " ghi hạn cho nó, hoặc ghi hạn bằng ngày cụ thể"
            )
            problems.append(Problem(message, f"deliverables[{i}].due.of"))
        elif reference.form in ARRIVAL_FORMS:
            message = (
                f"hạn của '{d.due.of}' chỉ xác định khi có văn bản được nộp nên không tính được"
                " hạn cố định từ đó: dùng within_days và after_arrival_of"
            )
            problems.append(Problem(message, f"deliverables[{i}].due.of"))
    if problems:
        return problems
    counted = {d.code: [d.due.of] if d.due and d.due.of else [] for d in spec.deliverables}
    cycle = find_cycle(counted)
    if cycle:
        message = (
            f"các hạn tính từ nhau thành vòng: {' → '.join(cycle)} (mỗi hạn tính từ hạn của"
            " nhiệm vụ kế tiếp): ghi một trong các hạn bằng ngày cụ thể"
        )
        return [Problem(message, f"deliverables[{index[cycle[0]]}].due.of")]
    return _arrival_cycle(spec, index)


def _arrival_cycle(spec: PlanSpec, index: dict[str, int]) -> list[Problem]:
    arrivals = {
        d.code: d.due.after_arrival_of
        for d in spec.deliverables
        if d.due and d.due.after_arrival_of
    }
    waits = {d.code: [*d.after, *filter(None, [arrivals.get(d.code)])] for d in spec.deliverables}
    cycle = find_cycle(waits)
    if not cycle:
        return []
    first = next(code for code in cycle if code in arrivals)
    message = (
        f"hạn của '{first}' tính từ lúc '{arrivals[first]}' được nộp, nhưng các nhiệm vụ chờ"
        f" nhau thành vòng: {' → '.join(cycle)}: bỏ một mục after hoặc đổi nhiệm vụ được"
        " chờ nộp"
    )
    return [Problem(message, f"deliverables[{index[first]}].due.after_arrival_of")]


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
                    f"nhiệm vụ '{d.code}' có hạn {mine.label()}, muộn hơn lúc một nhiệm vụ chờ"
                    f" nó cần xong ({theirs.label()}): sửa lại hạn",
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
        Problem(f"đơn vị '{u.code}' không thực hiện và không nhận nhiệm vụ nào", f"units[{i}]")
        for i, u in enumerate(spec.units)
        if u.code not in used
    ]
    warnings += [
        Problem(
            f"đơn vị '{u.code}' chưa có e-mail nên sẽ không được nhắc: hãy thêm email",
            f"units[{i}].email",
        )
        for i, u in enumerate(spec.units)
        if u.code in used and not u.email
    ]
    warnings += [
        Problem(
            f"đơn vị '{u.code}': địa chỉ '{address}' có chữ có dấu trước @, chỉ gửi được qua máy "
            "chủ hỗ trợ SMTPUTF8; máy chủ khác sẽ từ chối riêng người nhận này (ghi trong outbox)",
            f"units[{i}].{field}",
        )
        for i, u in enumerate(spec.units)
        for field, address in (("email", u.email), ("head_email", u.head_email))
        if address and needs_smtputf8(address)
    ]
    for i, d in enumerate(spec.deliverables):
        seen: set[str] = set()
        for j, prerequisite in enumerate(d.after):
            if prerequisite in seen:
                warnings.append(
                    Problem(
                        f"'{prerequisite}' được ghi hai lần trong after: chỉ giữ một lần",
                        f"deliverables[{i}].after[{j}]",
                    )
                )
            seen.add(prerequisite)
        written = d.due.day if d.due and d.due.form in WEEKDAY_FORMS else None
        if written is not None and written.weekday() >= 5:
            day = "thứ Bảy" if written.weekday() == 5 else "Chủ nhật"
            message = f"hạn ({written:%d/%m/%Y}) rơi vào {day}"
            warnings.append(Problem(message, f"deliverables[{i}].due"))
    return warnings
