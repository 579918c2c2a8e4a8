"""Secrets kept in Prefect Secret blocks instead of the environment, read when a flow needs them."""

from __future__ import annotations

from typing import cast

from prefect.blocks.system import Secret

from models.errors import InputError


class MissingSecretError(InputError):
    """A Secret block named in the settings does not exist (or cannot be read): someone has to
    create it, so sending fails at once instead of being retried."""


def read_secret_block(name: str, variable: str) -> str:
    """The value of the Prefect Secret block `name` (named by the setting `variable`).

    The caller keeps it out of every repr, log and run state (SmtpConfig hides it)."""
    try:
        secret = cast(Secret[str], Secret.load(name))  # sync_compatible: a Secret when sync
        value = secret.get()
    except ValueError as error:  # Prefect: "Unable to find block document named …"
        raise MissingSecretError(
            f"không có Prefect Secret block '{name}' ({variable}): hãy tạo nó "
            f"bằng Secret(value=…).save('{name}') hoặc trong giao diện Prefect, mục Blocks → Secret"
        ) from error
    return str(value)
