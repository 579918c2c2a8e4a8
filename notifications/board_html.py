"""The leaders' board as one self-contained HTML page (inline CSS, no external assets)."""

from __future__ import annotations

from dataclasses import dataclass

from models.fields import format_number
from models.statuses import DISPLAY_ORDER
from notifications.board import LOOKS, NOT_ACKNOWLEDGED, BoardView
from notifications.board_pages import MatrixPart
from notifications.render import environment, shorten

TEMPLATE = "board.html.j2"
WAITS_SHOWN = 6  # late units named per at-risk group; the rest are counted
UNITS_SHOWN = 4  # units named per at-risk group; more are counted ("13 đơn vị")


@dataclass(frozen=True)
class Live:
    """What the served page adds to the file one (`dondoc web`): a moment form and links."""

    board_url: str  # this board, always current
    json_url: str  # the status document at the same moment
    xlsx_url: str  # the workbook at the same moment
    index_url: str  # every loaded plan
    as_of: str = ""  # the moment shown when looking back (dd/mm/yyyy HH:MM); empty: now
    refresh_seconds: int | None = None  # reload the page by itself (only when showing now)
    as_of_note: str = ""  # how a look-back's moment was chosen ("làm tròn xuống …")
    part_url: str = ""  # this board at the same moment, to which a part number is appended


def render_board_html(
    view: BoardView, live: Live | None = None, matrix: MatrixPart | None = None
) -> str:
    """The page: autoescaped (plan text is data, never markup), any missing variable an error.

    With `live`, the served page; without, the file, exactly as it always was. With `matrix`,
    the view's matrix is that part of a large one: the page says so, sums up every group and
    links the other parts."""
    looks = [(status, LOOKS[status]) for status in DISPLAY_ORDER]
    return (
        environment()
        .get_template(TEMPLATE)
        .render(
            header=view.header,
            late=view.late,
            at_risk=view.at_risk,
            risk_groups=view.risk_groups,
            figures=view.figures,
            units_shown=UNITS_SHOWN,
            sections=view.sections,
            summary=view.summary,
            looks=looks,
            looks_by=LOOKS,
            shorten=shorten,
            waits_shown=WAITS_SHOWN,
            live=live,
            matrix=matrix,
            number=format_number,
            not_acknowledged=NOT_ACKNOWLEDGED,
        )
    )
