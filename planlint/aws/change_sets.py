"""One change set — every page, and the change sets of its nested stacks — read from CloudFormation
with every loop bounded.

DescribeChangeSet is asked for property values (``IncludePropertyValues``, where botocore has it)
and followed by ``NextToken`` until it is null; a repeated token, a page of another change set, or
more pages than a change set can have is an error, not a loop. Every page must be the change set
asked for: the ARN asked for, or the name and stack asked for in the client's region. A change set still
``CREATE_PENDING`` or ``CREATE_IN_PROGRESS`` is polled as a plan is. A nested stack's change
(``AWS::CloudFormation::Stack`` with a ``ChangeSetId``) is followed to its own change set, at most
``MAX_CHANGE_SETS`` of them below one root. Each change set becomes one complete document, named
for a file by its name and the start of its id.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from planlint.aws.answers import check_page
from planlint.aws.errors import AwsError, describe
from planlint.aws.polling import until_ready
from planlint.aws.request import DEFAULT_INTERVAL, DEFAULT_TIMEOUT
from planlint.model.change_set import ChangeSetDetails
from planlint.support.safetext import clean

SERVICE = "CloudFormation"
MAX_PAGES = 100
MAX_CHANGE_SETS = 50  # a root and the nested change sets below it
STACK = "AWS::CloudFormation::Stack"
_PENDING = ("CREATE_PENDING", "CREATE_IN_PROGRESS")
_ARN = re.compile(
    r"^arn:[-a-z0-9]+:cloudformation:[-a-z0-9]+:[0-9]{12}:changeSet/([a-zA-Z][-a-zA-Z0-9]{0,127})/([-a-f0-9]{36})$"
)
_NAME = re.compile(r"[a-zA-Z][-a-zA-Z0-9]{0,127}")


def check_change_set(name: str, stack: str | None) -> None:
    """Raise ``AwsError`` for what cannot be a change set: an ARN, or a name with ``--stack``."""
    if _ARN.match(name):
        return
    if not _NAME.fullmatch(name):
        raise AwsError(f"change set {name}", "not a change set ARN or name (a letter, then letters, digits and -)")
    if stack is None:
        raise AwsError(f"change set {name}", "a change set named, not given by its ARN, needs --stack")


def file_stem(document: dict[str, Any]) -> str:
    """``release-42-5f0c2a8e``: the change set's name and the start of its id, safe as a file name."""
    match = _ARN.match(str(document.get("ChangeSetId") or ""))
    if match is None:
        raise AwsError(f"change set {document.get('ChangeSetId')}", "CloudFormation sent an id that is not an ARN")
    return f"{match.group(1)}-{match.group(2)[:8]}"


def fetch_change_set(
    cfn: Any,
    name: str,
    stack: str | None = None,
    *,
    wait: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    interval: float = DEFAULT_INTERVAL,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    deadline: float | None = None,
) -> list[dict[str, Any]]:
    """The change set and every nested change set below it, each one complete document, root first."""
    deadline = min(clock() + timeout, deadline if deadline is not None else float("inf"))
    documents: list[dict[str, Any]] = []
    queue: list[tuple[str, str | None]] = [(name, stack)]
    seen = {name}
    while queue:
        wanted, stack_name = queue.pop(0)
        document = _waited(cfn, wanted, stack_name, wait, timeout, interval, sleep, clock, deadline)
        documents.append(document)
        for change in document.get("Changes") or []:
            resource = (change or {}).get("ResourceChange") or {}
            child = resource.get("ChangeSetId")
            if resource.get("ResourceType") == STACK and isinstance(child, str) and child not in seen:
                if len(seen) >= MAX_CHANGE_SETS:
                    raise AwsError(
                        f"change set {name}", f"more than {MAX_CHANGE_SETS} nested change sets; stopped following them"
                    )
                seen.add(child)
                queue.append((child, None))
    return documents


def _waited(
    cfn: Any,
    name: str,
    stack: str | None,
    wait: bool,
    timeout: float,
    interval: float,
    sleep: Callable[[float], None],
    clock: Callable[[], float],
    deadline: float,
) -> dict[str, Any]:
    pages = until_ready(
        lambda: _pages(cfn, name, stack, deadline, clock),
        lambda pages: status if (status := pages[0].get("Status")) in _PENDING else None,
        f"change set {name}",
        wait=wait,
        timeout=timeout,
        interval=interval,
        sleep=sleep,
        clock=clock,
        deadline=deadline,
    )
    return _document(pages)


def _pages(cfn: Any, name: str, stack: str | None, deadline: float, clock: Callable[[], float]) -> list[dict[str, Any]]:
    from botocore.exceptions import BotoCoreError, ClientError

    subject = f"change set {name}"
    request: dict[str, Any] = {"ChangeSetName": name, **({"StackName": stack} if stack else {})}
    if "IncludePropertyValues" in cfn.meta.service_model.operation_model("DescribeChangeSet").input_shape.members:
        request["IncludePropertyValues"] = True
    asked = _asked(name, stack)
    pages: list[dict[str, Any]] = []
    seen: set[str] = set()
    token: str | None = None
    try:
        while True:
            page = cfn.describe_change_set(**request, **({"NextToken": token} if token else {}))
            first = pages[0] if pages else {}
            shape = None if first.get("Status") in _PENDING else ChangeSetDetails  # being created: read again
            check_page(subject, len(pages) + 1, page, asked, "ChangeSetId", first, "change set", "", shape)
            if not pages and "ChangeSetId" not in asked:  # a name is asked for in the client's region
                _check_region(subject, page["ChangeSetId"], cfn.meta.region_name)
            pages.append(page)
            token = page.get("NextToken") or None
            if token is None:
                return pages
            if token in seen:
                raise AwsError(subject, f"page {len(pages)} repeats an earlier NextToken; stopped instead of looping")
            if len(pages) >= MAX_PAGES:
                raise AwsError(subject, f"still a NextToken after {MAX_PAGES} pages; stopped instead of following it")
            if clock() > deadline:
                raise AwsError(subject, "not read in time; raise --timeout")
            seen.add(token)
    except (ClientError, BotoCoreError) as exc:
        raise AwsError(subject, describe(exc, SERVICE)) from None


def _asked(name: str, stack: str | None) -> dict[str, str]:
    """What the answer must say of itself: the ARN asked for, or the name and the stack (by name or ARN)."""
    if _ARN.match(name):
        return {"ChangeSetId": name}
    asked = {"ChangeSetName": name}
    if stack:
        asked["StackId" if stack.startswith("arn:") else "StackName"] = stack
    return asked


def _check_region(subject: str, change_set_id: str, region: str | None) -> None:
    """A change set's ARN names the region it lives in: the client's, or it is not the one asked for."""
    found = change_set_id.split(":")[3] if change_set_id.count(":") >= 5 else None
    if region and found != region:
        raise AwsError(
            subject,
            f"the answer describes {clean(change_set_id, 300)}, not a change set in {region} as asked for; not used",
        )


def _document(pages: list[dict[str, Any]]) -> dict[str, Any]:
    """The pages as one DescribeChangeSet response: the first page's members, every page's changes."""
    document = {k: v for k, v in pages[0].items() if k not in ("ResponseMetadata", "Changes", "NextToken")}
    if isinstance(document.get("CreationTime"), datetime):
        document["CreationTime"] = document["CreationTime"].astimezone(timezone.utc).isoformat()
    document["Changes"] = [change for page in pages for change in page.get("Changes") or []]
    document["NextToken"] = None
    return document
