"""Deployments of dondoc's flows, for `dondoc serve` (prefect.yaml declares the same ones)."""

from __future__ import annotations

from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

TRACK_CRON = "30 7,13 * * 1-5"  # every working day at 07:30 and 13:30
TIMEZONE = "Asia/Ho_Chi_Minh"


def deployments(plan: str) -> list[RunnerDeployment]:
    """`track-plan` on its schedule for `plan`, and `record-submission` on demand."""
    from flows.record import record_submission
    from flows.track import track_plan

    return [
        track_plan.to_deployment(
            name="track-plan",
            schedules=[Cron(TRACK_CRON, timezone=TIMEZONE)],
            parameters={"plan": plan},
            description=f"Theo dõi tiến độ kế hoạch {plan} (07:30 và 13:30 các ngày làm việc).",
            tags=["dondoc", plan],
        ),
        record_submission.to_deployment(
            name="record-submission",
            parameters={"plan": plan},
            description="Ghi nhận một đơn vị đã nộp (như `dondoc receive`).",
            tags=["dondoc", plan],
        ),
    ]
