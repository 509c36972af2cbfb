"""The answer is the one asked for: every page of a Describe answer is compared with the request
(and, past the first, with the first page) before any of it is used.

An endpoint, a proxy or a recorded answer can describe another plan or change set — another
account, region, stack or name — than the one asked for; such a page is refused, not saved under
the name asked for.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from planlint.aws.errors import AwsError
from planlint.model.plan import difference, unmodelled, unmodelled_difference
from planlint.model.shapes import Shape
from planlint.support.safetext import clean


def check_page(
    subject: str,
    number: int,
    page: Mapping[str, Any],
    asked: Mapping[str, str],
    identity: str,
    first: Mapping[str, Any],
    noun: str,
    where: str = "",
    shape: type[Shape] | None = None,
) -> None:
    """Raise ``AwsError`` unless page ``number`` of an answer is of the one ``noun`` asked for: its
    ``identity`` member (``PlanId``, ``ChangeSetId``) is set and, past page 1, is that of ``first``
    (page 1); and each member named in ``asked`` has the value asked for. ``where`` names the object
    the members are in, for the message (``ProvisionedProductPlanDetails.``). Past page 1, a page
    must also describe the ``noun`` as page 1 does, member for member of ``shape`` and every member
    it does not model but the changes and page tokens (AWS repeats them on every page): one that
    differs was read while it changed."""
    for member in (identity, *asked):
        if page.get(member) is None or page.get(member) == "":
            raise AwsError(
                subject,
                f"page {number} of the answer has no {where}{member} (an empty or unreadable response); try again",
            )
    if number > 1 and page[identity] != first.get(identity):
        raise AwsError(
            subject, f"page {number} describes {noun} {_shown(page[identity])}; the {noun} changed while it was read"
        )
    for member, value in asked.items():
        if page[member] != value:
            raise AwsError(
                subject,
                f"page {number} of the answer describes {where}{member} {_shown(page[member])}, not the "
                f"{_shown(value)} asked for; not used",
            )
    if number > 1 and shape is not None:
        try:
            differs = difference(shape.model_validate(page), shape.model_validate(first))
        except ValidationError:
            return  # what is wrong with the page is said, file and member, when the plan is read
        differs = differs or unmodelled_difference(unmodelled(page, shape), unmodelled(first, shape))
        if differs is not None:
            member, mine, theirs = differs
            values = f" ({clean(mine, 60)}, not {clean(theirs, 60)})" if mine else ""
            raise AwsError(
                subject,
                f"page {number} describes {where}{member} otherwise than page 1{values}; "
                f"the {noun} changed while it was read, try again",
            )


def _shown(value: Any) -> str:
    return clean(str(value), 300)
