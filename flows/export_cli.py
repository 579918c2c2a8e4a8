"""`dondoc plan export` and `dondoc plan import-submissions`: move a plan and its record."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

PlanCode = Annotated[str, typer.Argument(help="Mã kế hoạch, ví dụ gap-mat-2023.")]
OutDir = Annotated[
    Path, typer.Option("--out", help="Thư mục ghi <mã>.yaml và <mã>.submissions.csv.")
]
CsvFile = Annotated[Path, typer.Argument(help="Tệp <mã>.submissions.csv do plan export ghi.")]


def register(plan_app: typer.Typer) -> None:
    """Add `export` and `import-submissions` to the `plan` commands."""
    plan_app.command("export")(export)
    plan_app.command("import-submissions")(import_submissions)


def export(code: PlanCode, out: OutDir) -> None:
    """Xuất kế hoạch (nguyên văn tệp đã nạp) và mọi ghi nhận (CSV, theo thứ tự ghi)."""
    from flows.cli import cli_errors

    cli_errors(write_export)(code, out)


def import_submissions(code: PlanCode, file: CsvFile) -> None:
    """Nạp các ghi nhận đã xuất vào một cơ sở dữ liệu có kế hoạch này nhưng chưa có ghi nhận."""
    from flows.cli import cli_errors

    cli_errors(read_import)(code, file)


def write_export(code: str, out_dir: Path) -> tuple[Path, Path]:
    """Both files, each written whole or not at all (a temporary file, then a rename)."""
    from flows.cli import out
    from flows.database import database
    from models.atomic import write_atomically
    from models.export import records_of, submissions_csv
    from models.store import plan_row, submission_rows

    with database() as session:
        row = plan_row(session, code)  # the text as loaded and the timezone: no plan rebuild
        tz, spec_yaml = ZoneInfo(row.timezone), row.spec_yaml
        records = records_of(submission_rows(session, code))
    out_dir.mkdir(parents=True, exist_ok=True)
    plan_file = write_atomically(out_dir / f"{code}.yaml", spec_yaml)
    csv_file = write_atomically(out_dir / f"{code}.submissions.csv", submissions_csv(records, tz))
    out.print(f"Đã ghi {plan_file}")
    out.print(f"Đã ghi {csv_file} ({len(records)} ghi nhận)")
    return plan_file, csv_file


def read_import(code: str, file: Path) -> int:
    """Check the whole file, then insert it in one transaction (all rows or none)."""
    from flows.cli import out
    from flows.database import database
    from models.errors import PlanError, Problem
    from models.export import parse_submissions_csv
    from models.store import insert_submission_records, plan_row

    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanError(str(file), [Problem(f"không đọc được tệp: {exc}")]) from exc
    with database() as session:
        tz = ZoneInfo(plan_row(session, code).timezone)
        records = parse_submissions_csv(text, str(file), tz)
        count = insert_submission_records(session, code, records)
    out.print(f"Đã nạp {count} ghi nhận vào kế hoạch [bold]{code}[/].")
    return count
