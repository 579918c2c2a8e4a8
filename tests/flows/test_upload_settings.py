"""Where the units' files are kept and how large they may be: DONDOC_FILES_DIR,
DONDOC_UPLOAD_MAX_FILE_MB, DONDOC_UPLOAD_MAX_TOTAL_MB, read once by the composition root."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows import runtime
from flows.settings import SettingsError, read_environment
from models.uploads.limits import MB, UploadLimits
from tests.runtimes import runtime_on


def test_by_default_files_go_next_to_the_sqlite_database(tmp_path: Path) -> None:
    on_sqlite = runtime_on(f"sqlite:///{tmp_path / 'data' / 'dondoc.db'}")
    assert on_sqlite.files_dir() == tmp_path / "data" / "files"
    assert runtime_on("sqlite:///dondoc.db").files_dir() == Path("files")  # the working dir
    assert runtime.in_folder(tmp_path).files_dir() == tmp_path / "files"  # the demo's folder


def test_on_postgresql_files_default_to_the_working_directory() -> None:
    assert runtime_on("postgresql+psycopg://u@db/dondoc").files_dir() == Path("files")


def test_dondoc_files_dir_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DONDOC_FILES_DIR", str(tmp_path / "kho"))
    monkeypatch.setenv("DONDOC_DATABASE_URL", f"sqlite:///{tmp_path / 'dondoc.db'}")
    assert runtime.current().files_dir() == tmp_path / "kho"


def test_a_blank_files_dir_is_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DONDOC_FILES_DIR", "  ")
    assert read_environment().uploads.files_dir is None


def test_the_limits_default_to_20_and_50_mb_and_are_read_in_megabytes(monkeypatch) -> None:
    assert runtime.current().upload_limits() == UploadLimits(20 * MB, 50 * MB)
    runtime.reset()
    monkeypatch.setenv("DONDOC_UPLOAD_MAX_FILE_MB", "5")
    monkeypatch.setenv("DONDOC_UPLOAD_MAX_TOTAL_MB", "12")
    assert runtime.current().upload_limits() == UploadLimits(5 * MB, 12 * MB)


@pytest.mark.parametrize(
    ("variable", "value"),
    [("DONDOC_UPLOAD_MAX_FILE_MB", "hai mươi"), ("DONDOC_UPLOAD_MAX_TOTAL_MB", "0")],
)
def test_a_bad_limit_is_named(monkeypatch: pytest.MonkeyPatch, variable: str, value: str) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError, match=variable):
        read_environment()
