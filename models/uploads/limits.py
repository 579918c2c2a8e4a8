"""How large a unit's files may be: per file and per submission (DONDOC_UPLOAD_MAX_FILE_MB,
DONDOC_UPLOAD_MAX_TOTAL_MB), and the refusal that names which one a file crossed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from models.errors import UploadRefused

# Megabytes as the unit's computer counts them (Windows shows 1,048,576 bytes as "1 MB"): a
# file it shows as 19.9 MB passes a 20 MB limit.
MB = 1024 * 1024
HINT = "nén nhỏ lại (ví dụ in ra PDF với chất lượng ảnh thấp hơn) hoặc chia thành nhiều tệp"


@dataclass(frozen=True)
class UploadLimits:
    """The largest file, and the largest submission (its files together), in bytes."""

    max_file_bytes: int = 20 * MB
    max_total_bytes: int = 50 * MB

    @classmethod
    def in_megabytes(cls, max_file_mb: int, max_total_mb: int) -> UploadLimits:
        return cls(max_file_mb * MB, max_total_mb * MB)

    def allowance(self, used: int) -> int:
        """How many bytes the next file may have when the submission's earlier files hold
        `used`: the per-file limit, or what the total leaves, whichever is less."""
        return max(0, min(self.max_file_bytes, self.max_total_bytes - used))

    def too_large(self, name: str, used: int) -> UploadRefused:
        """The refusal of a file that crossed its allowance, naming the limit it crossed."""
        if self.allowance(used) == self.max_file_bytes:
            return UploadRefused(
                name,
                f"lớn hơn {size_text(self.max_file_bytes)}, mỗi tệp tối đa "
                f"{size_text(self.max_file_bytes)}: {HINT}",
            )
        return UploadRefused(
            name,
            f"làm các tệp của lần nộp này vượt {size_text(self.max_total_bytes)}, mỗi lần nộp "
            f"tối đa {size_text(self.max_total_bytes)} (các tệp trước đã dùng "
            f"{size_text(used)}): {HINT}",
        )


def size_text(count: int) -> str:
    """`20 MB`, `1,5 MB`, `300 KB`, `12 byte`: the way the unit's computer shows sizes."""
    if count >= MB:
        megabytes = f"{count / MB:.1f}".replace(".", ",").removesuffix(",0")
        return f"{megabytes} MB"
    if count >= 1024:
        return f"{count // 1024} KB"
    return f"{count} byte"


def check_sizes(names_and_sizes: Iterable[tuple[str, int]], limits: UploadLimits) -> None:
    """Files of one submission, in order, each within its allowance (the per-file limit, and
    what the earlier ones leave of the total); the first that is not is refused, named."""
    used = 0
    for name, size in names_and_sizes:
        if size > limits.allowance(used):
            raise limits.too_large(name, used)
        used += size
