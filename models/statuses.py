"""Assignment statuses: stable English keys, Vietnamese labels, and their order of importance."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """What an assignment is at a given `as_of` (see ARCHITECTURE.md)."""

    NOT_DUE = "not_due"
    DUE_SOON = "due_soon"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    OPEN = "open"
    WAIVED = "waived"
    # Sent back for revision (trả lại, yêu cầu bổ sung): open again, not done; past the
    # deadline in force it is also late (AssignmentStatus.is_overdue).
    RETURNED = "returned"
    # Arrived under a plan that reviews on acceptance, not yet accepted nor returned: the unit
    # has done its part (no reminders), the coordinator has not (not done yet).
    IN_REVIEW = "in_review"

    @property
    def label(self) -> str:
        """The Vietnamese label a person reads."""
        return LABELS[self]

    @property
    def is_done(self) -> bool:
        return self in (Status.DONE_ON_TIME, Status.DONE_LATE)

    @property
    def is_settled(self) -> bool:
        """Nothing more is owed: delivered (on time or late) or excused."""
        return self.is_done or self is Status.WAIVED

    @property
    def awaits_unit(self) -> bool:
        """The unit still owes something (reminders and notices are for these): neither
        settled nor waiting for the coordinator's review."""
        return not self.is_settled and self is not Status.IN_REVIEW


LABELS: dict[Status, str] = {
    Status.NOT_DUE: "Chưa đến hạn",
    Status.DUE_SOON: "Sắp đến hạn",
    Status.AT_RISK: "Có nguy cơ chậm",
    Status.OVERDUE: "Quá hạn",
    Status.DONE_ON_TIME: "Hoàn thành đúng hạn",
    Status.DONE_LATE: "Hoàn thành quá hạn",
    Status.OPEN: "Không có hạn",
    Status.WAIVED: "Miễn",
    Status.RETURNED: "Bị trả lại",
    Status.IN_REVIEW: "Chờ duyệt",
}

# Most urgent first: the order tables and summaries use.
DISPLAY_ORDER: tuple[Status, ...] = (
    Status.OVERDUE,
    Status.RETURNED,
    Status.AT_RISK,
    Status.DUE_SOON,
    Status.NOT_DUE,
    Status.OPEN,
    Status.IN_REVIEW,
    Status.DONE_LATE,
    Status.DONE_ON_TIME,
    Status.WAIVED,
)
