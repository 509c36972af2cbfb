"""Fetch what a request asks for — several plans at once, all of it within one deadline — and save it.

The whole fetch (listing, every page, waiting, retries) ends by ``--timeout``, however slowly the
endpoint answers: whatever is unfinished becomes one failure per plan. Each plan is saved as soon as
it is complete, so a plan still being created holds back no other. A fetched plan becomes one
complete document — the DescribeProvisionedProductPlan response with every page's changes,
ISO 8601 UTC times, and parameter values masked (references kept: see ``planlint.masking``) — that ``planlint lint``
reads back to the same findings.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from dataclasses import dataclass
from typing import Any

from planlint.aws.bounded import GRACE, Late, within
from planlint.aws.change_sets import check_change_set, fetch_change_set, file_stem
from planlint.aws.errors import SERVICE, AwsError
from planlint.aws.plans import all_plans, check_plan_id, fetch_plan, plans_of
from planlint.aws.request import DEFAULT_INTERVAL, DEFAULT_JOBS, DEFAULT_TIMEOUT, FetchRequest
from planlint.aws.session import client
from planlint.masking import mask_saved_change_set, mask_saved_document
from planlint.read.load import Document
from planlint.support.files import write_atomic

WAITING = 64  # plans that may wait for their creation at once (--jobs bounds the requests in flight)


@dataclass(frozen=True)
class Fetched:
    """A fetched plan (``name`` is its plan id) or change set (``name`` is its file stem: its name
    and the start of its id); what it is saved as is ``save_as(name)``."""

    name: str
    document: dict[str, Any] | None = None
    error: AwsError | None = None
    kind: str = "plan"  # "plan" | "change set"

    def text(self) -> str:
        """The document as planlint saves it (and reads it back)."""
        return json.dumps(self.document, indent=2, ensure_ascii=False) + "\n"


def fetch_many(
    sc: Any,
    plan_ids: Iterable[str],
    *,
    jobs: int = DEFAULT_JOBS,
    wait: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    interval: float = DEFAULT_INTERVAL,
    deadline: float | None = None,
    done: Callable[[Fetched], None] | None = None,
) -> list[Fetched]:
    """Fetch plans concurrently, in the order given; failures are kept. At most ``jobs`` requests
    are in flight at once, but a plan waiting to be created holds none: up to ``WAITING`` plans wait
    at once, so the plans behind one that stays ``CREATE_IN_PROGRESS`` are fetched meanwhile.
    Whatever is not done within ``timeout`` seconds (or by ``deadline``) is a failure, not waited for.
    ``done`` is given each plan fetched as soon as it is (in the thread that fetched it)."""
    limit = min(time.monotonic() + timeout, deadline if deadline is not None else float("inf"))
    sc = _Slots(sc, jobs)

    def one(plan_id: str) -> Fetched:
        try:
            document = fetch_plan(sc, plan_id, wait=wait, timeout=timeout, interval=interval, deadline=limit)
        except AwsError as exc:
            return Fetched(plan_id, error=exc)
        fetched = Fetched(plan_id, document=document)
        if done is not None:
            done(fetched)
        return fetched

    unique = list(dict.fromkeys(plan_ids))
    pool = ThreadPoolExecutor(max_workers=max(1, min(len(unique), WAITING)), thread_name_prefix="planlint-fetch")
    futures = [pool.submit(one, plan_id) for plan_id in unique]
    # a plan that is only waiting gives up by ``limit`` itself, with its own message; a grace second
    # later, a request still in flight (an endpoint that never answers) is given up on
    wait_for(futures, timeout=max(0.0, limit - time.monotonic()) + GRACE)
    pool.shutdown(wait=False, cancel_futures=True)  # a request that never ends is left behind, not waited for
    return [
        future.result() if future.done() and not future.cancelled() else Fetched(plan_id, error=_late(plan_id, timeout))
        for plan_id, future in zip(unique, futures, strict=True)
    ]


class _Slots:
    """``client`` with at most ``jobs`` of its calls in flight at once, whichever threads make them."""

    def __init__(self, client: Any, jobs: int) -> None:
        self.client = client
        self._slots = threading.BoundedSemaphore(max(1, jobs))

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.client, name)
        if name == "meta" or not callable(attribute):
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            with self._slots:
                return attribute(*args, **kwargs)

        return call


def _late(plan_id: str, timeout: float) -> AwsError:
    return AwsError(
        f"plan {plan_id}",
        f"not fetched within --timeout {timeout:g}s (the endpoint did not answer, or too slowly); "
        "check the network and the region, or raise --timeout",
    )


def unsaved_name(name: str, kind: str = "plan") -> str:
    """The source name of a fetched plan or change set that was not saved: no file, so no SARIF location."""
    return f"<aws {kind} {name}>"


def fetch_requested(
    request: FetchRequest, done: Callable[[Fetched], None] | None = None
) -> tuple[list[Fetched], list[AwsError]]:
    """Resolve what was asked for into plan ids and fetch them; failures are returned, not raised.
    All of it ends within ``request.timeout`` seconds (and a little grace): what is not done by then fails.
    ``done`` is given each plan or change set as soon as it is fetched."""
    limit = time.monotonic() + request.timeout
    try:
        return within(lambda: _fetch_requested(request, limit, done), request.timeout, "planlint-fetch-all")
    except Late:
        subject = SERVICE if not request.change_sets else "CloudFormation" if not request.plans_wanted else "AWS"
        return [], [
            AwsError(
                subject,
                f"the fetch did not finish within --timeout {request.timeout:g}s (the endpoint did not answer, "
                "or too slowly); check the network and the region, or raise --timeout",
            )
        ]


def _fetch_requested(
    request: FetchRequest, limit: float, done: Callable[[Fetched], None] | None
) -> tuple[list[Fetched], list[AwsError]]:
    plans, errors = _fetch_plans(request, limit, done) if request.plans_wanted else ([], [])
    change_sets, failed = _fetch_change_sets(request, limit, done) if request.change_sets else ([], [])
    return plans + change_sets, errors + failed


def _fetch_change_sets(
    request: FetchRequest, limit: float, done: Callable[[Fetched], None] | None
) -> tuple[list[Fetched], list[AwsError]]:
    """Each change set asked for and the nested change sets below it, one after another."""
    errors: list[AwsError] = []
    fetched: list[Fetched] = []
    try:
        cfn = client(request.profile, request.region, "cloudformation", request.request_timeout)
    except AwsError as exc:
        return [], [exc]
    for name in dict.fromkeys(request.change_sets):
        try:
            check_change_set(name, request.stack)
            documents = fetch_change_set(
                cfn,
                name,
                request.stack,
                wait=request.wait,
                timeout=request.timeout,
                interval=request.interval,
                deadline=limit,
            )
            got = [Fetched(file_stem(d), document=d, kind="change set") for d in documents]
        except AwsError as exc:
            errors.append(exc)
            continue
        for one in got:
            if done is not None:
                done(one)
        fetched += got
    return fetched, errors


def _fetch_plans(
    request: FetchRequest, limit: float, done: Callable[[Fetched], None] | None
) -> tuple[list[Fetched], list[AwsError]]:
    errors: list[AwsError] = []
    try:
        sc = client(request.profile, request.region, request_timeout=request.request_timeout)
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
        done=done,
    )
    return [f for f in fetched if f.error is None], errors + [f.error for f in fetched if f.error is not None]


def fetch_and_save(
    request: FetchRequest, save_as: Callable[[str], Any] | None = None, only_one: bool = False
) -> tuple[list[Document], list[AwsError]]:
    """Fetch as :func:`fetch_requested` does and save each plan to ``save_as(plan id)`` (a change
    set to ``save_as(name-and-id)``), atomically, as soon as it is fetched. Returns the documents —
    named by the saved path, or, unsaved, by a name that is no file — in the order asked for, and
    failures; what was saved is returned even when the rest of the fetch was given up on. ``only_one``:
    there is one file to save to, so more than one document (a change set with nested ones) saves
    nothing and is a failure."""
    saver = _Saver(request, save_as)
    fetched, failures = fetch_requested(request, done=None if only_one else saver.save)
    if only_one and len(fetched) > 1:
        first = fetched[0]
        problem = f"has {len(fetched) - 1} nested change sets to save beside it; use --save-dir DIR"
        return [], [*failures, AwsError(f"{first.kind} {first.name}", problem)]
    if only_one:
        for one in fetched:
            saver.save(one)
    saved, failed = saver.close()
    order = {(f.kind, f.name): index for index, f in enumerate(fetched)}
    saved.sort(key=lambda pair: order.get(pair[0], len(order)))
    return [document for _, document in saved], [*failures, *failed]


class _Saver:
    """Masks and saves each fetched plan or change set as it arrives, from whichever thread fetched
    it; once closed, what still arrives (work that was given up on) is neither saved nor kept."""

    def __init__(self, request: FetchRequest, save_as: Callable[[str], Any] | None) -> None:
        self.public, self.save_as = request.public_parameters, save_as
        self._lock = threading.Lock()
        self._closed = False
        self._saved: list[tuple[tuple[str, str], Document]] = []
        self._failures: list[AwsError] = []

    def save(self, fetched: Fetched) -> None:
        if fetched.document is None:
            return
        masked = {"plan": mask_saved_document, "change set": mask_saved_change_set}[fetched.kind]
        value = masked(fetched.document, self.public)
        text = Fetched(fetched.name, value, kind=fetched.kind).text()
        with self._lock:  # held while writing: close() waits for a save under way
            if self._closed:
                return
            key = (fetched.kind, fetched.name)
            if self.save_as is None:
                self._saved.append((key, Document(unsaved_name(fetched.name, fetched.kind), text, "fetched", value)))
                return
            name = str(self.save_as(fetched.name))
            try:
                write_atomic(name, text)
            except OSError as exc:
                self._failures.append(AwsError(name, f"cannot save the fetched {fetched.kind}: {exc.strerror or exc}"))
                return
            self._saved.append((key, Document(name, text, "file", value)))

    def close(self) -> tuple[list[tuple[tuple[str, str], Document]], list[AwsError]]:
        """What was saved (each with its kind and name) and what could not be; nothing more after this."""
        with self._lock:
            self._closed = True
            return list(self._saved), list(self._failures)
