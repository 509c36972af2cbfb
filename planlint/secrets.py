"""Provisioning parameter values never reach an output: the one place they are masked.

Rules see the plan as it is, so that a verdict never depends on masking. Everything a person
or a pipeline sees is rendered from the ``Report``, and the report is masked once, as the run
hands it over (``planlint.report.masked.mask_report``, with the :class:`Masker` here): every
string of every plan (status message, physical ids, causing entities, tag values…), every
finding, every error and everything a rule printed. A fetched plan saved to disk keeps its
structure for the next lint and has its parameter values and its status message masked
(:func:`mask_saved_document`).

Values shorter than six characters are not masked (``true`` or ``80`` would blank out
unrelated text), nor the values of parameters that the configuration names as public.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from planlint.enums import OpenEnum

if TYPE_CHECKING:
    from planlint.model import Plan

MASK = "****"
MIN_LENGTH = 6
# Names (of parameters, properties) that mark a secret, as case-insensitive regular expressions:
# the secret-parameter rule's default, and what keeps a property's values out of every message.
SECRET_NAMES = (
    r"passw(or)?d",
    r"passphrase",
    r"secret",
    r"token",
    r"private[-_ ]?key",
    r"api[-_ ]?key",
    r"access[-_ ]?key",
    r"credential",
    r"connection[-_ ]?string",
)
_SECRET_NAME = re.compile("|".join(SECRET_NAMES), re.IGNORECASE)


def looks_secret(name: str | None) -> bool:
    """A name (or a property path) that marks a secret by the default patterns."""
    return bool(name) and _SECRET_NAME.search(name or "") is not None


def is_public(key: str | None, public: Sequence[str]) -> bool:
    """True when ``key`` matches a ``public-parameters`` entry (a name or a glob)."""
    return key is not None and any(fnmatchcase(key, pattern) for pattern in public)


@dataclass(frozen=True)
class Masker:
    """Replaces every secret value in a text (longest first) by ``****``."""

    secrets: tuple[str, ...] = ()

    @classmethod
    def of(cls, values: Iterable[str]) -> Masker:
        unique = {v for v in values if len(v) >= MIN_LENGTH and v != MASK}
        return cls(tuple(sorted(unique, key=len, reverse=True)))

    @classmethod
    def for_plan(cls, plan: Plan, public: Sequence[str] = ()) -> Masker:
        return cls.of(
            p.value.get_secret_value()
            for p in plan.details.provisioning_parameters
            if p.value is not None and not is_public(p.key, public)
        )

    def __bool__(self) -> bool:
        return bool(self.secrets)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text

    def optional(self, text: str | None) -> str | None:
        return None if text is None else self(text)

    def model(self, model: Any) -> Any:
        """A frozen model with every string masked; the same object when nothing needed masking."""
        if not self or not self._may_occur_in(model):
            return model
        return self._model(model)

    def _may_occur_in(self, model: BaseModel) -> bool:
        """False when no secret can be in any string of ``model``: its JSON (pydantic's, in Rust,
        far quicker than walking the model here) holds no secret's longest run of characters that
        JSON never escapes. True when in doubt."""
        try:
            text = model.__pydantic_serializer__.to_json(model).decode()
        except Exception:  # noqa: BLE001 - a value pydantic cannot write (a lone surrogate): walk it
            return True
        return any(_unescaped_core(secret) in text for secret in self.secrets)

    def _model(self, model: Any) -> Any:
        updates = {}
        for name in type(model).model_fields:
            value = getattr(model, name)
            masked = self._value(value)
            if masked is not value:
                updates[name] = masked
        if not updates:
            return model
        copy = model.model_copy(update=updates)
        for key in [k for k in copy.__dict__ if k not in type(model).model_fields]:
            del copy.__dict__[key]  # cached properties (a change's causes), computed from unmasked values
        return copy

    def _value(self, value: Any) -> Any:
        if type(value) is str:
            masked = self(value)
            return value if masked == value else masked
        if isinstance(value, OpenEnum):
            if value.known:
                return value
            masked = self(value.value)
            return value if masked == value.value else type(value)(masked)
        if isinstance(value, BaseModel):
            return self._model(value)
        if isinstance(value, tuple):
            items = tuple(self._value(v) for v in value)
            return value if all(a is b for a, b in zip(items, value, strict=True)) else items
        return value  # None, numbers, times, SecretStr (which never prints)


_ESCAPED = re.compile(r'["\\\x00-\x1f\ud800-\udfff]')  # what JSON writes as an escape (and lone surrogates)


def _unescaped_core(secret: str) -> str:
    """The longest part of ``secret`` that JSON writes as it is ('' when there is none: then every text may hold it)."""
    return max(_ESCAPED.split(secret), key=len)


def document_masker(document: dict[str, Any], public: Sequence[str] = ()) -> Masker:
    """The masker of a DescribeProvisionedProductPlan document's parameter values (not the public ones)."""
    details = document.get("ProvisionedProductPlanDetails") or {}
    parameters = [p for p in details.get("ProvisioningParameters") or [] if isinstance(p, dict)]
    return Masker.of(
        p["Value"] for p in parameters if isinstance(p.get("Value"), str) and not is_public(p.get("Key"), public)
    )


def mask_saved_document(document: dict[str, Any], public: Sequence[str] = ()) -> dict[str, Any]:
    """A fetched DescribeProvisionedProductPlan document as planlint saves it: parameter values
    masked (dynamic references and empty values kept, so that rules judge it the same way) and
    masked wherever the status message repeats them."""
    details = dict(document.get("ProvisionedProductPlanDetails") or {})
    parameters = [p for p in details.get("ProvisioningParameters") or [] if isinstance(p, dict)]
    mask = document_masker(document, public)
    details["ProvisioningParameters"] = [_masked_parameter(p, public) for p in parameters]
    if isinstance(details.get("StatusMessage"), str):
        details["StatusMessage"] = mask(details["StatusMessage"])
    return {**document, "ProvisionedProductPlanDetails": details}


def _masked_parameter(parameter: dict[str, Any], public: Sequence[str]) -> dict[str, Any]:
    value = parameter.get("Value")
    if isinstance(value, str) and value and not is_reference(value) and not is_public(parameter.get("Key"), public):
        return {**parameter, "Value": MASK}
    return dict(parameter)


def is_reference(value: str) -> bool:
    """A dynamic reference (``{{resolve:…}}``): CloudFormation resolves it, it is no secret itself."""
    return value.lstrip()[:10].lower() == "{{resolve:"


SAVED_MASK = "**** (masked by planlint)"  # not AWS's own "****", which says NoEcho


def mask_saved_change_set(document: dict[str, Any], public: Sequence[str] = ()) -> dict[str, Any]:
    """A fetched DescribeChangeSet document as planlint saves it: each plain parameter value masked
    (by a mask that is not AWS's ``****``, so that the saved document is judged as the change set
    was), dynamic references, empty values and public parameters kept, and every other string —
    property values, contexts, the status reason — masked wherever it holds a parameter's value."""
    parameters = [p for p in document.get("Parameters") or [] if isinstance(p, dict)]
    mask = Masker.of(
        p["ParameterValue"]
        for p in parameters
        if isinstance(p.get("ParameterValue"), str) and not is_public(p.get("ParameterKey"), public)
    )
    masked = {key: _masked_strings(value, mask) for key, value in document.items() if key != "Parameters"}
    masked["Parameters"] = [_masked_stack_parameter(p, public) for p in parameters]
    return masked


def _masked_stack_parameter(parameter: dict[str, Any], public: Sequence[str]) -> dict[str, Any]:
    value = parameter.get("ParameterValue")
    plain = isinstance(value, str) and value and value != MASK and not is_reference(value)
    if plain and not is_public(parameter.get("ParameterKey"), public):
        parameter = {**parameter, "ParameterValue": SAVED_MASK}
    return {k: (SAVED_MASK if k == "ResolvedValue" and v else v) for k, v in parameter.items()}


def _masked_strings(value: Any, mask: Masker) -> Any:
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, list):
        return [_masked_strings(v, mask) for v in value]
    if isinstance(value, dict):
        return {k: _masked_strings(v, mask) for k, v in value.items()}
    return value
