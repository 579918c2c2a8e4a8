"""Who a sentence gives work to (models/importer/assigned.py), on sentences of the corpus."""

import pytest

from models.importer.assigned import assigned_owner, owner_heading, split_owners


@pytest.mark.parametrize(
    ("sentence", "owner"),
    [
        (  # công điện 230: "Giao X <verb>"
            "4. Giao Bộ Tài chính - Cơ quan Thường trực Ban Chỉ đạo 751 đôn đốc các Bộ",
            "Bộ Tài chính - Cơ quan Thường trực Ban Chỉ đạo 751",
        ),
        (  # công văn 5155: "Đề nghị X <verb>"
            "Đề nghị Ủy ban nhân dân phường, xã và đặc khu thực hiện đánh giá, xếp loại",
            "Ủy ban nhân dân phường, xã và đặc khu",
        ),
        (  # nghị quyết 12: the subject of a numbered item
            "6. Bộ Thông tin và Truyền thông chủ trì, phối hợp với các bộ",
            "Bộ Thông tin và Truyền thông",
        ),
        (  # công văn 4085: the subject after an opening clause
            "- Trên cơ sở kết quả khảo sát, Sở Xây dựng chủ trì, phối hợp Trung tâm",
            "Sở Xây dựng",
        ),
        (  # thông báo 634: after the topic's colon, "giao" in lower case
            "3. Về mở rộng dự án giai đoạn 2: giao Tập đoàn Công nghiệp - Năng lượng Quốc gia "
            "Việt Nam làm việc cụ thể với công ty TNHH Lọc hóa dầu Nghi Sơn",
            "Tập đoàn Công nghiệp - Năng lượng Quốc gia Việt Nam",
        ),
        (  # quy chế 98: "chịu trách nhiệm <verb>" gives work
            "3. Văn phòng UBND tỉnh chịu trách nhiệm theo dõi, đôn đốc, kiểm tra",
            "Văn phòng UBND tỉnh",
        ),
    ],
)
def test_a_sentence_that_assigns_work_names_its_owner(sentence, owner):
    assert assigned_owner(sentence) == owner


@pytest.mark.parametrize(
    "sentence",
    [
        # a past fact quoted in the preamble (công điện 230)
        "Đến nay, UBND thành phố Đà Nẵng chưa thực hiện việc rà soát, báo cáo trên Hệ thống 751",
        # a lead-in, not work (công văn 4085)
        "Chủ tịch Ủy ban nhân dân Thành phố có ý kiến chỉ đạo như sau:",
        # a request to every addressee to carry out the letter (công văn 4240)
        "Đề nghị các cơ quan, đơn vị khẩn trương triển khai, thực hiện./.",
        # a standing duty restated (quyết định 98, Điều 3)
        "Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh; Giám đốc các Sở chịu trách nhiệm thi hành "
        "Quyết định này./.",
        # … and the Quy chế's own (Điều 18.1)
        "1. Chánh Văn phòng UBND tỉnh, Thủ trưởng các sở, ban, ngành cấp tỉnh triển khai thực "
        "hiện và chịu trách nhiệm trước UBND tỉnh về kết quả thực hiện Quy chế này.",
        # a step taken only "if" (nghị quyết 12, III.4)
        "Trong quá trình tổ chức thực hiện, nếu thấy cần sửa đổi, các bộ chủ động báo cáo",
    ],
)
def test_a_sentence_that_assigns_nothing_has_no_owner(sentence):
    assert assigned_owner(sentence) is None


@pytest.mark.parametrize(
    ("heading", "owner"),
    [
        ("2. Giao Sở Nội vụ", "Sở Nội vụ"),
        ("1.1. Giao Sở Nông nghiệp và Môi trường", "Sở Nông nghiệp và Môi trường"),
        (
            "1. Đối với các bộ, ngành, cơ quan thuộc Chính phủ",
            "các bộ, ngành, cơ quan thuộc Chính phủ",
        ),
    ],
)
def test_an_owner_heading_without_colon_drops_its_giao_or_doi_voi(heading, owner):
    assert owner_heading(heading) == owner


def test_a_heading_with_work_in_it_is_no_owner_heading():
    assert owner_heading("2. Giao Sở Tư pháp theo dõi, đôn đốc các cơ quan") is None
    assert owner_heading("1. Về việc rà soát, làm sạch dữ liệu số nhà đã cấp") is None


def test_several_bodies_named_together_are_split_but_one_name_with_commas_is_not():
    assert split_owners("Các sở, ban, ngành tỉnh, Ủy ban nhân dân các xã, phường") == (
        "Các sở, ban, ngành tỉnh",
        "Ủy ban nhân dân các xã, phường",
    )
    assert split_owners("Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan trực thuộc Chính phủ") == (
        "Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan trực thuộc Chính phủ",
    )


def test_a_unit_name_alone_on_a_numbered_line_is_an_owner_heading_but_not_on_a_bullet():
    assert owner_heading("2. Sở Tài chính") == "Sở Tài chính"  # kế hoạch 617, IV.2
    assert owner_heading("- Sở Xây dựng;") is None  # a "Kính gửi" list
    assert owner_heading("6. Đề nghị: Hiệp hội Doanh nghiệp tỉnh") == "Hiệp hội Doanh nghiệp tỉnh"
