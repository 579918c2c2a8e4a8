"""The `dondoc` command line (thin: parse, call the domain, print).

Each command module registers its commands on the apps of the leaf `_app`, which imports no
command module: importing them here, once, is the whole registration (no import cycle). The
order of the imports is the order of `dondoc --help`."""

from __future__ import annotations

# isort: off
from flows.cli import arrivals, status, track, demo, board, log, web  # noqa: F401
from flows.cli import plan, plan_import, outbox, users, files  # noqa: F401

# isort: on
from flows.cli._app import app

__all__ = ["app", "main"]


def main() -> None:
    app()


if __name__ == "__main__":
    main()
