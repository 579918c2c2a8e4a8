"""The personal links' tokens: what a genuine one names, and every way a token is refused."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest

from notifications.links import (
    ExpiredLink,
    PersonalLinks,
    UntrustedLink,
    check_in_time,
    expires_at,
    sign,
    verify,
)
from tests.notifications.test_render import PLAN

SECRET = "k" * 40
SIGNED = datetime(2023, 3, 6, 0, 30, tzinfo=UTC)  # 07:30 in Hà Nội, a reminder's morning
LAST_DEADLINE = datetime(2023, 3, 15, tzinfo=PLAN.tz)  # "trước ngày 15/03/2023"


def test_a_signed_token_names_the_plan_the_deliverable_and_the_unit() -> None:
    claim = verify(SECRET, sign(SECRET, PLAN.code, "report", "d1", SIGNED))
    assert (claim.plan, claim.deliverable, claim.unit) == (PLAN.code, "report", "d1")
    assert claim.signed_at == SIGNED


def test_a_token_is_url_safe_and_a_link_puts_it_below_n() -> None:
    links = PersonalLinks("http://vptu.example:8765", SECRET, SIGNED)
    url = links.url(PLAN.code, "report", "d1")
    prefix = "http://vptu.example:8765/n/"
    assert url.startswith(prefix)
    token = url.removeprefix(prefix)
    assert all(c.isalnum() or c in "-_." for c in token)


def test_a_token_signed_with_another_secret_is_refused() -> None:
    forged = sign("f" * 40, PLAN.code, "report", "d1", SIGNED)
    with pytest.raises(UntrustedLink, match="Liên kết không đúng"):
        verify(SECRET, forged)


def test_a_rotated_secret_revokes_every_token_signed_before() -> None:
    token = sign(SECRET, PLAN.code, "report", "d1", SIGNED)
    with pytest.raises(UntrustedLink, match="thu hồi"):
        verify("r" * 40, token)


def test_a_token_whose_payload_names_another_unit_is_refused() -> None:
    token = sign(SECRET, PLAN.code, "report", "d1", SIGNED)
    _, rest = token.split(".", 1)
    other = base64.urlsafe_b64encode(json.dumps([PLAN.code, "report", "d2"]).encode())
    with pytest.raises(UntrustedLink):
        verify(SECRET, other.decode().rstrip("=") + "." + rest)


def test_a_token_with_a_changed_timestamp_is_refused() -> None:
    payload, _, signature = sign(SECRET, PLAN.code, "report", "d1", SIGNED).split(".")
    later = sign(SECRET, PLAN.code, "report", "d1", SIGNED + timedelta(days=400)).split(".")[1]
    with pytest.raises(UntrustedLink):
        verify(SECRET, f"{payload}.{later}.{signature}")


@pytest.mark.parametrize("token", ["", "abc", "a.b.c", "....", "%00", "x" * 5000, "é.é.é"])
def test_garbage_is_refused_in_words_not_a_traceback(token: str) -> None:
    with pytest.raises(UntrustedLink):
        verify(SECRET, token)


def test_a_link_opens_until_the_configured_days_after_the_plans_last_deadline() -> None:
    claim = verify(SECRET, sign(SECRET, PLAN.code, "report", "d1", SIGNED))
    end = LAST_DEADLINE + timedelta(days=30)
    assert expires_at(PLAN, claim.signed_at, 30) == end
    check_in_time(claim, PLAN, end - timedelta(seconds=1), 30)
    with pytest.raises(ExpiredLink, match=r"hết hạn từ 00:00 ngày 14/04/2023"):
        check_in_time(claim, PLAN, end, 30)


def test_a_link_sent_after_the_plans_end_still_opens_for_the_configured_days() -> None:
    """A replayed or late overdue notice: its time counts from when it was signed."""
    sent = datetime(2026, 1, 5, 2, tzinfo=UTC)
    claim = verify(SECRET, sign(SECRET, PLAN.code, "report", "d1", sent))
    check_in_time(claim, PLAN, sent + timedelta(days=29), 30)
    with pytest.raises(ExpiredLink):
        check_in_time(claim, PLAN, sent + timedelta(days=30), 30)
