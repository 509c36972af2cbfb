"""One plan's pages and the plan lists, read from Service Catalog with every loop bounded.

DescribeProvisionedProductPlan has no boto3 paginator: pages are followed by ``NextPageToken``
at the largest page size until it is null, and a repeated token, a page of another plan or more
pages than a plan can have (25 of 20: 500 resources) is an error, not a loop; so are endless
pages of plan lists. A plan still ``CREATE_IN_PROGRESS`` is polled with capped exponential
backoff and jitter, up to a deadline. Plan ids are checked against the API's own pattern before
they become file names.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import Any

from planlint.aws.answers import check_page
from planlint.aws.errors import SERVICE, AwsError, describe
from planlint.aws.polling import until_ready
from planlint.aws.request import DEFAULT_INTERVAL, DEFAULT_TIMEOUT
from planlint.model.plan import PlanDetails

PAGE_SIZE = 20
MAX_PAGES = 25  # a plan has at most 500 resources
MAX_LIST_PAGES = 500  # 10,000 plans
PLAN_ID = re.compile(r"[A-Za-z0-9_-]{1,100}")  # botocore's Id shape
_PROVISIONED_PRODUCT_ID = re.compile(r"^pp-[a-z0-9]{13}$")


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
    pages = until_ready(
        lambda: _pages(sc, plan_id, deadline, clock),
        lambda pages: "CREATE_IN_PROGRESS" if _status(pages) == "CREATE_IN_PROGRESS" else None,
        f"plan {plan_id}",
        wait=wait,
        timeout=timeout,
        interval=interval,
        sleep=sleep,
        clock=clock,
        deadline=deadline,
    )
    return _document(pages)


def _status(pages: list[dict[str, Any]]) -> Any:
    return pages[0].get("ProvisionedProductPlanDetails", {}).get("Status")


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
            check_page(
                f"plan {plan_id}",
                len(pages) + 1,
                details if isinstance(details, dict) else {},
                {"PlanId": plan_id},
                "PlanId",
                pages[0]["ProvisionedProductPlanDetails"] if pages else {},
                "plan",
                "ProvisionedProductPlanDetails.",
                None if pages and _status(pages) == "CREATE_IN_PROGRESS" else PlanDetails,  # changing, read again
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
