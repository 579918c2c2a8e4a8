"""Settings, read once from the environment (DONDOC_*) and passed down."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Where dondoc keeps its data. Secrets stay in SecretStr so they never print."""

    model_config = SettingsConfigDict(env_prefix="DONDOC_", extra="ignore")

    database_url: SecretStr = Field(
        default=SecretStr("sqlite:///dondoc.db"),
        description="SQLAlchemy URL; default a SQLite file dondoc.db in the working directory",
    )
    future_tolerance_minutes: int = Field(
        default=10, description="how far in the future a recorded arrival may be (clock skew)"
    )

    board_dir: Path = Field(
        default=Path("board"),
        description="where track-plan publishes each plan's board (<board_dir>/<plan>/board.html)",
    )

    # Mail (notifications/): where decided messages go.
    mail_transport: Literal["file", "smtp"] = Field(
        default="file", description="file: .eml files in outbox_dir (the demo); smtp: a server"
    )
    outbox_dir: Path = Field(
        default=Path("outbox"), description="folder of the file transport's .eml files"
    )
    mail_from: str = Field(
        default="dondoc <dondoc@localhost>",
        description="From header, e.g. 'Văn phòng Tỉnh ủy <vptu@hatinh.example>'",
    )
    smtp_host: str = Field(default="localhost", description="SMTP server host name")
    smtp_port: int | None = Field(
        default=None, description="SMTP port; default 25 (none), 587 (starttls), 465 (ssl)"
    )
    smtp_tls: Literal["none", "starttls", "ssl"] = Field(
        default="starttls", description="none, starttls (upgrade a plain connection) or ssl"
    )
    smtp_user: str | None = Field(default=None, description="SMTP login; none: no AUTH")
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password")
    smtp_password_block: str | None = Field(
        default=None,
        description="name of a Prefect Secret block holding the SMTP password, read by the "
        "flows when DONDOC_SMTP_PASSWORD is not set (e.g. on workers)",
    )
    smtp_timeout_seconds: float = Field(default=30.0, description="per SMTP command")
    smtp_retries: int = Field(
        default=3, description="retries of one message within a batch (backoff 0.5 s, 1 s, 2 s…)"
    )

    # The live board (`dondoc web`): read-only pages; basic auth when both are given.
    web_host: str = Field(
        default="127.0.0.1", description="address `dondoc web` binds; loopback unless exposed"
    )
    web_port: int = Field(default=8765, description="port `dondoc web` listens on")
    web_user: str = Field(default="", description="HTTP basic auth user; empty: no auth")
    web_password: SecretStr = Field(
        default=SecretStr(""), description="HTTP basic auth password; empty: no auth"
    )

    @property
    def smtp_password_block_to_read(self) -> str | None:
        """The Prefect Secret block that holds the SMTP password, when one is named and no
        password is given directly (the environment wins)."""
        return self.smtp_password_block if self.smtp_password is None else None
