"""The name an uploaded file is shown and downloaded under: the unit's own (Vietnamese letters
kept), without a path, control or direction characters, Windows' reserved names, or a length
no file system takes; and the Content-Disposition header that offers it for download.

The name is only ever shown: the file itself is kept under its sha256 (content_store.py), so
no name a unit types can reach the disk."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from models.uploads.file_types import FileType

# 255 bytes is the limit of most file systems; a browser saving a second copy adds " (1)".
MAX_NAME_BYTES = 200
DEFAULT_STEM = "tệp đính kèm"
# Windows cannot write these in a name; '/' and '\' never reach here (paths are cut first).
RESERVED_CHARACTERS = '<>:"|?*'
# Control, format (RTL override U+202E, zero width, BOM), surrogate, private use, unassigned,
# line and paragraph separators: nothing a person reads, some that lie about the name.
DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
# Windows' device names, with any extension ("nul.pdf" opens the null device there).
RESERVED_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"{device}{n}" for device in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"]}
)
# What an ASCII-only client reads instead of a Vietnamese letter it cannot show.
ASCII_LETTERS = str.maketrans({"đ": "d", "Đ": "D"})
# RFC 5987 attr-char beyond letters and digits: the rest is percent-encoded.
ATTR_CHARACTERS = "!#$&+-.^_`|~"


def display_name(raw: str, file_type: FileType | None = None) -> str:
    """`raw` (as the browser sent it) made safe to show and to save: NFC, the last part of any
    path, dropped characters gone, reserved ones '_', spaces collapsed, no leading or trailing
    dot or space, a reserved device name prefixed, at most MAX_NAME_BYTES of UTF-8 with its
    extension kept; with `file_type`, ending in one of its extensions (added when missing: a
    PDF named 'bao cao.docx' is shown as 'bao cao.docx.pdf', so it opens in the right
    program)."""
    name = unicodedata.normalize("NFC", raw)
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(_kept(character) for character in name)
    name = " ".join(name.split()).strip(" .")
    stem, extension = _split(name)
    if file_type is not None and extension.lower() not in file_type.extensions:
        stem, extension = name, file_type.extensions[0]
    stem = _shortened(stem, MAX_NAME_BYTES - len(extension.encode()))
    if stem.split(".")[0].strip().upper() in RESERVED_NAMES:
        stem = f"_{stem}"
    return f"{stem or DEFAULT_STEM}{extension}"


def _split(name: str) -> tuple[str, str]:
    """(stem, '.ext'): an extension is what follows the last dot, 1 to 10 letters or digits,
    with something before it ('.pdf' alone is a stem, 'tháng 3. 2023' has none)."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem or len(suffix) > 10 or not suffix.isalnum():
        return name, ""
    return stem.rstrip(" ."), f".{suffix}"


def _kept(character: str) -> str:
    """A character as it stays in a name: dropped, '_' for a reserved one, ' ' for any space."""
    category = unicodedata.category(character)
    if category in DROPPED_CATEGORIES:
        return ""
    if character in RESERVED_CHARACTERS:
        return "_"
    return " " if category == "Zs" else character


def _shortened(stem: str, budget: int) -> str:
    """`stem` cut, at a character, to at most `budget` bytes of UTF-8 (no dot or space left
    dangling at the cut)."""
    encoded = stem.encode()
    if len(encoded) <= budget:
        return stem
    return encoded[: max(budget, 0)].decode(errors="ignore").rstrip(" .")


def content_disposition(name: str) -> str:
    """`attachment; filename="…"; filename*=UTF-8''…` (RFC 6266): the name whole for every
    browser of this decade, an ASCII spelling ('Bao cao tien do.pdf') for older clients.
    Always an attachment: a page never renders what a unit sent. `name` is a display_name."""
    return (
        f'attachment; filename="{ascii_name(name)}"; '
        f"filename*=UTF-8''{quote(name, safe=ATTR_CHARACTERS)}"
    )


def ascii_name(name: str) -> str:
    """`name` in printable ASCII: accents taken off (ệ → e, đ → d), any other letter, a quote or a
    backslash replaced by '_'."""
    decomposed = unicodedata.normalize("NFKD", name.translate(ASCII_LETTERS))
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c if " " <= c <= "~" and c not in '"\\' else "_" for c in letters)
