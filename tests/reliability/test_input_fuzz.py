"""Issue 13: arbitrary text through the three doors people type into, the CLI as they use it.

`receive --set/--note/--by/--at`, `plan import-submissions` and `plan load` get text with
control characters, huge and odd numbers (1e308, NaN, Arabic-Indic digits, 4,000 digits) and
broken structure. Whatever comes in: no traceback (the CLI runs with exceptions uncaught),
exit 0 or 2, and on exit 2 nothing written (the database is compared before and after)."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from models.control_characters import checked
from models.fields import parse_values
from models.loader import read_plan_file
from models.storage.engine import make_engine, migrate, session_scope
from models.storage.store import read_snapshot, save_plan
from tests.paths import SEED_PLAN
from tests.runtimes import cli_on

pytestmark = [pytest.mark.db, pytest.mark.cli]
PLAN = "gap-mat-2023"
SCALE = int(os.environ.get("DONDOC_FUZZ_SCALE", "1"))  # 20 for a long run
FUZZ = settings(
    max_examples=120 * SCALE,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
DISTRICTS = ["tp-ha-tinh", "tx-hong-linh", "nghi-xuan", "duc-tho", "huong-khe"]
HEADER = "ordinal,deliverable,unit,kind,received_at,recorded_at,recorded_by,note,undoes,data"

# Text as hostile as it gets: every category, controls (ESC, NUL, BEL, C1) and line breaks.
ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=60)
CONTROL = st.sampled_from(["\x1b[2J", "\x1b]0;x\x07", "\x00", "\x7f", "\x9b", "\r", "\n", "\t"])
HOSTILE = st.one_of(ANY_TEXT, st.builds(lambda a, c, b: a + c + b, ANY_TEXT, CONTROL, ANY_TEXT))
NUMBERS = st.one_of(
    st.integers().map(str),
    st.integers(min_value=10**300, max_value=10**4000).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["1e308", "NaN", "nan", "-inf", "١٢", "１２", "12,5", " 12 ", "", "0x1f"]),
    HOSTILE,
)
MOMENTS = st.one_of(
    st.sampled_from(
        ["", "08/03/2023 10:00", "2023-03-08T10:00", "2099-01-01", "1970-01-01T00:00+00:00"]
    ),
    st.datetimes().map(lambda d: d.isoformat()),
    HOSTILE,
)


@pytest.fixture
def stored(tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    """One SQLite file for all the examples of a test, holding the seed plan."""
    url = f"sqlite:///{tmp_path / 'fuzz.db'}"
    engine = make_engine(url)
    migrate(engine)
    with session_scope(engine) as session:
        save_plan(session, read_plan_file(SEED_PLAN))
    yield url, engine
    engine.dispose()


def database_state(engine: Engine) -> tuple[object, ...]:
    """Everything a command could write, in a form to compare."""
    with engine.connect() as connection:
        return tuple(
            tuple(connection.execute(text(f"SELECT * FROM {table} ORDER BY 1")).all())
            for table in ("plan", "unit", "deliverable", "assignment", "submission")
        )


def assert_refused_cleanly(result, before: tuple[object, ...], engine: Engine) -> None:
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert result.stderr.strip(), "a refusal says why"
        assert database_state(engine) == before, "nothing written on exit 2"
    else:
        assert_stored_rows_pass_the_checks(engine)


def assert_stored_rows_pass_the_checks(engine: Engine) -> None:
    """What was accepted is what `receive` accepts: figures its fields read, no control
    character in a note or a name, no time a year before the plan or in the future."""
    with session_scope(engine) as session:
        snapshot = read_snapshot(session, PLAN)
    for row in snapshot.submissions:
        fields = snapshot.plan.deliverables[row.deliverable].fields
        assert parse_values(fields, row.data, row.deliverable) == row.data, row  # would raise
        assert checked(row.note) == row.note and checked(row.recorded_by) == row.recorded_by
        assert datetime(2022, 1, 1, tzinfo=UTC) < row.received_at < datetime.now(UTC), row


@FUZZ
@given(
    unit=st.sampled_from(DISTRICTS),
    figure=NUMBERS,
    note=HOSTILE,
    by=HOSTILE,
    at=MOMENTS,
    extra=st.lists(st.tuples(ANY_TEXT, NUMBERS), max_size=2),
)
def test_receive_takes_arbitrary_figures_notes_and_times_cleanly(
    stored, monkeypatch, unit, figure, note, by, at, extra
):
    url, engine = stored
    run = cli_on(url, monkeypatch)
    args = ["receive", PLAN, "bc-huyen", unit, "--set", f"so_dai_bieu={figure}", "--note", note]
    args += ["--by", by] + (["--at", at] if at else [])
    for name, value in extra:
        args += ["--set", f"{name}={value}"]
    before = database_state(engine)
    assert_refused_cleanly(run(*args), before, engine)


FIGURES = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(),
    st.booleans(),
    NUMBERS,
)
DATA = st.one_of(
    st.dictionaries(st.sampled_from(["so_dai_bieu", "khong_co", ""]), FIGURES, max_size=2),
    st.just([1]),
).map(lambda value: json.dumps(value, ensure_ascii=False))
GOOD_STAMP = st.sampled_from(["2023-03-08T10:00:00+07:00", "2023-03-09T09:00:00+07:00"])
STAMPS = st.one_of(
    GOOD_STAMP,
    GOOD_STAMP,
    GOOD_STAMP,
    st.datetimes(timezones=st.just(UTC)).map(lambda d: d.isoformat()),
    MOMENTS,
)
# Mostly well-formed rows, each with a few hostile values, so that many reach the rules.
ROWS = st.fixed_dictionaries(
    {
        "deliverable": st.sampled_from(["bc-huyen", "bc-huyen", "bc-huyen", "giay-moi", "x"]),
        "unit": st.one_of(*[st.sampled_from(DISTRICTS)] * 4, HOSTILE),
        "kind": st.sampled_from(["received"] * 4 + ["waived", "undo", "lost"]),
        "received_at": STAMPS,
        "recorded_at": st.one_of(st.just("2023-03-10T10:00:00+07:00"), STAMPS),
        "recorded_by": st.one_of(st.just("vptu"), HOSTILE),
        "note": st.one_of(st.just(""), HOSTILE),
        "undoes": st.sampled_from([""] * 6 + ["1", "2", "x"]),
        "data": DATA,
    }
)


def submissions_csv(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER.split(","))
    for ordinal, row in enumerate(rows, start=1):
        writer.writerow([ordinal, *(row[column] for column in HEADER.split(",")[1:])])
    return buffer.getvalue()


@FUZZ
@given(
    rows=st.lists(ROWS, min_size=1, max_size=3), broken=st.sampled_from([""] * 4 + ["\n1,2", '"'])
)
def test_import_takes_arbitrary_csv_cleanly(stored, tmp_path, monkeypatch, rows, broken):
    url, engine = stored
    file = tmp_path / "fuzz.csv"
    content = submissions_csv(rows) + broken
    file.write_text(content, encoding="utf-8", errors="surrogatepass")
    before = database_state(engine)
    result = cli_on(url, monkeypatch)("plan", "import-submissions", PLAN, str(file))
    assert_refused_cleanly(result, before, engine)
    if result.exit_code == 0:  # an import needs a plan with no submissions: start again
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM submission"))


SEED_LINES = SEED_PLAN.read_text(encoding="utf-8").splitlines()


@settings(FUZZ, max_examples=60 * SCALE)  # each example loads the whole seed plan
@given(
    at=st.integers(min_value=0, max_value=len(SEED_LINES) - 1),
    insert=st.one_of(HOSTILE, NUMBERS, CONTROL),
    replace=st.booleans(),
)
def test_plan_load_takes_an_edited_plan_cleanly(stored, tmp_path, monkeypatch, at, insert, replace):
    url, engine = stored
    lines = list(SEED_LINES)
    line = lines[at]
    cut = len(line) // 2
    lines[at] = insert if replace else line[:cut] + insert + line[cut:]
    file = tmp_path / "edited.yaml"
    file.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    before = database_state(engine)
    result = cli_on(url, monkeypatch)("plan", "load", str(file), "--force")
    assert_refused_cleanly(result, before, engine)
