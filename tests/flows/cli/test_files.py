"""`dondoc files check`: the store against the rows, read-only; exit 1 when a file a row
names is gone (an operator restores it), 0 otherwise."""

from __future__ import annotations

import json
from io import BytesIO

import pytest
from sqlalchemy import Engine

from models.files.content_store import blob_path, store_upload
from models.storage.engine import session_scope
from models.unit_actions import submit_with_files
from models.uploads.limits import UploadLimits
from tests.builders import local
from tests.models.uploads import samples
from tests.runtimes import cli_on

pytestmark = [pytest.mark.db, pytest.mark.cli]


@pytest.fixture
def dondoc(seeded_engine: Engine, database_url, monkeypatch, tmp_path):
    monkeypatch.setenv("DONDOC_FILES_DIR", str(tmp_path / "kho"))
    monkeypatch.setenv("COLUMNS", "200")
    return cli_on(database_url, monkeypatch)


def sent(engine: Engine, root, name: str, content: bytes, unit: str):
    upload = store_upload(root, name, BytesIO(content), UploadLimits())
    with session_scope(engine) as session:
        submit_with_files(
            session, "gap-mat-2023", "bc-huyen", unit, [upload], local(2023, 3, 8, 9),
            files_dir=root, limits=UploadLimits(),
        )  # fmt: skip
    return upload


def test_an_empty_store_matches(dondoc):
    result = dondoc("files", "check")
    assert result.exit_code == 0, result.output
    assert "0 tệp, 0 byte" in result.stdout and "Kho tệp khớp với các lần nộp." in result.stdout


def test_orphans_are_harmless_and_lost_files_exit_1(dondoc, seeded_engine, tmp_path):
    root = tmp_path / "kho"
    sent(seeded_engine, root, "Báo cáo.pdf", samples.pdf_bytes(), "huong-khe")
    lost = sent(seeded_engine, root, "Danh sách.xlsx", samples.xlsx_bytes(), "ky-anh")
    orphan = store_upload(root, "chua-gui.png", BytesIO(samples.png_bytes()), UploadLimits())
    blob_path(root, lost.sha256).unlink()
    (root / ".tmp" / "feedfacefeedface.part").write_bytes(b"%PDF-")
    result = dondoc("files", "check")
    assert result.exit_code == 1
    out = " ".join(result.stdout.split())
    assert "1 tệp đính kèm bị mất" in out and "gap-mat-2023 · bc-huyen · ky-anh" in out
    assert "Danh sách.xlsx" in out and lost.sha256 in out
    assert "1 tệp không lần nộp nào dùng" in out and orphan.sha256 in out
    assert "1 tệp tạm trong .tmp" in out
    document = json.loads(dondoc("files", "check", "--json").stdout)
    assert document["blobs"] == 2 and [m["unit"] for m in document["missing"]] == ["ky-anh"]
    assert document["unreferenced"] == [{"sha256": orphan.sha256, "size": orphan.size}]
