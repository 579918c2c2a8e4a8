"""The composition root: every DONDOC_* variable read into its subsystem's settings, once per
process; one engine per runtime, none kept after a failed schema check; runtimes swapped."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from flows import runtime
from flows.runtime import Runtime, transport_for
from flows.settings import Settings
from notifications.transports.file import FileTransport
from tests.runtimes import runtime_on

# Every variable dondoc has ever read, with a value and where it must land.
VARIABLES = [
    ("DONDOC_DATABASE_URL", "sqlite:///x.db", lambda s: s.database.url.get_secret_value()),
    ("DONDOC_FUTURE_TOLERANCE_MINUTES", "25", lambda s: s.recording.future_tolerance_minutes),
    ("DONDOC_BOARD_DIR", "/srv/board", lambda s: s.board.dir),
    ("DONDOC_MAIL_TRANSPORT", "smtp", lambda s: s.mail.transport),
    ("DONDOC_OUTBOX_DIR", "/srv/outbox", lambda s: s.mail.outbox_dir),
    ("DONDOC_MAIL_FROM", "VPTU <vptu@x.example>", lambda s: s.mail.sender),
    ("DONDOC_SMTP_HOST", "mail.x.example", lambda s: s.smtp.host),
    ("DONDOC_SMTP_PORT", "2525", lambda s: s.smtp.port),
    ("DONDOC_SMTP_TLS", "ssl", lambda s: s.smtp.tls),
    ("DONDOC_SMTP_USER", "vptu", lambda s: s.smtp.user),
    ("DONDOC_SMTP_PASSWORD", "pw", lambda s: s.smtp.password.get_secret_value()),
    ("DONDOC_SMTP_PASSWORD_BLOCK", "smtp-pw", lambda s: s.smtp.password_block),
    ("DONDOC_SMTP_TIMEOUT_SECONDS", "7.5", lambda s: s.smtp.timeout_seconds),
    ("DONDOC_SMTP_RETRIES", "5", lambda s: s.smtp.retries),
    ("DONDOC_WEB_HOST", "0.0.0.0", lambda s: s.web.host),
    ("DONDOC_WEB_PORT", "9000", lambda s: s.web.port),
    ("DONDOC_WEB_USER", "lanhdao", lambda s: s.web.user),
    ("DONDOC_WEB_PASSWORD", "mk", lambda s: s.web.password.get_secret_value()),
]
EXPECTED = {
    "DONDOC_FUTURE_TOLERANCE_MINUTES": 25,
    "DONDOC_BOARD_DIR": Path("/srv/board"),
    "DONDOC_OUTBOX_DIR": Path("/srv/outbox"),
    "DONDOC_SMTP_PORT": 2525,
    "DONDOC_SMTP_TIMEOUT_SECONDS": 7.5,
    "DONDOC_SMTP_RETRIES": 5,
    "DONDOC_WEB_PORT": 9000,
}


@pytest.mark.parametrize(("variable", "value", "read"), VARIABLES, ids=[v[0] for v in VARIABLES])
def test_each_variable_lands_in_its_subsystem(monkeypatch, variable, value, read) -> None:
    monkeypatch.setenv(variable, value)
    assert read(Settings()) == EXPECTED.get(variable, value)


def test_every_setting_is_described() -> None:
    for part in Settings().model_dump():
        model = type(getattr(Settings(), part))
        for name, info in model.model_fields.items():
            assert info.description, f"{model.__name__}.{name} has no description"


def test_the_settings_are_read_once_per_process_until_reset(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("DONDOC_MAIL_FROM", "first <a@x.example>")
    first = runtime.current()
    monkeypatch.setenv("DONDOC_MAIL_FROM", "second <b@x.example>")
    assert runtime.current() is first and first.settings.mail.sender == "first <a@x.example>"
    runtime.reset()
    assert runtime.current().settings.mail.sender == "second <b@x.example>"


def test_a_runtime_makes_one_engine_and_checks_the_schema_once(
    tmp_path: Path, engines_opened: list[str]
) -> None:
    current = runtime_on(f"sqlite:///{tmp_path / 'one.db'}")
    for _ in range(3):
        with current.session() as session:
            session.connection().exec_driver_sql("SELECT 1")
    assert current.engine() is current.engine() and len(engines_opened) == 1
    current.close()
    current.engine()
    assert len(engines_opened) == 2  # closed: the next use makes a new one


def test_an_engine_whose_schema_check_failed_is_not_kept() -> None:
    broken = runtime_on("sqlite:////nonexistent-dondoc-dir/sub/dondoc.db")
    for _ in range(2):
        with pytest.raises(OperationalError):
            broken.engine()
    assert broken._engine is None


def test_use_swaps_the_runtime_and_closes_it_after(tmp_path) -> None:
    before = runtime.current()
    mine = runtime_on(f"sqlite:///{tmp_path / 'mine.db'}")
    with runtime.use(mine):
        assert runtime.current() is mine
        mine.engine()
    assert runtime.current() is before and mine._engine is None


def test_a_folder_runtime_keeps_database_mail_and_board_in_the_folder(tmp_path) -> None:
    folder = runtime.in_folder(tmp_path)
    assert folder.settings.database.url.get_secret_value() == f"sqlite:///{tmp_path / 'dondoc.db'}"
    transport = folder.transport()
    assert isinstance(transport, FileTransport) and transport.folder == tmp_path / "outbox"
    assert folder.settings.board.dir == tmp_path / "board"


def test_a_transport_given_to_the_runtime_is_the_one_it_hands_out(tmp_path) -> None:
    given = FileTransport(tmp_path)
    assert Runtime(Settings(), transport_override=given).transport() is given
    assert isinstance(transport_for(Settings().mail, Settings().smtp), FileTransport)


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        (
            "DONDOC_SMTP_PORT",
            "hai-lăm",
            "DONDOC_SMTP_PORT: phải là số nguyên, không phải 'hai-lăm'",
        ),
        ("DONDOC_WEB_RENDERS", "abc", "DONDOC_WEB_RENDERS: phải là số nguyên"),
        ("DONDOC_MAIL_TRANSPORT", "pigeon", "DONDOC_MAIL_TRANSPORT: phải là một trong"),
    ],
)
def test_a_bad_setting_is_named_with_exit_2_not_a_traceback(
    tmp_path: Path, variable: str, value: str, expected: str
) -> None:
    import subprocess

    from tests.paths import ROOT
    from tests.processes import child_env

    env = child_env(f"sqlite:///{tmp_path / 'd.db'}", **{variable: value})
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "dondoc"), "plan", "list"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert expected in " ".join(done.stderr.split()) and "Traceback" not in done.stderr
