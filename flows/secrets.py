"""Secrets kept in Prefect Secret blocks instead of the environment, read when a flow needs them."""

from __future__ import annotations

from prefect.blocks.system import Secret
from pydantic import SecretStr

from models.errors import DondocError
from models.settings import Settings


class MissingSecretError(DondocError):
    """A Secret block named in the settings does not exist (or cannot be read)."""


def with_secret_blocks(settings: Settings) -> Settings:
    """The settings, with the SMTP password read from the Prefect Secret block named by
    DONDOC_SMTP_PASSWORD_BLOCK when DONDOC_SMTP_PASSWORD itself is not set.

    The value stays a SecretStr: it is never printed, logged or stored in a run's state."""
    name = settings.smtp_password_block_to_read
    if not name:
        return settings
    try:
        value = Secret.load(name).get()
    except ValueError as error:  # Prefect: "Unable to find block document named …"
        raise MissingSecretError(
            f"không có Prefect Secret block '{name}' (DONDOC_SMTP_PASSWORD_BLOCK): hãy tạo nó "
            f"bằng Secret(value=…).save('{name}') hoặc trong giao diện Prefect, mục Blocks → Secret"
        ) from error
    return settings.model_copy(update={"smtp_password": SecretStr(str(value))})
