"""`dondoc files check`: the content store of uploaded files against the rows that name them —
files no row names (harmless, deletable), rows whose file is gone (to restore), uploads left
half-written."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape

from flows.cli._app import EXIT_UNAVAILABLE, AsJson, cli_errors, files_app, out

if TYPE_CHECKING:
    from models.storage.uploads import StoreCheck

SHOWN = 20  # lines of each list on the terminal (--json has them all)


@files_app.command("check")
@cli_errors
def check(as_json: AsJson = False) -> None:
    """Đối chiếu kho tệp (DONDOC_FILES_DIR) với các lần nộp: tệp không lần nộp nào dùng (vô
    hại, xóa được), lần nộp có tệp bị mất (cần khôi phục từ bản sao lưu). Chỉ đọc."""
    from flows import runtime
    from models.storage.uploads import check_content_store

    current = runtime.current()
    with current.session() as session:
        report = check_content_store(session, current.files_dir())
    if as_json:
        typer.echo(json.dumps(_document(report), ensure_ascii=False, indent=2))
    else:
        _print(report)
    if report.missing:
        raise typer.Exit(EXIT_UNAVAILABLE)  # files lost: an operator restores them


def _print(report: StoreCheck) -> None:
    from models.uploads.limits import size_text

    out.print(
        f"Kho tệp {escape(str(report.root))}: {report.blobs} tệp, {size_text(report.size)}.",
        soft_wrap=True,
    )
    if report.missing:
        out.print(
            f"[red]{len(report.missing)} tệp đính kèm bị mất[/] (lần nộp còn ghi, tệp không còn "
            "trong kho): khôi phục kho từ bản sao lưu."
        )
        for reference in report.missing[:SHOWN]:
            where = f"{reference.plan} · {reference.deliverable} · {reference.unit}"
            line = f"  dòng #{reference.submission} · {where} · {reference.name}"
            out.print(f"{line} · {reference.sha256}", markup=False, soft_wrap=True)
    if report.unreferenced:
        out.print(
            f"{len(report.unreferenced)} tệp không lần nộp nào dùng (tải lên nhưng lần nộp bị "
            "từ chối hoặc chưa gửi): vô hại, xóa được."
        )
        for sha256, size in report.unreferenced[:SHOWN]:
            out.print(f"  {sha256} · {size_text(size)}", markup=False)
    if report.leftovers:
        out.print(
            f"{len(report.leftovers)} tệp tạm trong .tmp (đang tải lên, hoặc bị ngắt giữa "
            "chừng): xóa được khi không ai đang tải lên."
        )
    if not (report.missing or report.unreferenced or report.leftovers):
        out.print("Kho tệp khớp với các lần nộp.")


def _document(report: StoreCheck) -> dict[str, Any]:
    return {
        "root": str(report.root),
        "blobs": report.blobs,
        "size": report.size,
        "missing": [asdict(reference) for reference in report.missing],
        "unreferenced": [{"sha256": sha, "size": size} for sha, size in report.unreferenced],
        "leftovers": [str(path) for path in report.leftovers],
    }
