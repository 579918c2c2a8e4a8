"""Settings, read once from the environment (DONDOC_*) and passed down."""

from __future__ import annotations

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
