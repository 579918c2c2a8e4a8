"""How a composed e-mail leaves dondoc: the transport interface and the ways sending fails."""

from __future__ import annotations

from dataclasses import dataclass
from types import TracebackType
from typing import Protocol

from models.errors import InfrastructureError


@dataclass(frozen=True)
class Outgoing:
    """One e-mail ready for the wire: envelope sender and recipients, and its exact bytes."""

    key: str
    sender: str
    recipients: tuple[str, ...]
    data: bytes


def put_off(reply: str) -> bool:
    """Whether a recipient's refusal (the server's reply, "451 …") is only for now: a 4xx is
    tried again later; a 5xx, or a reason dondoc gave itself, is for good."""
    return reply.startswith("4")


class DeliveryError(InfrastructureError):
    """A message could not be handed over."""


class TemporaryFailure(DeliveryError):
    """Try again later (connection lost, server busy, 4xx): the message stays pending."""


class RecipientsPutOff(TemporaryFailure):
    """Every recipient refused, some of them only for now (4xx: greylisting, a full mailbox):
    nothing was delivered, and the server itself is fine, so the batch goes on."""

    def __init__(self, message: str, refusals: dict[str, str]):
        super().__init__(message)
        self.refusals = refusals  # address → the server's reply


class UncertainDelivery(DeliveryError):
    """The whole message went out (after DATA) and no answer came: it may have arrived. Not
    retried at once: a resend could deliver it twice."""


class PermanentFailure(DeliveryError):
    """The server refuses this message for good (5xx): retrying it as is would not help."""


class Transport(Protocol):
    """Used as `with transport: transport.send(...)` for one batch (one SMTP connection).

    `send` returns the recipients refused while the others accepted the message, with why.
    """

    def __enter__(self) -> Transport: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def send(self, mail: Outgoing) -> dict[str, str]: ...
