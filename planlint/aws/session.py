"""A boto3 Service Catalog client with planlint's timeouts, retries and user agent."""

from __future__ import annotations

import os
from typing import Any

from planlint import __version__
from planlint.aws.errors import SERVICE, SERVICES, AwsError, describe
from planlint.aws.request import DEFAULT_REQUEST_TIMEOUT


def client(
    profile: str | None = None,
    region: str | None = None,
    service: str = "servicecatalog",
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
) -> Any:
    """A Service Catalog (or, with ``service="cloudformation"``, CloudFormation) client honouring
    the standard AWS configuration, each of its requests given up on after ``request_timeout``
    seconds, retries included.

    Retries default to botocore's ``standard`` mode with more attempts for throttling, unless the
    environment or profile chooses a retry mode or attempt count itself.
    """
    try:
        import boto3
        import botocore.session
        from botocore.config import Config
        from botocore.exceptions import BotoCoreError
    except ImportError:
        raise AwsError(
            SERVICES.get(service, SERVICE), "boto3 is not installed; install planlint[aws] to fetch plans"
        ) from None

    try:
        core = botocore.session.get_session()
        if profile:
            core.set_config_variable("profile", profile)
        scoped = core.get_scoped_config()  # raises ProfileNotFound for an unknown profile
        chosen = any(os.environ.get(v) for v in ("AWS_RETRY_MODE", "AWS_MAX_ATTEMPTS")) or any(
            key in scoped for key in ("retry_mode", "max_attempts")
        )
        config = Config(
            user_agent_extra=f"planlint/{__version__}",
            connect_timeout=5,
            read_timeout=20,
            retries=None if chosen else {"mode": "standard", "max_attempts": 10},
        )
        made = boto3.Session(botocore_session=core, region_name=region).client(service, config=config)
    except BotoCoreError as exc:
        name = SERVICES.get(service, service)
        raise AwsError(name, describe(exc, name)) from None
    from planlint.aws.bounded_client import BoundedClient

    return BoundedClient(made, request_timeout)
