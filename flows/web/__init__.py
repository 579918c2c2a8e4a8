"""`dondoc web`: the live, read-only pages of every loaded plan, and the coordinator console
(Starlette)."""

from __future__ import annotations

from flows.web.app import create_app
from flows.web.connection import server_options

__all__ = ["create_app", "server_options"]
