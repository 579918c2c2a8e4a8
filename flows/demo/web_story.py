"""What happens through `dondoc web` in the demo: districts answer the reminder from the link in
its e-mail, one is sent back and sends again, one asks for more time and gets it.

The story keeps the demo's record (plans/gap-mat-2023.arrivals.csv): a district report sent
through the web here is that file's row, at its time with its figures, sent by the unit instead
of typed by a coordinator (`typed_only` leaves those rows out). What the file cannot say is
added: the acknowledgements, Hương Sơn's first report returned for a missing list, Hương Khê's
request for two more days granted the next morning (so its report of 10/03 16:00, two days
after the plan's date, is on time under the extension and counted apart on the board)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from models.files.arrivals_csv import Arrival

REPORT = "bc-huyen"  # the districts' report: "trước ngày 09/3/2023", with the seat count


class Act(StrEnum):
    """Who does what on the web: a unit on its page, or a coordinator in the console."""

    ACKNOWLEDGE = "acknowledge"  # unit: "Đã nhận nhiệm vụ"
    SUBMIT = "submit"  # unit: "Nộp kết quả", a PDF and the figures
    ASK = "ask"  # unit: "Xin gia hạn"
    RETURN = "return"  # coordinator: "Trả lại"
    ACCEPT = "accept"  # coordinator: "Chấp nhận"
    GRANT = "grant"  # coordinator: "Đồng ý gia hạn"

    @property
    def by_unit(self) -> bool:
        return self in (Act.ACKNOWLEDGE, Act.SUBMIT, Act.ASK)


@dataclass(frozen=True)
class WebStep:
    """One thing done on the web at `at` (plan-local wall time of the replay), on the
    assignment (deliverable, unit). `text` is the note of a submission, the reason of a
    request, return or grant; `until` the day asked or granted (dd/mm/yyyy)."""

    at: tuple[int, int, int, int]  # (month, day, hour, minute) of 2023
    act: Act
    unit: str
    deliverable: str = REPORT
    text: str = ""
    until: str = ""
    figures: dict[str, str] = field(default_factory=dict)
    sender: str = ""

    def moment(self, tz: ZoneInfo) -> datetime:
        month, day, hour, minute = self.at
        return datetime(2023, month, day, hour, minute, tzinfo=tz)


def _sends(
    at: tuple[int, int, int, int], unit: str, seats: int, sender: str, note: str = ""
) -> WebStep:
    """A district's report through its page, with the seat count it collects."""
    figures = {"so_dai_bieu": str(seats)}
    return WebStep(at, Act.SUBMIT, unit, text=note, figures=figures, sender=sender)


STORY: tuple[WebStep, ...] = (
    WebStep((3, 6, 8, 15), Act.ACKNOWLEDGE, "tx-hong-linh"),
    WebStep((3, 6, 9, 0), Act.ACKNOWLEDGE, "huong-son"),
    WebStep((3, 6, 9, 40), Act.ACKNOWLEDGE, "nghi-xuan"),
    WebStep((3, 6, 10, 30), Act.ACKNOWLEDGE, "huong-khe"),
    WebStep((3, 6, 14, 0), Act.ACKNOWLEDGE, "duc-tho"),
    _sends((3, 7, 9, 0), "tx-hong-linh", 12, "Lê Thị Mai, Chánh Văn phòng Thị ủy"),
    WebStep(
        (3, 7, 11, 0),
        Act.ASK,
        "huong-khe",
        text="Các xã vùng sâu chưa gửi đủ danh sách đại biểu; đơn vị cần thêm hai ngày để tổng hợp",
        until="10/03/2023",
    ),
    _sends((3, 7, 16, 0), "nghi-xuan", 18, "Phạm Văn Hùng, Phó Chánh Văn phòng Huyện ủy"),
    WebStep(
        (3, 8, 8, 0),
        Act.GRANT,
        "huong-khe",
        text="Đồng ý để Hương Khê tổng hợp đủ danh sách các xã",
        until="10/03/2023",
    ),
    _sends((3, 8, 8, 30), "duc-tho", 20, "Trần Văn Đức, Chánh Văn phòng Huyện ủy"),
    _sends((3, 8, 9, 0), "huong-son", 24, "Nguyễn Thị Lan, chuyên viên Văn phòng Huyện ủy"),
    WebStep(
        (3, 8, 10, 30),
        Act.RETURN,
        "huong-son",
        text="Thiếu danh sách đại biểu theo thành phần, đề nghị bổ sung",
    ),
    _sends(
        (3, 8, 15, 30),
        "huong-son",
        24,
        "Nguyễn Thị Lan, chuyên viên Văn phòng Huyện ủy",
        "Đã bổ sung danh sách đại biểu theo thành phần",
    ),
    WebStep((3, 9, 8, 0), Act.ACCEPT, "tx-hong-linh"),
    WebStep((3, 9, 8, 5), Act.ACCEPT, "nghi-xuan"),
    WebStep((3, 9, 8, 10), Act.ACCEPT, "duc-tho"),
    WebStep((3, 9, 8, 15), Act.ACCEPT, "huong-son"),
    _sends(
        (3, 10, 16, 0),
        "huong-khe",
        19,
        "Hồ Sỹ Tâm, Chánh Văn phòng Huyện ủy",
        "Báo cáo kèm danh sách đại biểu đủ các xã",
    ),
)


def sent_through_web(story: Iterable[WebStep]) -> set[tuple[str, str]]:
    """The assignments whose report the story sends through the web."""
    return {(step.deliverable, step.unit) for step in story if step.act is Act.SUBMIT}


def typed_only(arrivals: Iterable[Arrival], story: Iterable[WebStep]) -> list[Arrival]:
    """The record's arrivals a coordinator still types: all but those the units send."""
    web = sent_through_web(story)
    return [a for a in arrivals if (a.deliverable, a.unit) not in web]
