"""What went wrong with the database, said for a person: what it is and what to do.

The driver's own words (SQLite's, psycopg's) are English and often misleading ("unable to open
database file" for a missing folder, a lock held too long, a full disk): each known case is
named in Vietnamese, and the driver's first line follows in parentheses (host and port,
never the URL or a password)."""

from __future__ import annotations

import os
from pathlib import Path

# (what the driver says, lower case) → what it is and what to do
KNOWN: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("database is locked", "database table is locked"),
        "cơ sở dữ liệu đang bị một tiến trình dondoc khác ghi quá 30 giây: chờ nó xong (hoặc "
        "dừng nó) rồi chạy lại",
    ),
    (
        ("database or disk is full", "no space left on device", "could not extend file"),
        "ổ đĩa chứa cơ sở dữ liệu đã đầy: giải phóng chỗ trống rồi chạy lại (không có gì bị "
        "ghi dở)",
    ),
    (
        ("attempt to write a readonly database", "read-only file system", "readonly"),
        "cơ sở dữ liệu chỉ đọc được, không ghi được (tệp hoặc thư mục không cho ghi, hệ thống "
        "tệp gắn chỉ đọc, hoặc tệp bị khóa bất biến bằng chattr +i): cho phép ghi rồi chạy lại",
    ),
    (
        ("unable to open database file",),
        "không mở được tệp cơ sở dữ liệu: thư mục trong DONDOC_DATABASE_URL không có hoặc "
        "không vào được",
    ),
    (
        ("disk i/o error",),
        "lỗi đọc/ghi ổ đĩa khi dùng cơ sở dữ liệu: kiểm tra ổ đĩa rồi chạy lại",
    ),
    (
        ("fatal:  database", "fatal:  role", "fatal: database", "fatal: role"),
        "máy chủ PostgreSQL không có cơ sở dữ liệu hoặc người dùng ghi trong "
        "DONDOC_DATABASE_URL: tạo nó (createdb) hoặc sửa địa chỉ",
    ),
    (
        ("password authentication failed", "authentication failed"),
        "máy chủ PostgreSQL từ chối đăng nhập: kiểm tra người dùng và mật khẩu trong "
        "DONDOC_DATABASE_URL",
    ),
    (
        ("server closed the connection", "terminating connection", "connection is closed"),
        "máy chủ PostgreSQL đóng kết nối giữa chừng (khởi động lại, hoặc bị ngắt): chạy lại; "
        "không có gì bị ghi dở",
    ),
    (
        ("connection refused", "could not connect", "connection failed", "timeout expired"),
        "không kết nối được máy chủ cơ sở dữ liệu: kiểm tra máy chủ đang chạy và "
        "DONDOC_DATABASE_URL",
    ),
    (
        ("could not translate host name", "name or service not known"),
        "không tìm thấy máy chủ cơ sở dữ liệu theo tên trong DONDOC_DATABASE_URL",
    ),
)
FULL = KNOWN[1][1]
READ_ONLY = KNOWN[2][1]
LOW_SPACE_BYTES = 256 * 1024  # below this, a write that needs a page or two fails
FALLBACK = "cơ sở dữ liệu không trả lời như mong đợi: kiểm tra máy chủ và DONDOC_DATABASE_URL"


def database_trouble(reason: str, sqlite_file: Path | None = None) -> str:
    """The Vietnamese sentence for a driver's error message `reason`, with it after.

    SQLite says "disk I/O error" for a full disk and "unable to open database file" for a
    read-only file system or an immutable file: for a SQLite file, the file system is asked
    what is really wrong before the message is chosen."""
    said = reason.strip().splitlines()[0] if reason.strip() else ""
    sentence = _file_trouble(sqlite_file) if sqlite_file is not None else None
    if sentence is None:
        lowered = said.lower()
        known = (s for markers, s in KNOWN if any(marker in lowered for marker in markers))
        sentence = next(known, FALLBACK)
    return f"{sentence} ({said})" if said else sentence


def _file_trouble(database: Path) -> str | None:
    """What the file system says about a SQLite file's folder and file, if anything is off."""
    folder = database.parent
    if not folder.is_dir():
        return None  # "unable to open database file" says it: the folder is not there
    stats = os.statvfs(folder)
    if stats.f_flag & os.ST_RDONLY:
        return READ_ONLY
    if stats.f_bavail * stats.f_frsize < LOW_SPACE_BYTES:
        return FULL
    if not os.access(folder, os.W_OK) or (database.exists() and not os.access(database, os.W_OK)):
        return READ_ONLY
    return None
