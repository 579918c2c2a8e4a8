"""A reload that would change a field under figures already stored (`text` to `int`, a new
maximum): which stored figures the new plan could no longer read.

Submissions are append-only, so a stored figure is never rewritten; it is read through the
plan's fields every time (models.fields.usable_values). A field whose type changes in a way the
stored values still fit ("12" as text, read as an int) needs nothing; one they no longer fit
would silently drop figures from the board's totals, so the reload is refused with the rows
named, unless `--force` (then the figures show as unusable, and the report lists them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from models.errors import InputError, listing, shown
from models.fields import DataField, usable_values
from models.plan import Plan, data_fields
from models.spec import STORED, FieldSpec
from models.storage.tables import DeliverableRow, SubmissionRow
from models.submissions import SubmissionKind

MAX_LISTED = 10


@dataclass(frozen=True)
class UnreadableFigure:
    """One stored figure the new plan's field cannot read, though the stored plan's could."""

    submission: int
    deliverable: str
    unit: str
    field: str
    value: object

    def describe(self) -> str:
        return f"#{self.submission} {self.deliverable}/{self.unit} {self.field} = {_value(self)}"


def _value(figure: UnreadableFigure) -> str:
    return shown(repr(figure.value))


class FigureConflictError(InputError):
    """Reloading would leave stored figures that the new fields cannot read."""

    def __init__(self, plan: str, figures: Sequence[UnreadableFigure]):
        self.plan = plan
        self.figures = tuple(figures)
        listed = listing([f.describe() for f in self.figures], MAX_LISTED, "số liệu", "; ")
        super().__init__(
            f"kế hoạch '{plan}': bản mới đổi số liệu mà {len(self.figures)} ghi nhận đã lưu "
            f"không còn đọc được theo nó: {listed}. Sửa lại khai báo số liệu (fields:) cho hợp "
            "với số liệu đã nhận, hoặc dùng --force để vẫn nạp (các số liệu đó được giữ nguyên "
            "nhưng hiện là không dùng được và không cộng vào tổng)."
        )


def figures_made_unreadable(
    session: Session, plan_id: int, plan: Plan
) -> tuple[UnreadableFigure, ...]:
    """Stored figures readable by the stored plan's fields and not by `plan`'s. Reads the
    submissions only of deliverables whose fields changed (usually none: one SELECT)."""
    stored = session.exec(select(DeliverableRow).where(DeliverableRow.plan_id == plan_id)).all()
    before = {row.code: _fields_of(row) for row in stored}
    changed = {
        code: (before[code], deliverable.fields)
        for code, deliverable in plan.deliverables.items()
        if code in before and before[code] != deliverable.fields
    }
    if not changed:
        return ()
    rows = session.exec(
        select(SubmissionRow)
        .where(SubmissionRow.plan_id == plan_id)
        .where(col(SubmissionRow.deliverable_code).in_(list(changed)))
        .where(SubmissionRow.kind == SubmissionKind.RECEIVED.value)
        .order_by(col(SubmissionRow.id))
    ).all()
    found: list[UnreadableFigure] = []
    for row in rows:
        if not row.data or row.id is None:
            continue
        old, new = changed[row.deliverable_code]
        was_unusable = set(usable_values(old, row.data)[1])
        for name in usable_values(new, row.data)[1]:
            if name not in was_unusable:
                figure = UnreadableFigure(
                    row.id, row.deliverable_code, row.unit_code, name, row.data[name]
                )
                found.append(figure)
    return tuple(found)


def _fields_of(row: DeliverableRow) -> Mapping[str, DataField]:
    """The fields the stored plan declared for this deliverable."""
    return data_fields(
        {
            name: FieldSpec.model_validate(value, context=STORED)
            for name, value in (row.fields or {}).items()
        }
    )
