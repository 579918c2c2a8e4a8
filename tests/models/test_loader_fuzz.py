"""Hostile and broken plan files: never a traceback, always a valid plan or a located PlanError."""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from models import loader, validate
from models.errors import PlanError
from models.loader import LoadedPlan, read_plan_file, read_plan_text
from tests.builders import DISTRICTS, deliverable, plan_document, plan_text
from tests.paths import SEED_PLAN

SEED = SEED_PLAN
SEED_TEXT = SEED.read_text(encoding="utf-8")
SOURCE = "fuzz.yaml"
# DONDOC_FUZZ_SCALE=20 for a long run; the default keeps the file under ~20 s.
SCALE = int(os.environ.get("DONDOC_FUZZ_SCALE", "1"))
FUZZ = settings(
    max_examples=300 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
SEED_FUZZ = settings(FUZZ, max_examples=100 * SCALE)  # each example loads the whole seed plan
EXAMPLES: dict[str, int] = {}  # examples run per strategy, printed at the end (pytest -s)


def load_or_refuse(text: str, kind: str) -> LoadedPlan | PlanError:
    """Read `text`; a PlanError is returned (and checked), anything else propagates."""
    EXAMPLES[kind] = EXAMPLES.get(kind, 0) + 1
    try:
        return read_plan_text(text, SOURCE)
    except PlanError as error:
        assert_located(error)
        return error


def assert_located(error: PlanError) -> None:
    """Every problem names the file, and says where: a line, a field path, or both."""
    assert error.problems and error.source == SOURCE
    for problem in error.problems:
        rendered = problem.render(SOURCE)
        assert rendered.startswith(SOURCE) and problem.message
        assert (
            problem.line is not None
            or problem.path
            or problem.message.startswith("tệp quá lớn")
            or problem.message.startswith("YAML sai cú pháp")
        ), rendered


def dump(document: Any) -> str:
    stream = io.StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.dump(document, stream)
    return stream.getvalue()


# ---- 1. arbitrary YAML documents --------------------------------------------------------------

KEYS = st.sampled_from(
    ["code", "title", "units", "deliverables", "groups", "owner", "due", "before", "after", "on"]
) | st.text(max_size=8)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.dates().map(str)
    | st.sampled_from(["vp", "d1", "group:huyen", "2023-03-09", "Asia/Ho_Chi_Minh", "a-b"])
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(KEYS, children, max_size=6),
    max_leaves=40,
)


@FUZZ
@given(DOCUMENTS)
def test_any_yaml_document_is_a_plan_or_a_located_error(document: Any) -> None:
    load_or_refuse(dump(document), "yaml documents")


@FUZZ
@given(st.dictionaries(st.sampled_from(list(plan_document([]))), DOCUMENTS, max_size=8))
def test_any_values_under_the_plan_s_own_keys_are_a_plan_or_a_located_error(
    document: dict[str, Any],
) -> None:
    load_or_refuse(dump(document), "plan-shaped documents")


# ---- 2. arbitrary text and bytes --------------------------------------------------------------


@FUZZ
@given(st.text(max_size=300))
def test_any_text_is_a_plan_or_a_located_error(text: str) -> None:
    load_or_refuse(text, "text")


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("[]{}:-&*!|>'\"#%@`,? \n\tab1")), max_size=200))
def test_yaml_punctuation_soup_is_a_plan_or_a_located_error(text: str) -> None:
    load_or_refuse(text, "punctuation")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "plan.yaml"


@FUZZ
@given(raw=st.binary(max_size=300))
def test_any_bytes_in_a_file_are_a_plan_or_an_error_naming_the_file(
    scratch: Path, raw: bytes
) -> None:
    EXAMPLES["bytes"] = EXAMPLES.get("bytes", 0) + 1
    scratch.write_bytes(raw)
    try:
        read_plan_file(scratch)
    except PlanError as error:
        assert error.source == str(scratch) and error.problems


# ---- 3. mutated seed plans --------------------------------------------------------------------


def seed_document() -> dict[str, Any]:
    """The seed plan as plain JSON-able data (dates as text, as the loader reads them)."""
    return json.loads(json.dumps(loader._Plain(SOURCE).convert(loader._yaml().load(SEED_TEXT))))


SEED_DOCUMENT = seed_document()


def containers(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of every mapping and list in the document (the root included)."""
    found = [path] if isinstance(node, dict | list) else []
    children = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, child in children:
        found += containers(child, (*path, key))
    return found


def at(document: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        document = document[key]
    return document


@st.composite
def mutated_seeds(draw: st.DrawFn) -> dict[str, Any]:
    """The seed with 1–4 mutations: delete, duplicate or retype an entry, swap two codes,
    or put random unicode in a string."""
    document = json.loads(json.dumps(SEED_DOCUMENT))
    for _ in range(draw(st.integers(1, 4))):
        node = at(document, draw(st.sampled_from(containers(document))))
        if not node:
            continue
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        key = draw(st.sampled_from(keys))
        action = draw(st.sampled_from(["delete", "duplicate", "retype", "swap", "unicode"]))
        if action == "delete":
            del node[key]
        elif action == "duplicate" and isinstance(node, list):
            node.insert(key, json.loads(json.dumps(node[key])))
        elif action == "duplicate":
            node[draw(st.text(max_size=6))] = node[key]
        elif action == "retype":
            node[key] = draw(SCALARS | st.lists(SCALARS, max_size=3) | st.just({}))
        elif action == "swap":
            other = draw(st.sampled_from(keys))
            node[key], node[other] = node[other], node[key]
        else:
            node[key] = draw(st.text(min_size=1, max_size=30))
    return document


@SEED_FUZZ
@given(mutated_seeds())
def test_a_mutated_seed_plan_is_a_plan_or_a_located_error(document: dict[str, Any]) -> None:
    load_or_refuse(dump(document), "mutated seeds")


@SEED_FUZZ
@given(position=st.integers(0, len(SEED_TEXT)), inserted=st.text(min_size=1, max_size=12))
def test_random_text_inserted_into_the_seed_file_is_a_plan_or_a_located_error(
    position: int, inserted: str
) -> None:
    load_or_refuse(SEED_TEXT[:position] + inserted + SEED_TEXT[position:], "seed insertions")


@SEED_FUZZ
@given(data=st.data())
def test_swapping_two_codes_of_the_seed_keeps_it_loadable_or_located(data: st.DataObject) -> None:
    document = json.loads(json.dumps(SEED_DOCUMENT))
    section = data.draw(st.sampled_from(["units", "deliverables"]))
    i, j = (data.draw(st.integers(0, len(document[section]) - 1)) for _ in range(2))
    items = document[section]
    items[i]["code"], items[j]["code"] = items[j]["code"], items[i]["code"]
    load_or_refuse(dump(document), "code swaps")


def test_fuzz_example_counts_are_reported(capsys: pytest.CaptureFixture[str]) -> None:
    """Runs last in this file: prints how many examples each strategy tried (pytest -s)."""
    with capsys.disabled():
        print(f"\nfuzz examples run: {sum(EXAMPLES.values())} {EXAMPLES}")


# ---- limits -----------------------------------------------------------------------------------


def refusal(text: str) -> str:
    with pytest.raises(PlanError) as caught:
        read_plan_text(text, SOURCE)
    assert_located(caught.value)
    return "\n".join(p.render(SOURCE) for p in caught.value.problems)


def timed_refusal(text: str, seconds: float = 10.0) -> str:
    started = time.perf_counter()
    message = refusal(text)
    assert time.perf_counter() - started < seconds
    return message


def test_a_file_over_5_mb_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("# " + "x" * loader.MAX_FILE_BYTES + "\n", encoding="utf-8")
    with pytest.raises(PlanError, match=r"tệp quá lớn \(\d+ byte, tối đa 5000000 byte\)"):
        read_plan_file(big)
    assert "tệp quá lớn" in refusal("# " + "x" * loader.MAX_FILE_BYTES)


def test_billion_laughs_is_refused_quickly_with_the_line_and_the_field() -> None:
    lines = ["lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 10):
        aliases = ", ".join([f"*lol{level - 1}"] * 10)
        lines.append(f"lol{level}: &lol{level} [{aliases}]")
    message = timed_refusal("\n".join(lines) + "\n")
    assert "quá 500000 giá trị sau khi mở rộng các tham chiếu YAML (*name)" in message
    assert message.startswith(f"{SOURCE}:") and ": lol" in message


def test_a_self_referencing_alias_is_refused_not_followed_forever() -> None:
    message = timed_refusal("&me {again: *me}\n")
    assert "lồng nhau quá 16 cấp" in message and "again.again.again" in message


@pytest.mark.parametrize(
    "text",
    [
        "units: " + "[" * 3000 + "]" * 3000,
        "units:\n" + "".join(" " * i + "- \n" for i in range(400)),
    ],
    ids=["flow", "block"],
)
def test_deep_nesting_is_refused(text: str) -> None:
    assert "lồng nhau quá 16 cấp" in timed_refusal(text)


def test_an_integer_of_thousands_of_digits_is_malformed_yaml_not_a_crash() -> None:
    message = refusal("code: p\nwarning_days: " + "9" * 5000 + "\n")
    assert "YAML sai cú pháp: có một số quá dài" in message


def test_a_nul_character_is_reported_with_its_line() -> None:
    assert refusal("code: p\ntitle: a\x00b\n").startswith(
        f"{SOURCE}:2: YAML sai cú pháp: có ký tự U+0000"
    )


@pytest.mark.parametrize("timezone", ["x" * 100_000, "a/" * 40, "../../etc/passwd", "UTC\x00"])
def test_hostile_timezone_names_are_unknown_timezones(timezone: str) -> None:
    message = refusal(plan_text([deliverable("a")], timezone=timezone))
    assert "timezone: không có múi giờ" in message and len(message) < 500


def many_units(count: int) -> list[dict[str, str]]:
    return [{"code": f"u{i}", "name": f"Đơn vị {i}"} for i in range(count)]


def test_more_than_5000_units_are_refused_naming_the_field() -> None:
    document = plan_document([deliverable("a")], units=many_units(validate.MAX_UNITS + 1))
    document["units"].append({"code": "vp", "name": "Văn phòng"})
    message = timed_refusal(json.dumps(document, ensure_ascii=False))
    assert f"{SOURCE}:" in message and "units: quá nhiều đơn vị: 5002, tối đa 5000" in message


def test_more_than_2000_deliverables_are_refused() -> None:
    items = [deliverable(f"d{i}") for i in range(validate.MAX_DELIVERABLES + 1)]
    message = timed_refusal(plan_text(items))
    assert "deliverables: quá nhiều nhiệm vụ: 2001, tối đa 2000" in message


def test_more_than_100000_assignments_are_refused() -> None:
    units = many_units(5_000)
    groups = {"all": [u["code"] for u in units]}
    items = [deliverable(f"d{i}", owner="group:all") for i in range(21)]
    document = plan_document(items, units=units, groups=groups, coordinator=None)
    message = timed_refusal(json.dumps(document))
    assert "quá nhiều phân công (nhiệm vụ × đơn vị thực hiện): 105000, tối đa 100000" in message


def test_a_flood_of_unknown_prerequisites_is_refused_fast() -> None:
    items = [deliverable(f"d{i}") for i in range(2000)]
    items[0]["after"] = [f"x{i}" for i in range(validate.MAX_PREREQUISITES)]
    message = timed_refusal(plan_text(items), seconds=20)
    assert "deliverables[0].after[0]: không có nhiệm vụ 'x0'" in message


@pytest.mark.parametrize(
    ("year", "refused"), [(1989, True), (1990, False), (2100, False), (2101, True), (9999, True)]
)
def test_deadline_years_outside_1990_2100_are_refused(year: int, refused: bool) -> None:
    text = plan_text([deliverable("a", due={"by": f"{year}-06-01"})])
    if refused:
        assert f"deliverables[0].due: năm của hạn ({year}) phải trong khoảng 1990–2100" in refusal(
            text
        )
    else:
        assert read_plan_text(text, SOURCE).plan.deliverables["a"].deadline is not None


@pytest.mark.parametrize(
    ("field", "value", "where"),
    [
        ("title", "t" * 2001, "title"),
        ("source", "s" * 2001, "source"),
        ("code", "c" * 65, "code"),
    ],
)
def test_overlong_strings_are_refused_naming_the_field(field: str, value: str, where: str) -> None:
    message = refusal(plan_text([deliverable("a")], **{field: value}))
    assert f"{SOURCE}:" in message and f": {where}: " in message


def test_overlong_unit_name_and_quote_are_refused() -> None:
    units = [{"code": c, "name": "n" * 2001} for c in ["vp", *DISTRICTS]]
    assert "units[0].name" in refusal(plan_text([deliverable("a")], units=units))
    assert "deliverables[0].quote" in refusal(plan_text([deliverable("a", quote="q" * 5001)]))
