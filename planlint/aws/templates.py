"""Fetch a plan's templates: the one deployed now and the one the plan will deploy.

The deployed template: ``SearchProvisionedProducts`` gives the provisioned product's
``PhysicalId`` — its stack's ARN — and CloudFormation's ``GetTemplate`` (``TemplateStage``
``Original``, as written, short-form tags and comments kept) gives the template. A product that
is not provisioned yet has none. The new template: ``DescribeProvisioningArtifact``
(``Verbose``) of the plan's product and provisioning artifact gives its ``TemplateUrl``, which is
downloaded (https, or http on loopback for tests; at most ``template.MAX_SIZE``; within the
fetch's deadline).
"""

from __future__ import annotations

import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from planlint.aws.errors import AwsError, describe
from planlint.template import MAX_SIZE

STACK_ARN = "arn:aws"
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


def fetch_templates(sc: Any, cfn: Any, document: dict[str, Any], deadline: float) -> FetchedTemplates:
    """The templates of the plan ``document`` (as fetched); raises ``AwsError``."""
    details = document.get("ProvisionedProductPlanDetails") or {}
    plan_id = str(details.get("PlanId") or "")
    subject = f"plan {plan_id}"
    new = _new(sc, subject, details.get("ProductId"), details.get("ProvisioningArtifactId"), deadline)
    previous = _deployed(sc, cfn, subject, details.get("ProvisionProductId"))
    return FetchedTemplates(plan_id, new, previous)


def _new(sc: Any, subject: str, product: Any, artifact: Any, deadline: float) -> str:
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
    return _download(subject, url, deadline)


def _download(subject: str, url: str, deadline: float) -> str:
    parts = urllib.parse.urlsplit(url)
    loopback = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
        raise AwsError(subject, "its template URL is not https; planlint does not download it")
    timeout = max(1.0, min(20.0, deadline - time.monotonic()))
    # an opener of its own: the proxies of the environment as it is now, not as urllib's shared
    # opener saw it when something first used it
    opener = urllib.request.build_opener(urllib.request.ProxyHandler())
    try:
        with opener.open(url, timeout=timeout) as answer:
            data: bytes = answer.read(MAX_SIZE + 1)
    except OSError as exc:
        reason = getattr(exc, "reason", None) or exc
        raise AwsError(subject, f"cannot download its new template ({parts.hostname}): {reason}") from None
    if len(data) > MAX_SIZE:
        raise AwsError(subject, f"its new template is larger than {MAX_SIZE // (1024 * 1024)} MiB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AwsError(subject, "its new template is not UTF-8 text") from None


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
    plan_documents: list[dict[str, Any]], profile: str | None, region: str | None, timeout: float
) -> tuple[list[FetchedTemplates], list[AwsError]]:
    """The templates of every plan document, within ``timeout`` seconds however the endpoints
    behave; what is not fetched by then is a failure."""
    from planlint import progress
    from planlint.aws.bounded import Late, within
    from planlint.aws.session import client

    try:
        sc, cfn = client(profile, region), client(profile, region, "cloudformation")
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
                fetched.append(fetch_templates(sc, cfn, document, deadline))
            except AwsError as exc:
                failed.append(exc)
            finally:
                progress.finish(f"plan {plan_id}")
        return fetched, failed

    try:
        return within(work, timeout, "planlint-templates")
    except Late:
        return [], [AwsError("AWS", f"the templates were not fetched within --timeout {timeout:g}s; raise --timeout")]
