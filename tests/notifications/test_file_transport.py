"""The file transport: one .eml per key, written atomically, the same bytes on a resend."""

from __future__ import annotations

import pytest

from notifications.transports import Outgoing, TemporaryFailure
from notifications.transports.file import FileTransport


def outgoing(key: str = "p:reminder:report:d1:20230309T0000") -> Outgoing:
    return Outgoing(key, "vp@x.example", ("d1@x.example",), b"Subject: x\r\n\r\nbody\r\n")


def test_the_file_transport_writes_atomically_and_a_resend_rewrites_the_same_file(tmp_path):
    with FileTransport(tmp_path / "out") as transport:
        transport.send(outgoing())
        transport.send(outgoing())
    files = list((tmp_path / "out").iterdir())
    assert [f.name for f in files] == ["p_reminder_report_d1_20230309T0000.eml"]
    assert files[0].read_bytes() == outgoing().data


def test_the_file_transport_reports_an_unwritable_folder_as_temporary(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    transport = FileTransport(tmp_path)
    transport.folder = blocker
    with pytest.raises(TemporaryFailure, match="không ghi được"):
        transport.send(outgoing())


def test_the_file_transport_reports_a_folder_it_cannot_create_as_temporary(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(TemporaryFailure, match="không tạo được thư mục"), FileTransport(blocker):
        pass
