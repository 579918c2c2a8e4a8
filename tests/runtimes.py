"""Runtimes for tests: the composition root on a given database, with settings given."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import SecretStr
from typer.testing import CliRunner, Result

from flows.runtime import Runtime
from flows.settings import DatabaseSettings, Settings
from notifications.transports import Transport


def runtime_on(database_url: str, *, transport: Transport | None = None, **parts: Any) -> Runtime:
    """A runtime on `database_url`; `parts` replace whole settings sections (web=WebSettings(…))."""
    settings = Settings(database=DatabaseSettings(url=SecretStr(database_url)), **parts)
    return Runtime(settings, transport_override=transport)


def cli_on(url: str, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """`dondoc ARGS…` in-process on the database at `url`, each call as if a new process (the
    settings read anew), `input` its standard input; exceptions are not caught, so a traceback
    fails the test."""
    from flows import runtime
    from flows.cli import app

    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        monkeypatch.setenv("DONDOC_DATABASE_URL", url)
        runtime.reset()
        return runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)

    return run
