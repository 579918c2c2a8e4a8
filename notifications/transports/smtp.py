"""The SMTP transport: one connection per batch, TLS and login as configured, retries."""

from __future__ import annotations

import re
import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Literal

from notifications.transports import (
    Outgoing,
    PermanentFailure,
    RecipientsPutOff,
    TemporaryFailure,
    UncertainDelivery,
)

DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}
BACKOFF_SECONDS = 0.5
# What a broken connection looks like: reconnect and try again.
RETRYABLE = (smtplib.SMTPServerDisconnected, OSError)


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int | None = None
    tls: Literal["none", "starttls", "ssl"] = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)  # never in a log or a traceback
    timeout: float = 30.0
    retries: int = 3
    backoff: float = BACKOFF_SECONDS  # first pause; doubles with each retry

    @property
    def resolved_port(self) -> int:
        return self.port or DEFAULT_PORTS[self.tls]


class SmtpTransport:
    """Sends over one reused connection; a message that fails for a passing reason is retried
    `retries` times with exponential backoff (reconnecting), then reported as temporary."""

    def __init__(self, config: SmtpConfig, sleep: Callable[[float], None] = time.sleep):
        self.config = config
        self.sleep = sleep
        self.connection: smtplib.SMTP | None = None
        self.connections_opened = 0

    def __enter__(self) -> SmtpTransport:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        connection, self.connection = self.connection, None
        if connection is None:
            return
        try:
            connection.quit()
        except (smtplib.SMTPException, OSError):
            connection.close()

    def connect(self) -> smtplib.SMTP:
        if self.connection is not None:
            return self.connection
        config = self.config
        if config.tls == "ssl":
            context = ssl.create_default_context()
            connection: smtplib.SMTP = smtplib.SMTP_SSL(
                config.host, config.resolved_port, timeout=config.timeout, context=context
            )
        else:
            connection = smtplib.SMTP(config.host, config.resolved_port, timeout=config.timeout)
        self.connection = connection  # closed by close() even if what follows fails
        if config.tls == "starttls":
            connection.starttls(context=ssl.create_default_context())
        if config.user:
            connection.login(config.user, config.password or "")
        self.connections_opened += 1
        return connection

    def send(self, mail: Outgoing) -> dict[str, str]:
        last = ""
        for attempt in range(self.config.retries + 1):
            if attempt:
                self.sleep(self.config.backoff * 2 ** (attempt - 1))
            try:
                return self._send_once(mail)
            except RecipientsPutOff:
                raise  # the recipients' servers want time, not this connection: not on the spot
            except TemporaryFailure as exc:
                last = str(exc)
                self.close()
            except Exception:
                self.close()  # the session may be mid-transaction: the next message starts anew
                raise
        raise TemporaryFailure(f"{last} (sau {self.config.retries + 1} lần thử)")

    def _send_once(self, mail: Outgoing) -> dict[str, str]:
        try:
            connection = self.connect()
        except (smtplib.SMTPException, OSError) as exc:  # refused login is no fault of a message
            where = f"{self.config.host}:{self.config.resolved_port}"
            raise TemporaryFailure(f"không mở được phiên SMTP với {where}: {exc}") from exc
        try:
            recipients, options, unsendable = self._envelope(connection, mail)
            if not recipients:
                raise PermanentFailure("; ".join(f"{a}: {why}" for a, why in unsendable.items()))
            refused = self._transmit(connection, mail, recipients, options)
        except smtplib.SMTPRecipientsRefused as exc:
            raise _by_code(exc.recipients, "mọi người nhận đều từ chối") from exc
        except smtplib.SMTPResponseException as exc:  # sender refused, data refused, auth…
            raise _classify(exc.smtp_code, exc.smtp_error) from exc
        except RETRYABLE as exc:
            raise TemporaryFailure(f"lỗi kết nối tới {self.config.host}: {exc}") from exc
        said = {address: _text(code, reply) for address, (code, reply) in refused.items()}
        return {**unsendable, **said}

    def _transmit(
        self, connection: smtplib.SMTP, mail: Outgoing, recipients: list[str], options: list[str]
    ) -> dict[str, tuple[int, bytes]]:
        """smtplib's sendmail, step by step, so as to know when the message has gone out: the
        server may drop the line after the final "." and before its answer. The message may
        then have arrived, and resending at once would deliver it twice: UncertainDelivery."""
        connection.ehlo_or_helo_if_needed()
        code, reply = connection.mail(mail.sender, options)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, reply, mail.sender)
        refused: dict[str, tuple[int, bytes]] = {}
        for address in recipients:
            code, reply = connection.rcpt(address)
            if code not in (250, 251):
                refused[address] = (code, reply)
        if len(refused) == len(recipients):
            connection.rset()
            raise smtplib.SMTPRecipientsRefused(refused)
        code, reply = connection.docmd("data")
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        connection.send(_dot_stuffed(mail.data))  # cut short: no final ".", nothing delivered
        try:
            code, reply = connection.getreply()
        except RETRYABLE as exc:
            raise UncertainDelivery(
                f"máy chủ {self.config.host} đã nhận hết thư rồi ngắt kết nối trước khi trả "
                f"lời ({exc})"
            ) from exc
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)
        return refused

    def _envelope(
        self, connection: smtplib.SMTP, mail: Outgoing
    ) -> tuple[list[str], list[str], dict[str, str]]:
        """Recipients, MAIL FROM options, and the recipients this server cannot take: an
        address with a non-ASCII local part travels only over SMTPUTF8 (RFC 6531)."""
        wide = [a for a in mail.recipients if not a.isascii()]
        if not wide and mail.sender.isascii():
            return list(mail.recipients), [], {}
        connection.ehlo_or_helo_if_needed()
        if connection.has_extn("smtputf8"):
            return list(mail.recipients), ["SMTPUTF8"], {}
        why = f"máy chủ {self.config.host} không nhận địa chỉ có chữ có dấu (không hỗ trợ SMTPUTF8)"
        return [a for a in mail.recipients if a.isascii()], [], dict.fromkeys(wide, why)


def _dot_stuffed(data: bytes) -> bytes:
    """The DATA as sent: lines starting with "." doubled, CRLF, then the final "." line."""
    body = re.sub(rb"(?m)^\.", b"..", data)
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    return body + b".\r\n"


def _text(code: int, reply: bytes | str) -> str:
    reply = reply.decode(errors="replace") if isinstance(reply, bytes) else reply
    return f"{code} {reply}"


def _classify(code: int, reply: bytes | str) -> TemporaryFailure | PermanentFailure:
    error = PermanentFailure if 500 <= code < 600 else TemporaryFailure
    return error(_text(code, reply))


def _by_code(
    recipients: dict[str, tuple[int, bytes]], what: str
) -> RecipientsPutOff | PermanentFailure:
    """Permanent only when every refusal is permanent (5xx); otherwise the recipients are put
    off, each with its reply, for the outbox to try them again alone."""
    details = "; ".join(f"{a}: {_text(c, r)}" for a, (c, r) in recipients.items())
    if all(500 <= code < 600 for code, _ in recipients.values()):
        return PermanentFailure(f"{what}: {details}")
    refusals = {address: _text(code, reply) for address, (code, reply) in recipients.items()}
    return RecipientsPutOff(f"{what}: {details}", refusals)
