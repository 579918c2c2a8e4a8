"""Secrets never show: the database password, the SMTP password and the web password, set to
recognisable values, are looked for in everything a person or a log could see — --help,
command output, error messages and tracebacks, log records, Prefect's stored logs and
artifacts, outbox rows — on the paths that succeed and on those that fail."""

from __future__ import annotations

import subprocess
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from prefect import get_client
from prefect.client.schemas.filters import (
    FlowRunFilter,
    FlowRunFilterId,
    LogFilter,
    LogFilterFlowRunId,
)
from prefect.logging.handlers import APILogHandler
from pydantic import SecretStr
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import select
from typer.testing import CliRunner

from flows.cli import app
from flows.local_api import free_port
from flows.runtime import transport_for
from flows.settings import DatabaseSettings, MailSettings, Settings, SmtpSettings, WebSettings
from flows.track import track_plan
from models.plan import Plan
from models.storage.engine import session_scope
from models.storage.tables import NotificationRow
from notifications.transports.smtp import SmtpTransport
from tests.builders import local
from tests.paths import ROOT
from tests.processes import child_env
from tests.runtimes import runtime_on
from tests.smtp_sinks import SinkHandler

DB_SECRET = "dbpw-Zq81xK"
SMTP_SECRET = "smtppw-Lr42vT"
WEB_SECRET = "webpw-Hm93sD"
SECRETS = (DB_SECRET, SMTP_SECRET, WEB_SECRET)
PLAN = "gap-mat-2023"
DONDOC = ROOT / ".venv" / "bin" / "dondoc"


def closed_database() -> str:
    return f"postgresql+psycopg://dondoc:{DB_SECRET}@127.0.0.1:{free_port()}/dondoc"


def secret_env(database_url: str) -> dict[str, str]:
    return {
        "DONDOC_DATABASE_URL": database_url,
        "DONDOC_SMTP_USER": "vptu",
        "DONDOC_SMTP_PASSWORD": SMTP_SECRET,
        "DONDOC_WEB_USER": "lanhdao",
        "DONDOC_WEB_PASSWORD": WEB_SECRET,
    }


def assert_no_secret(*texts: Any) -> None:
    for text in texts:
        shown = text if isinstance(text, str) else repr(text)
        for secret in SECRETS:
            assert secret not in shown, f"{secret} leaked in: {shown[:300]}…"


def command_paths(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    if isinstance(getattr(command, "commands", None), dict):
        for name, child in command.commands.items():
            yield from command_paths(child, (*path, name))


def test_settings_and_the_smtp_configuration_never_print_a_password() -> None:
    settings = Settings(
        database=DatabaseSettings(url=SecretStr(closed_database())),
        smtp=SmtpSettings(password=SecretStr(SMTP_SECRET), user="vptu"),
        web=WebSettings(password=SecretStr(WEB_SECRET)),
        mail=MailSettings(transport="smtp"),
    )
    transport = transport_for(settings.mail, settings.smtp)
    assert isinstance(transport, SmtpTransport)
    assert transport.config.password == SMTP_SECRET  # it is there, for the login …
    assert_no_secret(repr(settings), str(settings), settings.model_dump_json())
    assert_no_secret(repr(transport.config), str(transport.config))  # … and nowhere else


@pytest.mark.cli
def test_help_of_every_command_shows_no_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in secret_env(closed_database()).items():
        monkeypatch.setenv(name, value)
    runner = CliRunner()
    paths = list(command_paths(typer.main.get_command(app)))
    assert len(paths) > 15
    for path in paths:
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert_no_secret(result.output)


@pytest.mark.cli
@pytest.mark.parametrize(
    "url",
    [
        "closed",
        f"postgresql+psycopg://dondoc:{DB_SECRET}@127.0.0.1:notaport/dondoc",
        f"postgresql+psycopg://dondoc:{DB_SECRET}@nonexistent-host.invalid/dondoc",
        f"mysql://dondoc:{DB_SECRET}@127.0.0.1/dondoc",
    ],
    ids=["closed-port", "bad-port", "unknown-host", "unknown-driver"],
)
def test_a_database_url_that_fails_never_shows_its_password(url: str, tmp_path: Path) -> None:
    env = child_env("", **secret_env(closed_database() if url == "closed" else url))
    for args in (["plan", "list"], ["status", PLAN], ["receive", PLAN, "bc-huyen", "huong-khe"]):
        done = subprocess.run(
            [str(DONDOC), *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
        )
        assert done.returncode != 0
        assert done.stderr.strip()  # it failed, and said something
        assert_no_secret(done.stdout, done.stderr)


def prefect_records(flow_run_id: Any) -> tuple[list[str], list[str]]:
    """The flow run's logs as the Prefect API stores them, and its artifacts' contents."""
    APILogHandler().flush()
    with get_client(sync_client=True) as client:
        logs = client.read_logs(
            log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id]))
        )
        artifacts = client.read_artifacts(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
        )
        run = client.read_flow_run(flow_run_id)
    texts = [str(run.parameters), str(run.state.message if run.state else "")]
    return [log.message for log in logs], [str(a.data) for a in artifacts] + texts


@pytest.mark.prefect
@pytest.mark.db
def test_a_flow_run_on_an_unreachable_database_stores_no_password(
    prefect_server: None,
    fast_retries: None,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    for name, value in secret_env(closed_database()).items():
        monkeypatch.setenv(name, value)
    state = track_plan(PLAN, local(2023, 3, 6, 8), return_state=True)
    assert state.is_failed() and "Connection refused" in (state.message or "")
    logs, artifacts = prefect_records(state.state_details.flow_run_id)
    assert any("Connection refused" in log for log in logs)  # the reason is stored …
    captured = capfd.readouterr()
    assert_no_secret(state.message, caplog.text, captured.out, captured.err, *logs, *artifacts)


class RefusingLogin:
    """An authenticator that refuses everyone and remembers the passwords it was shown."""

    def __init__(self) -> None:
        self.passwords: list[bytes] = []

    def __call__(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            self.passwords.append(auth_data.password)
        return AuthResult(success=False, handled=False)


@pytest.fixture
def refusing_smtp() -> Iterator[tuple[int, RefusingLogin]]:
    login = RefusingLogin()
    controller = Controller(
        SinkHandler(),
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=login,
        auth_require_tls=False,
    )
    controller.start()
    yield controller.port, login
    controller.stop()


@pytest.mark.prefect
@pytest.mark.db
@pytest.mark.cli
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_refused_smtp_login_is_reported_without_the_password(
    seeded: Plan,
    engine: Engine,
    database_url: str,
    refusing_smtp: tuple[int, RefusingLogin],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    port, login = refusing_smtp
    for name, value in secret_env(database_url).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DONDOC_MAIL_TRANSPORT", "smtp")
    monkeypatch.setenv("DONDOC_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("DONDOC_SMTP_PORT", str(port))
    monkeypatch.setenv("DONDOC_SMTP_TLS", "none")
    monkeypatch.setenv("DONDOC_SMTP_RETRIES", "0")
    state = track_plan(PLAN, local(2023, 3, 6, 8), return_state=True)
    assert state.is_completed() and "đã gửi: 0" in (state.message or ""), state.message
    assert login.passwords and login.passwords[0] == SMTP_SECRET.encode()  # it was really used
    with session_scope(engine) as session:
        errors = [r.last_error or "" for r in session.exec(select(NotificationRow))]
    assert any("535" in error for error in errors), errors
    runner = CliRunner()
    listed = runner.invoke(app, ["outbox", "list", PLAN])
    sent = runner.invoke(app, ["outbox", "send", PLAN])
    logs, artifacts = prefect_records(state.state_details.flow_run_id)
    captured = capfd.readouterr()
    assert_no_secret(
        state.message, caplog.text, captured.out, captured.err, *logs, *artifacts, *errors
    )
    assert_no_secret(listed.output, sent.output, repr(sent.exception))


@pytest.mark.db
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_web_board_never_shows_its_password_or_the_database_s(
    seeded_engine: Engine, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    from starlette.testclient import TestClient

    from flows.web import create_app

    def client(url: str) -> TestClient:
        runtime = runtime_on(url, web=WebSettings(user="lanhdao", password=SecretStr(WEB_SECRET)))
        return TestClient(create_app(runtime), raise_server_exceptions=False)

    right, wrong = ("lanhdao", WEB_SECRET), ("lanhdao", WEB_SECRET + "x")
    with client(database_url) as web:
        pages = [
            web.get(f"/plans/{PLAN}"),
            web.get(f"/plans/{PLAN}", auth=wrong),
            web.get(f"/plans/{PLAN}", auth=right),
            web.get("/plans/khong-co", auth=right),
        ]
    assert [p.status_code for p in pages] == [401, 401, 200, 404]
    # With the database down the app does not start (the schema check at startup): the error,
    # traceback included, is what the server would log.
    with pytest.raises(OperationalError) as failed, client(closed_database()):
        pass
    texts = [p.text + str(p.headers) for p in pages]
    trace = "".join(traceback.format_exception(failed.value))
    assert "Connection refused" in trace
    assert_no_secret(*texts, trace, caplog.text)


class AcceptingLogin:
    """An authenticator that accepts one user and password, and remembers what it was shown."""

    def __init__(self, user: str, password: str) -> None:
        self.expected = (user.encode(), password.encode())
        self.shown: list[tuple[bytes, bytes]] = []

    def __call__(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        self.shown.append((auth_data.login, auth_data.password))
        return AuthResult(success=(auth_data.login, auth_data.password) == self.expected)


@pytest.mark.prefect
@pytest.mark.db
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_smtp_password_can_come_from_a_prefect_secret_block(
    seeded: Plan,
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    from prefect.blocks.system import Secret

    Secret(value=SecretStr(SMTP_SECRET)).save("dondoc-smtp-test", overwrite=True)
    login = AcceptingLogin("vptu", SMTP_SECRET)
    sink = SinkHandler()
    controller = Controller(
        sink, hostname="127.0.0.1", port=free_port(), authenticator=login, auth_require_tls=False
    )
    controller.start()
    try:
        for name, value in {
            "DONDOC_MAIL_TRANSPORT": "smtp",
            "DONDOC_SMTP_HOST": "127.0.0.1",
            "DONDOC_SMTP_PORT": str(controller.port),
            "DONDOC_SMTP_TLS": "none",
            "DONDOC_SMTP_USER": "vptu",
            "DONDOC_SMTP_PASSWORD_BLOCK": "dondoc-smtp-test",
        }.items():
            monkeypatch.setenv(name, value)
        monkeypatch.delenv("DONDOC_SMTP_PASSWORD", raising=False)
        state = track_plan(PLAN, local(2023, 3, 6, 8), return_state=True)
    finally:
        controller.stop()
    assert state.is_completed(), state.message
    assert login.shown and set(login.shown) == {(b"vptu", SMTP_SECRET.encode())}
    assert len(sink.received) > 30  # the reminders of 06/03 went out, logged in by the block
    logs, artifacts = prefect_records(state.state_details.flow_run_id)
    captured = capfd.readouterr()
    assert_no_secret(state.message, caplog.text, captured.out, captured.err, *logs, *artifacts)


@pytest.mark.prefect
@pytest.mark.db
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_missing_secret_block_fails_the_sending_with_what_to_do(
    seeded: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DONDOC_MAIL_TRANSPORT", "smtp")
    monkeypatch.setenv("DONDOC_SMTP_PASSWORD_BLOCK", "khong-co-block")
    monkeypatch.delenv("DONDOC_SMTP_PASSWORD", raising=False)
    state = track_plan(PLAN, local(2023, 3, 6, 8), return_state=True)
    assert not state.is_completed()
    assert "không có Prefect Secret block 'khong-co-block'" in (state.message or "")
