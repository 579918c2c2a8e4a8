"""`dondoc demo`: the replay of the seed plan, 01/03 → 22/03/2023, with its own database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from flows.cli._app import app, cli_errors, out


@app.command()
@cli_errors
def demo(
    workdir: Annotated[
        Path, typer.Option("--dir", help="Thư mục cho cơ sở dữ liệu và kết quả của bản demo.")
    ] = Path("demo"),
) -> None:
    """Mô phỏng kế hoạch mẫu từ 01/03 đến 22/03/2023, mỗi sáng chạy track-plan lúc 07:30."""
    from flows.demo.console import run

    run(workdir, out)
