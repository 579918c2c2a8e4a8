"""E-mail addresses of a plan's units: checked with a validator made for it, stored in the
form that goes on the wire.

An internationalised domain (hà-tĩnh.example) is stored encoded (xn--h-tnh-rqa72c.example), so
every server and every header can carry it. A local part that is not ASCII (văn.thư@…) can
only travel over SMTPUTF8: it is kept as written, and the plan check warns about it.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

# email-validator's English reasons, said in Vietnamese (the start of its message → ours).
REASONS: tuple[tuple[str, str], ...] = (
    ("An email address must have an @-sign", "thiếu dấu @"),
    ("There must be something before the @-sign", "thiếu phần tên trước dấu @"),
    ("There must be something after the @-sign", "thiếu tên miền sau dấu @"),
    ("The email address contains invalid characters before", "có ký tự không hợp lệ trước dấu @"),
    ("The part after the @-sign contains invalid characters", "tên miền có ký tự không hợp lệ"),
    ("The part after the @-sign is not valid. It should have a period", "tên miền thiếu dấu chấm"),
    ("The part after the @-sign is a special-use", "tên miền dành riêng, không nhận thư được"),
    ("A bracketed IP address", "không gửi tới địa chỉ IP, hãy ghi tên miền"),
    ("The email address is too long before", "phần tên trước dấu @ quá dài"),
    ("The email address is too long", "địa chỉ quá dài"),
    ("An email address cannot have a period immediately", "dấu chấm đặt sai chỗ"),
    ("An email address cannot end with a period", "dấu chấm đặt sai chỗ"),
    ("An email address cannot have two periods", "hai dấu chấm liền nhau"),
)


def wire_address(text: str) -> str:
    """The address as dondoc stores and sends it, or a ValueError saying in Vietnamese what is
    wrong (never echoing more than the address itself)."""
    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError as error:
        reason = _reason(error)
        raise ValueError(f"'{text[:254]}' không phải địa chỉ e-mail dùng được: {reason}") from None
    return checked.ascii_email or checked.normalized


def needs_smtputf8(address: str) -> bool:
    """Whether `address` (a stored one) can travel only over SMTPUTF8: a non-ASCII local part."""
    return not address.isascii()


def _reason(error: EmailNotValidError) -> str:
    said = str(error)
    for start, reason in REASONS:
        if said.startswith(start):
            return reason
    return "sai cú pháp (ví dụ đúng: vanphong@hatinh.gov.vn)"
