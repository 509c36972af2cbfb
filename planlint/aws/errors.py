"""What goes wrong talking to AWS, said for a person: ``AwsError(subject, problem)``."""

from __future__ import annotations

from planlint.support.errors import ServiceError

SERVICE = "Service Catalog"
SERVICES = {"servicecatalog": SERVICE, "cloudformation": "CloudFormation"}


class AwsError(ServiceError):
    """A fetch that failed, for a person: the ``subject`` (a plan, a product, the service, a file)
    and the ``problem`` — what happened and what to do."""

    def __init__(self, subject: str, problem: str) -> None:
        super().__init__(f"{subject}: {problem}")
        self.subject, self.problem = subject, problem


def describe(exc: BaseException, service: str = SERVICE, advice: dict[str, str] | None = None) -> str:
    """The problem of an AWS failure, for one line: what happened and what to do (``advice`` by error
    code, over the usual)."""
    from botocore.exceptions import (
        ClientError,
        ConnectTimeoutError,
        EndpointConnectionError,
        NoCredentialsError,
        NoRegionError,
        PartialCredentialsError,
        ProfileNotFound,
        ReadTimeoutError,
    )

    from planlint.aws.bounded_client import RequestTimeout

    if isinstance(exc, RequestTimeout):
        return (
            f"{service} did not answer {exc.kwargs['operation']} within --request-timeout {exc.kwargs['seconds']:g}s, "
            "retries included (the endpoint is silent or too slow); check the network and the region, "
            "or raise --request-timeout"
        )
    if isinstance(exc, (NoCredentialsError, PartialCredentialsError)):
        return "no AWS credentials found; configure a profile, environment variables or a role"
    if isinstance(exc, ProfileNotFound):
        return f"{exc}; check --profile and ~/.aws/config"
    if isinstance(exc, NoRegionError):
        return "no AWS region; pass --region or set AWS_REGION"
    if isinstance(exc, (EndpointConnectionError, ConnectTimeoutError)):
        return f"cannot reach the {service} endpoint ({exc}); check the network and the region"
    if isinstance(exc, ReadTimeoutError):
        return f"{service} did not answer in time ({exc}); try again later"
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = error.get("Code", "Unknown")
        message = error.get("Message") or ""
        advice_text = {
            "ResourceNotFoundException": "check the plan id and the region",
            "InvalidParametersException": "check the plan id or provisioned product",
            "AccessDeniedException": "the role needs servicecatalog:DescribeProvisionedProductPlan "
            "and servicecatalog:ListProvisionedProductPlans",
            "ExpiredTokenException": "the credentials expired; refresh them",
            "ExpiredToken": "the credentials expired; refresh them",
            "UnrecognizedClientException": "the credentials are not valid for this account or region",
            "ThrottlingException": "throttled past all retries; lower --jobs or raise AWS_MAX_ATTEMPTS",
            "Throttling": "throttled past all retries; lower --jobs or raise AWS_MAX_ATTEMPTS",
            "ChangeSetNotFound": "check the change set's ARN, or its name with --stack, and the region",
            "ValidationError": "check the change set and stack names",
            "AccessDenied": "the role needs cloudformation:DescribeChangeSet",
        }.get(code)
        advice_text = (advice or {}).get(code, advice_text)
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if code in ("Unknown", "") and status:
            code = f"HTTP {status}"
        first = message.strip().splitlines()[0] if message.strip() else ""
        said = f": {first}" if first else ", with no message"
        return str(code) + said + (f" ({advice_text})" if advice_text else "")
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return type(exc).__name__ + (f": {first}" if first else "")
