"""What to fetch from AWS and how: one request object, its defaults written once.

The command line builds it (``lint`` and ``fetch`` share it), ``aws`` carries it out. It imports
nothing, so the command line can show the defaults in its help without loading boto3.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_JOBS = 4
DEFAULT_TIMEOUT = 900.0
# One request, retries included: room for botocore's standard retries' backoff (at most 1+2+4+8+16+4*20
# = 111 s over ten attempts), well inside the overall deadline and under AWS CLI v2's three minutes.
DEFAULT_REQUEST_TIMEOUT = 120.0
DEFAULT_INTERVAL = 2.0


@dataclass(frozen=True)
class FetchRequest:
    """Plans to fetch (by id, by provisioned product, or every plan), change sets (by ARN, or by
    name with the stack), and how."""

    plan_ids: Sequence[str] = ()
    provisioned_products: Sequence[str] = ()
    every_plan: bool = False
    change_sets: Sequence[str] = ()  # ARNs, or names of change sets of ``stack``
    stack: str | None = None
    profile: str | None = None
    region: str | None = None
    jobs: int = DEFAULT_JOBS  # plans fetched at once
    wait: bool = True  # wait while a plan is CREATE_IN_PROGRESS
    timeout: float = DEFAULT_TIMEOUT  # seconds for the whole fetch
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT  # seconds for each request, retries included
    interval: float = DEFAULT_INTERVAL  # first wait between polls, doubling up to 30 s
    public_parameters: Sequence[str] = ()  # parameters whose values a saved plan may show

    @property
    def wanted(self) -> bool:
        return self.plans_wanted or bool(self.change_sets)

    @property
    def plans_wanted(self) -> bool:
        return bool(self.plan_ids or self.provisioned_products or self.every_plan)
