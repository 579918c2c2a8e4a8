"""Who a sentence gives work to (models/importer/assigned.py), on sentences of the corpus."""

import pytest

from models.importer.assigned import (
    after_topic,
    assigned_owner,
    lead_in_owner,
    owner_heading,
    split_owners,
)


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


@pytest.mark.parametrize(
    ("owners", "split"),
    [
        (  # kế hoạch 7360: "và" before a body's own word joins two bodies
            "các sở, ngành liên quan và Ủy ban nhân dân các xã, phường",
            ("các sở, ngành liên quan", "Ủy ban nhân dân các xã, phường"),
        ),
        (  # kết luận 07: "và các …" too
            "Văn phòng Trung ương Đảng và các văn phòng tỉnh uỷ, thành uỷ",
            ("Văn phòng Trung ương Đảng", "các văn phòng tỉnh uỷ, thành uỷ"),
        ),
        (  # công văn 3722: one kind of body, then its names
            "các Bộ: Công an, Tài chính, Nông nghiệp và Môi trường",
            ("Bộ Công an", "Bộ Tài chính", "Bộ Nông nghiệp và Môi trường"),
        ),
        (  # thông báo 634: both at once
            "Các Bộ, cơ quan liên quan và các Tập đoàn: Bưu chính Viễn thông Việt Nam, "
            "Công nghiệp - Viễn thông Quân đội",
            (
                "Các Bộ, cơ quan liên quan",
                "Tập đoàn Bưu chính Viễn thông Việt Nam",
                "Tập đoàn Công nghiệp - Viễn thông Quân đội",
            ),
        ),
        ("Sở Văn hóa, Thể thao và Du lịch", ("Sở Văn hóa, Thể thao và Du lịch",)),
        ("Bộ Tài nguyên và Môi trường", ("Bộ Tài nguyên và Môi trường",)),
    ],
)
def test_each_body_named_in_a_list_is_an_owner_of_its_own(owners, split):
    assert split_owners(owners) == split


@pytest.mark.parametrize(
    ("lead_in", "owner"),
    [
        ("UBND tỉnh giao Ban Cán sự đảng UBND tỉnh chỉ đạo:", "Ban Cán sự đảng UBND tỉnh"),
        (  # kết luận 07
            "Quán triệt sâu sắc ý kiến chỉ đạo; căn cứ vào phương hướng đã nêu trong Báo cáo, "
            "Văn phòng Trung ương Đảng và các văn phòng tỉnh uỷ, thành uỷ cụ thể hoá để tổ chức "
            "thực hiện, trong đó, cần tập trung một số nhiệm vụ trọng tâm sau:",
            "Văn phòng Trung ương Đảng và các văn phòng tỉnh uỷ, thành uỷ",
        ),
    ],
)
def test_a_lead_in_that_announces_tasks_names_their_owner(lead_in, owner):
    assert lead_in_owner(lead_in) == owner


def test_a_lead_in_listing_points_to_heed_is_a_task_not_a_heading():
    # thông báo 634, part II: the ten points are directions of the one request
    request = (
        "Đề nghị Thường trực Tỉnh ủy tập trung lãnh đạo, chỉ đạo, thực hiện các nhiệm vụ, giải "
        "pháp trên các lĩnh vực trong 02 tháng cuối năm 2025; trong đó lưu ý một số nội dung sau:"
    )
    assert lead_in_owner(request) is None
    assert assigned_owner(request) == "Thường trực Tỉnh ủy"


def test_a_topic_with_a_colon_of_its_own_ends_where_the_assignment_starts():
    item = "Về hoạt động của mô hình 02 cấp: tăng số lượng cấp phó: giao Bộ Nội vụ chủ trì"
    assert after_topic(item) == "giao Bộ Nội vụ chủ trì"
    assert assigned_owner(f"8. {item}") == "Bộ Nội vụ"


def test_a_promise_or_a_given_role_before_the_verb_is_no_part_of_the_name():
    assert assigned_owner("Văn phòng sẽ phối hợp với các cơ quan liên quan tham mưu") == "Văn phòng"
    assert (
        assigned_owner(
            "Để xác định vị trí cụ thể của dự án, Ủy ban nhân dân tỉnh Thanh Hóa phối hợp với "
            "Bộ Công Thương rà soát kỹ các quy hoạch"
        )
        == "Ủy ban nhân dân tỉnh Thanh Hóa"
    )


def test_an_aside_if_any_is_no_condition_on_the_work():
    # quy chế 98, Điều 18.2: "(nếu có)" is "if any", not a step taken only if
    sentence = (
        "2. Định kỳ 06 (sáu) tháng hoặc đột xuất, Văn phòng UBND tỉnh báo cáo UBND tỉnh tình "
        "hình, kết quả để kịp thời giải quyết khó khăn, vướng mắc (nếu có)."
    )
    assert assigned_owner(sentence) == "Văn phòng UBND tỉnh"


def test_a_body_after_a_verb_and_a_comma_is_its_object_not_a_new_owner():
    sentence = (
        "Trong thời hạn 10 ngày làm việc, kể từ ngày nhận được kiến nghị phải tham mưu cho UBND "
        "tỉnh, Chủ tịch UBND tỉnh trả lời cử tri"
    )
    assert assigned_owner(sentence) is None
