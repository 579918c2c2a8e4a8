"""An uploaded file once kept: by its content's sha256, with its size, the name it is shown
under and its format; and, once a submission is recorded with it, its link to that row."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from models.uploads.file_types import FileType

SHA256 = re.compile(r"[0-9a-f]{64}")


def is_sha256(text: str) -> bool:
    """A content address as dondoc writes it: 64 lower-case hex digits (nothing a path could
    hide in)."""
    return SHA256.fullmatch(text) is not None


@dataclass(frozen=True)
class StoredUpload:
    """A file in the content store, not yet linked to a submission (what store_upload gives
    and unit_actions.submit_with_files links)."""

    sha256: str
    size: int
    name: str  # uploads.names.display_name, ending in the format's extension
    file_type: FileType


@dataclass(frozen=True)
class AttachedFile:
    """A file a submission carries: one row of `submission_file`."""

    id: int
    submission: int  # the receipt's row in `submission`
    sha256: str
    size: int
    name: str
    file_type: FileType
    uploaded_at: datetime
