"""The composition root: the settings, the one engine and the transport of this process.

Everything in the shell that needs the database or the mail server asks `current()` for it:
the CLI commands, the Prefect tasks, the web app, the demo. Nothing else reads `Settings()`
or builds an engine, so a whole track-plan run (or a `dondoc web` process) uses one engine
whose schema was checked once. Tests swap in their own runtime (a database URL, a transport)
with `use(...)`, in one place (tests/conftest.py).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import SecretStr

from flows.settings import (
    BoardSettings,
    DatabaseSettings,
    MailSettings,
    Settings,
    SmtpSettings,
    read_environment,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

    from models.uploads.limits import UploadLimits
    from notifications.links import PersonalLinks
    from notifications.transports import Transport


@dataclass
class Runtime:
    """What one process runs on; the engine is made (and the schema checked) on first use."""

    settings: Settings
    # A transport to use instead of the one the settings name (tests: a server on loopback).
    transport_override: Transport | None = None
    _engine: Engine | None = field(default=None, init=False, repr=False)
    _guard: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _block_secret: str | None = field(default=None, init=False, repr=False)

    def engine(self) -> Engine:
        """The process's engine on the configured database, migrated to the latest schema."""
        with self._guard:
            if self._engine is None:
                from models.storage.engine import ensure_schema, make_engine

                engine = make_engine(self.settings.database.url.get_secret_value())
                try:
                    ensure_schema(engine)
                except BaseException:
                    engine.dispose()
                    raise
                self._engine = engine
            return self._engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commit when the block succeeds, roll back when it raises."""
        from models.storage.engine import session_scope

        with session_scope(self.engine()) as session:
            yield session

    def transport(self) -> Transport:
        """A new transport for one batch of e-mails, as DONDOC_MAIL_TRANSPORT names it."""
        if self.transport_override is not None:
            return self.transport_override
        return transport_for(self.settings.mail, self.settings.smtp)

    def link_secret(self, now: datetime) -> str:
        """The key that signs the units' personal links: DONDOC_WEB_SECRET, else the Prefect
        Secret block DONDOC_WEB_SECRET_BLOCK names (read once), else the one kept in the
        database, made at `now` on first use (race-safe)."""
        found = self.checking_secret()
        if found is not None:
            return found
        from models.storage.site_secret import make_kept_secret

        with self.session() as session:  # a fresh transaction that starts by writing
            return make_kept_secret(session, now)

    def checking_secret(self) -> str | None:
        """The key to check a link with, as `link_secret`, but never made (a page view writes
        nothing): None when none is configured nor kept yet, so no link was ever signed. The
        kept one is read each time (one cheap query): a rotation takes effect at once."""
        web = self.settings.web
        if web.secret is not None:
            return web.secret.get_secret_value()
        if web.secret_block_to_read:
            with self._guard:
                if self._block_secret is None:
                    from flows.secrets import read_secret_block

                    self._block_secret = read_secret_block(
                        web.secret_block_to_read, "DONDOC_WEB_SECRET_BLOCK"
                    )
                return self._block_secret
        from models.storage.site_secret import read_kept_secret

        with self.session() as session:
            return read_kept_secret(session)

    def personal_links(self, now: datetime | None = None) -> PersonalLinks | None:
        """What signs the links of e-mails composed at `now`, the wall clock unless given:
        a link opens from when its e-mail goes out, whatever moment a run or a page is at
        (a replayed day, the demo's clock). None without DONDOC_WEB_BASE_URL (the e-mails
        then carry no link)."""
        base_url = self.settings.web.base_url
        if base_url is None:
            return None
        from notifications.links import PersonalLinks

        now = now or datetime.now(UTC)
        return PersonalLinks(base_url, self.link_secret(now), now)

    def files_dir(self) -> Path:
        """Where the units' uploaded files are kept: DONDOC_FILES_DIR, else a folder `files`
        next to the SQLite database (the demo's folder keeps its own), else one in the working
        directory, as the outbox and the board default to theirs."""
        configured = self.settings.uploads.files_dir
        if configured is not None:
            return configured
        from models.storage.engine import sqlite_file

        database = sqlite_file(self.settings.database.url.get_secret_value())
        return database.parent / "files" if database is not None else Path("files")

    def upload_limits(self) -> UploadLimits:
        """DONDOC_UPLOAD_MAX_FILE_MB and DONDOC_UPLOAD_MAX_TOTAL_MB, in bytes."""
        from models.uploads.limits import UploadLimits

        uploads = self.settings.uploads
        return UploadLimits.in_megabytes(uploads.max_file_mb, uploads.max_total_mb)

    def close(self) -> None:
        """Dispose of the engine (its pooled connections); the next use makes a new one."""
        with self._guard:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None


def transport_for(mail: MailSettings, smtp: SmtpSettings) -> Transport:
    """The file transport (a folder of .eml files) or SMTP, configured from the settings; the
    SMTP password may come from a Prefect Secret block (read only then: it imports Prefect)."""
    from notifications.transports.file import FileTransport
    from notifications.transports.smtp import SmtpConfig, SmtpTransport

    if mail.transport == "file":
        return FileTransport(mail.outbox_dir)
    password = smtp.password.get_secret_value() if smtp.password else None
    if password is None and smtp.password_block_to_read:
        from flows.secrets import read_secret_block

        password = read_secret_block(smtp.password_block_to_read, "DONDOC_SMTP_PASSWORD_BLOCK")
    config = SmtpConfig(
        host=smtp.host,
        port=smtp.port,
        tls=smtp.tls,
        user=smtp.user,
        password=password,
        timeout=smtp.timeout_seconds,
        retries=smtp.retries,
    )
    return SmtpTransport(config)


_current: Runtime | None = None
_current_guard = threading.Lock()


def read_settings() -> Settings:
    """The settings of this process, from its DONDOC_* environment (the only place that reads
    it): a bad value is a SettingsError naming the variable."""
    return read_environment()


def current() -> Runtime:
    """This process's runtime: settings read from the environment on first use, then kept."""
    global _current
    with _current_guard:
        if _current is None:
            _current = Runtime(read_settings())
        return _current


def in_folder(folder: Path) -> Runtime:
    """Everything in `folder` (the demo): a SQLite file dondoc.db, e-mails as .eml files in
    outbox/, each run's board in board/; the other settings as the environment says."""
    settings = read_settings()
    mail = settings.mail.model_copy(update={"transport": "file", "outbox_dir": folder / "outbox"})
    return Runtime(
        settings.model_copy(
            update={
                "database": DatabaseSettings(url=SecretStr(f"sqlite:///{folder / 'dondoc.db'}")),
                "mail": mail,
                "board": BoardSettings(dir=folder / "board"),
            }
        )
    )


@contextmanager
def use(runtime: Runtime) -> Iterator[Runtime]:
    """Run on `runtime` meanwhile (tests, the demo), then close it and go back."""
    global _current
    with _current_guard:
        previous, _current = _current, runtime
    try:
        yield runtime
    finally:
        with _current_guard:
            _current = previous
        runtime.close()


def reset() -> None:
    """Forget the current runtime (closing its engine): the next use reads the settings anew."""
    global _current
    with _current_guard:
        previous, _current = _current, None
    if previous is not None:
        previous.close()


def session() -> AbstractContextManager[Session]:
    """A unit of work on the current runtime's database (what every shell module calls)."""
    return current().session()
