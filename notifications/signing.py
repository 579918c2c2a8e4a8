"""Signed, timestamped tokens (itsdangerous) for the personal links and the console sessions."""

from __future__ import annotations

import hashlib
from datetime import datetime

from itsdangerous import TimestampSigner, URLSafeTimedSerializer


def timed_serializer(
    secret: str, salt: str, moment: datetime | None = None
) -> URLSafeTimedSerializer:
    """HMAC-SHA256 (itsdangerous defaults to SHA-1) under `salt`, so that a token of one kind
    is never valid as another; signing at `moment` when given: the moment the shell passes,
    not the machine clock read here."""
    digest = {"digest_method": hashlib.sha256}
    if moment is None:
        return URLSafeTimedSerializer(secret, salt=salt, signer_kwargs=digest)
    stamp = int(moment.timestamp())

    class SignedAt(TimestampSigner):
        def get_timestamp(self) -> int:
            return stamp

    return URLSafeTimedSerializer(secret, salt=salt, signer=SignedAt, signer_kwargs=digest)
