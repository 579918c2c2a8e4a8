"""The record forms as the stored plan fills them in: lists to choose the deliverable and the
unit from, and the names of the figures each deliverable collects.

A flow's own parameter schema knows no plan; `dondoc serve --plan X` gives the deployments of
the record flows these lists (flows/serving.py), and refreshes them when the plan is reloaded.
Prefect's Run form shows a string parameter with an `enum` as a searchable list (V1:
PCombobox; V2: a "Select" button with a "Search..." box), and the API validates a run's
parameters against the same schema (`enforce_parameter_schema`), so only an entry of the list
reaches the flow from the form. An entry reads `huong-khe — Huyện ủy Hương Khê`; the flows take
its code (`code_of`), and a bare code from the CLI or Python is its own code."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from prefect.utilities.callables import ParameterSchema

from models.fields import DataField, FieldType
from models.plan import Deliverable, Plan

ENTRY_SEPARATOR = " — "
# A deliverable's title is cut (at a word) in its entry: the list stays one line per entry.
MAX_TITLE_CHARACTERS = 80
FIELD_KINDS = {
    FieldType.INT: "số nguyên",
    FieldType.NUMBER: "số",
    FieldType.TEXT: "chữ",
    FieldType.DATE: "ngày dd/mm/yyyy",
    FieldType.BOOL: "có/không",
}


def code_of(choice: str) -> str:
    """`huong-khe — Huyện ủy Hương Khê` (an entry of a list) → `huong-khe`; a code as it is.

    Codes have no spaces (spec.CODE_PATTERN), so the first separator ends the code."""
    return choice.split(ENTRY_SEPARATOR, 1)[0].strip()


def short_title(title: str, limit: int = MAX_TITLE_CHARACTERS) -> str:
    """The title, or its first words up to `limit` characters and "…"."""
    if len(title) <= limit:
        return title
    cut = title[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return f"{cut}…"


def deliverable_entry(deliverable: Deliverable) -> str:
    return f"{deliverable.code}{ENTRY_SEPARATOR}{short_title(deliverable.title)}"


def unit_entry(plan: Plan, code: str) -> str:
    return f"{code}{ENTRY_SEPARATOR}{plan.unit_name(code)}"


def deliverable_entries(plan: Plan) -> list[str]:
    """Every deliverable, prerequisites first (the plan's order)."""
    return [deliverable_entry(d) for d in plan.deliverables.values()]


def unit_entries(plan: Plan, codes: Iterable[str] | None = None) -> list[str]:
    """The units given (default: every unit that owes something), in the plan's unit order."""
    wanted = set(codes) if codes is not None else assigned_units(plan)
    return [unit_entry(plan, code) for code in plan.units if code in wanted]


def assigned_units(plan: Plan) -> set[str]:
    """The units that owe at least one deliverable (a recipient only owes nothing)."""
    return {unit for d in plan.deliverables.values() for unit in d.owners}


def field_help(field: DataField) -> str:
    """`so_dai_bieu (Số đại biểu dự gặp mặt; số nguyên, bắt buộc)`."""
    what = FIELD_KINDS[field.type]
    if field.minimum is not None or field.maximum is not None:
        low = "" if field.minimum is None else f"{field.minimum:g}"
        high = "" if field.maximum is None else f"{field.maximum:g}"
        what += f" {low}…{high}"
    if field.required:
        what += ", bắt buộc"
    return f"{field.name} ({field.label}; {what})"


def figures_help(plan: Plan) -> str:
    """The form's help for the figures: the shape, then each deliverable's field names."""
    collected = [
        f"{d.code}: " + ", ".join(field_help(f) for f in d.fields.values())
        for d in plan.deliverables.values()
        if d.fields
    ]
    listed = "; ".join(collected) if collected else "không nhiệm vụ nào của kế hoạch thu số liệu"
    return (
        "Viết tên=giá trị, nhiều số liệu cách nhau bằng dấu ; (ví dụ so_dai_bieu=12). "
        f"Số liệu theo nhiệm vụ — {listed}. Chỉ đi kèm ghi nhận đã nộp; để trống nếu không có."
    )


def chosen_from(schema: ParameterSchema, name: str, entries: list[str], help_text: str) -> None:
    """Parameter `name` becomes a list of `entries` (a string property with an `enum`)."""
    shown = schema.properties[name]
    shown.pop("anyOf", None)
    shown.update(type="string", enum=entries, description=help_text)


def record_form(schema: ParameterSchema, plan: Plan) -> ParameterSchema:
    """record-submission's form for `plan`: the plan fixed, the deliverable and the unit chosen
    from lists, the figures' names in their help."""
    tailored = schema.model_copy(deep=True)
    chosen_from(tailored, "plan", [plan.code], f"{plan.title} ({plan.code}).")
    chosen_from(
        tailored,
        "deliverable",
        deliverable_entries(plan),
        "Chọn trong danh sách (mã — tên nhiệm vụ); gõ vài chữ để tìm.",
    )
    chosen_from(
        tailored,
        "unit",
        unit_entries(plan),
        "Chọn trong danh sách (mã — tên đơn vị); gõ vài chữ để tìm. Đơn vị phải là đơn vị "
        "được giao nhiệm vụ đã chọn.",
    )
    tailored.properties["data"]["description"] = figures_help(plan)
    return tailored


def step_form(schema: ParameterSchema, plan: Plan) -> ParameterSchema:
    """The first step of record-step-by-step for `plan`: the plan fixed, the deliverable from a
    list (the units are listed at the next step, only those that still owe it)."""
    tailored = schema.model_copy(deep=True)
    chosen_from(tailored, "plan", [plan.code], f"{plan.title} ({plan.code}).")
    chosen_from(
        tailored,
        "deliverable",
        deliverable_entries(plan),
        "Chọn trong danh sách (mã — tên nhiệm vụ). Bước sau liệt kê các đơn vị còn chưa nộp "
        "nhiệm vụ này.",
    )
    return tailored


Tailor = Callable[[ParameterSchema, Plan], ParameterSchema]
# By flow name: the flows whose deployments get the plan's lists.
TAILORS: dict[str, Tailor] = {
    "record-submission": record_form,
    "record-step-by-step": step_form,
}


def tailored(flow_name: str, schema: ParameterSchema, plan: Plan) -> ParameterSchema:
    """`schema` for `plan` if the flow's form lists the plan's codes, else as it is."""
    tailor = TAILORS.get(flow_name)
    return tailor(schema, plan) if tailor else schema
