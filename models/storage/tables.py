"""The database schema: SQLModel tables of plans, assignments, submissions (and the files they
carry), the outbox and the accounts with their login history."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    DateTime,
    Index,
    LargeBinary,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from models.accounts import LoginOutcome, Role
from models.spec import DueForm
from models.submissions import SubmissionKind
from models.uploads.file_types import FileType

# Named constraints, so migrations (and SQLite batch mode) can find them again.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def as_utc(moment: datetime) -> datetime:
    """The same instant in UTC; a naive datetime is refused (its instant is unknown)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment.isoformat()} has no timezone: give an aware one")
    return moment.astimezone(UTC)


def attribute(field: object) -> QueryableAttribute[Any]:
    """A table's field as the ORM attribute it is at run time, for the loader options that
    want one (`defer(attribute(NotificationRow.eml))`): the pydantic plugin types
    `NotificationRow.eml` as its value, and `sqlmodel.col` as a `Mapped`."""
    if not isinstance(field, QueryableAttribute):
        raise TypeError(f"not an ORM attribute: {field!r}")
    return field


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC out; stored as timestamptz (PostgreSQL) or naive UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        instant = as_utc(value)
        return instant if dialect.name == "postgresql" else instant.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _one_of(column: str, values: type[StrEnum], name: str) -> CheckConstraint:
    allowed = ", ".join(f"'{v.value}'" for v in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=name)


class NotificationStatus(StrEnum):
    PENDING = "pending"  # to send (again, after a temporary failure)
    SENT = "sent"
    FAILED = "failed"  # refused for good; `dondoc outbox retry` puts it back to pending
    SUPERSEDED = "superseded"  # no longer called for when its turn came; `last_error` says why
    # Handed to the mail server with no answer yet (being sent, or the line dropped after the
    # DATA, or dondoc died before the sent mark): it may have arrived. Resent once at most.
    UNCERTAIN = "uncertain"

    @property
    def label(self) -> str:
        """The Vietnamese label a coordinator reads."""
        return NOTIFICATION_LABELS[self]


NOTIFICATION_LABELS: dict[NotificationStatus, str] = {
    NotificationStatus.PENDING: "Chờ gửi",
    NotificationStatus.SENT: "Đã gửi",
    NotificationStatus.FAILED: "Gửi lỗi",
    NotificationStatus.SUPERSEDED: "Không cần gửi nữa",
    NotificationStatus.UNCERTAIN: "Chưa rõ đã tới chưa",
}


class PlanRow(SQLModel, table=True):
    """A loaded plan file; `spec_yaml` is the text as loaded, `spec_digest` its sha256."""

    __tablename__ = "plan"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True)
    title: str = Field(sa_type=Text)
    source: str = Field(default="", sa_type=Text)
    timezone: str
    warning_days: int
    coordinator: str | None = None
    leaders: list[str] = Field(default_factory=list, sa_type=JSON)
    spec_digest: str
    spec_yaml: str = Field(sa_type=Text)
    loaded_at: datetime = Field(sa_type=UTCDateTime)
    # The plan's `ladder:` override as written (only the keys given); NULL: the default ladder.
    ladder: dict[str, Any] | None = Field(default=None, sa_type=JSON(none_as_null=True))
    # Titles of groups ({"huyen": "Các huyện, thành, thị ủy"}); NULL: none given.
    group_titles: dict[str, str] | None = Field(default=None, sa_type=JSON(none_as_null=True))
    # The plan's `review:` (models/review.py); NULL: on arrival, as before review existed.
    review: str | None = None


class UnitRow(SQLModel, table=True):
    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id")
    code: str
    name: str = Field(sa_type=Text)
    email: str | None = None
    head_email: str | None = None
    position: int


class GroupMemberRow(SQLModel, table=True):
    __tablename__ = "group_member"
    __table_args__ = (UniqueConstraint("plan_id", "group_code", "unit_code"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id")
    group_code: str
    unit_code: str
    position: int


class DeliverableRow(SQLModel, table=True):
    """A deliverable as written: `owner` a unit code or group:<name>, `due_*` the written form."""

    __tablename__ = "deliverable"
    __table_args__ = (
        UniqueConstraint("plan_id", "code"),
        _one_of("due_kind", DueForm, "due_kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id")
    code: str
    title: str = Field(sa_type=Text)
    owner: str
    to_unit: str | None = None
    due_kind: str | None = None
    # ISO text: 2023-03-09, or 2023-03-09T17:00:00[+07:00]; a period as written (2023-Q2); a
    # count of days as its JSON mapping ({"days_before": 10, "of": "khai-mac"}).
    due_value: str | None = None
    quote: str = Field(default="", sa_type=Text)
    position: int
    # The `fields:` it collects, as written ({"so_dai_bieu": {"type": "int", …}}); NULL: none.
    fields: dict[str, Any] | None = Field(default=None, sa_type=JSON(none_as_null=True))


class EdgeRow(SQLModel, table=True):
    """`dependent` waits on `prerequisite` (deliverable codes)."""

    __tablename__ = "edge"
    __table_args__ = (UniqueConstraint("plan_id", "prerequisite", "dependent"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id")
    prerequisite: str
    dependent: str
    position: int


class AssignmentRow(SQLModel, table=True):
    """Deliverable × owning unit with its resolved deadline, kept for SQL reporting only."""

    __tablename__ = "assignment"
    __table_args__ = (UniqueConstraint("plan_id", "deliverable_code", "unit_code"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id")
    deliverable_code: str
    unit_code: str
    due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    due_inferred: bool = False


class SubmissionRow(SQLModel, table=True):
    """Append-only. Natural keys, not an FK to assignment: a plan reload never orphans silently."""

    __tablename__ = "submission"
    __table_args__ = (
        Index("ix_submission_assignment", "plan_id", "deliverable_code", "unit_code"),
        _one_of("kind", SubmissionKind, "kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id")
    deliverable_code: str
    unit_code: str
    kind: str
    received_at: datetime = Field(sa_type=UTCDateTime)
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    recorded_by: str = ""
    note: str = Field(default="", sa_type=Text)
    undoes_id: int | None = Field(default=None, foreign_key="submission.id")
    # Figures collected with a receipt ({"so_dai_bieu": 12}), checked by the deliverable's
    # fields when recorded; NULL: none.
    data: dict[str, Any] | None = Field(default=None, sa_type=JSON(none_as_null=True))


class SubmissionFileRow(SQLModel, table=True):
    """A file a unit sent with a submission. The content is kept once, under its sha256, in
    the content store (DONDOC_FILES_DIR, models/files/content_store.py); this row links it to
    the receipt. Append-only, like the submissions: a file is never replaced nor removed."""

    __tablename__ = "submission_file"
    __table_args__ = (
        UniqueConstraint("submission_id", "sha256"),  # the same content once per submission
        Index("ix_submission_file_sha256", "sha256"),  # who uses a blob (dondoc files check)
        _one_of("file_type", FileType, "file_type"),
        CheckConstraint("length(sha256) = 64", name="sha256"),
        CheckConstraint("size > 0", name="size"),
    )

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id")
    sha256: str  # 64 lower-case hex digits: the file's address in the content store
    size: int = Field(sa_type=BigInteger)
    name: str = Field(sa_type=Text)  # as shown and downloaded (models/uploads/names.py)
    file_type: str  # detected from the content (models/uploads/formats.py)
    uploaded_at: datetime = Field(sa_type=UTCDateTime)


class NotificationRow(SQLModel, table=True):
    """The outbox: one row per message, `key` makes each message exactly-once.

    `eml` is the whole e-mail, built once when the row is inserted, so every send (and a
    resend) is the same bytes; `mail_to` and `mail_cc` are JSON lists of addresses (the
    envelope is To then Cc). Rows from before revision 0002 get `eml` and `message_id` at their
    first delivery. `subject` and `body_text` stay for listing and showing the outbox.
    """

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_plan_status", "plan_id", "status"),
        _one_of("status", NotificationStatus, "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id")
    key: str = Field(unique=True)
    rule: str
    deliverable_code: str | None = None
    unit_code: str | None = None
    occurrence: str  # the key's last part: the deadline, the receipt or the digest day
    thread_key: str | None = None  # key of the thread's first message; None: this one
    message_id: str | None = None  # "<…@domain>", as in `eml`
    mail_to: list[str] = Field(default_factory=list, sa_type=JSON)
    mail_cc: list[str] = Field(default_factory=list, sa_type=JSON)
    subject: str = Field(sa_type=Text)
    body_text: str = Field(sa_type=Text)
    body_html: str = Field(sa_type=Text)
    eml: bytes | None = Field(default=None, sa_type=LargeBinary)
    status: str = NotificationStatus.PENDING.value
    attempts: int = 0
    created_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, sa_type=Text)
    # When the message was last handed to the server without an answer (status uncertain).
    uncertain_since: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # How many times the bytes were handed over with no refusal: 2 at most (one resend).
    uncertain_sends: int = 0
    # Recipients refused for now (4xx): the next attempt goes to them alone.
    retry_to: list[str] | None = Field(default=None, sa_type=JSON(none_as_null=True))
    # Recipients refused for good (5xx, or no SMTPUTF8 for their address): address → reply.
    refused_to: dict[str, str] | None = Field(default=None, sa_type=JSON(none_as_null=True))


class AssignmentStateRow(SQLModel, table=True):
    """The last status the tracking flow saw per assignment, to emit change events."""

    __tablename__ = "assignment_state"

    plan_id: int = Field(foreign_key="plan.id", primary_key=True)
    deliverable_code: str = Field(primary_key=True)
    unit_code: str = Field(primary_key=True)
    status: str
    updated_at: datetime = Field(sa_type=UTCDateTime)


class SettingRow(SQLModel, table=True):
    """A value dondoc keeps for itself, by key: the personal links' signing secret when none is
    configured (models/storage/site_secret.py), so every process on the database agrees."""

    __tablename__ = "setting"

    key: str = Field(primary_key=True)
    value: str = Field(sa_type=Text)
    created_at: datetime = Field(sa_type=UTCDateTime)


class AccountRow(SQLModel, table=True):
    """A coordinator's or leader's account. Removal is soft (`removed_at`): the login history
    and the audit trail keep naming the person, and a removed name is never given to another."""

    __tablename__ = "account"
    __table_args__ = (_one_of("role", Role, "role"),)

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True)
    full_name: str = Field(sa_type=Text)
    role: str
    password_hash: str = Field(sa_type=Text)  # argon2id, "$argon2id$v=19$m=…"
    created_at: datetime = Field(sa_type=UTCDateTime)
    password_changed_at: datetime = Field(sa_type=UTCDateTime)
    removed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LoginEventRow(SQLModel, table=True):
    """Append-only: one row per login attempt, the lockout rule's only input. `username` is
    the name as typed (normalized), so attempts at unknown names are kept too: no FK."""

    __tablename__ = "login_event"
    __table_args__ = (
        Index("ix_login_event_username_at", "username", "at"),  # a name's recent history
        Index("ix_login_event_at", "at"),  # every name's, for the list and the log
        _one_of("outcome", LoginOutcome, "outcome"),
    )

    id: int | None = Field(default=None, primary_key=True)
    username: str
    at: datetime = Field(sa_type=UTCDateTime)
    outcome: str
    remote: str | None = None  # the client's address as the web server saw it
