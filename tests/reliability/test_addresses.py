"""Addresses that are not plain ASCII (issue 13, class 1): an IDN domain, a local part with
Vietnamese letters, a typo. Checked at `plan check`; on the wire, sent over SMTPUTF8 when the
server offers it, refused for that recipient alone when it does not; never a traceback, and
never the rest of the plan's mail held up. Against real aiosmtpd servers on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine
from sqlmodel import col, select

from flows.local_api import free_port
from models.errors import PlanError
from models.loader import LoadedPlan, read_plan_text
from models.storage.engine import session_scope
from models.storage.store import save_plan
from models.storage.tables import NotificationRow, NotificationStatus
from notifications.outbox import Outcome
from notifications.transports import Outgoing
from notifications.transports.file import FileTransport
from notifications.transports.smtp import SmtpConfig, SmtpTransport
from tests.builders import local
from tests.mail_runs import mail_run
from tests.paths import SEED_PLAN
from tests.smtp_sinks import SinkHandler

pytestmark = pytest.mark.db
PLAN = "gap-mat-2023"
WIDE = "văn.thư@hà-tĩnh.example"  # Hương Khê's office: a non-ASCII local part
IDN_HEAD = "bithu@vũ-quang.example"  # Vũ Quang's secretary: an internationalised domain
IDN_STORED = "bithu@xn--v-quang-ksb.example"
MORNING = local(2023, 3, 9, 8)  # office hours; every district report is overdue since 00:00


def seed_with(replacements: dict[str, str]) -> str:
    text = SEED_PLAN.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in text
        text = text.replace(old, new, 1)
    return text


WIDE_PLAN = seed_with(
    {
        "huyenuy.huongkhe@hatinh.example": WIDE,
        "bithu.huyenuy.vuquang@hatinh.example": IDN_HEAD,
    }
)


@pytest.fixture
def wide_engine(engine: Engine) -> Engine:
    with session_scope(engine) as session:
        save_plan(session, read_plan_text(WIDE_PLAN, "wide.yaml"))
    return engine


@pytest.fixture(params=[False, True], ids=["no-smtputf8", "smtputf8"])
def server(request: pytest.FixtureRequest) -> Iterator[tuple[SinkHandler, int, bool]]:
    handler = SinkHandler()
    controller = Controller(
        handler, hostname="127.0.0.1", port=free_port(), enable_SMTPUTF8=request.param
    )
    controller.start()
    try:
        yield handler, controller.port, request.param
    finally:
        controller.stop()


def rows(engine: Engine) -> list[NotificationRow]:
    with session_scope(engine) as session:
        found = list(session.exec(select(NotificationRow).order_by(col(NotificationRow.id))))
        session.expunge_all()
    return found


@pytest.mark.parametrize(
    ("address", "said"),
    [
        ("huyen uy@hatinh.example", "có ký tự không hợp lệ trước dấu @"),
        ("huyenuy.huongkhe@", "thiếu tên miền sau dấu @"),
        ("huyenuy.huongkhe.hatinh.example", "thiếu dấu @"),
        ("huyenuy@hatinh", "tên miền thiếu dấu chấm"),
        ("huyenuy@hatinh.local", "tên miền dành riêng"),
    ],
)
def test_plan_check_refuses_an_address_nobody_can_receive_at_naming_the_unit(
    address: str, said: str
) -> None:
    text = seed_with({"huyenuy.huongkhe@hatinh.example": address})
    with pytest.raises(PlanError) as caught:
        read_plan_text(text, "bad.yaml")
    (problem,) = caught.value.problems
    line = next(n for n, row in enumerate(text.splitlines(), 1) if address in row)
    assert problem.line == line and problem.path.endswith(".email")
    assert said in problem.message and "Traceback" not in problem.message


def test_an_idn_domain_is_stored_encoded_and_a_wide_local_part_is_warned_about() -> None:
    loaded: LoadedPlan = read_plan_text(WIDE_PLAN, "wide.yaml")
    assert loaded.plan.units["vu-quang"].head_email == IDN_STORED
    assert loaded.plan.units["huong-khe"].email == WIDE
    (warning,) = [w for w in loaded.warnings if "SMTPUTF8" in w.message]
    assert "huong-khe" in warning.message and warning.path.endswith(".email")


def test_every_message_goes_out_and_only_the_wide_address_depends_on_smtputf8(
    wide_engine: Engine, server: tuple[SinkHandler, int, bool]
) -> None:
    handler, port, utf8 = server
    config = SmtpConfig("127.0.0.1", port, tls="none", timeout=5, retries=0)
    report = mail_run(wide_engine, SmtpTransport(config), PLAN, MORNING)
    stored = rows(wide_engine)
    assert stored and report.count(Outcome.SENT) == len(stored)  # nobody's mail held up
    assert all(row.status == NotificationStatus.SENT.value for row in stored)
    envelopes = {address for received in handler.received for address in received.recipients}
    assert IDN_STORED in envelopes  # the encoded domain travels on any server
    to_wide = [row for row in stored if WIDE in (*row.mail_to, *row.mail_cc)]
    assert to_wide
    if utf8:
        assert WIDE in envelopes and all(row.last_error is None for row in to_wide)
        received = next(r for r in handler.received if WIDE in r.recipients)
        assert WIDE in str(received.message["To"]) + str(received.message["Cc"])
    else:
        assert WIDE not in envelopes
        assert all("SMTPUTF8" in (row.last_error or "") for row in to_wide)  # said, per message


def test_the_file_transport_keeps_every_address_readable(wide_engine: Engine, tmp_path) -> None:
    report = mail_run(wide_engine, FileTransport(tmp_path), PLAN, MORNING)
    assert report.count(Outcome.SENT) == len(rows(wide_engine))
    headers = []
    for path in Path(tmp_path).glob("*.eml"):
        mail = message_from_bytes(path.read_bytes(), policy=policy.default)
        headers += [str(mail[name]) for name in ("To", "Cc") if mail[name] is not None]
    joined = " ".join(headers)
    assert WIDE in joined and IDN_STORED in joined
    assert "vptu@hatinh.example" in joined  # the coordinator's address whole, not cut


def test_whatever_one_message_raises_is_recorded_on_it_and_the_batch_goes_on(
    wide_engine: Engine, tmp_path
) -> None:
    class Breaks(FileTransport):
        def send(self, mail: Outgoing) -> dict[str, str]:
            if "huong-khe" in mail.key:
                raise UnicodeEncodeError("ascii", "ă", 0, 1, "ordinal not in range(128)")
            return super().send(mail)

    report = mail_run(wide_engine, Breaks(tmp_path), PLAN, MORNING)
    failed = [row for row in rows(wide_engine) if row.status == NotificationStatus.FAILED.value]
    assert failed and all("huong-khe" in row.key for row in failed)
    assert all("UnicodeEncodeError" in (row.last_error or "") for row in failed)
    assert report.count(Outcome.SENT) == len(rows(wide_engine)) - len(failed)
