"""The submissions CSV, read alone (pure: no database): every kind of bad file is refused."""

from __future__ import annotations

import pytest

from models.errors import FileError
from models.files.submissions_csv import parse_submissions_csv
from tests.builders import HCM


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "dòng tiêu đề phải là"),
        ("ordinal,deliverable\n", "dòng tiêu đề phải là"),
        (
            "ordinal,deliverable,unit,kind,received_at,recorded_at,recorded_by,note,undoes,data\n"
            "1,a,b,lost,2023-03-01T09:00+07:00,2023-03-01T09:00+07:00,,,,{}\n",
            "'lost' không phải received, waived, extended, accepted, returned, acknowledged, "
            "extension_requested, extension_refused hay undo",
        ),
        (
            "ordinal,deliverable,unit,kind,received_at,recorded_at,recorded_by,note,undoes,data\n"
            "1,a,b,waived,2023-03-01T09:00+07:00,2023-03-01T09:00+07:00,,,,{}\n"
            "2,a,b,returned,2023-03-02T09:00+07:00,2023-03-02T09:00+07:00,,x,1,{}\n",
            r"dòng 1 không phải một lần nộp \(received\)",
        ),
        (
            "ordinal,deliverable,unit,kind,received_at,recorded_at,recorded_by,note,undoes,data\n"
            "1,a,b,received,2023-03-01T09:00+07:00,2023-03-01T09:00+07:00,,,1,{}\n",
            r"chỉ dòng hủy \(undo\), dòng duyệt",
        ),
        (
            "ordinal,deliverable,unit,kind,received_at,recorded_at,recorded_by,note,undoes,data\n"
            "1,a,b,received,2023-03-01T09:00+07:00,2023-03-01T09:00+07:00,,,,{}\n"
            "2,a,b,extension_refused,2023-03-02T09:00+07:00,2023-03-02T09:00+07:00,,x,1,{}\n",
            r"dòng 1 không phải một đề nghị gia hạn \(extension_requested\)",
        ),
        (
            "ordinal,deliverable,unit,kind,received_at,recorded_at,recorded_by,note,undoes,data\n"
            "1,a,b,received,2023-03-01T09:00+07:00,2023-03-01T09:00+07:00,,,,[1]\n",
            "cần một đối tượng JSON",
        ),
        (
            "ordinal,deliverable,unit,kind,received_at,recorded_at,recorded_by,note,undoes,data\n"
            "2,a,b,received,2023-03-01T09:00+07:00,2023-03-01T09:00+07:00,,,,{}\n",
            "các dòng được đánh số 1, 2, 3…: cần 1",
        ),
        (
            "ordinal,deliverable,unit,kind,received_at,recorded_at,recorded_by,note,undoes,data\n"
            "1,a,b,received,2023-03-01T09:00+07:00,2023-03-01T09:00+07:00,,,,{}\n2,a,c,undo,2023-03-02T09:00+07:00,2023-03-02T09:00+07:00,,,1,{}\n",
            "dòng 1 thuộc một phân công khác",
        ),
        (
            "ordinal,deliverable,unit,kind,received_at,recorded_at,recorded_by,note,undoes,data\n"
            "1,a,b,received,2023-03-01T09:00,2023-03-01T09:00+07:00,,,,{}\n",
            "received_at: '2023-03-01T09:00' thiếu độ lệch múi giờ",
        ),
    ],
)
def test_parse_refuses_each_kind_of_bad_csv(text: str, expected: str):
    with pytest.raises(FileError, match=expected):
        parse_submissions_csv(text, "x.csv", HCM)


@pytest.mark.parametrize(
    "note", ['=HYPERLINK("http://evil.example","bấm")', "+1", "-2", "@SUM(A1)", "'=already"]
)
def test_a_note_that_looks_like_a_formula_is_written_as_text_and_read_back_as_it_was(
    note: str,
) -> None:
    from models.files.submissions_csv import submissions_csv
    from models.submissions import Submission, SubmissionKind
    from tests.builders import local

    at = local(2023, 3, 8, 9)
    record = Submission(1, "bc", "d1", SubmissionKind.RECEIVED, at, at, "=cmd|' /C calc'!A0", note)
    text = submissions_csv([record], HCM)
    row = text.splitlines()[1]
    assert ",=" not in row and ",+" not in row and ",-2" not in row and ",@" not in row
    (back,) = parse_submissions_csv(text, "x.csv", HCM)
    assert (back.note, back.recorded_by) == (note, "=cmd|' /C calc'!A0")


def test_a_request_and_its_refusal_go_out_and_come_back_naming_each_other() -> None:
    from models.files.submissions_csv import records_of, submissions_csv
    from models.submissions import Submission, SubmissionKind
    from tests.builders import local

    asked, refused = local(2023, 3, 10, 9), local(2023, 3, 10, 14)
    rows = [
        Submission(
            41, "bc", "d1", SubmissionKind.EXTENSION_REQUESTED, asked, asked, "d1 (trang cá nhân)",
            "thiếu số liệu xã", data={"due": "20/03/2023"},
        ),
        Submission(
            57, "bc", "d1", SubmissionKind.EXTENSION_REFUSED, refused, refused, "vptu",
            "hạn đã chốt", undoes=41,
        ),
    ]  # fmt: skip
    records = records_of(rows)
    back = parse_submissions_csv(submissions_csv(records, HCM), "x.csv", HCM)
    assert back == records
    assert (back[1].undoes, back[0].data) == (1, {"due": "20/03/2023"})
