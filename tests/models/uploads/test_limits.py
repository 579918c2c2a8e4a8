"""The size limits: per file and per submission, and the refusal naming the one crossed."""

from __future__ import annotations

import pytest

from models.errors import UploadRefused
from models.uploads.limits import MB, UploadLimits, check_sizes, size_text

LIMITS = UploadLimits(max_file_bytes=20 * MB, max_total_bytes=50 * MB)


@pytest.mark.parametrize(
    ("used", "allowance"),
    [(0, 20 * MB), (30 * MB, 20 * MB), (35 * MB, 15 * MB), (50 * MB, 0), (60 * MB, 0)],
)
def test_the_next_file_may_use_the_per_file_limit_or_what_the_total_leaves(used, allowance):
    assert LIMITS.allowance(used) == allowance


def test_the_defaults_are_20_mb_a_file_and_50_mb_a_submission():
    assert UploadLimits() == UploadLimits.in_megabytes(20, 50) == LIMITS


def test_exactly_at_the_limits_passes_and_one_byte_more_is_refused_naming_the_file():
    check_sizes([("a.pdf", 20 * MB), ("b.pdf", 20 * MB), ("c.pdf", 10 * MB)], LIMITS)
    with pytest.raises(UploadRefused) as caught:
        check_sizes([("Báo cáo.pdf", 20 * MB + 1)], LIMITS)
    assert str(caught.value) == (
        "tệp 'Báo cáo.pdf' lớn hơn 20 MB, mỗi tệp tối đa 20 MB: nén nhỏ lại (ví dụ in ra PDF "
        "với chất lượng ảnh thấp hơn) hoặc chia thành nhiều tệp"
    )
    with pytest.raises(
        UploadRefused, match=r"'c\.pdf' làm các tệp của lần nộp này vượt 50 MB"
    ) as t:
        check_sizes([("a.pdf", 20 * MB), ("b.pdf", 20 * MB), ("c.pdf", 10 * MB + 1)], LIMITS)
    assert "các tệp trước đã dùng 40 MB" in str(t.value)


@pytest.mark.parametrize(
    ("count", "text"),
    [(12, "12 byte"), (2048, "2 KB"), (MB, "1 MB"), (3 * MB // 2, "1,5 MB"), (20 * MB, "20 MB")],
)
def test_sizes_are_said_as_the_units_computer_shows_them(count, text):
    assert size_text(count) == text
