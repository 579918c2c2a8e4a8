"""Acknowledgement (đã nhận nhiệm vụ): a unit says it has seen its task.

One more append-only row of the submissions history (kind `acknowledged`; `received_at` is
when the unit said so; `data` says who recorded it), checked by `recording.decide` like every
other row. It changes no status (an acknowledged assignment is still owed, reminded and
late like any other) and no deadline: it tells the Office and the board who has not even
taken the task in. Recorded once: the second is reported, not added. Refused once the
assignment is delivered or excused: there is nothing left to take in, and the arrival says
the task was seen. After a return (bị trả lại) it may still be given."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from models.errors import InvalidInputError, shown


class AcknowledgementSource(StrEnum):
    """Who recorded an acknowledgement (its row's `data["source"]`)."""

    # The unit itself, with the button "Đã nhận nhiệm vụ" of its personal page (/n/<token>)
    WEB = "web"
    # A coordinator told by telephone or in person (`dondoc acknowledge`)
    COORDINATOR = "coordinator"

    @property
    def words(self) -> str:
        """How the trail says it (`dondoc log`)."""
        return SOURCE_WORDS[self]


SOURCE_WORDS = {
    AcknowledgementSource.WEB: "đơn vị tự báo trên trang của mình",
    AcknowledgementSource.COORDINATOR: "điều phối viên ghi lại (điện thoại, gặp trực tiếp)",
}


def acknowledgement_data(data: Mapping[str, object]) -> dict[str, str]:
    """What an acknowledgement row stores: `{"source": …}`, a coordinator's record when none is
    given (the CLI's); an InvalidInputError for any other key or source."""
    others = sorted(set(data) - {"source"})
    if others:
        raise InvalidInputError(
            f"báo đã nhận nhiệm vụ không kèm số liệu ({', '.join(others)}): số liệu đi kèm lần "
            "nộp (--set)"
        )
    source = str(data.get("source", AcknowledgementSource.COORDINATOR.value))
    try:
        return {"source": AcknowledgementSource(source).value}
    except ValueError:
        known = ", ".join(s.value for s in AcknowledgementSource)
        raise InvalidInputError(f"nguồn báo nhận '{shown(source)}' không có: chỉ {known}") from None


def acknowledgement_text(data: Mapping[str, object]) -> str:
    """Who recorded a stored acknowledgement, in words ("" for a source dondoc does not know:
    a row edited by hand)."""
    try:
        return AcknowledgementSource(str(data.get("source", ""))).words
    except ValueError:
        return ""
