"""The leaders' board of a tracking run: its files, and the link to it as a Prefect artifact."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from prefect import task
from prefect.artifacts import create_link_artifact
from prefect.cache_policies import NO_CACHE

from flows import artifacts, runtime
from models.evaluate import AssignmentStatus
from models.moments import local_text
from models.plan import Plan
from notifications.board import board_view
from notifications.board_files import write_board_files


@task(name="publish-board", cache_policy=NO_CACHE)
def publish_board(plan: Plan, statuses: list[AssignmentStatus], as_of: datetime) -> Path:
    """The leaders' board of this run, as files in DONDOC_BOARD_DIR/<plan>, and a link to it."""
    view = board_view(plan, statuses, as_of)
    html, _ = write_board_files(view, runtime.current().settings.board.dir / plan.code)
    create_link_artifact(
        key=artifacts.artifact_key(plan.code, "board"),
        link=html.resolve().as_uri(),
        link_text=f"Bảng theo dõi tại {local_text(as_of, plan.tz)}",
        description="Bảng theo dõi cho lãnh đạo (HTML; board.xlsx cùng thư mục).",
    )
    return html
