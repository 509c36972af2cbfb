"""What every model of an AWS response shares: AWS's names as aliases, frozen, nulls read as absent."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def list_or_empty(value: Any) -> Any:
    """A list member that is null or absent is an empty tuple."""
    return () if value is None else value


def blank_is_none(value: Any) -> Any:
    """An enum member written as ``""`` (Go SDK v2 writes absent enums so) is absent."""
    return None if value == "" else value


def json_text(value: Any) -> Any:
    """A member that the API sends as a JSON string, kept as one when a tool saved it decoded."""
    return json.dumps(value) if isinstance(value, (dict, list)) else value


Timestamp = Annotated[datetime | None, AfterValidator(_utc)]


class Shape(BaseModel):
    """A shape of the API: JSON keeps AWS's member names, Python attributes are snake_case."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)


class Tag(Shape):
    key: str = Field(alias="Key")
    value: str = Field(alias="Value")
