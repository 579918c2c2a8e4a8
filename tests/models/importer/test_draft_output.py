"""The draft file: comments survive a round trip, writing is all or nothing."""

import io
import os
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from models.importer.output import write_draft
from models.importer.pipeline import import_document
from models.importer.problems import DocumentError
from tests.models.importer.documents import SEED_SOURCE


def round_trip(text: str) -> str:
    yaml = YAML(typ="rt")
    yaml.width = 4096
    stream = io.StringIO()
    yaml.dump(yaml.load(text), stream)
    return stream.getvalue()


def test_todo_comments_survive_a_ruamel_round_trip():
    text = import_document(SEED_SOURCE).text
    assert text.count("# TODO confirm") == round_trip(text).count("# TODO confirm") > 5


def test_every_deliverable_keeps_its_quote_from_the_document():
    result = import_document(SEED_SOURCE)
    source = " ".join(SEED_SOURCE.read_text(encoding="utf-8").replace("**", "").split())
    assert all(d.quote and d.quote in source for d in result.plan.deliverables)


def test_an_existing_file_is_kept_unless_forced(tmp_path: Path):
    target = tmp_path / "plan.yaml"
    target.write_text("giữ nguyên\n")
    with pytest.raises(DocumentError, match="--force"):
        write_draft(target, "mới\n")
    assert target.read_text() == "giữ nguyên\n"
    write_draft(target, "mới\n", force=True)
    assert target.read_text() == "mới\n"


def test_writing_leaves_no_temporary_file_and_a_readable_mode(tmp_path: Path):
    target = tmp_path / "plans" / "x.yaml"
    write_draft(target, "code: x\n")
    assert os.listdir(target.parent) == ["x.yaml"]
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # as any file, not mkstemp's 0600
