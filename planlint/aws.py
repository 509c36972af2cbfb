"""Fetch plans from AWS Service Catalog with boto3 — imported only when a plan is fetched.

DescribeProvisionedProductPlan has no boto3 paginator: pages are followed by ``NextPageToken``
at the largest page size until it is null, and a repeated token, a page of another plan or more
pages than a plan can have (25 of 20: 500 resources) is an error, not a loop; so are endless
pages of plan lists. The whole fetch — listing, every page, waiting, retries — ends by one
deadline (``--timeout``), however slowly the endpoint answers. Plan ids are checked against the
API's own pattern before they become file names. A plan still ``CREATE_IN_PROGRESS`` is polled
with capped exponential backoff and jitter. Several plans are fetched at once with a bounded pool, each plan's pages
in order. Every failure becomes an ``AwsError``: one line saying what happened and what to do.

A fetched plan becomes one complete document — the DescribeProvisionedProductPlan response
with every page's changes, ISO 8601 UTC times, and parameter values masked (dynamic
references kept) — that ``planlint lint`` reads back to the same findings.
"""

from __future__ import annotations

import json
import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from planlint import __version__
from planlint.files import write_atomic
from planlint.load import Document
from planlint.request import DEFAULT_INTERVAL, DEFAULT_JOBS, DEFAULT_TIMEOUT, FetchRequest
from planlint.secrets import mask_saved_document

PAGE_SIZE = 20
MAX_PAGES = 25  # a plan has at most 500 resources
MAX_LIST_PAGES = 500  # 10,000 plans
PLAN_ID = re.compile(r"[A-Za-z0-9_-]{1,100}")  # botocore's Id shape
MAX_INTERVAL = 30.0
GRACE = 1.0  # seconds past the deadline before a request still in flight is abandoned
_PROVISIONED_PRODUCT_ID = re.compile(r"^pp-[a-z0-9]{13}$")


SERVICE = "Service Catalog"


class AwsError(Exception):
    """A fetch that failed, for a person: the ``subject`` (a plan, a product, the service, a file)
    and the ``problem`` — what happened and what to do."""

    def __init__(self, subject: str, problem: str) -> None:
        super().__init__(f"{subject}: {problem}")
        self.subject, self.problem = subject, problem


@dataclass(frozen=True)
class Fetched:
    plan_id: str
    document: dict[str, Any] | None = None
    error: AwsError | None = None

    def text(self) -> str:
        """The document as planlint saves it (and reads it back)."""
        return json.dumps(self.document, indent=2, ensure_ascii=False) + "\n"


def client(profile: str | None = None, region: str | None = None) -> Any:
    """A Service Catalog client honouring the standard AWS configuration.

    Retries default to botocore's ``standard`` mode with more attempts for throttling, unless the
    environment or profile chooses a retry mode or attempt count itself.
    """
    try:
        import boto3
        import botocore.session
        from botocore.config import Config
        from botocore.exceptions import BotoCoreError
    except ImportError:
        raise AwsError(SERVICE, "boto3 is not installed; install planlint[aws] to fetch plans") from None

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
        return boto3.Session(botocore_session=core, region_name=region).client("servicecatalog", config=config)
    except BotoCoreError as exc:
        raise AwsError(SERVICE, describe(exc)) from None


def describe(exc: BaseException) -> str:
    """The problem of an AWS failure, for one line: what happened and what to do."""
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

    if isinstance(exc, (NoCredentialsError, PartialCredentialsError)):
        return "no AWS credentials found; configure a profile, environment variables or a role"
    if isinstance(exc, ProfileNotFound):
        return f"{exc}; check --profile and ~/.aws/config"
    if isinstance(exc, NoRegionError):
        return "no AWS region; pass --region or set AWS_REGION"
    if isinstance(exc, (EndpointConnectionError, ConnectTimeoutError)):
        return f"cannot reach the Service Catalog endpoint ({exc}); check the network and the region"
    if isinstance(exc, ReadTimeoutError):
        return f"Service Catalog did not answer in time ({exc}); try again later"
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = error.get("Code", "Unknown")
        message = error.get("Message") or ""
        advice = {
            "ResourceNotFoundException": "check the plan id and the region",
            "InvalidParametersException": "check the plan id or provisioned product",
            "AccessDeniedException": "the role needs servicecatalog:DescribeProvisionedProductPlan "
            "and servicecatalog:ListProvisionedProductPlans",
            "ExpiredTokenException": "the credentials expired; refresh them",
            "ExpiredToken": "the credentials expired; refresh them",
            "UnrecognizedClientException": "the credentials are not valid for this account or region",
            "ThrottlingException": "throttled past all retries; lower --jobs or raise AWS_MAX_ATTEMPTS",
        }.get(code, "see the AWS error above")
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if code == "Unknown" and status:
            code = f"HTTP {status}"
        first = message.strip().splitlines()[0] if message.strip() else ""
        return str(code) + (f": {first}" if first else "") + f" ({advice})"
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return type(exc).__name__ + (f": {first}" if first else "")


def fetch_plan(
    sc: Any,
    plan_id: str,
    *,
    wait: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    interval: float = DEFAULT_INTERVAL,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    deadline: float | None = None,
) -> dict[str, Any]:
    """Every page of one plan, merged; waits while the plan is being created (unless ``wait`` is
    false), polling after ``interval`` seconds, doubling up to 30, with jitter, for at most
    ``timeout`` seconds (or until ``deadline``, a ``clock()`` time, if that is sooner)."""
    deadline = min(clock() + timeout, deadline if deadline is not None else float("inf"))
    attempt = 0
    while True:
        pages = _pages(sc, plan_id, deadline, clock)
        status = pages[0].get("ProvisionedProductPlanDetails", {}).get("Status")
        if not wait or status != "CREATE_IN_PROGRESS":
            return _document(pages)
        delay = min(MAX_INTERVAL, interval * 2**attempt) * (0.5 + random.random() / 2)
        if clock() + delay > deadline:
            raise AwsError(
                f"plan {plan_id}",
                f"still CREATE_IN_PROGRESS after {timeout:g}s; raise --timeout, or lint it as it is with --no-wait",
            )
        sleep(delay)
        attempt += 1


def _pages(
    sc: Any, plan_id: str, deadline: float = float("inf"), clock: Callable[[], float] = time.monotonic
) -> list[dict[str, Any]]:
    from botocore.exceptions import BotoCoreError, ClientError

    pages: list[dict[str, Any]] = []
    seen: set[str] = set()
    token: str | None = None
    try:
        while True:
            request: dict[str, Any] = {"PlanId": plan_id, "PageSize": PAGE_SIZE}
            if token:
                request["PageToken"] = token
            page = sc.describe_provisioned_product_plan(**request)
            details = page.get("ProvisionedProductPlanDetails")
            page_plan = details.get("PlanId") if isinstance(details, dict) else None
            if page_plan is None:
                raise AwsError(
                    f"plan {plan_id}",
                    f"page {len(pages) + 1} of the answer has no ProvisionedProductPlanDetails.PlanId "
                    "(an empty or unreadable response); try again",
                )
            if page_plan != plan_id:
                raise AwsError(
                    f"plan {plan_id}",
                    f"page {len(pages) + 1} describes plan {page_plan}; the plan changed while it was read",
                )
            pages.append(page)
            token = page.get("NextPageToken") or None
            if token is None:
                return pages
            if token in seen:
                raise AwsError(
                    f"plan {plan_id}", f"page {len(pages)} repeats an earlier NextPageToken; stopped instead of looping"
                )
            if len(pages) >= MAX_PAGES:
                raise AwsError(
                    f"plan {plan_id}",
                    f"still a NextPageToken after {MAX_PAGES} pages ({MAX_PAGES * PAGE_SIZE} changes, "
                    "the most a plan can have); stopped instead of following it",
                )
            if clock() > deadline:
                raise AwsError(f"plan {plan_id}", "not read in time; raise --timeout")
            seen.add(token)
    except (ClientError, BotoCoreError) as exc:
        raise AwsError(f"plan {plan_id}", describe(exc)) from None


def _document(pages: Sequence[dict[str, Any]]) -> dict[str, Any]:
    details = dict(pages[0].get("ProvisionedProductPlanDetails", {}))
    for key in ("CreatedTime", "UpdatedTime"):
        if isinstance(details.get(key), datetime):
            details[key] = details[key].astimezone(timezone.utc).isoformat()
    document: dict[str, Any] = {"ProvisionedProductPlanDetails": details}
    if any(page.get("ResourceChanges") is not None for page in pages):  # absent stays absent: the lint warns
        document["ResourceChanges"] = [change for page in pages for change in page.get("ResourceChanges") or []]
    document["NextPageToken"] = None
    return document


def plans_of(sc: Any, provisioned_product: str) -> list[str]:
    """Plan ids of one provisioned product, given by id (``pp-…``) or name."""
    from botocore.exceptions import BotoCoreError, ClientError

    what = f"provisioned product {provisioned_product}"
    try:
        product_id = provisioned_product
        if not _PROVISIONED_PRODUCT_ID.match(provisioned_product):
            detail = sc.describe_provisioned_product(Name=provisioned_product)["ProvisionedProductDetail"]
            product_id = detail["Id"]
        return _list(sc, ProvisionProductId=product_id)
    except (ClientError, BotoCoreError) as exc:
        raise AwsError(what, describe(exc)) from None


def all_plans(sc: Any) -> list[str]:
    """Every plan the caller can see in the account."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        return _list(sc, AccessLevelFilter={"Key": "Account", "Value": "Self"})
    except (ClientError, BotoCoreError) as exc:
        raise AwsError(SERVICE, describe(exc)) from None


def _list(sc: Any, **request: Any) -> list[str]:
    """Every plan id a ListProvisionedProductPlans request lists, page by page (bounded)."""
    ids: list[str] = []
    seen: set[str] = set()
    token: str | None = None
    for number in range(1, MAX_LIST_PAGES + 1):
        page = sc.list_provisioned_product_plans(
            **request, PageSize=PAGE_SIZE, **({"PageToken": token} if token else {})
        )
        ids += [plan["PlanId"] for plan in page.get("ProvisionedProductPlans") or [] if plan.get("PlanId")]
        token = page.get("NextPageToken") or None
        if token is None:
            return ids
        if token in seen:
            raise AwsError(
                SERVICE, f"plan list page {number} repeats an earlier NextPageToken; stopped instead of looping"
            )
        seen.add(token)
    raise AwsError(
        SERVICE,
        f"still a NextPageToken after {MAX_LIST_PAGES} pages of plans "
        f"({MAX_LIST_PAGES * PAGE_SIZE} plans); stopped instead of following it",
    )


def check_plan_id(plan_id: str, listed: bool = False) -> None:
    """Raise ``AwsError`` for an id that is not one the API can have: it may become a file name."""
    if not PLAN_ID.fullmatch(plan_id):
        source = "Service Catalog listed" if listed else "--plan-id"
        raise AwsError(
            f"plan {plan_id}", f"{source} an id that is not a plan id (1 to 100 letters, digits, _ and -); not fetched"
        )


def fetch_many(
    sc: Any,
    plan_ids: Iterable[str],
    *,
    jobs: int = DEFAULT_JOBS,
    wait: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    interval: float = DEFAULT_INTERVAL,
    deadline: float | None = None,
) -> list[Fetched]:
    """Fetch plans concurrently (at most ``jobs`` at once), in the order given; failures are kept.
    Whatever is not done within ``timeout`` seconds (or by ``deadline``) is a failure, not waited for."""
    limit = min(time.monotonic() + timeout, deadline if deadline is not None else float("inf"))

    def one(plan_id: str) -> Fetched:
        try:
            document = fetch_plan(sc, plan_id, wait=wait, timeout=timeout, interval=interval, deadline=limit)
            return Fetched(plan_id, document=document)
        except AwsError as exc:
            return Fetched(plan_id, error=exc)

    unique = list(dict.fromkeys(plan_ids))
    pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="planlint-fetch")
    futures = [pool.submit(one, plan_id) for plan_id in unique]
    # a plan that is only waiting gives up by ``limit`` itself, with its own message; a grace second
    # later, a request still in flight (an endpoint that never answers) is given up on
    wait_for(futures, timeout=max(0.0, limit - time.monotonic()) + GRACE)
    pool.shutdown(wait=False, cancel_futures=True)  # a request that never ends is left behind, not waited for
    return [
        future.result() if future.done() and not future.cancelled() else Fetched(plan_id, error=_late(plan_id, timeout))
        for plan_id, future in zip(unique, futures, strict=True)
    ]


def _late(plan_id: str, timeout: float) -> AwsError:
    return AwsError(
        f"plan {plan_id}",
        f"not fetched within --timeout {timeout:g}s (the endpoint did not answer, or too slowly); "
        "check the network and the region, or raise --timeout",
    )


def unsaved_name(plan_id: str) -> str:
    """The source name of a fetched plan that was not saved: no file, so no SARIF location."""
    return f"<aws plan {plan_id}>"


def fetch_requested(request: FetchRequest) -> tuple[list[Fetched], list[AwsError]]:
    """Resolve what was asked for into plan ids and fetch them; failures are returned, not raised.
    All of it ends within ``request.timeout`` seconds (and a little grace): what is not done by then fails."""
    done: list[tuple[list[Fetched], list[AwsError]]] = []
    limit = time.monotonic() + request.timeout

    def work() -> None:
        done.append(_fetch_requested(request, limit))

    worker = threading.Thread(target=work, name="planlint-fetch-all", daemon=True)
    worker.start()
    worker.join(request.timeout + 2 * GRACE)
    if not done:
        return [], [
            AwsError(
                SERVICE,
                f"the fetch did not finish within --timeout {request.timeout:g}s (the endpoint did not answer, "
                "or too slowly); check the network and the region, or raise --timeout",
            )
        ]
    return done[0]


def _fetch_requested(request: FetchRequest, limit: float) -> tuple[list[Fetched], list[AwsError]]:
    errors: list[AwsError] = []
    try:
        sc = client(request.profile, request.region)
    except AwsError as exc:
        return [], [exc]
    ids: list[str] = []
    for plan_id in request.plan_ids:
        try:
            check_plan_id(plan_id)
            ids.append(plan_id)
        except AwsError as exc:
            errors.append(exc)
    listed: list[str] = []
    for product in request.provisioned_products:
        try:
            found = plans_of(sc, product)
        except AwsError as exc:
            errors.append(exc)
            continue
        if not found:
            errors.append(AwsError(f"provisioned product {product}", "has no plans to lint"))
        listed += found
    if request.every_plan:
        try:
            listed += all_plans(sc)
        except AwsError as exc:
            errors.append(exc)
    for plan_id in listed:
        try:
            check_plan_id(plan_id, listed=True)
            ids.append(plan_id)
        except AwsError as exc:
            errors.append(exc)
    fetched = fetch_many(
        sc,
        ids,
        jobs=request.jobs,
        wait=request.wait,
        timeout=request.timeout,
        interval=request.interval,
        deadline=limit,
    )
    return [f for f in fetched if f.error is None], errors + [f.error for f in fetched if f.error is not None]


def fetch_and_save(
    request: FetchRequest, save_as: Callable[[str], Any] | None = None
) -> tuple[list[Document], list[AwsError]]:
    """Fetch as :func:`fetch_requested` does and save each plan to ``save_as(plan_id)`` (atomically).
    Returns the documents — named by the saved path, or, unsaved, by a name that is no file — and failures."""
    fetched, failures = fetch_requested(request)
    fetched = [
        Fetched(f.plan_id, mask_saved_document(f.document, request.public_parameters)) for f in fetched if f.document
    ]
    documents = []
    for plan in fetched:
        text = plan.text()
        if save_as is None:
            documents.append(Document(unsaved_name(plan.plan_id), text, "fetched"))
            continue
        name = str(save_as(plan.plan_id))
        try:
            write_atomic(name, text)
        except OSError as exc:
            failures.append(AwsError(name, f"cannot save the fetched plan: {exc.strerror or exc}"))
            continue
        documents.append(Document(name, text))
    return documents, failures
