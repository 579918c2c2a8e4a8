"""`dondoc web`: the live, read-only pages of every loaded plan (Starlette)."""

from __future__ import annotations

from flows.web.app import create_app

__all__ = ["create_app"]
