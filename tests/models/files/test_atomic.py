"""Files written all or nothing, readable by colleagues."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from models.files.atomic import write_atomically


def test_the_new_content_replaces_the_old_and_no_temporary_file_is_left(tmp_path: Path) -> None:
    target = tmp_path / "plan.yaml"
    target.write_text("cũ", encoding="utf-8")
    assert write_atomically(target, "mới\r\n") == target
    assert target.read_bytes() == "mới\r\n".encode()  # exactly as given: no newline translation
    assert [p.name for p in tmp_path.iterdir()] == ["plan.yaml"]


def test_permissions_follow_the_umask_not_mkstemp_s_0600(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        written = write_atomically(tmp_path / "board.xlsx", b"PK")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(written.stat().st_mode) == 0o644


def test_a_failed_write_keeps_the_old_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "board.html"
    target.write_text("trang cũ", encoding="utf-8")
    with pytest.raises(TypeError):
        write_atomically(target, 12)  # type: ignore[arg-type]  # why: a wrong type on purpose
    assert target.read_text(encoding="utf-8") == "trang cũ"
    assert [p.name for p in tmp_path.iterdir()] == ["board.html"]
