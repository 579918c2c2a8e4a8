"""Prefect fixtures of the flow tests; `prefect_server` and `seeded` live in tests/conftest.py so
that every folder shares one temporary Prefect server per session."""

from __future__ import annotations

from prefect.testing.fixtures import asserting_events_worker  # noqa: F401 (a fixture)
