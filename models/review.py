"""Review (duyệt): a coordinator accepts an arrival or returns it for revision.

A decision is one more row of the submissions history (kind `accepted` or `returned`):
`received_at` is when it was decided, `undoes` names the receipt decided on, `note` the reason
(required for a return: "trả lại, yêu cầu bổ sung …"). A returned receipt no longer counts:
the assignment is open again (Bị trả lại), with the deadline in force unchanged unless an
extension moves it, and the unit's next arrival is reviewed again. A plan says when an arrival
counts as done (`review:` in the plan file): on arrival (the default, as before review
existed), or only once accepted; either way "on time" is judged by the arrival time of the
receipt that counts against the deadline in force when it arrived.
"""

from __future__ import annotations

from enum import StrEnum


class ReviewPolicy(StrEnum):
    """When an arrival counts as done."""

    ON_ARRIVAL = "on_arrival"  # when it arrives; a return reopens it
    ON_ACCEPTANCE = "on_acceptance"  # only once accepted; until then "Chờ duyệt"


DEFAULT_POLICY = ReviewPolicy.ON_ARRIVAL

# What a decision is called in a sentence and in the trail.
DECISION_WORDS = {"accepted": "chấp nhận", "returned": "trả lại"}
