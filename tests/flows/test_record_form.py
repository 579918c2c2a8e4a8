"""The record forms as the plan fills them in: the lists of deliverables and units, the figures."""

from __future__ import annotations

import pytest
from prefect.utilities.callables import parameter_schema

from flows.record import record_submission
from flows.record_form import (
    code_of,
    deliverable_entries,
    record_form,
    short_title,
    step_form,
    unit_entries,
)
from flows.record_steps import record_step_by_step
from models.loader import LoadedPlan


@pytest.mark.parametrize(
    ("choice", "code"),
    [
        ("huong-khe — Huyện ủy Hương Khê", "huong-khe"),
        ("bc-huyen — Báo cáo khó khăn, vướng mắc — và kiến nghị", "bc-huyen"),
        ("huong-khe", "huong-khe"),
        (" huong-khe ", "huong-khe"),
    ],
)
def test_a_list_entry_and_a_bare_code_name_the_same_code(choice: str, code: str) -> None:
    assert code_of(choice) == code


def test_a_long_title_is_cut_at_a_word_and_marked() -> None:
    title = "Báo cáo tình hình kinh tế - xã hội, quốc phòng - an ninh và tổng hợp khó khăn, vướng"
    cut = short_title(title, 60)
    assert len(cut) <= 60 and cut.endswith("…") and title.startswith(cut[:-1])
    assert short_title("Giấy mời dự gặp mặt", 60) == "Giấy mời dự gặp mặt"


def test_the_record_form_lists_the_plan_s_deliverables_and_units(seed: LoadedPlan) -> None:
    plan = seed.plan
    form = record_form(parameter_schema(record_submission), plan).properties
    assert form["plan"]["enum"] == ["gap-mat-2023"]
    deliverables = form["deliverable"]["enum"]
    assert len(deliverables) == len(plan.deliverables) == 17
    assert deliverables[2] == (
        "bc-huyen — Báo cáo khó khăn, vướng mắc, kiến nghị và số lượng, thành phần dự gặp mặt"
    )
    assert [code_of(e) for e in deliverables] == list(plan.deliverables)  # prerequisites first
    units = form["unit"]["enum"]
    assert "huong-khe — Huyện ủy Hương Khê" in units
    assert "tx-ky-anh — Thị ủy Kỳ Anh" in units and "ky-anh — Huyện ủy Kỳ Anh" in units
    owing_nothing = {"thuong-truc", "tt-vhda"}  # recipients (a report, the venue) only
    assert {code_of(e) for e in units} == set(plan.units) - owing_nothing
    assert all(form[name]["type"] == "string" for name in ("plan", "deliverable", "unit"))
    assert "so_dai_bieu (Số đại biểu dự gặp mặt; số nguyên 0…500)" in form["data"]["description"]
    assert form["data"]["type"] == "string"  # one text field, not a JSON object


def test_the_flow_s_own_schema_is_left_as_it_was(seed: LoadedPlan) -> None:
    schema = parameter_schema(record_submission)
    record_form(schema, seed.plan)
    assert "enum" not in schema.properties["unit"]


def test_the_first_step_lists_the_deliverables_only(seed: LoadedPlan) -> None:
    form = step_form(parameter_schema(record_step_by_step), seed.plan).properties
    assert set(form) == {"plan", "deliverable", "recorded_by"}
    assert form["deliverable"]["enum"] == deliverable_entries(seed.plan)


def test_units_are_listed_in_the_plan_s_order(seed: LoadedPlan) -> None:
    assert unit_entries(seed.plan, ["huong-khe", "duc-tho"]) == [
        "duc-tho — Huyện ủy Đức Thọ",
        "huong-khe — Huyện ủy Hương Khê",
    ]
