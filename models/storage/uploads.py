"""The rows that link uploaded files to submissions (`submission_file`): written with the
receipt they came with, read in bulk for a page, and compared with the content store by
`dondoc files check`."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from models.files.content_store import leftovers, stored_blobs
from models.storage.tables import PlanRow, SubmissionFileRow, SubmissionRow, as_utc
from models.uploads.file_types import FileType
from models.uploads.stored import AttachedFile, StoredUpload


def attach_files(
    session: Session, submission: int, files: Sequence[StoredUpload], uploaded_at: datetime
) -> list[AttachedFile]:
    """One row per file, linking it to the submission row `submission`, in one INSERT (in the
    caller's transaction: with the receipt or not at all). The files are in the content store
    already; the same content twice is the caller's to drop (the table refuses it)."""
    if not files:
        return []
    params = [
        {
            "submission_id": submission,
            "sha256": stored.sha256,
            "size": stored.size,
            "name": stored.name,
            "file_type": stored.file_type.value,
            "uploaded_at": as_utc(uploaded_at),
        }
        for stored in files
    ]
    statement = insert(SubmissionFileRow).returning(
        col(SubmissionFileRow.id), sort_by_parameter_order=True
    )
    ids = session.execute(statement, params).scalars().all()
    return [
        AttachedFile(id, submission, f.sha256, f.size, f.name, f.file_type, as_utc(uploaded_at))
        for id, f in zip(ids, files, strict=True)
    ]


def files_of(session: Session, submissions: Collection[int]) -> dict[int, list[AttachedFile]]:
    """The files of these submission rows, per row, in upload order (one SELECT, whatever
    their number: a page lists every arrival's files at once)."""
    if not submissions:
        return {}
    statement = (
        select(SubmissionFileRow)
        .where(col(SubmissionFileRow.submission_id).in_(list(submissions)))
        .order_by(col(SubmissionFileRow.id))
    )
    found: dict[int, list[AttachedFile]] = {}
    for row in session.exec(statement):
        found.setdefault(row.submission_id, []).append(_attached(row))
    return found


def _attached(row: SubmissionFileRow) -> AttachedFile:
    assert row.id is not None, "a file row is read after it was flushed"
    return AttachedFile(
        id=row.id,
        submission=row.submission_id,
        sha256=row.sha256,
        size=row.size,
        name=row.name,
        file_type=FileType(row.file_type),
        uploaded_at=as_utc(row.uploaded_at),
    )


@dataclass(frozen=True)
class FileReference:
    """A row naming a file, with where it belongs (what `dondoc files check` prints)."""

    sha256: str
    name: str
    submission: int
    plan: str
    deliverable: str
    unit: str


def file_references(session: Session) -> list[FileReference]:
    """Every file row of every plan, with its submission's plan and assignment (one SELECT)."""
    statement = (
        core_select(
            col(SubmissionFileRow.sha256),
            col(SubmissionFileRow.name),
            col(SubmissionFileRow.submission_id),
            col(PlanRow.code),
            col(SubmissionRow.deliverable_code),
            col(SubmissionRow.unit_code),
        )
        .join(SubmissionRow, col(SubmissionRow.id) == col(SubmissionFileRow.submission_id))
        .join(PlanRow, col(PlanRow.id) == col(SubmissionRow.plan_id))
        .order_by(col(SubmissionFileRow.id))
    )
    return [FileReference(*row) for row in session.execute(statement)]


@dataclass(frozen=True)
class StoreCheck:
    """The content store against the rows (`dondoc files check`)."""

    root: Path
    blobs: int  # files at their address
    size: int  # their bytes together
    # Files no row names: harmless (an upload whose submission was refused or never sent),
    # deletable. (sha256, size)
    unreferenced: tuple[tuple[str, int], ...]
    # Rows whose file is not in the store: lost files, to restore from a backup.
    missing: tuple[FileReference, ...]
    leftovers: tuple[Path, ...]  # temporary files of uploads in progress or interrupted


def check_content_store(session: Session, root: Path) -> StoreCheck:
    """Compare the files under `root` with every file row: one SELECT, one walk of the store."""
    blobs = dict(stored_blobs(root))
    references = file_references(session)
    named = {reference.sha256 for reference in references}
    return StoreCheck(
        root=root,
        blobs=len(blobs),
        size=sum(blobs.values()),
        unreferenced=tuple(sorted((sha, size) for sha, size in blobs.items() if sha not in named)),
        missing=tuple(reference for reference in references if reference.sha256 not in blobs),
        leftovers=tuple(leftovers(root)),
    )
