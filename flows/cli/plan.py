"""`dondoc plan …`: check, load, show and list plans; export a plan with its record and import
that record elsewhere (`plan import`, the drafting of a plan from a document, is plan_import)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from flows.cli._app import PlanCode, cli_errors, err, now, out, plan_app

PlanFile = Annotated[Path, typer.Argument(help="Tệp kế hoạch YAML.")]
OutDir = Annotated[
    Path, typer.Option("--out", help="Thư mục ghi <mã>.yaml và <mã>.submissions.csv.")
]
CsvFile = Annotated[Path, typer.Argument(help="Tệp <mã>.submissions.csv do plan export ghi.")]


@plan_app.command("check")
@cli_errors
def plan_check(file: PlanFile) -> None:
    """Kiểm tra một tệp kế hoạch (không ghi gì vào cơ sở dữ liệu)."""
    from models.loader import read_plan_file

    loaded = read_plan_file(file)
    for warning in loaded.warnings:
        err.print(f"[yellow]Cảnh báo:[/] {warning.render(str(file))}", soft_wrap=True)
    plan = loaded.plan
    out.print(
        f"[green]✓[/] {file}: kế hoạch [bold]{plan.code}[/] hợp lệ — {len(plan.units)} đơn vị, "
        f"{len(plan.deliverables)} nhiệm vụ, {len(plan.assignments)} phân công."
    )


@plan_app.command("load")
@cli_errors
def plan_load(
    file: PlanFile,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Nạp cả khi có ghi nhận không còn thuộc kế hoạch, hay số liệu đã lưu không còn "
            "đọc được theo khai báo mới.",
        ),
    ] = False,
) -> None:
    """Nạp (hoặc cập nhật) một kế hoạch; nạp lại cùng tệp không thay đổi gì."""
    from flows import runtime
    from models.loader import read_plan_file
    from models.storage.store import save_plan

    loaded = read_plan_file(file)
    with runtime.session() as session:
        report = save_plan(session, loaded, force=force)
    verb = {"created": "Đã nạp", "updated": "Đã cập nhật", "unchanged": "Không thay đổi"}
    out.print(
        f"{verb[report.action]} kế hoạch [bold]{report.plan}[/]: {report.units} đơn vị, "
        f"{report.deliverables} nhiệm vụ, {report.assignments} phân công."
    )
    for deliverable, unit in report.orphaned:
        err.print(f"[yellow]Cảnh báo:[/] ghi nhận {deliverable}/{unit} không còn thuộc kế hoạch.")
    for figure in report.unreadable:
        err.print(
            f"[yellow]Cảnh báo:[/] số liệu {escape(figure.describe())} không đọc được theo khai "
            "báo mới: giữ nguyên, hiện là không dùng được, không cộng vào tổng."
        )


@plan_app.command("show")
@cli_errors
def plan_show(code: PlanCode) -> None:
    """Xem sơ đồ các nhiệm vụ và thứ tự phụ thuộc."""
    from flows import runtime
    from flows.cli import render
    from models.storage.store import read_snapshot

    with runtime.session() as session:
        plan = read_snapshot(session, code).plan
    out.print(render.plan_tree(plan))


@plan_app.command("list")
@cli_errors
def plan_list() -> None:
    """Liệt kê các kế hoạch đã nạp."""
    from flows import runtime
    from models.storage.store import plan_codes

    with runtime.session() as session:
        codes = plan_codes(session)
    out.print("\n".join(codes) if codes else "Chưa có kế hoạch nào (dùng: dondoc plan load TỆP).")


@plan_app.command("export")
@cli_errors
def export(code: PlanCode, out_dir: OutDir) -> tuple[Path, Path]:
    """Xuất kế hoạch (nguyên văn tệp đã nạp) và mọi ghi nhận (CSV, theo thứ tự ghi)."""
    from zoneinfo import ZoneInfo

    from flows import runtime
    from models.files.atomic import write_atomically
    from models.files.submissions_csv import records_of, submissions_csv
    from models.storage.store import all_submissions, plan_row

    # Each file is written whole or not at all (a temporary file, then a rename).
    with runtime.session() as session:
        row = plan_row(session, code)  # the text as loaded and the timezone: no plan rebuild
        tz, spec_yaml = ZoneInfo(row.timezone), row.spec_yaml
        records = records_of(all_submissions(session, code))
    out_dir.mkdir(parents=True, exist_ok=True)
    plan_file = write_atomically(out_dir / f"{code}.yaml", spec_yaml)
    csv_file = write_atomically(out_dir / f"{code}.submissions.csv", submissions_csv(records, tz))
    out.print(f"Đã ghi {plan_file}")
    out.print(f"Đã ghi {csv_file} ({len(records)} ghi nhận)")
    return plan_file, csv_file


@plan_app.command("import-submissions")
@cli_errors
def import_submissions(code: PlanCode, file: CsvFile) -> int:
    """Nạp các ghi nhận đã xuất vào một cơ sở dữ liệu có kế hoạch này nhưng chưa có ghi nhận."""
    from zoneinfo import ZoneInfo

    from flows import runtime
    from models.errors import FileError, Problem
    from models.files.submissions_csv import read_submissions_csv
    from models.history_import import import_history
    from models.storage.store import plan_row

    # Every row passes the checks of `receive`; then all rows go in one transaction, or none.
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FileError(str(file), [Problem(f"không đọc được tệp: {exc}")]) from exc
    current = runtime.current()
    with current.session() as session:
        tz = ZoneInfo(plan_row(session, code).timezone)
        read = read_submissions_csv(text, str(file), tz)
        tolerance = current.settings.recording.future_tolerance
        count = import_history(session, code, read, now(), tolerance)
    out.print(f"Đã nạp {count} ghi nhận vào kế hoạch [bold]{code}[/].")
    return count
