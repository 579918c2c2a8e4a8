"""Fixtures of the importer tests: the Quảng Bình plan as a real .docx file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.importer.documents import QUANG_BINH, build_docx


@pytest.fixture
def quang_binh_docx(tmp_path: Path) -> Path:
    return build_docx(tmp_path / "ke-hoach-quang-binh.docx", QUANG_BINH)
