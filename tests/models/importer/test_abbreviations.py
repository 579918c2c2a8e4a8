"""The abbreviation table: names written short ("Sở KH&ĐT", "UBND", "Bộ TT&TT") are compared
with the registry, and new units named, in full."""

import pytest

from models.importer.abbreviations import abbreviated, expand
from models.importer.parties import directory, read_heading, read_recipient
from models.importer.registry import KnownUnit, Registry, choose_registry


@pytest.mark.parametrize(
    ("written", "full"),
    [
        ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"),
        ("Sở KH&DT", "Sở Kế hoạch và Đầu tư"),  # typed with D for Đ
        ("Bộ KH&ĐT", "Bộ Kế hoạch và Đầu tư"),
        ("Bộ TT&TT", "Bộ Thông tin và Truyền thông"),
        ("Sở TN&MT", "Sở Tài nguyên và Môi trường"),
        ("Bộ TN&MT", "Bộ Tài nguyên và Môi trường"),
        ("Sở LĐ-TB&XH", "Sở Lao động - Thương binh và Xã hội"),
        ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo"),
        ("Sở VH-TT&DL", "Sở Văn hóa, Thể thao và Du lịch"),
        ("Sở NN&PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
        ("VPTU", "Văn phòng Tỉnh ủy"),
        ("VP Tỉnh ủy", "Văn phòng Tỉnh ủy"),
        ("UBND tỉnh", "Ủy ban nhân dân tỉnh"),
        ("HĐND tỉnh", "Hội đồng nhân dân tỉnh"),
        ("Ủy ban MTTQ tỉnh", "Ủy ban Mặt trận Tổ quốc tỉnh"),
        ("BTV Tỉnh ủy", "Ban Thường vụ Tỉnh ủy"),
        ("BCH Đảng bộ tỉnh", "Ban Chấp hành Đảng bộ tỉnh"),
        ("UBKT Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy"),
        ("UBND TP Hà Tĩnh", "Ủy ban nhân dân thành phố Hà Tĩnh"),
        ("UBND TX Hồng Lĩnh", "Ủy ban nhân dân thị xã Hồng Lĩnh"),
    ],
)
def test_an_abbreviated_name_is_read_in_full(written, full):
    assert expand(written) == full


@pytest.mark.parametrize(
    "text",
    [
        "Nghị quyết số 15-NQ/TW ngày 05/5/2022",  # part of a number, not a word
        "Sở Tư pháp",
        "tham mưu UBNDX",  # not a whole word
        "tp hồ chí minh",  # lowercase is no abbreviation
    ],
)
def test_words_that_are_no_abbreviation_are_left_as_written(text):
    assert not abbreviated(text)


PLANNING = Registry(units=(KnownUnit(code="so-khdt", name="Sở Kế hoạch và Đầu tư"),))


def test_an_abbreviated_name_matches_the_registry_unit_written_in_full():
    assert read_heading("Sở KH&ĐT", PLANNING).party.code == "so-khdt"
    assert read_heading("Sở KH&ĐT", PLANNING).doubt is None
    [recipient] = read_recipient("gửi Sở KH&ĐT trước ngày 10/4.", directory(PLANNING, []))
    assert recipient.party.code == "so-khdt"


def test_a_new_unit_from_an_abbreviation_is_named_in_full_and_keeps_the_written_form():
    reading = read_heading("Bộ TT&TT", Registry())
    assert (reading.party.code, reading.party.name) == (
        "bo-thong-tin-va-truyen-thong",
        "Bộ Thông tin và Truyền thông",
    )
    assert "văn bản viết “Bộ TT&TT”" in reading.reason


def test_a_new_recipient_from_an_abbreviation_is_named_in_full():
    [recipient] = read_recipient("gửi về Bộ TT&TT trước ngày 10/4.", directory(Registry(), []))
    assert recipient.party.name == "Bộ Thông tin và Truyền thông"


def test_the_ha_tinh_registry_knows_its_offices_by_their_short_names():
    ha_tinh = choose_registry("Hà Tĩnh", [])
    assert read_heading("VP Tỉnh ủy", ha_tinh).party.code == "vptu"
    assert read_heading("VPTU", ha_tinh).party.code == "vptu"
    assert read_heading("UBKT Tỉnh ủy", ha_tinh).party.code == "ubkt"
