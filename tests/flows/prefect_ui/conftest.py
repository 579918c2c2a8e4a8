"""One real Prefect server with its UI for this folder, a seeded dondoc database, the dondoc
deployments served against both, and headless Chromium as a coordinator in Vietnam uses it
(locale vi-VN, timezone Asia/Ho_Chi_Minh).

Package-scoped: starting the server and `dondoc serve` costs ≈ 25 s on this machine, once
for every test module here."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from models.loader import LoadedPlan
from tests.flows.prefect_ui.seeding import seeded_database
from tests.flows.prefect_ui.servers import (
    Served,
    dondoc_serving,
    prefect_database,
    prefect_server,
)

if TYPE_CHECKING:  # for the annotations: the fixtures import playwright when they run
    from playwright.sync_api import Browser, Page

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="package")
def chromium() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (Debian: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="package")
def served(
    chromium: Browser, tmp_path_factory: pytest.TempPathFactory, seed: LoadedPlan
) -> Iterator[Served]:
    """`prefect server start` (its own PREFECT_HOME; on PostgreSQL when it answers) and
    `dondoc serve --plan gap-mat-2023` on a SQLite file holding the seed plan and its arrivals
    (Chromium first: no servers start when the tests would skip)."""
    folder = tmp_path_factory.mktemp("prefect-ui")
    database_url = seeded_database(folder, seed)
    home = folder / "prefect-home"
    home.mkdir()
    with (
        prefect_database() as database,
        prefect_server(home, folder / "server.log", database) as ui,
        dondoc_serving(ui, database_url, folder),
    ):
        yield Served(ui, database_url, folder)


@pytest.fixture
def page(chromium: Browser, served: Served, tmp_path: Path) -> Iterator[Page]:
    """A fresh browser profile as the coordinator's (Vietnamese locale, Vietnam time); its
    last screen is kept in the test's folder for whoever reads a failure."""
    context = chromium.new_context(
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": 1400, "height": 1000},
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    yield page
    page.screenshot(path=str(tmp_path / "last.png"))
    context.close()
