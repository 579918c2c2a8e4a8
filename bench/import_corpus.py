"""Issue 15's benchmark (a script, not a test): `dondoc plan import` on the real documents of
tests/models/importer/corpus, scored against their expected drafts, and timed.

Run: `.venv/bin/python bench/import_corpus.py`. Prints one row per document (expected and
drafted assignments, right owners, dated deadlines right, period deadlines drafted in their
own form, relative deadlines drafted as counts in the right form, relative deadlines drafted as
fixed dates, false tasks, seconds), the totals against the
targets, the same for the held-out documents of tests/models/importer/heldout, then the import
time of a synthetic 200-page document made of the corpus's text
documents repeated (target < 10 s).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.timing import best_of  # noqa: E402
from models.importer.pipeline import import_document  # noqa: E402
from tests.models.importer.corpus_score import expected_documents, score_corpus, table  # noqa: E402

PAGE_CHARACTERS = 3_000  # an A4 page of an administrative text, 13-14 pt
PAGES = 200
TARGET_SECONDS = 10.0


def synthetic_document(folder: Path, pages: int = PAGES) -> Path:
    """The corpus's .md and .txt documents, one after another, repeated to `pages` pages."""
    documents = [e.document for e in expected_documents()]
    texts = [d.read_text(encoding="utf-8") for d in documents if d.suffix in (".md", ".txt")]
    body: list[str] = []
    while sum(len(t) for t in body) < pages * PAGE_CHARACTERS:
        body.extend(texts)
    path = folder / "corpus-200-trang.md"
    path.write_text("\n\n".join(body), encoding="utf-8")
    return path


HELDOUT = ROOT / "tests" / "models" / "importer" / "heldout"


def main() -> None:
    scores, total = score_corpus()
    print(table(scores, total))
    print()
    print("Held-out documents (tests/models/importer/heldout: kept apart from the corpus)")
    print(table(*score_corpus(HELDOUT)))
    with tempfile.TemporaryDirectory() as folder:
        big = synthetic_document(Path(folder))
        size = len(big.read_text(encoding="utf-8"))
        drafted = len(import_document(big).plan.deliverables)
        seconds = best_of(3, lambda: import_document(big))
    print()
    print(
        f"synthetic document: {size:,} characters (~{size // PAGE_CHARACTERS} pages), "
        f"{drafted} deliverables drafted"
    )
    print(f"import time        {seconds:6.2f} s   target < {TARGET_SECONDS:.0f} s")


if __name__ == "__main__":
    main()
