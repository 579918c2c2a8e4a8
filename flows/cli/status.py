"""`dondoc status`: every assignment's status at a moment, as a table or the JSON document."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from flows.cli._app import AsJson, PlanCode, app, cli_errors, moment_or_now, out

AsOf = Annotated[
    str | None,
    typer.Option("--as-of", help="Xem tình hình tại thời điểm này; mặc định: bây giờ."),
]


@app.command()
@cli_errors
def status(
    plan: PlanCode,
    as_of: AsOf = None,
    as_json: AsJson = False,
    late_only: Annotated[
        bool, typer.Option("--late-only", help="Chỉ các phân công quá hạn hoặc nộp trễ.")
    ] = False,
) -> None:
    """Tình hình của mọi phân công tại một thời điểm: ai đúng hạn, ai chậm."""
    from flows import runtime
    from flows.cli import render
    from models.evaluate import evaluate
    from models.status_document import status_document
    from models.statuses import Status
    from models.storage.store import read_snapshot

    with runtime.session() as session:
        snapshot = read_snapshot(session, plan)
    the_plan = snapshot.plan
    moment = moment_or_now(as_of, the_plan.tz)
    statuses = evaluate(the_plan, snapshot.submissions, moment)
    if late_only:
        late = [s for s in statuses if s.is_overdue or s.status is Status.DONE_LATE]
        statuses = sorted(late, key=lambda s: -(s.days_late or 0))
    if as_json:
        document = status_document(the_plan, statuses, moment)
        # Indented for a person at a terminal; compact (and 5× faster) when piped to a program.
        indent = 2 if out.is_terminal else None
        typer.echo(json.dumps(document, ensure_ascii=False, indent=indent))
        return
    out.print(render.status_table(the_plan, statuses, moment))
    out.print(render.summary_line(statuses))
