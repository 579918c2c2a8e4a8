"""Benchmark of the content store (a script, not a test): how long storing a unit's file takes
and how the files folder grows.

Run: `.venv/bin/python bench/uploads_bench.py [--count 20] [--megabytes 5] [--dir DIR]`. It
stores COUNT synthetic PDFs of MEGABYTES each (distinct contents, then one again to show it is
kept once) through `store_upload`, the path `dondoc web` takes: streamed in 64 KB chunks,
hashed, checked, fsync'ed, renamed. Without --dir it works in a temporary folder, removed
after. Keep COUNT small on a shared machine: each file is written and synced in full.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.files.content_store import store_upload  # noqa: E402
from models.uploads.limits import MB, UploadLimits  # noqa: E402


def synthetic_pdf(number: int, size: int) -> bytes:
    """A PDF of `size` bytes whose padding differs per `number` (distinct sha256s), shaped like
    a scan: a header, incompressible-looking content, the %%EOF trailer."""
    head = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    tail = b"\ntrailer\n<< /Size 1 >>\nstartxref\n0\n%%EOF\n"
    seed = number.to_bytes(8, "big") * 8
    body = (seed * (size // len(seed) + 1))[: size - len(head) - len(tail)]
    return head + body + tail


def folder_size(root: Path) -> tuple[int, int]:
    """(files, bytes) under `root`, as `du` would count the content."""
    files = total = 0
    for folder, _, names in os.walk(root):
        for name in names:
            files += 1
            total += (Path(folder) / name).stat().st_size
    return files, total


def run(root: Path, count: int, megabytes: int) -> None:
    limits = UploadLimits(max_file_bytes=(megabytes + 1) * MB, max_total_bytes=(megabytes + 1) * MB)
    times = []
    for number in range(count):
        content = synthetic_pdf(number, megabytes * MB)
        started = time.perf_counter()
        store_upload(root, f"bao-cao-{number}.pdf", BytesIO(content), limits)
        times.append(time.perf_counter() - started)
        files, total = folder_size(root)
        print(f"{number + 1:4d}  {times[-1] * 1000:8.1f} ms  {files:5d} tệp  {total / MB:9.1f} MB")
    started = time.perf_counter()
    store_upload(root, "gui-lai.pdf", BytesIO(synthetic_pdf(0, megabytes * MB)), limits)
    again = time.perf_counter() - started
    files, total = folder_size(root)
    median = sorted(times)[len(times) // 2]
    print(
        f"{count} tệp {megabytes} MB: trung vị {median * 1000:.1f} ms/tệp "
        f"({megabytes / median:.0f} MB/s), chậm nhất {max(times) * 1000:.1f} ms; gửi lại một "
        f"tệp đã có: {again * 1000:.1f} ms, thư mục vẫn {files} tệp, {total / MB:.1f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--megabytes", type=int, default=5)
    parser.add_argument(
        "--dir", type=Path, default=None, help="a folder to keep (default: a temporary one)"
    )
    arguments = parser.parse_args()
    if arguments.dir is not None:
        run(arguments.dir, arguments.count, arguments.megabytes)
        return
    with tempfile.TemporaryDirectory() as folder:
        run(Path(folder), arguments.count, arguments.megabytes)


if __name__ == "__main__":
    main()
