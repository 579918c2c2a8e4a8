"""Runtimes for tests: the composition root on a given database, with settings given."""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr

from flows.runtime import Runtime
from flows.settings import DatabaseSettings, Settings
from notifications.transports import Transport


def runtime_on(database_url: str, *, transport: Transport | None = None, **parts: Any) -> Runtime:
    """A runtime on `database_url`; `parts` replace whole settings sections (web=WebSettings(…))."""
    settings = Settings(database=DatabaseSettings(url=SecretStr(database_url)), **parts)
    return Runtime(settings, transport_override=transport)
