"""Hostile names in a plan (HTML, Jinja, CR/LF, formulas, Markdown, rich markup) stay text in
every place dondoc shows them: e-mails, the board (HTML, Excel), Prefect artifacts, the CLI."""

from __future__ import annotations

import json
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rich.console import Console

from flows.artifacts import escape_markdown, late_rows, summary_markdown
from flows.cli import render
from models.evaluate import evaluate
from models.loader import read_plan_text
from models.plan import Plan
from notifications.board import board_view
from notifications.board_html import render_board_html
from notifications.board_xlsx import write_board_xlsx
from notifications.ladder import Rule
from notifications.mime import letter
from tests.builders import LADDER_UNITS, deliverable, local
from tests.html_pages import parse_html, text_content
from tests.notifications.ladder_runs import replay

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JINJA = "{{ 7*7 }} {% for x in range(3) %}x{% endfor %}"
CRLF = "X\r\nBcc: evil@x.example"
FORMULA = '=HYPERLINK("http://evil.example","bấm")'
MARKDOWN = "**đậm** [link](javascript:alert(1)) | ô | `mã` # \n- giả"
MARKUP = "[/] [bold red]đỏ[/bold red] [link=http://evil.example]x[/link]"
LONG = "Dài " * 450  # with the rest of the title, just under the 2000-character limit
HOSTILE = {"d1": SCRIPT, "d2": IMG + " " + JINJA, "d3": CRLF, "vp": FORMULA}
FROM = "Văn phòng <vp@x.example>"


def hostile_plan() -> Plan:
    units = [dict(u, name=HOSTILE.get(u["code"], u["name"])) for u in LADDER_UNITS]
    units.append({"code": "d4", "name": MARKUP, "email": "d4@x.example"})
    deliverables = [
        deliverable(
            "report",
            "group:huyen",
            title=f"{SCRIPT} {JINJA} {MARKDOWN} {LONG}",
            to="vp",
            due={"before": "2023-03-09"},
            quote=f"{IMG}\r\nBcc: evil@x.example {JINJA}",
        ),
        deliverable("speech", "d4", title=f"{FORMULA} {MARKUP}", due={"before": "2023-03-10"}),
    ]
    document = {
        "code": "p",
        "title": f"{CRLF} {SCRIPT} {MARKDOWN}",
        "coordinator": "vp",
        "leaders": ["lead"],
        "units": units,
        "groups": {"huyen": ["d1", "d2", "d3"]},
        "deliverables": deliverables,
    }
    return read_plan_text(json.dumps(document, ensure_ascii=False), "hostile.yaml").plan


PLAN = hostile_plan()
AS_OF = local(2023, 3, 12, 9)
STATUSES = evaluate(PLAN, [], AS_OF)


def test_the_loader_keeps_hostile_names_as_plain_text():
    """The spec refuses nothing here (names are free text): every renderer must escape."""
    assert PLAN.unit_name("d3") == CRLF and PLAN.unit_name("d1") == SCRIPT


# ---- e-mails ----------------------------------------------------------------------------------

MESSAGES = [m for _, m in replay(PLAN, [local(2023, 3, d, 9) for d in range(5, 15)])]


def test_every_rule_was_decided_for_the_hostile_plan():
    assert {m.rule for m in MESSAGES} >= {Rule.REMINDER, Rule.OVERDUE, Rule.ESCALATION}


@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: m.key)
def test_an_email_has_no_injected_header_and_a_one_line_subject(message):
    mail = message_from_bytes(letter(message, PLAN, FROM).eml, policy=policy.default)
    assert mail["Bcc"] is None and "evil" not in str(mail["To"]) + str(mail["Cc"] or "")
    assert len(mail.get_all("To", [])) == 1 and len(mail.get_all("Subject", [])) == 1
    assert "\r" not in mail["Subject"] and "\n" not in mail["Subject"]
    assert all("evil" not in address for address in message.recipients)
    header_names = {name.lower() for name in mail}
    assert header_names <= {
        "mime-version",
        "content-type",
        "message-id",
        "date",
        "from",
        "to",
        "cc",
        "reply-to",
        "subject",
        "in-reply-to",
        "references",
        "auto-submitted",
        "x-dondoc-key",
    }


@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: m.key)
def test_the_html_part_is_escaped_and_the_text_part_is_not_evaluated(message):
    mail = message_from_bytes(letter(message, PLAN, FROM).eml, policy=policy.default)
    html_part, text_part = mail.get_body(("html",)), mail.get_body(("plain",))
    assert html_part is not None and text_part is not None
    html, text = html_part.get_content(), text_part.get_content()
    page = parse_html(html)
    assert page.xpath("//script") == [] and page.xpath("//@onerror") == []
    assert page.xpath("//img") == []
    for part in (html, text):
        assert "49" not in part and "xxx" not in part  # {{ 7*7 }} and the loop stay as typed
    if message.unit in ("d1", "d2") or message.rule is Rule.ESCALATION:
        assert "{{ 7*7 }}" in text or "{{ 7*7 }}" in html or message.unit == "d1"


def test_a_coordinator_name_with_a_line_break_cannot_add_a_header():
    units = [dict(u, name=CRLF if u["code"] == "vp" else u["name"]) for u in LADDER_UNITS]
    document = {
        "code": "p",
        "title": "t",
        "coordinator": "vp",
        "leaders": ["lead"],
        "units": units,
        "groups": {"huyen": ["d1", "d2", "d3"]},
        "deliverables": [deliverable("r", "group:huyen", due={"before": "2023-03-09"})],
    }
    plan = read_plan_text(json.dumps(document), "t.yaml").plan
    decided = [m for _, m in replay(plan, [local(2023, 3, d, 9) for d in range(5, 12)])]
    for message in decided:
        mail = message_from_bytes(letter(message, plan, "vp@x.example").eml, policy=policy.default)
        assert mail["Bcc"] is None and "\n" not in str(mail["From"])
        assert mail["From"].addresses[0].addr_spec == "vp@x.example"


# ---- the board --------------------------------------------------------------------------------

VIEW = board_view(PLAN, STATUSES, AS_OF)


def test_the_board_page_has_no_script_no_handler_and_shows_names_as_text():
    page = parse_html(render_board_html(VIEW))
    assert page.xpath("//script") == [] and page.xpath("//@onerror") == []
    assert page.xpath("//img") == []
    text = text_content(page)
    assert SCRIPT in text and "{{ 7*7 }}" in text and "49" not in text.replace("1949", "")


def test_no_name_becomes_a_formula_in_the_workbook(tmp_path: Path):
    workbook = load_workbook(write_board_xlsx(VIEW, tmp_path / "board.xlsx"))
    cells = [c for sheet in workbook for row in sheet.iter_rows() for c in row if c.value]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert any(c.value == FORMULA for c in cells)  # the name itself, kept as text


# ---- Prefect artifacts ------------------------------------------------------------------------


@pytest.mark.parametrize("name", [SCRIPT, IMG, MARKDOWN, CRLF, JINJA, "a\u2028# b"])
def test_escaped_markdown_is_one_line_without_markup(name: str):
    escaped = escape_markdown(name)
    assert "\n" not in escaped and "\r" not in escaped and "\u2028" not in escaped
    assert "<" not in escaped and "|" not in escaped.replace("\\|", "")
    for special in "*[]`":
        assert escaped.count(special) == escaped.count("\\" + special)


def test_the_summary_and_late_table_carry_no_raw_html_or_new_markdown_structure():
    summary = summary_markdown(PLAN, STATUSES, AS_OF)
    assert "<script>" not in summary and "<img" not in summary
    lines = summary.splitlines()
    assert sum(line.startswith("# ") for line in lines) == 1  # only the title heading
    assert not any(line.startswith("- giả") or line.startswith("Bcc") for line in lines)
    for row in late_rows(PLAN, STATUSES):
        for cell in row.values():
            assert "<" not in str(cell) and "\n" not in str(cell)


# ---- the terminal -----------------------------------------------------------------------------


def test_the_status_table_and_plan_tree_print_markup_like_names_as_typed():
    console = Console(width=400, record=True, color_system=None)
    console.print(render.status_table(PLAN, STATUSES, AS_OF))
    console.print(render.plan_tree(PLAN))
    printed = console.export_text()
    assert "[bold red]đỏ[/bold red]" in printed and "[/]" in printed


@pytest.mark.db
@pytest.mark.cli
def test_cli_commands_print_hostile_names_without_crashing(database_url, monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from flows.cli import app

    monkeypatch.setenv("DONDOC_DATABASE_URL", database_url)
    plan_file = tmp_path / "hostile.yaml"
    units = [dict(u, name=MARKUP) for u in LADDER_UNITS]
    document = {
        "code": "p",
        "title": MARKUP,
        "coordinator": "vp",
        "units": units,
        "groups": {"huyen": ["d1", "d2", "d3"]},
        "deliverables": [deliverable("r", "group:huyen", title=MARKUP, due={"by": "2023-03-09"})],
    }
    plan_file.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    runner = CliRunner()
    for args in (
        ["plan", "load", str(plan_file)],
        ["receive", "p", "r", "d1", "--at", "2023-03-08T10:00"],
        ["status", "p", "--as-of", "2023-03-10"],
        ["plan", "show", "p"],
        ["log", "p"],
        ["outbox", "list", "p"],
    ):
        result = runner.invoke(app, args, catch_exceptions=False)
        assert result.exit_code == 0, (args, result.output)
    assert "[bold red]đỏ[/bold red]" in runner.invoke(app, ["plan", "show", "p"]).stdout
