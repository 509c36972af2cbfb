"""A boto3 client whose every request ends within a wall-clock bound, retries included.

botocore's ``read_timeout`` bounds one socket read: an endpoint that sends a byte every few seconds
never trips it, and retries multiply it. So each API call runs as ``bounded.within`` work of its own,
given up on (and left behind) after ``request_timeout`` seconds, whatever happens inside botocore;
giving up raises :class:`RequestTimeout`, a ``BotoCoreError``, which every caller already turns
into one line. Imported only once boto3 is.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError

from planlint.aws.bounded import Late, quietly, within


class RequestTimeout(BotoCoreError):  # type: ignore[misc]  # botocore has no type hints
    """An API call got no complete answer within its bound (``operation``, ``seconds``)."""

    fmt = "no complete answer to {operation} within {seconds:g}s"


class BoundedClient:
    """``client`` with each of its API calls bounded by ``request_timeout`` seconds; everything else
    (``meta``, ``exceptions``, paginators' models) is the client's own."""

    def __init__(self, client: Any, request_timeout: float) -> None:
        self.client, self.request_timeout = client, request_timeout

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.client, name)
        operation = self.client.meta.method_to_api_mapping.get(name)
        if operation is None:
            return attribute
        return lambda *args, **kwargs: self._call(operation, lambda: attribute(*args, **kwargs))

    def _call(self, operation: str, call: Any) -> Any:
        try:
            return within(call, self.request_timeout, f"planlint-{operation}", join=quietly)
        except Late:
            raise RequestTimeout(operation=operation, seconds=self.request_timeout) from None
