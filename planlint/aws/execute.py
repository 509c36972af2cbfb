"""Execute a plan that passed the gate — the very plan that was linted, once — and follow its record
to the end.

Just before executing, the plan is described again: if its ``UpdatedTime``, its status or its
changes differ from what was linted, nothing is executed. The idempotency token is derived from
the plan and what was linted, so a job that is retried after losing its connection asks AWS for
the same execution again instead of a second one. The record (``DescribeRecord``) is followed
until it is ``SUCCEEDED`` or ``FAILED``; its errors are quoted with the plan's parameter values
masked, since a CloudFormation message may repeat one.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from planlint.aws.errors import AwsError, describe
from planlint.aws.plans import fetch_plan
from planlint.aws.polling import until_ready
from planlint.aws.request import DEFAULT_REQUEST_TIMEOUT
from planlint.masking import document_masker, mask_saved_document

PENDING = ("CREATED", "IN_PROGRESS", "IN_PROGRESS_IN_ERROR")
DEFAULT_EXECUTE_TIMEOUT = 3600.0
_ADVICE = {
    "AccessDeniedException": "the role needs servicecatalog:ExecuteProvisionedProductPlan and servicecatalog:DescribeRecord",
    "InvalidStateException": "the plan cannot be executed in its state; describe it and create a new plan",
    "ResourceNotFoundException": "check the plan id and the region",
}


@dataclass(frozen=True)
class Outcome:
    """What an execution came to: the record, its final status, and its errors (masked)."""

    record_id: str
    status: str
    errors: tuple[str, ...] = ()

    @property
    def succeeded(self) -> bool:
        return self.status == "SUCCEEDED"


def fingerprint(document: dict[str, Any]) -> str:
    """What must not change between lint and execute: the plan's id, update time, status and changes."""
    details = document.get("ProvisionedProductPlanDetails") or {}
    essence = {
        "PlanId": details.get("PlanId"),
        "UpdatedTime": details.get("UpdatedTime"),
        "Status": details.get("Status"),
        "ResourceChanges": document.get("ResourceChanges"),
    }
    return hashlib.sha256(json.dumps(essence, sort_keys=True, default=str).encode()).hexdigest()


def idempotency_token(document: dict[str, Any]) -> str:
    """The same for the same linted plan (so a retry is one execution), different for any other."""
    return f"planlint-{fingerprint(document)[:48]}"


def execute(
    linted: dict[str, Any],
    *,
    profile: str | None = None,
    region: str | None = None,
    public: Sequence[str] = (),
    timeout: float = DEFAULT_EXECUTE_TIMEOUT,
    interval: float = 5.0,
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
) -> Outcome:
    """:func:`execute_linted` with a client of its own (each request bounded by ``request_timeout``),
    ended by ``timeout`` however the endpoint behaves: past it (and a little grace), an ``AwsError``
    says whether anything was executed."""
    from planlint.aws.bounded import Late, within
    from planlint.aws.session import client

    sc = client(profile, region, request_timeout=request_timeout)
    asked = threading.Event()  # set once ExecuteProvisionedProductPlan has been sent
    try:
        return within(
            lambda: execute_linted(sc, linted, public=public, timeout=timeout, interval=interval, asked=asked),
            timeout,
            "planlint-execute",
        )
    except Late:
        plan_id = (linted.get("ProvisionedProductPlanDetails") or {}).get("PlanId")
        if asked.is_set():
            raise AwsError(
                f"plan {plan_id}",
                f"asked to execute, but no outcome within --execute-timeout {timeout:g}s (the endpoint did not "
                "answer, or too slowly); check the provisioned product's history before trying again",
            ) from None
        raise AwsError(
            f"plan {plan_id}",
            f"nothing executed: Service Catalog did not answer within --execute-timeout {timeout:g}s",
        ) from None


def execute_linted(
    sc: Any,
    linted: dict[str, Any],
    *,
    public: Sequence[str] = (),
    timeout: float = DEFAULT_EXECUTE_TIMEOUT,
    interval: float = 5.0,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    asked: threading.Event | None = None,
) -> Outcome:
    """Check that the plan is still the one ``linted`` (a saved document, masked as planlint saves
    it), execute it and follow its record for at most ``timeout`` seconds. ``AwsError`` when nothing
    was executed or the record could not be followed; a ``FAILED`` record is an ``Outcome``."""
    plan_id = str((linted.get("ProvisionedProductPlanDetails") or {}).get("PlanId") or "")
    subject = f"plan {plan_id}"
    fresh = fetch_plan(sc, plan_id, wait=False, timeout=timeout, sleep=sleep, clock=clock)
    _check_unchanged(subject, linted, mask_saved_document(fresh, public))
    if asked is not None:
        asked.set()
    record_id = _execute(sc, subject, plan_id, idempotency_token(linted))
    record = _follow(sc, record_id, timeout=timeout, interval=interval, sleep=sleep, clock=clock)
    mask = document_masker(fresh, public)
    errors = tuple(
        mask(f"{e.get('Code') or 'error'}: {e.get('Description') or '(no description)'}")
        for e in record.get("RecordErrors") or []
        if isinstance(e, dict)
    )
    return Outcome(record_id, str(record.get("Status")), errors)


def _check_unchanged(subject: str, linted: dict[str, Any], now: dict[str, Any]) -> None:
    before = linted.get("ProvisionedProductPlanDetails") or {}
    after = now.get("ProvisionedProductPlanDetails") or {}
    if before.get("UpdatedTime") != after.get("UpdatedTime"):
        raise AwsError(
            subject,
            f"was updated after it was linted (UpdatedTime {before.get('UpdatedTime')} -> {after.get('UpdatedTime')}); "
            "nothing executed: lint it again",
        )
    if after.get("Status") != "CREATE_SUCCESS":
        raise AwsError(
            subject, f"is {after.get('Status')}, not CREATE_SUCCESS; only a plan created successfully can be executed"
        )
    if fingerprint(linted) != fingerprint(now):
        count = len(now.get("ResourceChanges") or [])
        raise AwsError(
            subject,
            f"its changes are not the ones linted ({count} now, {len(linted.get('ResourceChanges') or [])} linted); "
            "nothing executed: lint it again",
        )


def _execute(sc: Any, subject: str, plan_id: str, token: str) -> str:
    from botocore.exceptions import BotoCoreError, ClientError

    from planlint.aws.bounded_client import RequestTimeout

    try:
        answer = sc.execute_provisioned_product_plan(PlanId=plan_id, IdempotencyToken=token)
    except RequestTimeout as exc:  # sent, and perhaps carried out: no answer says which
        raise AwsError(
            subject,
            f"asked to execute, but {describe(exc)}; check the provisioned product's history before trying again",
        ) from None
    except (ClientError, BotoCoreError) as exc:
        raise AwsError(subject, f"not executed: {describe(exc, advice=_ADVICE)}") from None
    record_id = (answer.get("RecordDetail") or {}).get("RecordId")
    if not isinstance(record_id, str) or not record_id:
        raise AwsError(
            subject,
            "Service Catalog accepted the execution but named no record; follow it in the console "
            "(the provisioned product's history)",
        )
    return record_id


def _follow(
    sc: Any,
    record_id: str,
    *,
    timeout: float,
    interval: float,
    sleep: Callable[[float], None],
    clock: Callable[[], float],
) -> dict[str, Any]:
    from botocore.exceptions import BotoCoreError, ClientError

    subject = f"record {record_id}"

    def read() -> dict[str, Any]:
        try:
            detail = sc.describe_record(Id=record_id).get("RecordDetail") or {}
        except (ClientError, BotoCoreError) as exc:
            raise AwsError(
                subject, f"the execution started, but cannot be followed: {describe(exc, advice=_ADVICE)}"
            ) from None
        if not isinstance(detail.get("Status"), str):
            raise AwsError(
                subject, "the execution started, but DescribeRecord gave no status; follow it in the console"
            )
        return dict(detail)

    return until_ready(
        read,
        lambda record: status if (status := record["Status"]) in PENDING else None,
        subject,
        wait=True,
        timeout=timeout,
        interval=interval,
        sleep=sleep,
        clock=clock,
        deadline=clock() + timeout,
        advice=f"it goes on in AWS: follow it with aws servicecatalog describe-record --id {record_id}, "
        "or raise --execute-timeout",
    )
