"""Fixtures of the command-line tests: `dondoc` run in-process from a temporary folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.models.importer.documents import QUANG_BINH, build_docx


@pytest.fixture
def quang_binh_docx(tmp_path: Path) -> Path:
    return build_docx(tmp_path / "ke-hoach-quang-binh.docx", QUANG_BINH)


@pytest.fixture
def dondoc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., object]:
    """Run `dondoc ARGS…` in-process from tmp_path (so plans/ lands there)."""
    monkeypatch.setenv("DONDOC_DATABASE_URL", f"sqlite:///{tmp_path / 'dondoc.db'}")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)
    from flows.cli import app

    runner = CliRunner()

    def run(*args: str):  # returns click's Result
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)

    return run
