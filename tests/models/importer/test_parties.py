"""Owners and recipients: registry names, collective owners, new units, the user's registry."""

from pathlib import Path

import pytest

from models.importer.parties import directory, read_directed, read_heading, read_recipient
from models.importer.problems import DocumentError, NoteKind
from models.importer.registry import KnownGroup, choose_registry, read_registry_file
from tests.models.importer.documents import QUANG_TRI_REGISTRY

HA_TINH = choose_registry("Tỉnh ủy Hà Tĩnh", [])


def test_a_document_from_ha_tinh_gets_the_13_districts():
    group = HA_TINH.lookup("Các huyện, thành, thị ủy")
    assert isinstance(group, KnownGroup) and group.code == "huyen" and len(group.members) == 13


def test_a_document_from_elsewhere_gets_no_ha_tinh_units():
    assert choose_registry("Tỉnh ủy Quảng Trị", []).units == ()


def test_the_users_registry_replaces_a_built_in_entry(tmp_path: Path):
    own = tmp_path / "own.yaml"
    own.write_text('units:\n  - {code: vptu, name: "Văn phòng Tỉnh ủy", email: a@b.example}\n')
    registry = choose_registry("Hà Tĩnh", [read_registry_file(own)])
    own_office = registry.unit("vptu")
    assert own_office is not None and own_office.email == "a@b.example"
    assert registry.unit("ubkt") is not None


def test_a_bad_registry_file_is_a_clear_error(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("units:\n  - {code: Sai Mã, name: x}\n")
    message = r"danh mục đơn vị sai ở units\.0\.code: 'Sai Mã' không hợp lệ: mã chỉ gồm chữ thường"
    with pytest.raises(DocumentError, match=message):
        read_registry_file(bad)


@pytest.mark.parametrize(
    ("heading", "owner", "doubt"),
    [
        ("Văn phòng Tỉnh ủy", "vptu", None),
        ("Văn phòng Tỉnh uỷ", "vptu", None),  # the other spelling of ủy
        ("Các ban Đảng, Ủy ban Kiểm tra Tỉnh ủy", "group:ban-dang", None),
        ("Ban cán sự đảng Ủy ban nhân tỉnh", "bcs-ubnd", NoteKind.GUESSED),
        ("Sở Giao thông vận tải", "so-giao-thong-van-tai", NoteKind.GUESSED),
        ("Các cơ quan báo chí", "group:co-quan-bao-chi", NoteKind.AMBIGUOUS),
    ],
)
def test_unit_headings_resolve_to_owners(heading, owner, doubt):
    reading = read_heading(heading, HA_TINH)
    assert (reading.party.owner, reading.doubt) == (owner, doubt)


NAMES = directory(HA_TINH, [])


@pytest.mark.parametrize(
    ("sentence", "recipients"),
    [
        ("Báo cáo gửi về Văn phòng Tỉnh ủy trước ngày 09/3/2023.", ["vptu"]),
        ("đề xuất Thường trực Tỉnh ủy hướng tháo gỡ, gửi Văn phòng Tỉnh ủy trước ngày", ["vptu"]),
        ("cho Đài Phát thanh và Truyền hình tỉnh xây dựng Video, gửi trước ngày 9/3", ["dai-ptth"]),
        ("số lượng dự gặp mặt về Văn phòng Tỉnh ủy trước ngày 09/3/2023.", ["vptu"]),
        ("bố trí xe cho các đại biểu thuộc địa phương mình.", []),
        ("gửi Sở Nội vụ trước ngày 10/4/2024.", ["so-noi-vu"]),
    ],
)
def test_recipients_are_read_after_gui_ve_cho(sentence, recipients):
    assert [r.party.code for r in read_recipient(sentence, NAMES)] == recipients


def test_two_different_recipients_are_both_returned():
    sentence = "gửi Văn phòng Tỉnh ủy và gửi Ban Tổ chức Tỉnh ủy trước ngày 09/3/2023."
    assert [r.party.code for r in read_recipient(sentence, NAMES)] == ["vptu", "ban-to-chuc"]


def test_the_directed_unit_does_the_work():
    party = read_directed("Chỉ đạo Văn phòng Ủy ban nhân dân tỉnh phối hợp …", NAMES)
    assert party is not None and party.code == "vp-ubnd"


def test_the_quang_tri_registry_fixture_is_valid():
    assert len(read_registry_file(QUANG_TRI_REGISTRY).groups[0].members) == 10
