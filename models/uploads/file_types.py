"""The formats dondoc keeps of what units send: stable keys, the extensions and media type each
is shown and served with, and what a person calls it."""

from __future__ import annotations

from enum import StrEnum


class FileType(StrEnum):
    """A kept format: its key (stored), the extensions it is shown with, its media type."""

    PDF = "pdf"
    DOC = "doc"
    DOCX = "docx"
    XLS = "xls"
    XLSX = "xlsx"
    ODT = "odt"
    ODS = "ods"
    JPEG = "jpeg"
    PNG = "png"

    @property
    def extensions(self) -> tuple[str, ...]:
        """Lower-case extensions, the usual one first (what a name without one gets)."""
        return (".jpg", ".jpeg") if self is FileType.JPEG else (f".{self.value}",)

    @property
    def media_type(self) -> str:
        """The Content-Type it is served with."""
        return MEDIA_TYPES[self]

    @property
    def label(self) -> str:
        """What a person calls it."""
        return LABELS[self]


MEDIA_TYPES = {
    FileType.PDF: "application/pdf",
    FileType.DOC: "application/msword",
    FileType.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileType.XLS: "application/vnd.ms-excel",
    FileType.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileType.ODT: "application/vnd.oasis.opendocument.text",
    FileType.ODS: "application/vnd.oasis.opendocument.spreadsheet",
    FileType.JPEG: "image/jpeg",
    FileType.PNG: "image/png",
}
LABELS = {
    FileType.PDF: "PDF",
    FileType.DOC: "Word (.doc)",
    FileType.DOCX: "Word (.docx)",
    FileType.XLS: "Excel (.xls)",
    FileType.XLSX: "Excel (.xlsx)",
    FileType.ODT: "OpenDocument văn bản (.odt)",
    FileType.ODS: "OpenDocument bảng tính (.ods)",
    FileType.JPEG: "ảnh JPEG",
    FileType.PNG: "ảnh PNG",
}
