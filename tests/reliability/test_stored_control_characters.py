"""Issue 13, class 7 (second part): text already stored with control characters in it.

The checks refuse them at entry now, but a database loaded before those checks, or edited by
hand, may hold a unit name that clears the screen and retitles the window, or a NUL in a note.
Every output shows such text safely: the terminal (real `dondoc` processes, with colours
forced on so Rich's own escapes are there too), the board's page and workbook, the e-mails."""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, text

from models.loader import LoadedPlan
from models.storage.engine import session_scope
from models.storage.store import append_submission, save_plan
from tests.builders import local
from tests.paths import ROOT
from tests.processes import PLAN, child_env

pytestmark = [pytest.mark.db, pytest.mark.cli]
CLEAR_AND_RETITLE = "\x1b[2J\x1b]0;bị chiếm\x07"
NAME = f"Thành ủy{CLEAR_AND_RETITLE} Hà Tĩnh"
TITLE = "Gặp mặt\x1b[2J cán bộ chủ chốt cơ sở năm 2023"
NOTE = "nộp\x00 bản cứng\x1b[31m, đỏ\x9b"
# What Rich itself writes with colours on: Select Graphic Rendition, nothing else.
SGR = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def tainted(engine: Engine, seed: LoadedPlan) -> Engine:
    """The seed plan, then a unit renamed and a note written past the checks (plain SQL)."""
    with session_scope(engine) as session:
        save_plan(session, seed)
        session.execute(
            text("UPDATE unit SET name = :name WHERE code = 'tp-ha-tinh'"), {"name": NAME}
        )
        session.execute(text("UPDATE plan SET title = :title"), {"title": TITLE})
        at = local(2023, 3, 8, 10)
        append_submission(
            session,
            PLAN,
            deliverable="bc-huyen",
            unit="tp-ha-tinh",
            kind="received",
            received_at=at,
            recorded_at=at + timedelta(minutes=5),
            recorded_by="vptu\x1b[2J",
            # PostgreSQL holds no NUL in text at all; SQLite does
            note=NOTE if engine.dialect.name == "sqlite" else NOTE.replace("\x00", ""),
        )
    return engine


def dondoc(database_url: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ROOT / ".venv" / "bin" / "dondoc"), *args],
        env=child_env(database_url, FORCE_COLOR="1", TERM="xterm-256color", **env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def only_styles(output: str) -> bool:
    """No escape but Rich's colours, no BEL, no NUL, no C1 control."""
    rest = SGR.sub("", output)
    return not any(c in rest for c in "\x1b\x07\x00\x9b")


@pytest.mark.parametrize(
    "args",
    [
        ("log", PLAN),
        ("log", PLAN, "--unit", "tp-ha-tinh"),
        ("status", PLAN, "--as-of", "2023-03-10T09:00"),
        ("plan", "show", PLAN),
    ],
    ids=["log", "log-unit", "status", "plan-show"],
)
def test_the_terminal_gets_no_escape_but_rich_colours(
    tainted: Engine, database_url: str, args: tuple[str, ...]
):
    done = dondoc(database_url, *args)
    assert done.returncode == 0, done.stderr
    assert "␛[2J" in done.stdout  # shown, as a visible symbol
    assert SGR.search(done.stdout), "colours were forced on: Rich's own escapes must remain"
    assert only_styles(done.stdout) and only_styles(done.stderr)


def test_the_board_page_workbook_and_e_mails_show_the_text_safely(
    tainted: Engine, database_url: str, tmp_path: Path
):
    out, mail = tmp_path / "board", tmp_path / "outbox"
    board = dondoc(database_url, "board", PLAN, "--as-of", "2023-03-10T09:00", "--out", str(out))
    assert board.returncode == 0, board.stderr
    page = (out / "board.html").read_text(encoding="utf-8")
    assert "Thành ủy␛[2J␛]0;bị chiếm␇ Hà Tĩnh" in page
    assert not any(c in page for c in "\x1b\x07\x00")
    book = openpyxl.load_workbook(out / "board.xlsx")  # openpyxl would refuse an ESC
    cells = [str(c) for s in book for row in s.iter_rows(values_only=True) for c in row if c]
    assert any("Thành ủy␛" in c for c in cells)
    env = {"DONDOC_MAIL_TRANSPORT": "file", "DONDOC_OUTBOX_DIR": str(mail)}
    track = dondoc(database_url, "track", PLAN, "--as-of", "10/03/2023 09:00", **env)
    assert track.returncode == 0, track.stderr
    letters = sorted(mail.glob("**/*.eml"))
    assert letters
    named = 0
    for letter in letters:
        raw = letter.read_bytes()
        assert b"\x1b" not in raw and b"\x07" not in raw
        message = message_from_bytes(raw, policy=policy.default)
        body = "".join(part.get_content() for part in message.walk() if not part.is_multipart())
        assert "\x1b" not in body and "\x1b" not in str(message["Subject"])
        named += "Thành ủy␛" in body
    assert named  # the unit's own letters name it, safely
