"""The rendered e-mail of every rule, compared with a reviewed copy (tests/notifications/snapshots).

A change to a template shows up here as a diff to read. After reading it, refresh the copies
with `DONDOC_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/notifications/test_snapshots.py`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from notifications.ladder import Rule
from notifications.render import render
from tests.builders import at, received
from tests.notifications.test_render import DAYS, PLAN, first

SNAPSHOTS = Path(__file__).with_name("snapshots")


def check(name: str, rendered: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("DONDOC_UPDATE_SNAPSHOTS") == "1":
        path.write_text(rendered, encoding="utf-8")
    assert path.exists(), f"no reviewed copy of {name}: render it, read it, then update"
    assert rendered == path.read_text(encoding="utf-8"), f"{name} changed: read the diff"


@pytest.mark.parametrize("rule", [r for r in Rule if r is not Rule.RECEIPT])
def test_each_rule_renders_as_reviewed(rule: Rule) -> None:
    mail = render(first(rule, DAYS), PLAN)
    check(f"{rule.value}.html", mail.html)
    check(f"{rule.value}.txt", f"{mail.subject}\n\n{mail.text}")


def test_the_receipt_renders_as_reviewed() -> None:
    mail = render(first(Rule.RECEIPT, DAYS, [received("report", "d2", at(7, 9))]), PLAN)
    check("receipt.html", mail.html)
    check("receipt.txt", f"{mail.subject}\n\n{mail.text}")
