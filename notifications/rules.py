"""The rule keys of the escalation ladder: stable English keys, Vietnamese labels."""

from __future__ import annotations

from enum import StrEnum


class Rule(StrEnum):
    """A step of the escalation ladder: stable English keys, Vietnamese labels."""

    REMINDER = "reminder"
    FINAL_REMINDER = "final_reminder"
    OVERDUE = "overdue"
    OVERDUE_REPEAT = "overdue_repeat"
    ESCALATION = "escalation"
    AT_RISK = "at_risk"
    RECEIPT = "receipt"
    RETURNED = "returned"  # a review sent the unit's arrival back, with the reason
    # The answer to a unit's request for more time (xin gia hạn): granted, with the new
    # deadline, or refused, with the reason. Sent when a coordinator answers, not by a run.
    EXTENSION_GRANTED = "extension_granted"
    EXTENSION_REFUSED = "extension_refused"

    @property
    def label(self) -> str:
        return RULE_LABELS[self]


RULE_LABELS: dict[Rule, str] = {
    Rule.REMINDER: "Nhắc việc",
    Rule.FINAL_REMINDER: "Nhắc lần cuối",
    Rule.OVERDUE: "Thông báo quá hạn",
    Rule.OVERDUE_REPEAT: "Nhắc lại quá hạn",
    Rule.ESCALATION: "Báo cáo lãnh đạo",
    Rule.AT_RISK: "Cảnh báo nguy cơ",
    Rule.RECEIPT: "Xác nhận đã nhận",
    Rule.RETURNED: "Trả lại, yêu cầu bổ sung",
    Rule.EXTENSION_GRANTED: "Đồng ý gia hạn",
    Rule.EXTENSION_REFUSED: "Không đồng ý gia hạn",
}
