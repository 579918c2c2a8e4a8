"""The units' personal links: a signed token naming a plan, a deliverable and a unit.

The token is itsdangerous's URL-safe timed serialization of `[plan, deliverable, unit]`,
HMAC-SHA256 with the signing secret; its timestamp is the wall-clock moment it was signed
(when the e-mail was composed for sending, not the run's `as_of`). It opens the assignment's
page until `valid_days` after the plan's last deadline, or after its signing when that came
later (an overdue notice sent after the plan's end still gets `valid_days`). Rotating the
secret revokes every link at once: they no longer verify."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from itsdangerous import BadSignature, URLSafeTimedSerializer

from models.plan import Plan
from notifications.signing import timed_serializer

SALT = "dondoc.personal-link.v1"  # a new format gets a new salt: old tokens then fail cleanly
LINK_PATH = "n"  # /n/<token> on `dondoc web`


@dataclass(frozen=True)
class LinkClaim:
    """What a verified token says: whose page it opens, and when it was signed (UTC)."""

    plan: str
    deliverable: str
    unit: str
    signed_at: datetime


class LinkRefused(Exception):
    """A token that opens nothing; the message is what the reader is told (Vietnamese)."""


class UntrustedLink(LinkRefused):
    """Forged, altered, cut short, or signed with a secret since rotated (403)."""


class ExpiredLink(LinkRefused):
    """Genuine, but past its time (410)."""


def _serializer(secret: str, moment: datetime | None = None) -> URLSafeTimedSerializer:
    return timed_serializer(secret, SALT, moment)


def sign(secret: str, plan: str, deliverable: str, unit: str, now: datetime) -> str:
    """The token of one assignment's page, signed at `now` (aware)."""
    return _serializer(secret, now).dumps([plan, deliverable, unit])


def verify(secret: str, token: str) -> LinkClaim:
    """What a genuine token names; UntrustedLink for anything else (never a traceback)."""
    try:
        payload, signed_at = _serializer(secret).loads(token, return_timestamp=True)
    except (BadSignature, ValueError, json.JSONDecodeError):
        raise UntrustedLink(
            "Liên kết không đúng: có thể đã bị sửa, bị cắt mất một phần khi sao chép, hoặc đã bị "
            "thu hồi. Xin mở lại liên kết trong thư mới nhất, hoặc liên hệ đơn vị theo dõi."
        ) from None
    if not (isinstance(payload, list) and len(payload) == 3):
        raise UntrustedLink("Liên kết không đúng định dạng.")
    if not all(isinstance(part, str) for part in payload):
        raise UntrustedLink("Liên kết không đúng định dạng.")
    return LinkClaim(payload[0], payload[1], payload[2], signed_at.astimezone(UTC))


def expires_at(plan: Plan, signed_at: datetime, valid_days: int) -> datetime:
    """`valid_days` after the later of the plan's last deadline and the signing moment."""
    last = max((d.deadline.due_at for d in plan.deliverables.values() if d.deadline), default=None)
    start = signed_at if last is None else max(last, signed_at)
    return start + timedelta(days=valid_days)


def check_in_time(claim: LinkClaim, plan: Plan, now: datetime, valid_days: int) -> None:
    """ExpiredLink, saying since when, once the link's time is over."""
    end = expires_at(plan, claim.signed_at, valid_days)
    if now >= end:
        local = end.astimezone(plan.tz)
        raise ExpiredLink(
            f"Liên kết này đã hết hạn từ {local:%H:%M} ngày {local:%d/%m/%Y}. Xin liên hệ đơn "
            "vị theo dõi kế hoạch nếu đơn vị còn cần cập nhật nhiệm vụ."
        )


@dataclass(frozen=True)
class PersonalLinks:
    """Makes the link of each assignment for e-mails composed at `now` (wall clock)."""

    base_url: str  # without a trailing slash
    secret: str
    now: datetime

    def url(self, plan: str, deliverable: str, unit: str) -> str:
        return f"{self.base_url}/{LINK_PATH}/{sign(self.secret, plan, deliverable, unit, self.now)}"
