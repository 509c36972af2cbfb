"""What every model of an AWS response shares: AWS's names as aliases, frozen, nulls read as absent."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def list_or_empty(value: Any) -> Any:
    """A list member that is null or absent is an empty tuple."""
    return () if value is None else value


Timestamp = Annotated[datetime | None, AfterValidator(_utc)]


class Shape(BaseModel):
    """A shape of the API: JSON keeps AWS's member names, Python attributes are snake_case."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)

    def _private(self) -> dict[str, Any]:
        """The private attributes, which only the model itself sets (a frozen model refuses setattr)."""
        private = self.__pydantic_private__
        assert private is not None  # every model here declares private attributes or none is read
        return private
