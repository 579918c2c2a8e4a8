"""What a coordinator does in the Prefect UI (V1, the one `prefect server start` serves at
its root in 3.9.1), as Playwright steps: open a deployment's Run form and fill it in, submit,
open the run, read its logs, switch the graph's layout, filter the runs by tag.

Fields are found by their Vietnamese titles (what the person reads), not by position."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the fixtures import playwright only when Chromium is there
    from playwright.sync_api import Locator, Page

RUN_URL = re.compile(r"/runs/flow-run/([0-9a-f-]{36})")
# An entry of the form's lists reads `duc-tho — Huyện ủy Đức Thọ` (flows/record_form.py).
ENTRY_SEPARATOR = " — "


def open_custom_run(page: Page, base: str, deployment: str) -> None:
    """Deployments → the deployment → Run → Custom run: the form of its parameters."""
    page.goto(f"{base}/deployments", wait_until="networkidle")
    page.get_by_role("link", name=deployment, exact=True).first.click()
    page.wait_for_url("**/deployments/deployment/**")
    page.get_by_role("button", name="Run", exact=True).first.click()
    page.get_by_text("Custom run", exact=True).first.click()
    page.wait_for_url("**/run?**")
    page.locator("span.schema-form-property__label").first.wait_for()


def form_field(page: Page, title: str) -> Locator:
    """The form's field titled `title` (a prefix: the UI appends " (Optional)")."""
    label = page.locator("span.schema-form-property__label").filter(
        has_text=re.compile("^" + re.escape(title))
    )
    field = page.locator("div.schema-form-property").filter(has=label).first
    field.wait_for()
    return field


def is_list(field: Locator) -> bool:
    return field.locator(".p-select-button").count() > 0


def choose(page: Page, field: Locator, code: str) -> str:
    """Pick `code` as a person would: from the field's list when it is one (open it, type a
    few letters in its search box, click the entry `code — name`), else type the code. The
    text now shown in the field."""
    if not is_list(field):
        type_text(field, code)
        return code
    open_list(page, field)
    page.locator(".p-select-options input[type=search]").fill(code)
    entry = re.compile("^" + re.escape(code) + f"($|{ENTRY_SEPARATOR})")
    page.locator(".p-select-options .p-select-option").filter(has_text=entry).first.click()
    close_popover(page)
    return field.locator(".p-select-button__value").inner_text()


def list_entries(page: Page, field: Locator, search: str) -> list[str]:
    """The entries of the field's list that its search box finds for `search`."""
    open_list(page, field)
    page.locator(".p-select-options input[type=search]").fill(search)
    page.wait_for_timeout(200)
    found = page.locator(".p-select-options .p-select-option").all_inner_texts()
    close_popover(page)
    return [text.strip() for text in found]


def open_list(page: Page, field: Locator) -> None:
    """Opens the field's list by its ⇕ arrows (a click on the value itself opens and at once
    closes the popover in headless Chromium: its auto-close sees the same click)."""
    field.locator(".p-select-button__icon").click()
    page.locator(".p-select-options").wait_for()


def close_popover(page: Page) -> None:
    page.keyboard.press("Escape")
    page.locator(".p-select-options").wait_for(state="detached")


def type_text(field: Locator, text: str) -> None:
    """Type into a text field; a `str | None` field first gets its "str" tab chosen."""
    tabs = field.locator(".p-button-group")
    if tabs.count() and tabs.get_by_role("button", name="str", exact=True).count():
        tabs.get_by_role("button", name="str", exact=True).click()
    field.locator("textarea, input:not([type=checkbox]):not([type=search])").first.fill(text)


def submit_and_open_run(page: Page, base: str) -> str:
    """Submit the form and open the new run from the toast's "View run" (or, when the toast
    is gone before a busy machine shows it, from the run's link in the deployment's list).
    The run's id, as the UI's create request answered it."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with page.expect_response(re.compile(r"/create_flow_run$")) as created:
        page.get_by_role("button", name="Submit", exact=True).click()
    run_id = str(created.value.json()["id"])
    # the UI mounts two toast hosts, and the later one lies on top
    try:
        page.get_by_role("button", name="View run").last.click(timeout=10_000)
        page.wait_for_url(RUN_URL, timeout=10_000)
    except PlaywrightTimeout:
        page.goto(f"{base}/runs/flow-run/{run_id}")
    found = RUN_URL.search(page.url)
    assert found and found.group(1) == run_id, page.url
    return run_id


def run_title(page: Page) -> str:
    return page.locator(".page-heading__crumbs .p-bread-crumbs__crumb").last.inner_text().strip()


def state_badge(page: Page) -> Locator:
    return page.locator(".page-heading-flow-run .state-badge").first


def open_tab(page: Page, name: str) -> None:
    """One of the run page's tabs (Logs, Task Runs, Subflow Runs, Artifacts, …)."""
    page.locator("li.p-tab", has_text=re.compile(f"^{re.escape(name)}$")).click()


def log_lines(page: Page) -> list[str]:
    """The messages the Logs tab shows, top to bottom (scrolled through: it is virtual)."""
    page.locator(".log-row").first.wait_for()
    seen: dict[str, None] = {}
    for _ in range(20):
        before = len(seen)
        for text in page.locator(".log-row .log-row__content").all_inner_texts():
            seen.setdefault(text.strip(), None)
        page.locator(".log-row").last.scroll_into_view_if_needed()
        if len(seen) == before:
            break
    return list(seen)


def choose_graph_layout(page: Page, layout: str) -> None:
    """The graph's ⚙ menu → Layout → `layout` ("Dependency grid", …), then close the menu."""
    page.locator(".run-graph-settings button").first.click()
    page.get_by_label(layout, exact=True).check()
    page.locator(".run-graph-settings button").first.click()  # the ⚙ again closes the menu
    page.locator(".run-graph-settings__menu").wait_for(state="detached")


def filter_runs_by_tag(page: Page, base: str, tag: str) -> None:
    """Runs → Tags → `tag` (typed in the list's search box, then clicked)."""
    page.goto(f"{base}/runs", wait_until="networkidle")
    tags = page.locator(".p-label").filter(has=page.locator("label", has_text=re.compile("^Tags$")))
    open_list(page, tags.first)
    page.locator(".p-select-options input[type=search]").fill(tag)
    page.get_by_role("option", name=tag, exact=True).click()
    # a tags list stays open for more tags (Escape too) until a click elsewhere: the title
    page.locator(".page-heading-runs .p-bread-crumbs__crumb span").first.click()
    page.locator(".p-select-options").wait_for(state="detached")
    page.wait_for_url(f"**tag={tag}**")


def open_runs_tab(page: Page, name: str) -> None:
    """The runs page's "Flow runs" / "Task runs" switch."""
    page.get_by_text(name, exact=True).first.click()
    page.wait_for_url(re.compile(r"tab=task-runs" if name == "Task runs" else r"/runs"))


CRUMBS = {
    "flow-runs": (".flow-run-list-item", ".flow-run-bread-crumbs a"),
    "task-runs": (".task-run-list-item", ".task-run-list-item__breadcrumbs a"),
}


def listed_runs(page: Page, kind: str) -> list[tuple[str, ...]]:
    """Every row of the runs page's list (`flow-runs` or `task-runs`), scrolled through (the
    list is virtual), as its breadcrumbs: (flow, flow run) or (flow, flow run, task run)."""
    row_selector, crumb_selector = CRUMBS[kind]
    page.wait_for_load_state("networkidle")
    rows = page.locator(row_selector)
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        rows.first.wait_for(timeout=15_000)
    except PlaywrightTimeout as error:  # said as what the person sees
        shown = page.locator(".p-layout-default__content, main").first.inner_text()[:400]
        raise AssertionError(f"the {kind} list shows no row: {shown!r}") from error
    seen: dict[str, tuple[str, ...]] = {}
    for _ in range(50):
        before, missed = len(seen), False
        for row in rows.all():
            try:  # the list re-renders as runs arrive: a row read a moment ago may be gone
                box = row.locator("input.p-checkbox__input").first
                run_id = box.get_attribute("value", timeout=3_000) or ""
                crumbs = row.locator(crumb_selector).all_inner_texts()
            except PlaywrightTimeout:
                missed = True  # read again on the next pass
                continue
            seen[run_id] = tuple(a.strip() for a in crumbs)
        rows.last.scroll_into_view_if_needed()
        if len(seen) == before and not missed:
            break
    return list(seen.values())
