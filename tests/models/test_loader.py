"""Plan files: every kind of invalid input is named by file, path and line; the seed is valid."""

from pathlib import Path

import pytest

from models.errors import PlanError
from models.loader import read_plan_file, read_plan_text
from tests.builders import deliverable, plan_text

SEED = Path(__file__).parents[2] / "plans" / "gap-mat-2023.yaml"


def problems_of(text: str) -> list[str]:
    with pytest.raises(PlanError) as caught:
        read_plan_text(text, "bad.yaml")
    return [p.render("bad.yaml") for p in caught.value.problems]


def test_seed_plan_is_valid_and_complete():
    loaded = read_plan_file(SEED)
    plan = loaded.plan
    assert (
        len(plan.units) == 25
        and len(plan.groups["huyen"]) == 13
        and len(plan.groups["ban-dang"]) == 5
    )
    assert len(plan.deliverables) == 17 and len(plan.assignments) == 81
    assert all(d.quote for d in plan.deliverables.values())


def test_cycle_is_reported_with_its_members():
    text = plan_text(
        [
            deliverable("a", after=["c"]),
            deliverable("b", after=["a"]),
            deliverable("c", after=["b"]),
        ]
    )
    (message,) = problems_of(text)
    assert "cycle: a → c → b → a" in message and "deliverables[0].after" in message


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("owner", "vq", "deliverables[0].owner: unknown unit 'vq' (did you mean 'vp'?)"),
        (
            "owner",
            "group:huyn",
            "deliverables[0].owner: unknown group 'huyn' (did you mean 'huyen'?)",
        ),
        ("to", "d9", "deliverables[0].to: unknown unit 'd9'"),
        ("after", ["nope"], "deliverables[0].after[0]: unknown deliverable 'nope'"),
        ("due", {"before": "2023-02-30"}, "deliverables[0].due.before"),
        ("due", {"before": "2023-03-01", "by": "2023-03-02"}, "give exactly one of"),
        ("due", {"when": "2023-03-01"}, "unknown field 'when'"),
        ("colour", "red", "deliverables[0].colour: unknown field 'colour'"),
    ],
)
def test_bad_deliverable_field_is_named_with_its_path(field, value, expected):
    messages = problems_of(plan_text([deliverable("a", **{field: value})]))
    assert any(expected in m for m in messages), messages


def test_errors_carry_the_line_of_the_offending_field():
    text = plan_text([deliverable("a"), deliverable("b", to="zz")])
    (message,) = problems_of(text)
    line = next(i for i, content in enumerate(text.splitlines(), 1) if '"zz"' in content)
    assert message.startswith(f"bad.yaml:{line}: deliverables[1].to")


def test_duplicate_codes_are_rejected():
    messages = problems_of(plan_text([deliverable("a"), deliverable("a")]))
    assert any("deliverables[1].code: duplicate deliverable code 'a'" in m for m in messages)


def test_duplicate_yaml_keys_are_malformed_yaml():
    (message,) = problems_of("code: p\ncode: q\n")
    assert "malformed YAML" in message and "bad.yaml:2" in message


def test_malformed_yaml_names_the_line():
    (message,) = problems_of("code: p\ntitle: [unclosed\nunits: x\n")
    assert message.startswith("bad.yaml:") and "malformed YAML" in message


def test_unknown_timezone_is_rejected():
    messages = problems_of(plan_text([deliverable("a")], timezone="Asia/Hanoi_City"))
    assert any("timezone: unknown timezone 'Asia/Hanoi_City'" in m for m in messages)


def test_dependent_due_before_its_prerequisite_is_rejected():
    text = plan_text(
        [
            deliverable("report", due={"before": "2023-03-15"}),
            deliverable("summary", due={"before": "2023-03-09"}, after=["report"]),
        ]
    )
    (message,) = problems_of(text)
    assert "deliverables[0].due" in message and "trước ngày 09/03/2023" in message


def test_event_day_prerequisite_due_by_the_end_of_that_day_is_rejected():
    text = plan_text(
        [
            deliverable("hall", due={"by": "2023-03-22"}),
            deliverable("meeting", due={"on": "2023-03-22"}, after=["hall"]),
        ]
    )
    assert any("'hall' is due chậm nhất ngày 22/03/2023" in m for m in problems_of(text))


def test_a_plan_must_be_a_mapping():
    assert "must be a YAML mapping" in problems_of("- just\n- a list\n")[0]


def test_missing_required_fields_are_listed():
    messages = problems_of("code: p\n")
    assert any("missing required field 'title'" in m for m in messages)
    assert any("missing required field 'units'" in m for m in messages)


def test_unreadable_and_non_utf8_files_are_clear_errors(tmp_path):
    with pytest.raises(PlanError, match="cannot read the file"):
        read_plan_file(tmp_path / "absent.yaml")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("title: Kế hoạch".encode("utf-16"))
    with pytest.raises(PlanError, match="not UTF-8"):
        read_plan_file(latin)


def test_unquoted_on_read_as_boolean_by_yaml_1_1_tools_still_means_on():
    text = plan_text([deliverable("meeting")]).replace(
        '"owner": "vp"', '"owner": "vp", "due": {"on": "2023-03-22"}'
    )
    loaded = read_plan_text(text.replace('"on"', "on"), "ok.yaml")
    assert loaded.plan.deliverables["meeting"].deadline.kind == "on"


def test_suspicious_but_legal_things_are_warnings():
    loaded = read_plan_text(plan_text([deliverable("a", due={"before": "2023-03-11"})]), "ok.yaml")
    messages = [w.render() for w in loaded.warnings]
    assert any("weekend" in m for m in messages)
    assert any("unit 'd1' owns and receives nothing" in m for m in messages)
