"""The leaders' board as one self-contained HTML page (inline CSS, no external assets)."""

from __future__ import annotations

from models.statuses import DISPLAY_ORDER
from notifications.board import LOOKS, BoardView
from notifications.render import environment, shorten

TEMPLATE = "board.html.j2"
WAITS_SHOWN = 6  # late units named per at-risk group; the rest are counted
UNITS_SHOWN = 4  # units named per at-risk group; more are counted ("13 đơn vị")


def render_board_html(view: BoardView) -> str:
    """The page: autoescaped (plan text is data, never markup), any missing variable an error."""
    looks = [(status, LOOKS[status]) for status in DISPLAY_ORDER]
    return (
        environment()
        .get_template(TEMPLATE)
        .render(
            header=view.header,
            late=view.late,
            at_risk=view.at_risk,
            risk_groups=view.risk_groups,
            units_shown=UNITS_SHOWN,
            sections=view.sections,
            summary=view.summary,
            looks=looks,
            looks_by=LOOKS,
            shorten=shorten,
            waits_shown=WAITS_SHOWN,
        )
    )
