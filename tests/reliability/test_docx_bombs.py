"""A .docx zip bomb given to `dondoc plan import` (issue 13, class 10): the real command in a
process of its own is refused in seconds, naming the file and the limit, with its memory
measured; an ordinary Word document still imports."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.importer.docx_limits import MAX_INFLATED_BYTES, MAX_MARKUP_BYTES
from tests.measured import Measured, run_measured
from tests.models.importer.documents import QUANG_BINH, build_docx
from tests.models.importer.zip_bombs import build_docx_bomb
from tests.paths import ROOT
from tests.processes import child_env

pytestmark = pytest.mark.cli
DONDOC = ROOT / ".venv" / "bin" / "dondoc"
PEAK_MB = 200  # what a refused bomb may cost, at most
SECONDS = 10  # a refusal takes about one; the command alone needs most of it
SAFETY_NET_MB = 2_000  # virtual memory a child may take before it is stopped (was 5.9 GB)


def plan_import(folder: Path, document: Path) -> Measured:
    return run_measured(
        [str(DONDOC), "plan", "import", str(document), "--year", "2025", "--out", "ra.yaml"],
        env=child_env(f"sqlite:///{folder / 'dondoc.db'}"),
        cwd=folder,
        timeout=60,
        address_space_mb=SAFETY_NET_MB,
    )


def assert_refused_in_bounds(run: Measured, document: Path, limit: int, folder: Path) -> None:
    assert run.peak_rss_mb < PEAK_MB, run.peak_rss_mb
    assert run.seconds < SECONDS, run.seconds
    assert run.code == 2, run.stderr
    assert document.name in run.stderr and "bom nén" in run.stderr
    assert f"giới hạn {limit // 1_000_000} MB" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert not (folder / "ra.yaml").exists()


def test_a_docx_declaring_3_gb_is_refused_in_seconds_within_200_mb(tmp_path: Path) -> None:
    bomb = build_docx_bomb(tmp_path / "ke-hoach-bom.docx", 3_000_000_000)
    assert bomb.stat().st_size < 5_000_000  # passes the size limit on disk, as in the issue
    run = plan_import(tmp_path, bomb)
    assert_refused_in_bounds(run, bomb, MAX_INFLATED_BYTES, tmp_path)
    assert "theo khai báo của tệp nén" in run.stderr


def test_a_docx_whose_header_understates_1_gb_is_stopped_while_inflating(tmp_path: Path) -> None:
    bomb = build_docx_bomb(tmp_path / "khai-gian.docx", 1_000_000_000, declared=1_000_000)
    run = plan_import(tmp_path, bomb)
    assert_refused_in_bounds(run, bomb, MAX_MARKUP_BYTES, tmp_path)
    assert "đếm được khi giải nén, đến mục 'word/document.xml'" in run.stderr


def test_an_ordinary_word_document_still_imports(tmp_path: Path) -> None:
    document = build_docx(tmp_path / "ke-hoach-quang-binh.docx", QUANG_BINH)
    run = plan_import(tmp_path, document)
    assert run.code == 1, run.stderr  # written; its guesses are marked "TODO confirm"
    assert "2025-04-20T16:30" in (tmp_path / "ra.yaml").read_text(encoding="utf-8")
    assert run.peak_rss_mb < PEAK_MB
