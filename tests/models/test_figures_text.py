"""Figures typed as one text in the Prefect form: `tên=giá trị; tên=giá trị`."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.errors import InvalidInputError
from models.fields import DataField, FieldType, parse_values
from models.figures_text import split_figures


@pytest.mark.parametrize(
    ("typed", "pairs"),
    [
        ("", {}),
        ("   ", {}),
        ("so_dai_bieu=12", {"so_dai_bieu": "12"}),
        (" so_dai_bieu = 12 ; ", {"so_dai_bieu": "12"}),
        ("so_dai_bieu=12; ghi_chu=xe 45 chỗ", {"so_dai_bieu": "12", "ghi_chu": "xe 45 chỗ"}),
        ("so_dai_bieu=12\nghi_chu=bản giấy", {"so_dai_bieu": "12", "ghi_chu": "bản giấy"}),
        ("so_dai_bieu=12;;\n", {"so_dai_bieu": "12"}),
        # A ';' not followed by `name=` belongs to the value: a text figure may hold one.
        ("ghi_chu=xe 45 chỗ; xe 16 chỗ", {"ghi_chu": "xe 45 chỗ; xe 16 chỗ"}),
        ("ghi_chu=a=b", {"ghi_chu": "a=b"}),
        ("so_dai_bieu=", {"so_dai_bieu": ""}),
    ],
)
def test_a_typed_text_splits_into_names_and_values(typed: str, pairs: dict[str, str]) -> None:
    assert split_figures(typed) == pairs


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("12", "số liệu '12': viết tên=giá trị"),
        ("=12", "số liệu '=12': viết tên=giá trị"),
        ('{"so_dai_bieu": "12"}', 'số liệu \'{"so_dai_bieu": "12"}\': viết tên=giá trị'),
        ("so_dai_bieu=12; so_dai_bieu=13", "số liệu 'so_dai_bieu' ghi hai lần"),
    ],
)
def test_a_text_that_is_not_name_value_pairs_is_refused_naming_the_part(
    typed: str, said: str
) -> None:
    with pytest.raises(InvalidInputError) as refused:
        split_figures(typed)
    assert str(refused.value).startswith(said)
    assert "\n" not in str(refused.value)


def test_what_the_text_names_is_checked_by_the_fields_as_for_the_cli() -> None:
    """One check for both doors: the split text goes through `parse_values`, like --set."""
    fields = {"so_dai_bieu": DataField("so_dai_bieu", FieldType.INT, "Số đại biểu", maximum=500)}
    assert parse_values(fields, split_figures("so_dai_bieu=12"), "bc-huyen") == {"so_dai_bieu": 12}
    with pytest.raises(InvalidInputError, match="không có số liệu 'so_dai_bieuu'"):
        parse_values(fields, split_figures("so_dai_bieuu=12"), "bc-huyen")
    with pytest.raises(InvalidInputError, match="so_dai_bieu: giá trị 'hai mươi' không hợp lệ"):
        parse_values(fields, split_figures("so_dai_bieu=hai mươi"), "bc-huyen")


NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True)
VALUES = st.text(st.characters(blacklist_characters=";=\r\n"), max_size=20).map(str.strip)


@given(st.dictionaries(NAMES, VALUES, min_size=1, max_size=5), st.sampled_from(["; ", ";", "\n"]))
def test_pairs_written_out_read_back_as_they_were(pairs: dict[str, str], separator: str) -> None:
    typed = separator.join(f"{name}={value}" for name, value in pairs.items())
    assert split_figures(typed) == pairs
