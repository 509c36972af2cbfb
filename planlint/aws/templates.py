"""Fetch a plan's templates: the one deployed now and the one the plan will deploy.

The deployed template: ``SearchProvisionedProducts`` gives the provisioned product's
``PhysicalId`` — its stack's ARN — and CloudFormation's ``GetTemplate`` (``TemplateStage``
``Original``, as written, short-form tags and comments kept) gives the template. A product that
is not provisioned yet has none. The new template: ``DescribeProvisioningArtifact``
(``Verbose``) of the plan's product and provisioning artifact gives its ``TemplateUrl``, which is
downloaded: from https on a host of an AWS partition (``amazonaws.com`` and the others botocore
knows: Service Catalog keeps a product's templates in S3), or from loopback (a local endpoint, the
tests); at most ``template.MAX_SIZE``; within the request bound and the fetch's deadline. Each
redirect is held to the same rules as the first URL, and to ``MAX_REDIRECTS`` of them.
"""

from __future__ import annotations

import functools
import http.client
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from planlint.aws.errors import AwsError, describe
from planlint.aws.request import DEFAULT_REQUEST_TIMEOUT
from planlint.read.template import MAX_SIZE

STACK_ARN = "arn:aws"
MAX_REDIRECTS = 5  # S3 sends a new bucket's requests on to its region: one or two hops
LOOPBACK = ("127.0.0.1", "localhost", "::1")
_ADVICE = {
    "AccessDeniedException": "--fetch-templates needs servicecatalog:SearchProvisionedProducts and "
    "servicecatalog:DescribeProvisioningArtifact",
    "AccessDenied": "--fetch-templates needs cloudformation:GetTemplate",
}


@dataclass(frozen=True)
class FetchedTemplates:
    """A plan's templates as text: None when there is none (a product not provisioned yet)."""

    plan_id: str
    new: str | None
    previous: str | None


def fetch_templates(
    sc: Any, cfn: Any, document: dict[str, Any], deadline: float, request_timeout: float = DEFAULT_REQUEST_TIMEOUT
) -> FetchedTemplates:
    """The templates of the plan ``document`` (as fetched), each download within ``request_timeout``
    seconds; raises ``AwsError``."""
    details = document.get("ProvisionedProductPlanDetails") or {}
    plan_id = str(details.get("PlanId") or "")
    subject = f"plan {plan_id}"
    new = _new(sc, subject, details.get("ProductId"), details.get("ProvisioningArtifactId"), deadline, request_timeout)
    previous = _deployed(sc, cfn, subject, details.get("ProvisionProductId"))
    return FetchedTemplates(plan_id, new, previous)


def _new(sc: Any, subject: str, product: Any, artifact: Any, deadline: float, request_timeout: float) -> str:
    from botocore.exceptions import BotoCoreError, ClientError

    if not isinstance(product, str) or not isinstance(artifact, str):
        raise AwsError(subject, "names no ProductId and ProvisioningArtifactId, so its new template cannot be found")
    try:
        info = sc.describe_provisioning_artifact(ProductId=product, ProvisioningArtifactId=artifact, Verbose=True)
    except (ClientError, BotoCoreError) as exc:
        raise AwsError(subject, f"cannot find its new template: {describe(exc, advice=_ADVICE)}") from None
    url = (info.get("Info") or {}).get("TemplateUrl")
    if not isinstance(url, str) or not url:
        raise AwsError(subject, f"provisioning artifact {artifact} of {product} has no TemplateUrl")
    return _download(subject, url, deadline, request_timeout)


class _Refused(Exception):
    """A template URL, or a redirect, that planlint does not download from: the reason, for a person."""


def _check_url(url: str) -> None:
    """Raise ``_Refused`` unless ``url`` is https on an AWS host, or http(s) on loopback."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:  # a bracketed host that is no IPv6 address
        raise _Refused("is no URL") from None
    host = (parts.hostname or "").rstrip(".")
    try:
        parts.port  # noqa: B018 - urllib checks the port only when it is read
    except ValueError:
        raise _Refused("has no valid port") from None
    if host in LOOPBACK and parts.scheme in ("http", "https"):
        return
    if parts.scheme != "https":
        raise _Refused(f"is not https ({parts.scheme or 'no scheme'}://{host})")
    if not any(host == suffix or host.endswith("." + suffix) for suffix in _aws_domains()):
        raise _Refused(f"is on {host or 'no host'}, not an AWS host")


@functools.cache
def _aws_domains() -> frozenset[str]:
    """The DNS suffixes of every AWS partition botocore knows: amazonaws.com, amazonaws.com.cn, …"""
    import botocore.session

    partitions = botocore.session.get_session().get_data("endpoints")["partitions"]
    return frozenset(str(partition["dnsSuffix"]) for partition in partitions)


class _SameRules(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only where the first URL could have gone, and only ``MAX_REDIRECTS`` times:
    the Location is checked before urllib looks at it."""

    def http_error_302(self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any) -> Any:
        if sum(getattr(req, "redirect_dict", {}).values()) >= MAX_REDIRECTS:
            raise _Refused(f"redirects more than {MAX_REDIRECTS} times")
        location = headers.get("location") or headers.get("uri") or ""
        try:
            _check_url(urllib.parse.urljoin(req.full_url, location.strip()))
        except _Refused as exc:
            raise _Refused(f"redirects to a URL that {exc}") from None
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _download(subject: str, url: str, deadline: float, request_timeout: float = DEFAULT_REQUEST_TIMEOUT) -> str:
    from planlint.aws.bounded import Late, quietly, within

    try:
        _check_url(url)
    except _Refused as exc:
        raise AwsError(subject, f"its template URL {exc}; planlint does not download it") from None
    host = urllib.parse.urlsplit(url).hostname
    seconds = min(request_timeout, max(1.0, deadline - time.monotonic()))
    bound = f"--request-timeout {request_timeout:g}s" if seconds == request_timeout else "--timeout"
    try:
        data = within(lambda: _body(url, seconds), seconds, "planlint-template", join=quietly)
    except Late:
        raise AwsError(
            subject,
            f"cannot download its new template ({host}): no complete answer within {bound}; "
            f"check the network, or raise {bound.split()[0]}",
        ) from None
    except _Refused as exc:
        raise AwsError(subject, f"its template URL {exc}; planlint does not download it") from None
    except http.client.IncompleteRead as exc:
        got = len(exc.partial)
        of = f"{got} of {got + exc.expected} bytes" if isinstance(exc.expected, int) else f"after {got} bytes"
        raise AwsError(subject, f"its new template came cut short ({of}); try again") from None
    except (OSError, http.client.HTTPException, ValueError) as exc:  # an answer that is no HTTP is no OSError
        reason = getattr(exc, "reason", None) or exc or type(exc).__name__
        raise AwsError(subject, f"cannot download its new template ({host}): {reason}") from None
    if len(data) > MAX_SIZE:
        raise AwsError(subject, f"its new template is larger than {MAX_SIZE // (1024 * 1024)} MiB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AwsError(subject, "its new template is not UTF-8 text") from None


def _body(url: str, seconds: float) -> bytes:
    """At most ``MAX_SIZE + 1`` bytes of what ``url`` answers, every redirect checked."""
    # an opener of its own: the proxies of the environment as it is now, not as urllib's shared
    # opener saw it when something first used it
    opener = urllib.request.build_opener(urllib.request.ProxyHandler(), _SameRules())
    with opener.open(url, timeout=min(20.0, seconds)) as answer:
        data: bytes = answer.read(MAX_SIZE + 1)
        missing = getattr(answer, "length", None)  # what its Content-Length promised and did not come
    if missing and len(data) <= MAX_SIZE:
        raise http.client.IncompleteRead(data, missing)
    return data


def _deployed(sc: Any, cfn: Any, subject: str, provisioned_product: Any) -> str | None:
    from botocore.exceptions import BotoCoreError, ClientError

    if not isinstance(provisioned_product, str) or not provisioned_product:
        return None
    try:
        found = sc.search_provisioned_products(Filters={"SearchQuery": [f"id:{provisioned_product}"]})
    except (ClientError, BotoCoreError) as exc:
        raise AwsError(subject, f"cannot find its deployed template: {describe(exc, advice=_ADVICE)}") from None
    products = [p for p in found.get("ProvisionedProducts") or [] if p.get("Id") == provisioned_product]
    if not products:
        return None  # not provisioned yet: nothing is deployed
    stack = products[0].get("PhysicalId")
    if not isinstance(stack, str) or not stack.startswith(STACK_ARN):
        raise AwsError(subject, f"provisioned product {provisioned_product} has no stack ARN as its PhysicalId")
    _as_written(cfn)
    try:
        body = cfn.get_template(StackName=stack, TemplateStage="Original").get("TemplateBody")
    except (ClientError, BotoCoreError) as exc:
        raise AwsError(
            subject, f"cannot read its deployed template: {describe(exc, 'CloudFormation', _ADVICE)}"
        ) from None
    if not isinstance(body, str):
        raise AwsError(subject, "GetTemplate gave no TemplateBody as text")
    return body


def _as_written(cfn: Any) -> None:
    """Keep GetTemplate's TemplateBody as text: botocore decodes a JSON one, where the last of a key
    written twice silently wins; planlint reads the text and refuses such a template."""
    from botocore.handlers import json_decode_template_body

    cfn.meta.events.unregister("after-call.cloudformation.GetTemplate", json_decode_template_body)


def fetch_all(
    plan_documents: list[dict[str, Any]],
    profile: str | None,
    region: str | None,
    timeout: float,
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
) -> tuple[list[FetchedTemplates], list[AwsError]]:
    """The templates of every plan document, within ``timeout`` seconds however the endpoints
    behave, each request within ``request_timeout``; what is not fetched by then is a failure."""
    from planlint.aws.bounded import Late, within
    from planlint.aws.session import client
    from planlint.support import progress

    try:
        sc = client(profile, region, request_timeout=request_timeout)
        cfn = client(profile, region, "cloudformation", request_timeout)
    except AwsError as exc:
        return [], [exc]
    deadline = time.monotonic() + timeout

    def work() -> tuple[list[FetchedTemplates], list[AwsError]]:
        fetched: list[FetchedTemplates] = []
        failed: list[AwsError] = []
        for document in plan_documents:
            plan_id = str((document.get("ProvisionedProductPlanDetails") or {}).get("PlanId") or "")
            progress.note(f"plan {plan_id}", "fetching its templates")
            try:
                fetched.append(fetch_templates(sc, cfn, document, deadline, request_timeout))
            except AwsError as exc:
                failed.append(exc)
            finally:
                progress.finish(f"plan {plan_id}")
        return fetched, failed

    try:
        return within(work, timeout, "planlint-templates")
    except Late:
        return [], [AwsError("AWS", f"the templates were not fetched within --timeout {timeout:g}s; raise --timeout")]
