"""Owners and recipients: registry names, collective owners, new units, the user's registry."""

from pathlib import Path

import pytest

from models.importer.parties import (
    directory,
    read_directed,
    read_heading,
    read_recipient,
    read_relay,
)
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


@pytest.mark.parametrize(
    ("heading", "code"),
    [
        ("UBND các huyện, thành phố", "uy-ban-nhan-dan-cac-huyen-thanh-pho"),
        ("Ủy ban nhân dân các huyện, thành phố", "uy-ban-nhan-dan-cac-huyen-thanh-pho"),
        ("các sở, ban, ngành thuộc UBND tỉnh", "so-ban-nganh-thuoc-uy-ban"),
        ("cấp ủy cơ sở", "cap-uy-co-so"),
        ("các huyện ủy, thành ủy, đảng ủy trực thuộc", "huyen-uy-thanh-uy-dang-uy"),
        ("UBND cấp xã", "uy-ban-nhan-dan-cap-xa"),
    ],
)
def test_a_collective_owner_the_registry_does_not_know_is_an_empty_group(heading, code):
    reading = read_heading(heading, choose_registry("Quảng Trị", []))
    assert reading.party.owner == f"group:{code}"
    assert reading.party.name == heading and reading.party.members == ()
    assert reading.doubt is NoteKind.AMBIGUOUS
    assert f"ghi mã các đơn vị thành viên vào groups.{code}" in reading.reason
    assert "thêm từng đơn vị vào units" in reading.reason


@pytest.mark.parametrize(
    "heading",
    ["các huyện ủy, thành ủy, thị ủy", "Các huyện, thành, thị ủy", "các huyện, thị xã, thành phố"],
)
def test_a_collective_owner_the_registry_knows_is_its_group(heading):
    reading = read_heading(heading, HA_TINH)
    assert (reading.party.owner, reading.doubt) == ("group:huyen", None)
    assert len(reading.party.members) == 13


@pytest.mark.parametrize(
    "heading",
    ["Ban Chỉ đạo các chương trình mục tiêu quốc gia tỉnh", "Sở Lao động, Thương binh và Xã hội"],
)
def test_one_body_whose_name_says_cac_is_no_group(heading):
    assert not read_heading(heading, HA_TINH).party.is_group


@pytest.mark.parametrize(
    ("sentence", "recipients"),
    [
        (
            "gửi 1 bản về Văn phòng Tỉnh ủy, 1 bản về Thường trực Tiểu ban Văn kiện.",
            ["vptu", "thuong-truc-tieu-ban-van-kien"],
        ),
        ("gửi 01 bản về Ban Tổ chức Tỉnh ủy trước ngày 10/4.", ["ban-to-chuc"]),
        ("báo cáo Thường trực Tỉnh ủy (qua Văn phòng Tỉnh ủy) trước ngày 10/4.", ["thuong-truc"]),
        ("hoàn thành dự thảo, trình Thường trực Tỉnh ujy trước ngày 10/4.", ["thuong-truc"]),
        ("trình Thường trực Tỉnh ủy cho ý kiến trước ngày 10/4.", ["thuong-truc"]),
        ("báo cáo Thủ tướng Chính phủ kết quả thực hiện.", ["thu-tuong-chinh-phu"]),
        # tb-634: the name ends before "về việc …", what the report is about
        (
            "báo cáo Thủ tướng Chính phủ về việc chuẩn bị đầu tư tuyến đường.",
            ["thu-tuong-chinh-phu"],
        ),
        ("báo cáo kết quả thực hiện trước ngày 10/4.", []),  # names no body
        ("trong quá trình thực hiện, kịp thời phản ánh.", []),
        # sent somewhere: what it is then submitted to is not a second recipient
        ("gửi Văn phòng Tỉnh ủy để thẩm định, trình các đồng chí Thường trực Tỉnh ủy.", ["vptu"]),
    ],
)
def test_recipients_are_read_after_gui_ban_ve_trinh_and_bao_cao(sentence, recipients):
    assert [r.party.code for r in read_recipient(sentence, NAMES)] == recipients


@pytest.mark.parametrize(
    ("sentence", "relay"),
    [
        ("báo cáo Thường trực Tỉnh ủy (qua Văn phòng Tỉnh ủy) trước ngày 10/4.", "vptu"),
        ("gửi về Ủy ban nhân dân tỉnh qua Văn phòng UBND tỉnh.", "vp-ubnd"),
        ("báo cáo Thường trực Tỉnh ủy trước ngày 10/4.", None),
        ("trong quá trình thực hiện, báo cáo Thường trực Tỉnh ủy.", None),
    ],
)
def test_the_unit_work_passes_through_is_read_apart(sentence, relay):
    reading = read_relay(sentence, NAMES)
    assert (reading.party.code if reading else None) == relay


def test_a_collective_is_no_recipient():
    assert read_recipient("gửi về UBND các xã, phường trước ngày 10/4.", NAMES) == []
