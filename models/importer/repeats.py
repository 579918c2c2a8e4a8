"""The same work written twice: a plan's prose repeats the rows of its appendix table in other
words ("Xây dựng và triển khai các chương trình, đề án phát triển hạ tầng số …" under "1. Sở Khoa
học và Công nghệ", and the table's row "Xây dựng và triển khai Chương trình/ Đề án phát triển hạ
tầng số …" with its time). The row is kept: it has the time column."""

from __future__ import annotations

from difflib import SequenceMatcher

from models.importer.model import DraftDeliverable
from models.importer.relative_phrases import name_words

SAME_WORK = 0.75  # of the shorter wording's words found, in order, in the other
MIN_WORDS = 6  # shorter wordings ("Tổ chức thực hiện.") say too little to match


def repeated_by(prose: DraftDeliverable, rows: list[DraftDeliverable]) -> DraftDeliverable | None:
    """The row of the same owner that says the same work as `prose`, if any."""
    for row in rows:
        if row.owner == prose.owner and same_work(prose.quote, row.quote):
            return row
    return None


def same_work(first: str, second: str) -> bool:
    """Whether two wordings say the same work: most words of the shorter one appear, in order,
    in the other (measured on the corpus: repeats score 0.77–1.00, different works ≤ 0.62)."""
    one, other = name_words(first), name_words(second)
    shorter = min(len(one), len(other))
    if shorter < MIN_WORDS:
        return False
    matcher = SequenceMatcher(None, one, other, autojunk=False)
    shared = sum(block.size for block in matcher.get_matching_blocks())
    return shared / shorter >= SAME_WORK
