"""The draft plan as YAML text: ruamel round-trip nodes, `# TODO confirm` wherever it guessed."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import datetime

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from models.importer.model import DraftDeliverable, DraftDue, DraftPlan, DraftUnit
from models.importer.period_phrases import period_value
from models.importer.problems import Note, NoteKind

TODO = "TODO confirm"
_HEADER = """\
Bản nháp do `dondoc plan import` soạn từ {source}.
Kiểm tra mọi dòng "{todo}" (đoán, mơ hồ, không xếp được), sửa cho đúng rồi xoá ghi chú,
thêm e-mail các đơn vị, rồi chạy `dondoc plan check` trước khi `dondoc plan load`.
Tiêu đề (title) và mã (code) của nhiệm vụ là đề xuất; `quote` là câu gốc trong văn bản."""


def render(plan: DraftPlan, source: str) -> str:
    """The YAML text of `plan`; comments carry every note, so nothing guessed looks certain."""
    notes = _by_place(plan.notes)
    root = CommentedMap()
    header = _HEADER.format(source=source, todo=TODO)
    unplaced = [n for n in plan.notes if n.target == "plan" and not n.field]
    if unplaced:
        header += "\nKhông xếp được:\n" + "\n".join(f"- {_line(n)}" for n in unplaced)
    root.yaml_set_start_comment(header)
    root["code"] = plan.code
    root["title"] = DoubleQuotedScalarString(plan.title)
    root["source"] = DoubleQuotedScalarString(plan.source)
    root["timezone"] = "Asia/Ho_Chi_Minh"
    root["warning_days"] = 3
    if plan.coordinator:
        root["coordinator"] = plan.coordinator
    root["leaders"] = _flow_seq(plan.leaders)
    root["units"] = _units(plan.units, notes)
    if plan.groups:
        root["groups"] = _groups(plan.groups, notes)
    titles = {code: plan.group_titles[code] for code in plan.groups if code in plan.group_titles}
    if titles:
        root["group_titles"] = {code: DoubleQuotedScalarString(t) for code, t in titles.items()}
    root["deliverables"] = _deliverables(plan.deliverables, notes)
    for (target, field), found in notes.items():
        if target == "plan" and field in root:
            root.yaml_add_eol_comment(_todo(found), field)
    return _dump(root)


def _by_place(notes: tuple[Note, ...]) -> dict[tuple[str, str], list[Note]]:
    places: dict[tuple[str, str], list[Note]] = defaultdict(list)
    for note in notes:
        places[(note.target, note.field)].append(note)
    return places


def _line(note: Note) -> str:
    where = f" (dòng {note.line})" if note.line else ""
    return f"{note.message}{where}"


def _todo(notes: list[Note]) -> str:
    """One comment for all notes on one place, labelled by the most serious of them."""
    kinds = {n.kind for n in notes}
    label = TODO
    if NoteKind.UNPLACED in kinds:
        label = f"{TODO} (không xếp được)"
    elif NoteKind.AMBIGUOUS in kinds:
        label = f"{TODO} (mơ hồ)"
    return f"{label}: " + "; ".join(n.message for n in notes)


def _flow_seq(values: tuple[str, ...] | list[str]) -> CommentedSeq:
    seq = CommentedSeq(values)
    seq.fa.set_flow_style()
    return seq


def _flow_map(pairs: dict[str, object]) -> CommentedMap:
    node = CommentedMap(pairs)
    node.fa.set_flow_style()
    return node


def _units(units: tuple[DraftUnit, ...], notes: dict[tuple[str, str], list[Note]]) -> CommentedSeq:
    seq = CommentedSeq()
    for i, unit in enumerate(units):
        fields: dict[str, object] = {"code": unit.code, "name": DoubleQuotedScalarString(unit.name)}
        fields.update(
            {k: v for k, v in (("email", unit.email), ("head_email", unit.head_email)) if v}
        )
        seq.append(_flow_map(fields))
        found = notes.get((f"units.{unit.code}", ""))
        if found:
            seq.yaml_add_eol_comment(_todo(found), i)
    return seq


def _groups(
    groups: dict[str, tuple[str, ...]], notes: dict[tuple[str, str], list[Note]]
) -> CommentedMap:
    node = CommentedMap()
    for code, members in groups.items():
        node[code] = _flow_seq(list(members))
        found = notes.get((f"groups.{code}", ""))
        if found:
            node.yaml_add_eol_comment(_todo(found), code)
    return node


def _deliverables(
    deliverables: tuple[DraftDeliverable, ...], notes: dict[tuple[str, str], list[Note]]
) -> CommentedSeq:
    doubted_owners = {t.split(".", 1)[1] for t, f in notes if t.startswith(("units.", "groups."))}
    seq = CommentedSeq()
    for deliverable in deliverables:
        node = _deliverable(deliverable)
        for (target, field), found in notes.items():
            if target != deliverable.code:
                continue
            node.yaml_add_eol_comment(_todo(found), field if field in node else "code")
        owner = deliverable.owner.removeprefix("group:")
        if owner in doubted_owners and (deliverable.code, "owner") not in notes:
            node.yaml_add_eol_comment(f"{TODO}: xem ghi chú của đơn vị {owner}", "owner")
        seq.append(node)
    return seq


def _deliverable(deliverable: DraftDeliverable) -> CommentedMap:
    node = CommentedMap()
    node["code"] = deliverable.code
    node["title"] = DoubleQuotedScalarString(deliverable.title)
    node["owner"] = deliverable.owner
    if deliverable.to:
        node["to"] = deliverable.to
    if deliverable.due:
        node["due"] = _flow_map(_due(deliverable.due))
    if deliverable.after:
        node["after"] = _flow_seq(list(deliverable.after))
    node["quote"] = DoubleQuotedScalarString(deliverable.quote)
    return node


def _due(due: DraftDue) -> dict[str, object]:
    """The `due` mapping: a day, a period (`{quarter: 2025-Q2}`) or a count."""
    if due.count is not None:
        return due.count.mapping()
    assert due.when is not None
    if due.period is not None:
        return {due.period.value: period_value(due.period, due.when)}
    kind = str(due.kind.value)
    # Quoted: a YAML 1.1 tool would read a bare `on` as true (docs/plan-format.md).
    key = DoubleQuotedScalarString(kind) if kind == "on" else kind
    when = due.when
    return {key: when.strftime("%Y-%m-%dT%H:%M") if isinstance(when, datetime) else when}


def _dump(root: CommentedMap) -> str:
    yaml = YAML(typ="rt", pure=True)
    yaml.width = 4096  # a quote stays on one line, as in the seed plan
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    stream = io.StringIO()
    yaml.dump(root, stream)
    return stream.getvalue()
