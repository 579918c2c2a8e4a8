"""How a flow parameter reads in Prefect's Run form: a Vietnamese label and help text."""

from __future__ import annotations

from typing import Any

from pydantic import Field


def described(title: str, description: str) -> Any:
    """The `Annotated` metadata of a flow parameter titled `title` with help `description`.

    Prefect builds the form's schema with a Field of its own titled with the parameter's name
    (and a description only from the docstring); it keeps `json_schema_extra`, which pydantic
    applies last, so that is where the form's label and help go."""
    return Field(
        title=title,
        description=description,
        json_schema_extra={"title": title, "description": description},
    )
