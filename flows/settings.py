"""dondoc's settings: one model per subsystem, each read from its own DONDOC_… variables.

Only the composition root (`flows.runtime`) builds the root `Settings`; everything below it
receives plain values (an engine, a transport, a sender address, a tolerance)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from models.errors import InputError, shown
from models.spec_messages import pydantic_message

EXAMPLE = "ví dụ http://vptu.example:8765"
MIN_SECRET_CHARS = 32


def _env(prefix: str) -> SettingsConfigDict:
    """Read `prefix` + field name (case-insensitive); other variables are not ours to refuse."""
    return SettingsConfigDict(env_prefix=prefix, extra="ignore", populate_by_name=True, frozen=True)


class DatabaseSettings(BaseSettings):
    """Where dondoc keeps plans, submissions and the outbox."""

    model_config = _env("DONDOC_DATABASE_")

    url: SecretStr = Field(
        default=SecretStr("sqlite:///dondoc.db"),
        description="DONDOC_DATABASE_URL: a SQLAlchemy URL; default a SQLite file dondoc.db in "
        "the working directory (SecretStr: it may hold a password, so it never prints)",
    )


class RecordingSettings(BaseSettings):
    """How arrivals are recorded (`dondoc receive`, the record-submission flow)."""

    model_config = _env("DONDOC_")

    future_tolerance_minutes: int = Field(
        default=10,
        description="DONDOC_FUTURE_TOLERANCE_MINUTES: how far in the future a recorded arrival "
        "may be (clock skew between the coordinator's machine and the server)",
    )

    @property
    def future_tolerance(self) -> timedelta:
        return timedelta(minutes=self.future_tolerance_minutes)


class MailSettings(BaseSettings):
    """Where decided e-mails go."""

    # Written out (not _env()) so that mypy's pydantic plugin sees populate_by_name: code and
    # tests build it by field name (sender=, outbox_dir=), the environment by alias.
    model_config = SettingsConfigDict(
        env_prefix="DONDOC_MAIL_", extra="ignore", populate_by_name=True, frozen=True
    )

    transport: Literal["file", "smtp"] = Field(
        default="file",
        description="DONDOC_MAIL_TRANSPORT: file (.eml files in the outbox folder, the demo) or "
        "smtp (a mail server, DONDOC_SMTP_*)",
    )
    sender: str = Field(
        default="dondoc <dondoc@localhost>",
        validation_alias="DONDOC_MAIL_FROM",
        description="DONDOC_MAIL_FROM: the From header, e.g. 'Văn phòng Tỉnh ủy "
        "<vptu@hatinh.example>'",
    )
    outbox_dir: Path = Field(
        default=Path("outbox"),
        validation_alias="DONDOC_OUTBOX_DIR",
        description="DONDOC_OUTBOX_DIR: folder of the file transport's .eml files",
    )


class SmtpSettings(BaseSettings):
    """The mail server of the smtp transport."""

    model_config = _env("DONDOC_SMTP_")

    host: str = Field(default="localhost", description="DONDOC_SMTP_HOST: server host name")
    port: int | None = Field(
        default=None,
        description="DONDOC_SMTP_PORT: default 25 (tls none), 587 (starttls), 465 (ssl)",
    )
    tls: Literal["none", "starttls", "ssl"] = Field(
        default="starttls",
        description="DONDOC_SMTP_TLS: none, starttls (upgrade a plain connection) or ssl",
    )
    user: str | None = Field(default=None, description="DONDOC_SMTP_USER: login; none: no AUTH")
    password: SecretStr | None = Field(default=None, description="DONDOC_SMTP_PASSWORD")
    password_block: str | None = Field(
        default=None,
        description="DONDOC_SMTP_PASSWORD_BLOCK: name of a Prefect Secret block holding the "
        "password, read when DONDOC_SMTP_PASSWORD is not set (e.g. on workers)",
    )
    timeout_seconds: float = Field(
        default=30.0, description="DONDOC_SMTP_TIMEOUT_SECONDS: per SMTP command"
    )
    retries: int = Field(
        default=3,
        description="DONDOC_SMTP_RETRIES: retries of one message within a batch (backoff 0.5 s, "
        "1 s, 2 s…)",
    )

    @property
    def password_block_to_read(self) -> str | None:
        """The Prefect Secret block that holds the password, when one is named and no password
        is given directly (the environment wins)."""
        return self.password_block if self.password is None else None


class WebSettings(BaseSettings):
    """`dondoc web`: the live pages; basic auth when both user and password are given."""

    model_config = _env("DONDOC_WEB_")

    host: str = Field(
        default="127.0.0.1",
        description="DONDOC_WEB_HOST: the address `dondoc web` binds; loopback unless exposed",
    )
    port: int = Field(default=8765, description="DONDOC_WEB_PORT: the port it listens on")
    user: str = Field(default="", description="DONDOC_WEB_USER: basic auth user; empty: no auth")
    password: SecretStr = Field(
        default=SecretStr(""),
        description="DONDOC_WEB_PASSWORD: basic auth password; empty: no auth",
    )
    request_timeout_seconds: float = Field(
        default=5.0,
        gt=0,
        description="DONDOC_WEB_REQUEST_TIMEOUT_SECONDS: how long a client may take to send a "
        "whole request (line, headers, body), counted from the connection's opening or the "
        "first byte of its next request; then 408 and the connection is closed",
    )
    keep_alive_seconds: int = Field(
        default=5,
        gt=0,
        description="DONDOC_WEB_KEEP_ALIVE_SECONDS: an idle connection is closed after this "
        "long without a new request",
    )
    write_timeout_seconds: float = Field(
        default=30.0,
        gt=0,
        description="DONDOC_WEB_WRITE_TIMEOUT_SECONDS: a client that reads nothing of an answer "
        "for this long is dropped (the answer is not kept in memory for it)",
    )
    max_header_bytes: int = Field(
        default=16_384,
        ge=1_024,
        description="DONDOC_WEB_MAX_HEADER_BYTES: the request line and headers together, at "
        "most; a longer request is refused (400) and its connection closed",
    )
    max_connections: int = Field(
        default=1_000,
        gt=0,
        description="DONDOC_WEB_MAX_CONNECTIONS: open connections (and requests) at once; a "
        "request beyond them is answered 503 at once. Keep it under the open-files limit",
    )
    renders: int = Field(
        default=2,
        gt=0,
        description="DONDOC_WEB_RENDERS: pages of large plans (from 2,000 assignments) built at "
        "once, HTML, JSON or XLSX alike: one of a 100k plan takes seconds and hundreds of MB",
    )
    render_queue: int = Field(
        default=8,
        ge=0,
        description="DONDOC_WEB_RENDER_QUEUE: requests that may wait for a build to start; one "
        "more is answered 503 with Retry-After at once",
    )
    render_wait_seconds: float = Field(
        default=30.0,
        gt=0,
        description="DONDOC_WEB_RENDER_WAIT_SECONDS: how long a request waits for its build to "
        "start; then 503 with Retry-After",
    )
    as_of_step_minutes: int = Field(
        default=5,
        gt=0,
        le=1_440,
        description="DONDOC_WEB_AS_OF_STEP_MINUTES: a look-back (?as_of=) is rounded down to a "
        "multiple of this many minutes of its day, and the page says so: 09:03 shows 09:00, so "
        "look-backs a few minutes apart share one page",
    )
    matrix_cells: int = Field(
        default=15_000,
        ge=10,
        description="DONDOC_WEB_MATRIX_CELLS: a served board whose unit matrix has more cells "
        "(assignments) than this shows it a page of at most this many at a time (?page=), "
        "with a summary per group and a link to the workbook, which has it whole",
    )
    cache_mb: int = Field(
        default=256,
        gt=0,
        description="DONDOC_WEB_CACHE_MB: memory for built pages kept between requests "
        "(plain and gzipped bytes); the least recently asked go first",
    )
    base_url: str | None = Field(
        default=None,
        description="DONDOC_WEB_BASE_URL: the address at which readers reach `dondoc web` "
        "(http://vptu.example:8765, or below a proxy's prefix); each track-plan run links to "
        "the live board at its moment there. Unset: the run says where its board files are",
    )

    secret: SecretStr | None = Field(
        default=None,
        description="DONDOC_WEB_SECRET: the key that signs the units' personal links (at least "
        "32 characters); changing it revokes every link sent. Unset: DONDOC_WEB_SECRET_BLOCK, "
        "else a secret dondoc makes once and keeps in its database (`dondoc web "
        "rotate-secret` replaces it)",
    )
    secret_block: str | None = Field(
        default=None,
        description="DONDOC_WEB_SECRET_BLOCK: name of a Prefect Secret block holding that key, "
        "read when DONDOC_WEB_SECRET is not set (e.g. on workers)",
    )
    link_days: int = Field(
        default=30,
        gt=0,
        le=3_650,
        description="DONDOC_WEB_LINK_DAYS: a personal link opens until this many days after "
        "the plan's last deadline (or after the e-mail was sent, when that is later)",
    )
    session_idle_minutes: int = Field(
        default=480,
        gt=0,
        le=10_080,
        description="DONDOC_WEB_SESSION_IDLE_MINUTES: a console login (/dang-nhap) ends after "
        "this long without a request (default 8 hours); each request starts the count again",
    )

    @field_validator("secret", "secret_block", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("secret", mode="after")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < MIN_SECRET_CHARS:
            raise ValueError(
                f"khóa ký liên kết phải dài ít nhất {MIN_SECRET_CHARS} ký tự (ví dụ: python -c "
                "'import secrets; print(secrets.token_urlsafe(32))'); bỏ trống để dondoc tự tạo"
            )
        return value

    @property
    def secret_block_to_read(self) -> str | None:
        """The Prefect Secret block that holds the signing key, when one is named and no key
        is given directly (the environment wins)."""
        return self.secret_block if self.secret is None else None

    @field_validator("base_url", mode="before")
    @classmethod
    def _readers_address(cls, value: Any) -> Any:
        return base_url_of(value) if isinstance(value, str) else value


def base_url_of(text: str) -> str | None:
    """The web address readers open, without a trailing slash (None for an empty value).

    A ValueError in Vietnamese for anything a link cannot start with: spaces, no http(s)
    scheme or host, a bad port, a query or fragment (the board's own path comes after it), or
    a user and password (the link is shown in the Prefect UI to everyone who sees the run)."""
    text = text.strip()
    if not text:
        return None
    if any(c.isspace() or not c.isprintable() for c in text):
        raise ValueError(f"địa chỉ web không được có khoảng trắng hay ký tự điều khiển ({EXAMPLE})")
    # An address with '@' may hold a password: it is not repeated in the message.
    said = "địa chỉ này" if "@" in text else f"'{shown(text)}'"
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 (reading it checks it: a port that is not a number raises)
    except ValueError:
        raise ValueError(f"{said} không phải địa chỉ web hợp lệ ({EXAMPLE})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{said} phải bắt đầu bằng http:// hoặc https:// rồi tên máy ({EXAMPLE})")
    if parts.username is not None or parts.password is not None:
        raise ValueError(
            "không ghi tên đăng nhập hay mật khẩu trong địa chỉ: liên kết hiện cho mọi người xem "
            "lượt chạy (đăng nhập dùng DONDOC_WEB_USER và DONDOC_WEB_PASSWORD)"
        )
    if "?" in text or "#" in text:
        raise ValueError(f"{said} không được có phần '?…' hay '#…' ({EXAMPLE})")
    return text.rstrip("/")


class BoardSettings(BaseSettings):
    """The leaders' board that track-plan publishes each run."""

    model_config = _env("DONDOC_BOARD_")

    dir: Path = Field(
        default=Path("board"),
        description="DONDOC_BOARD_DIR: where track-plan writes each run's board: "
        "<dir>/<plan>/<yyyy-mm-dd_HHMM>/board.html and board.xlsx (the run's moment, plan "
        "time), and a copy of the latest moment's in <dir>/<plan>/",
    )


class UploadSettings(BaseSettings):
    """The files units send with a submission: where they are kept, how large they may be."""

    # Written out (not _env()) for populate_by_name, as MailSettings: DONDOC_FILES_DIR is read
    # by its alias, the limits by the prefix.
    model_config = SettingsConfigDict(
        env_prefix="DONDOC_UPLOAD_", extra="ignore", populate_by_name=True, frozen=True
    )

    max_file_mb: int = Field(
        default=20,
        gt=0,
        le=2_048,
        description="DONDOC_UPLOAD_MAX_FILE_MB: the largest file a unit may send, in MB of "
        "1,048,576 bytes (as Windows counts them); one byte more is refused, naming the file",
    )
    max_total_mb: int = Field(
        default=50,
        gt=0,
        le=10_240,
        description="DONDOC_UPLOAD_MAX_TOTAL_MB: the files of one submission together, at most",
    )
    files_dir: Path | None = Field(
        default=None,
        validation_alias="DONDOC_FILES_DIR",
        description="DONDOC_FILES_DIR: where the files are kept, once each, by the sha256 of "
        "their content. Unset: a folder `files` next to the SQLite database, or in the working "
        "directory with PostgreSQL (then set it: every `dondoc web` must see the same folder)",
    )

    @field_validator("files_dir", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value


class Settings(BaseModel):
    """Every subsystem's settings; each part reads its own variables when it is built."""

    model_config = ConfigDict(frozen=True)

    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    recording: RecordingSettings = Field(default_factory=RecordingSettings)
    mail: MailSettings = Field(default_factory=MailSettings)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    board: BoardSettings = Field(default_factory=BoardSettings)
    uploads: UploadSettings = Field(default_factory=UploadSettings)


SECTIONS: tuple[type[BaseSettings], ...] = (
    DatabaseSettings,
    RecordingSettings,
    MailSettings,
    SmtpSettings,
    WebSettings,
    BoardSettings,
    UploadSettings,
)


class SettingsError(InputError):
    """A DONDOC_* variable with a value its setting refuses: named, with what it must be."""


def read_environment() -> Settings:
    """The settings from the environment, or a SettingsError naming each bad variable (never
    pydantic's traceback: a typo in a unit file is a person's mistake, exit 2)."""
    try:
        return Settings()
    except ValidationError as error:
        section = next((s for s in SECTIONS if s.__name__ == error.title), None)
        problems = [
            f"{_variable(section, e['loc'])}: {pydantic_message(e)}" for e in error.errors()
        ]
        raise SettingsError("biến môi trường không hợp lệ: " + "; ".join(problems)) from None


def _variable(section: type[BaseSettings] | None, loc: tuple[int | str, ...]) -> str:
    """The environment variable a setting is read from (DONDOC_SMTP_PORT)."""
    name = str(loc[0]) if loc else ""
    if section is None or name not in section.model_fields:
        return name
    alias = section.model_fields[name].validation_alias
    if isinstance(alias, str):
        return alias
    return f"{section.model_config.get('env_prefix', '')}{name}".upper()
