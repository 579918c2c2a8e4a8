"""The seed plan replayed from 01/3 to 22/3/2023 with the demo's arrivals: who hears what, when."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine

from models.evaluate import evaluate
from models.files.arrivals_csv import read_arrivals_csv
from models.storage.engine import session_scope
from models.storage.store import read_snapshot
from models.submissions import Submission, SubmissionKind
from notifications.dispatch import deliver_due, notify
from notifications.messages import parse_key
from notifications.outbox import Outcome
from notifications.rules import Rule
from notifications.transports.file import FileTransport
from tests.paths import ROOT

pytestmark = pytest.mark.db
ARRIVALS = ROOT / "plans" / "gap-mat-2023.arrivals.csv"
PLAN = "gap-mat-2023"

# (day, rule, deliverable, unit) decided at 07:30 each day, in the order decided. Checked by
# hand against the plan: reminders 3 days and 1 day before (moved to Friday when they fall on
# a weekend), overdue notices the morning a deadline passes, a repeat two days after the
# notice (Saturday → Monday), one leaders' digest when Vũ Quang's report reaches two days
# late, at-risk notices to the Văn phòng Tỉnh ủy when the reports its synthesis waits on are
# late, receipts the first working morning after each arrival; nothing on 04-05/3, 11-12/3,
# 18-19/3 (weekends).
EXPECTED = """
02/03 receipt giay-moi vptu
03/03 receipt moi-dai-bieu tp-ha-tinh
03/03 receipt moi-dai-bieu tx-hong-linh
03/03 receipt moi-dai-bieu tx-ky-anh
06/03 receipt moi-dai-bieu nghi-xuan
06/03 receipt moi-dai-bieu duc-tho
06/03 receipt moi-dai-bieu huong-son
06/03 reminder moi-dai-bieu vu-quang
06/03 receipt moi-dai-bieu can-loc
06/03 reminder moi-dai-bieu loc-ha
06/03 reminder moi-dai-bieu thach-ha
06/03 reminder moi-dai-bieu cam-xuyen
06/03 reminder moi-dai-bieu ky-anh
06/03 reminder moi-dai-bieu huong-khe
06/03 reminder bc-huyen tp-ha-tinh
06/03 reminder bc-huyen tx-hong-linh
06/03 reminder bc-huyen tx-ky-anh
06/03 reminder bc-huyen nghi-xuan
06/03 reminder bc-huyen duc-tho
06/03 reminder bc-huyen huong-son
06/03 reminder bc-huyen vu-quang
06/03 reminder bc-huyen can-loc
06/03 reminder bc-huyen loc-ha
06/03 reminder bc-huyen thach-ha
06/03 reminder bc-huyen cam-xuyen
06/03 reminder bc-huyen ky-anh
06/03 reminder bc-huyen huong-khe
06/03 reminder bc-ban-dang ban-to-chuc
06/03 reminder bc-ban-dang ban-tuyen-giao
06/03 reminder bc-ban-dang ban-dan-van
06/03 reminder bc-ban-dang ban-noi-chinh
06/03 reminder bc-ban-dang ubkt
06/03 reminder bc-ubnd bcs-ubnd
06/03 reminder tt-video-ubnd bcs-ubnd
06/03 reminder tt-video-vptu vptu
07/03 receipt moi-dai-bieu loc-ha
07/03 receipt moi-dai-bieu thach-ha
07/03 receipt moi-dai-bieu cam-xuyen
07/03 receipt moi-dai-bieu ky-anh
07/03 receipt bc-huyen tp-ha-tinh
07/03 receipt tt-video-ubnd bcs-ubnd
08/03 final_reminder moi-dai-bieu vu-quang
08/03 receipt moi-dai-bieu huong-khe
08/03 receipt bc-huyen tx-hong-linh
08/03 receipt bc-huyen tx-ky-anh
08/03 receipt bc-huyen nghi-xuan
08/03 final_reminder bc-huyen duc-tho
08/03 final_reminder bc-huyen huong-son
08/03 final_reminder bc-huyen vu-quang
08/03 final_reminder bc-huyen can-loc
08/03 final_reminder bc-huyen loc-ha
08/03 final_reminder bc-huyen thach-ha
08/03 final_reminder bc-huyen cam-xuyen
08/03 final_reminder bc-huyen ky-anh
08/03 final_reminder bc-huyen huong-khe
08/03 receipt bc-ban-dang ban-to-chuc
08/03 receipt bc-ban-dang ban-tuyen-giao
08/03 final_reminder bc-ban-dang ban-dan-van
08/03 final_reminder bc-ban-dang ban-noi-chinh
08/03 final_reminder bc-ban-dang ubkt
08/03 final_reminder bc-ubnd bcs-ubnd
08/03 receipt tt-video-vptu vptu
09/03 overdue moi-dai-bieu vu-quang
09/03 receipt bc-huyen duc-tho
09/03 receipt bc-huyen huong-son
09/03 overdue bc-huyen vu-quang
09/03 receipt bc-huyen can-loc
09/03 receipt bc-huyen loc-ha
09/03 receipt bc-huyen thach-ha
09/03 receipt bc-huyen cam-xuyen
09/03 receipt bc-huyen ky-anh
09/03 overdue bc-huyen huong-khe
09/03 receipt bc-ban-dang ban-dan-van
09/03 overdue bc-ban-dang ban-noi-chinh
09/03 receipt bc-ban-dang ubkt
09/03 receipt bc-ubnd bcs-ubnd
09/03 at_risk tong-hop vptu
09/03 at_risk gap-mat vptu
10/03 receipt y-kien-phat-bieu tp-ha-tinh
10/03 receipt y-kien-phat-bieu tx-hong-linh
10/03 reminder y-kien-phat-bieu tx-ky-anh
10/03 reminder y-kien-phat-bieu nghi-xuan
10/03 reminder y-kien-phat-bieu duc-tho
10/03 reminder y-kien-phat-bieu huong-son
10/03 reminder y-kien-phat-bieu vu-quang
10/03 reminder y-kien-phat-bieu can-loc
10/03 reminder y-kien-phat-bieu loc-ha
10/03 reminder y-kien-phat-bieu thach-ha
10/03 reminder y-kien-phat-bieu cam-xuyen
10/03 reminder y-kien-phat-bieu ky-anh
10/03 reminder y-kien-phat-bieu huong-khe
10/03 reminder tong-hop vptu
10/03 reminder video dai-ptth
13/03 receipt moi-dai-bieu vu-quang
13/03 overdue_repeat bc-huyen vu-quang
13/03 receipt bc-huyen huong-khe
13/03 receipt y-kien-phat-bieu tx-ky-anh
13/03 receipt y-kien-phat-bieu nghi-xuan
13/03 receipt y-kien-phat-bieu duc-tho
13/03 receipt bc-ban-dang ban-noi-chinh
13/03 escalation digest
14/03 receipt bc-huyen vu-quang
14/03 receipt y-kien-phat-bieu huong-son
14/03 final_reminder y-kien-phat-bieu vu-quang
14/03 receipt y-kien-phat-bieu can-loc
14/03 receipt y-kien-phat-bieu loc-ha
14/03 receipt y-kien-phat-bieu thach-ha
14/03 receipt y-kien-phat-bieu cam-xuyen
14/03 receipt y-kien-phat-bieu ky-anh
14/03 receipt y-kien-phat-bieu huong-khe
14/03 final_reminder tong-hop vptu
14/03 final_reminder video dai-ptth
15/03 receipt y-kien-phat-bieu vu-quang
15/03 receipt tong-hop vptu
15/03 overdue video dai-ptth
15/03 at_risk tham-dinh-video vptu
16/03 receipt xe-dua-don tp-ha-tinh
16/03 receipt xe-dua-don tx-hong-linh
16/03 receipt video dai-ptth
17/03 receipt xe-dua-don tx-ky-anh
17/03 receipt xe-dua-don nghi-xuan
17/03 receipt xe-dua-don duc-tho
17/03 reminder xe-dua-don huong-son
17/03 reminder xe-dua-don vu-quang
17/03 reminder xe-dua-don can-loc
17/03 reminder xe-dua-don loc-ha
17/03 reminder xe-dua-don thach-ha
17/03 reminder xe-dua-don cam-xuyen
17/03 reminder xe-dua-don ky-anh
17/03 reminder xe-dua-don huong-khe
17/03 reminder tham-dinh-video vptu
17/03 reminder hau-can-ubnd vp-ubnd
17/03 receipt kinh-phi ubnd
17/03 reminder hau-can-vptu vptu
20/03 receipt xe-dua-don huong-son
20/03 receipt xe-dua-don can-loc
20/03 receipt xe-dua-don loc-ha
20/03 receipt xe-dua-don thach-ha
20/03 receipt xe-dua-don cam-xuyen
20/03 receipt xe-dua-don ky-anh
20/03 receipt tham-dinh-video vptu
20/03 reminder gap-mat vptu
21/03 receipt xe-dua-don vu-quang
21/03 receipt xe-dua-don huong-khe
21/03 receipt hau-can-ubnd vp-ubnd
21/03 final_reminder hau-can-vptu vptu
22/03 receipt hau-can-vptu vptu
22/03 final_reminder gap-mat vptu
"""


def arrivals_as_submissions(tz) -> list[Submission]:
    return [
        Submission(i, a.deliverable, a.unit, SubmissionKind.RECEIVED, a.received_at, a.received_at)
        for i, a in enumerate(read_arrivals_csv(ARRIVALS, tz), start=1)
    ]


def replay_seed(engine: Engine, outbox_dir) -> tuple[list[tuple[datetime, str]], list]:
    """Each day at 07:30: evaluate with the arrivals received by then, notify, deliver."""
    with session_scope(engine) as session:
        snapshot = read_snapshot(session, PLAN)
    plan = snapshot.plan
    submissions = arrivals_as_submissions(plan.tz)
    mail_from = "Văn phòng Tỉnh ủy <vptu@hatinh.example>"
    decided: list[tuple[datetime, str]] = []
    reports = []
    day = datetime(2023, 3, 1, 7, 30, tzinfo=plan.tz)
    while day.date() <= datetime(2023, 3, 22).date():
        arrived = [s for s in submissions if s.received_at <= day]
        statuses = evaluate(plan, arrived, day)
        with session_scope(engine) as session:
            report = notify(session, snapshot, statuses, day, mail_from=mail_from)
        decided.extend((day, key) for key in report.enqueued)
        reports.append(
            deliver_due(
                lambda: session_scope(engine),
                FileTransport(outbox_dir),
                PLAN,
                day,
                mail_from=mail_from,
            )
        )
        day += timedelta(days=1)
    return decided, reports


def describe(day: datetime, key: str) -> str:
    parts = parse_key(key)
    if parts.deliverable is None:
        return f"{day:%d/%m} {parts.rule.value} digest"
    return f"{day:%d/%m} {parts.rule.value} {parts.deliverable} {parts.unit}"


def test_the_replay_decides_and_sends_exactly_the_expected_messages(seeded_engine, tmp_path):
    decided, reports = replay_seed(seeded_engine, tmp_path)
    assert [describe(day, key) for day, key in decided] == EXPECTED.strip().splitlines()
    sent = [key for report in reports for key, outcome in report.outcomes.items()]
    assert sent == [key for _, key in decided]
    assert {o for r in reports for o in r.outcomes.values()} == {Outcome.SENT}
    assert len(list(tmp_path.glob("*.eml"))) == len(decided)


def test_no_message_but_a_receipt_goes_to_a_unit_that_had_already_submitted(
    seeded_engine, tmp_path
):
    decided, _ = replay_seed(seeded_engine, tmp_path)
    tz = read_plan_tz(seeded_engine)
    arrived = {(s.deliverable, s.unit): s.received_at for s in arrivals_as_submissions(tz)}
    for day, key in decided:
        parts = parse_key(key)
        received_at = arrived.get((parts.deliverable or "", parts.unit or ""))
        if parts.rule is Rule.RECEIPT:
            assert received_at is not None and received_at <= day
        elif received_at is not None:
            assert day < received_at, f"{key} decided on {day:%d/%m} after {received_at}"


def read_plan_tz(engine: Engine):
    with session_scope(engine) as session:
        return read_snapshot(session, PLAN).plan.tz
