"""What a unit does from its personal page: say it has seen its task (đã nhận nhiệm vụ), ask
for more time (xin gia hạn), and send its work with files. Each goes through
`recording.record`, the rules every door applies, in the caller's one unit of work; the web
forms call these and show the `message`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import Session

from models.acknowledgement import AcknowledgementSource
from models.errors import InvalidInputError
from models.files.content_store import MissingUpload, has_upload
from models.moments import local_text
from models.recording import RecordRequest, record
from models.storage.uploads import attach_files
from models.submissions import Submission, SubmissionKind
from models.uploads.limits import UploadLimits, check_sizes
from models.uploads.stored import AttachedFile, StoredUpload

DEFAULT_TOLERANCE = timedelta(minutes=10)


def unit_recorder(unit: str) -> str:
    """`recorded_by` of a row the unit made itself: its code and the door (the trail then
    tells it from a coordinator's)."""
    return f"{unit} (trang cá nhân)"


@dataclass(frozen=True)
class Acknowledged:
    """The acknowledgement that stands: new, or the earlier one (nothing added then)."""

    row: Submission
    new: bool
    message: str  # to the unit, in Vietnamese


def acknowledge(
    session: Session,
    plan: str,
    deliverable: str,
    unit: str,
    now: datetime,
    future_tolerance: timedelta = DEFAULT_TOLERANCE,
) -> Acknowledged:
    """The unit has seen its task now ("Đã nhận nhiệm vụ"). A second click, or two at once (the
    assignment is locked), records nothing and says since when; an InvalidInputError once the
    work is delivered or excused (nothing left to take in)."""
    request = RecordRequest(
        plan,
        deliverable,
        unit,
        SubmissionKind.ACKNOWLEDGED,
        at=now,
        now=now,
        recorded_by=unit_recorder(unit),
        data={"source": AcknowledgementSource.WEB.value},
    )
    result = record(session, request, future_tolerance)
    row = result.submission or result.already
    assert row is not None, "record gives a new row or the one already standing"
    when = local_text(row.received_at, result.plan.tz)
    if result.already is not None:
        return Acknowledged(row, False, f"Đơn vị đã báo nhận nhiệm vụ này lúc {when}.")
    message = (
        f"Văn phòng đã ghi nhận: đơn vị đã nhận nhiệm vụ lúc {when}. Nhiệm vụ vẫn cần nộp đúng hạn."
    )
    return Acknowledged(row, True, message)


@dataclass(frozen=True)
class Requested:
    """The request for more time that waits: new, or the same one sent before."""

    row: Submission
    new: bool
    message: str  # to the unit, in Vietnamese


def request_extension(
    session: Session,
    plan: str,
    deliverable: str,
    unit: str,
    until: str,
    reason: str,
    now: datetime,
    future_tolerance: timedelta = DEFAULT_TOLERANCE,
) -> Requested:
    """The unit asks for more time now, until the day `until` (dd/mm/yyyy as typed), because
    of `reason` ("Xin gia hạn"). It changes no deadline; a coordinator answers. The same
    request twice (a double click) records it once; another while one waits, or once the work
    is delivered or excused, is an InvalidInputError saying why."""
    request = RecordRequest(
        plan,
        deliverable,
        unit,
        SubmissionKind.EXTENSION_REQUESTED,
        at=now,
        now=now,
        recorded_by=unit_recorder(unit),
        note=" ".join(reason.split()),
        data={"due": until.strip()},
    )
    result = record(session, request, future_tolerance)
    row = result.submission or result.already
    assert row is not None, "record gives a new row or the one already waiting"
    when = local_text(row.received_at, result.plan.tz)
    message = (
        f"Đã gửi đề nghị gia hạn đến {row.data.get('due', '')} tới Văn phòng lúc {when}. Hạn nộp "
        "chưa thay đổi cho tới khi được duyệt."
    )
    return Requested(row, result.already is None, message)


@dataclass(frozen=True)
class Submitted:
    """A recorded arrival and the files linked to it."""

    row: Submission
    files: tuple[AttachedFile, ...]
    duplicates: tuple[StoredUpload, ...]  # the same content sent twice: linked once
    message: str  # to the unit, in Vietnamese


def submit_with_files(
    session: Session,
    plan: str,
    deliverable: str,
    unit: str,
    uploads: Sequence[StoredUpload],
    now: datetime,
    *,
    files_dir: Path,
    limits: UploadLimits,
    figures: Mapping[str, object] | None = None,
    note: str = "",
    future_tolerance: timedelta = DEFAULT_TOLERANCE,
) -> Submitted:
    """The unit's arrival now, with the files it sent, in the caller's one transaction.

    The files are in the content store already (`content_store.store_upload`, one by one as
    they stream in): written first, so a row never names a file that is not there. Here the
    receipt goes through `recording.record` (figures checked, one arrival standing at a
    time), then one row per distinct file links it. Anything refused raises, and the caller's
    transaction keeps nothing; the blobs stay, harmless, until `dondoc files check` lists
    them."""
    check_sizes(((u.name, u.size) for u in uploads), limits)
    distinct, duplicates = _distinct(uploads)
    for upload in distinct:
        if not has_upload(files_dir, upload.sha256):
            # Said to the unit: no server path in it.
            raise MissingUpload(
                f"tệp '{upload.name}' vừa tải lên không còn trong kho tệp: xin gửi lại"
            )
    request = RecordRequest(
        plan,
        deliverable,
        unit,
        SubmissionKind.RECEIVED,
        at=now,
        now=now,
        recorded_by=unit_recorder(unit),
        note=note,
        data=dict(figures or {}),
    )
    result = record(session, request, future_tolerance)
    if result.already is not None:
        when = local_text(result.already.received_at, result.plan.tz)
        raise InvalidInputError(
            f"đơn vị đã nộp nhiệm vụ này lúc {when} (#{result.already.id}) và lần nộp đó đang "
            "được tính: không ghi thêm. Muốn nộp lại hay bổ sung, xin liên hệ Văn phòng"
        )
    assert result.submission is not None
    files = attach_files(session, result.submission.id, distinct, now)
    when = local_text(result.submission.received_at, result.plan.tz)
    return Submitted(result.submission, tuple(files), duplicates, _told(when, files, duplicates))


def _distinct(
    uploads: Sequence[StoredUpload],
) -> tuple[list[StoredUpload], tuple[StoredUpload, ...]]:
    """Each content once, under the first name it came with; and the copies left out."""
    seen: set[str] = set()
    kept: list[StoredUpload] = []
    copies: list[StoredUpload] = []
    for upload in uploads:
        (copies if upload.sha256 in seen else kept).append(upload)
        seen.add(upload.sha256)
    return kept, tuple(copies)


def _told(when: str, files: Sequence[AttachedFile], copies: Sequence[StoredUpload]) -> str:
    """ "Văn phòng đã nhận bài nộp lúc 08/03/2023 10:00, kèm 2 tệp." and the copies dropped."""
    told = f"Văn phòng đã nhận bài nộp lúc {when}, " + (
        f"kèm {len(files)} tệp." if files else "không kèm tệp."
    )
    if copies:
        names = ", ".join(f"'{copy.name}'" for copy in copies)
        told += f" Tệp trùng nội dung với tệp khác đã gửi nên chỉ giữ một bản: {names}."
    return told
