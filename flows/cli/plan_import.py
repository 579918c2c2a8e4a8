"""`dondoc plan import`: draft a plan file from a Word or text document, then check it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from flows.cli._app import cli_errors, err, plan_app
from flows.cli._app import out as console
from models.importer.problems import NoteKind

if TYPE_CHECKING:  # the pipeline (YAML, loader) is imported only when the command runs
    from models.importer.pipeline import ImportResult

# 0: the draft passes `plan check` and nothing is left to confirm; 1: it was written but has
# `# TODO confirm` marks or fails `plan check`; 2 (cli_errors): nothing could be read or written.
EXIT_TO_CONFIRM = 1
MAX_WARNINGS_SHOWN = 5

Document = Annotated[Path, typer.Argument(help="Văn bản kế hoạch: .txt, .md hoặc .docx.")]
Out = Annotated[
    Path | None, typer.Option("--out", help="Tệp YAML sẽ ghi; mặc định plans/<mã>.yaml.")
]
Year = Annotated[
    int | None,
    typer.Option("--year", min=1990, max=2100, help="Năm của các ngày không ghi năm."),
]
Registries = Annotated[
    list[Path] | None,
    typer.Option("--registry", help="Danh mục đơn vị bổ sung (YAML); dùng được nhiều lần."),
]
Code = Annotated[str | None, typer.Option("--code", help="Mã kế hoạch; mặc định: đề xuất.")]
Force = Annotated[bool, typer.Option("--force", help="Ghi đè tệp --out đã có.")]


@plan_app.command("import")
def plan_import(
    document: Document,
    out: Out = None,
    year: Year = None,
    registry: Registries = None,
    code: Code = None,
    force: Force = False,
) -> None:
    """Soạn bản nháp kế hoạch (YAML) từ văn bản; đánh dấu “TODO confirm” chỗ phải xác nhận.

    Mã thoát: 0 bản nháp qua `plan check` và không còn chỗ cần xác nhận; 1 còn “TODO confirm”
    hoặc chưa qua `plan check`; 2 không đọc được văn bản, không ghi gì."""
    complete = cli_errors(run_import)(document, out, year, registry or [], code, force)
    if not complete:
        raise typer.Exit(EXIT_TO_CONFIRM)


def run_import(
    document: Path,
    out: Path | None,
    year: int | None,
    registries: list[Path],
    code: str | None,
    force: bool,
) -> bool:
    """Draft, write (all or nothing), summarise; True when the draft passes `plan check` with
    nothing left to confirm."""
    from models.importer.output import write_draft
    from models.importer.pipeline import import_document

    result = import_document(document, year=year, registries=registries, code=code, out=out)
    write_draft(result.out, result.text, force=force)
    show_summary(result, console, err)
    return result.complete


def show_summary(result: ImportResult, console: Console, err: Console) -> None:
    """What was found, what was guessed, what could not be placed, and what `plan check` says."""
    console.print(_found_table(result))
    notes = _notes_table(result)
    if notes.row_count:
        console.print(notes)
    _show_tally(result, console)
    _check_verdict(result, console, err)


def _show_tally(result: ImportResult, console: Console) -> None:
    """Found / guessed / unplaced, then every unplaced sentence with its line in the document."""
    from models.importer.summary import tally

    counted = tally(result.plan)
    console.print(
        f"Đã ghi bản nháp [bold]{escape(str(result.out))}[/]: tìm thấy {counted.found} nhiệm vụ, "
        f"{len(result.plan.units)} đơn vị; {counted.guessed} chỗ đoán, đánh dấu “# TODO confirm” "
        f"(trong đó {counted.ambiguous} chỗ mơ hồ); {len(counted.unplaced)} chỗ không xếp được"
        + (":" if counted.unplaced else "."),
        soft_wrap=True,
    )
    for note in counted.unplaced:
        where = f"dòng {note.line}" if note.line else "không rõ dòng"
        console.print(f"  - Không xếp được, {where}: {escape(note.message)}", soft_wrap=True)


def _found_table(result: ImportResult) -> Table:
    from models.importer.summary import found_rows

    table = Table(title=f"Tìm thấy trong {result.plan.source}", title_justify="left")
    for header in ("Nhiệm vụ", "Đơn vị", "Gửi", "Hạn", "Chờ", "Ghi chú"):
        table.add_column(header, overflow="fold")
    for row in found_rows(result.plan):
        cells = (row.code, row.owner, row.to, row.due, row.after, row.doubt)
        table.add_row(*(Text(cell) for cell in cells))  # the document's words, not markup
    return table


def _notes_table(result: ImportResult) -> Table:
    from models.importer.summary import notes_of, where

    table = Table(title="Cần xác nhận", title_justify="left")
    for header in ("Loại", "Chỗ", "Dòng", "Ghi chú"):
        table.add_column(header, overflow="fold")
    for kind in (NoteKind.AMBIGUOUS, NoteKind.GUESSED):  # the unplaced are listed after
        for note in notes_of(result.plan, kind):
            cells = (note.label, where(note), str(note.line or ""), note.message)
            table.add_row(*(Text(cell) for cell in cells))  # "[don-vi-a, …]" is no markup
    return table


def _check_verdict(result: ImportResult, console: Console, err: Console) -> None:
    if result.errors:
        err.print(
            f"[red]Bản nháp chưa qua `dondoc plan check`[/] ({len(result.errors)} lỗi) — sửa rồi "
            "kiểm tra lại:",
            soft_wrap=True,
        )
        for problem in result.errors:
            err.print(f"[red]Lỗi:[/] {problem.render(str(result.out))}", soft_wrap=True)
        return
    for problem in result.warnings[:MAX_WARNINGS_SHOWN]:
        err.print(f"[yellow]Cảnh báo:[/] {problem.render(str(result.out))}", soft_wrap=True)
    hidden = len(result.warnings) - MAX_WARNINGS_SHOWN
    if hidden > 0:
        err.print(f"[yellow]Cảnh báo:[/] … và {hidden} cảnh báo khác (`dondoc plan check`).")
    checked = f"Bản nháp hợp lệ theo `dondoc plan check {escape(str(result.out))}`"
    if result.complete:
        console.print(f"[green]✓[/] {checked}; không còn chỗ nào cần xác nhận.", soft_wrap=True)
        return
    console.print(
        f"[yellow]![/] {checked} nhưng còn {len(result.plan.notes)} chỗ “TODO confirm”: xác "
        "nhận từng chỗ, xoá ghi chú rồi mới `dondoc plan load`.",
        soft_wrap=True,
    )
