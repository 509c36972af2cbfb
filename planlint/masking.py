"""Provisioning parameter values never reach an output: the one place they are masked.

Rules see the plan as it is, so that a verdict never depends on masking. Everything a person
or a pipeline sees is rendered from the ``Report``, and the report is masked once, as the run
hands it over (``planlint.report.masked.mask_report``, with the :class:`Masker` here): every
string of every plan (status message, physical ids, causing entities, tag values…) and what the
plan keeps privately (a change set's stack and status reason), every finding, every error and
everything a rule printed. A fetched plan or change set saved to disk keeps its structure for the
next lint: its plain parameter values are masked, and every other string wherever it holds one of
them (:func:`mask_saved_document`, :func:`mask_saved_change_set`); references and the values of
public parameters are saved as they are, and so are not masked elsewhere either.

The values masked are the parameter values and the values CloudFormation resolved for SSM
parameter types (``ResolvedValue``), as each place spells them (as they are, escaped for a
message, written as JSON) — and the start of one that a message cut short, so that what is
shortened before masking never shows part of a secret. Values shorter than six characters are
not masked (``true`` or ``80`` would blank out unrelated text), nor the values of parameters that
the configuration names as public.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields, is_dataclass, replace
from fnmatch import fnmatchcase
from typing import Any

from pydantic import BaseModel

from planlint.model.enums import OpenEnum
from planlint.model.findings import Location
from planlint.model.plan import Plan
from planlint.model.resource_change import ResourceChange
from planlint.support.safetext import CUT, clean
from planlint.support.secrecy import is_reference

MASK = "****"
SAVED_MASK = "**** (masked by planlint)"  # in a saved change set: not AWS's own "****", which says NoEcho
MIN_LENGTH = 6


def plan_values(plan: Plan) -> Iterator[tuple[str | None, str]]:
    """Each parameter's key and value, and the value CloudFormation resolved for it (an SSM
    parameter's ``ResolvedValue``, in a change set): every value a plan holds that may be a secret."""
    for parameter in plan.details.provisioning_parameters:
        if parameter.value is not None:
            yield parameter.key, parameter.value.get_secret_value()
    for stack_parameter in plan.change_set.parameters if plan.change_set is not None else ():
        if stack_parameter.resolved_value is not None:
            yield stack_parameter.key, stack_parameter.resolved_value.get_secret_value()


def maskable_values(plan: Plan, public: Sequence[str] = ()) -> set[str]:
    """The plan's values masked in every output: not those of public parameters, nor those too short to mask."""
    return {v for k, v in plan_values(plan) if _maskable(v) and not is_public(k, public)}


def _maskable(value: str) -> bool:
    """Long enough to mask without blanking out unrelated text, and not already a mask."""
    return len(value) >= MIN_LENGTH and value not in (MASK, SAVED_MASK)


def is_public(key: str | None, public: Sequence[str]) -> bool:
    """True when ``key`` matches a ``public-parameters`` entry (a name or a glob)."""
    return key is not None and any(fnmatchcase(key, pattern) for pattern in public)


def spellings(value: str) -> set[str]:
    """How a value can be written in a text made of it: as it is, as ``planlint.support.safetext.clean``
    escapes it for a message, and as JSON writes it inside a string (a change set's contexts are
    JSON text; with and without ASCII escapes)."""
    return {value, clean(value), json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1]}


@dataclass(frozen=True)
class Masker:
    """Replaces every secret value in a text, in each of its :func:`spellings`, by ``****``; and
    the start of one that a message cut short (``…``) as well, so that shortening never shows part
    of a secret, wherever a text was shortened. Every place any secret occupies is found first,
    overlapping ones too, and each run of overlapping places becomes one mask: two secrets that
    share characters leave nothing of either."""

    secrets: tuple[str, ...] = ()

    @classmethod
    def of(cls, values: Iterable[str]) -> Masker:
        unique = {s for v in values if _maskable(v) for s in spellings(v)}
        return cls.joined(unique)

    @classmethod
    def joined(cls, secrets: Iterable[str]) -> Masker:
        """The masker of secrets already spelled (another masker's ``secrets``)."""
        return cls(tuple(sorted(set(secrets), key=len, reverse=True)))

    def __bool__(self) -> bool:
        return bool(self.secrets)

    def __call__(self, text: str) -> str:
        spans = [span for secret in self.secrets if secret in text for span in _occurrences(text, secret)]
        if CUT in text and self.secrets:
            spans.extend(self._starts_before_cuts(text))
        return _replaced(text, spans) if spans else text

    def _starts_before_cuts(self, text: str) -> Iterator[tuple[int, int]]:
        """Before each cut (``…``), the longest start of a secret that the text there ends with."""
        cut = text.find(CUT)
        while cut != -1:
            longest = max(_start_at_end(text, secret, cut) for secret in self.secrets)
            if longest:
                yield cut - longest, cut
            cut = text.find(CUT, cut + 1)

    def optional(self, text: str | None) -> str | None:
        return None if text is None else self(text)

    def model(self, model: Any) -> Any:
        """A frozen model with every string masked, what a plan knows beyond AWS's members too (its
        ``Reading``, each change's ``Binding``); the same object when nothing needed masking. A plan
        is built again whole, its changes in their places."""
        if not self or not self._may_occur_in(model):
            return model
        return self._model(model)

    def change(self, change: ResourceChange) -> ResourceChange:
        """One change masked on its own, what it knows of its plan (its ``Binding``) included."""
        return self._change(change) if self else change

    def _may_occur_in(self, model: BaseModel) -> bool:
        """False when no secret can be in any string of ``model``: its JSON (pydantic's, in Rust,
        far quicker than walking the model here) and, for a plan, that of what it knows beyond AWS's
        members (a change set's own details, its nested path; a change's binding is made of its
        plan's) hold no secret's longest run of characters that JSON never escapes. True when in doubt."""
        try:
            texts = [model.__pydantic_serializer__.to_json(model).decode()]
            if isinstance(model, Plan):
                reading = model.reading
                if reading.change_set is not None:
                    texts.append(reading.change_set.__pydantic_serializer__.to_json(reading.change_set).decode())
                texts += [reading.nested_path, reading.unlinked]
        except Exception:  # noqa: BLE001 - a value pydantic cannot write (a lone surrogate): walk it
            return True
        return any(_unescaped_core(secret) in text for secret in self.secrets for text in texts)

    def _model(self, model: Any) -> Any:
        if isinstance(model, Plan):
            return self._plan(model)
        if isinstance(model, ResourceChange):
            return self._change(model)
        updates = self._fields(model)
        return model.model_copy(update=updates) if updates else model

    def _fields(self, model: BaseModel) -> dict[str, Any]:
        """The fields of ``model`` that masking changes, masked."""
        updates = {}
        for name in type(model).model_fields:
            value = getattr(model, name)
            masked = self._value(value)
            if masked is not value:
                updates[name] = masked
        return updates

    def _plan(self, plan: Plan) -> Plan:
        details = self._value(plan.details)
        changes = tuple(self._change(change) for change in plan.changes)
        token = self._value(plan.next_page_token)
        reading = self._dataclass(plan.reading)
        same = all(a is b for a, b in zip(changes, plan.changes, strict=True))
        if same and details is plan.details and token is plan.next_page_token and reading is plan.reading:
            return plan
        # each change keeps its own binding, masked: what it refers to was read unmasked
        return Plan.built(details, changes, token, reading, bound=True)

    def _change(self, change: ResourceChange) -> ResourceChange:
        updates = self._fields(change)
        binding = self._dataclass(change.binding)
        if not updates and binding is change.binding:
            return change
        return change.bound(binding, updates)

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
        if is_dataclass(value) and not isinstance(value, type) and not isinstance(value, _KEPT):
            return self._dataclass(value)
        return value  # None, numbers, times, SecretStr (which never prints)

    def _dataclass(self, value: Any) -> Any:
        """What a plan knows beyond AWS's members (its ``Reading``) and a change of its plan (its
        ``Binding``: the plan's id, its place in a nested change set, what a template declares)."""
        updates = {
            f.name: m for f in fields(value) if (m := self._value(getattr(value, f.name))) is not getattr(value, f.name)
        }
        return replace(value, **updates) if updates else value


_KEPT = (Location,)  # where a text was read: the user's own file names, not the plan's content


def _occurrences(text: str, secret: str) -> Iterator[tuple[int, int]]:
    """Where ``secret`` is in ``text``, overlapping occurrences too."""
    start = text.find(secret)
    while start != -1:
        yield start, start + len(secret)
        start = text.find(secret, start + 1)


def _replaced(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each run of overlapping spans replaced by one mask: a secret that overlaps
    another is masked whole with it, never leaving the part of one that the other did not cover."""
    runs: list[list[int]] = []
    for first, last in sorted(spans):
        if runs and first < runs[-1][1]:
            runs[-1][1] = max(runs[-1][1], last)
        else:
            runs.append([first, last])
    parts, kept = [], 0
    for first, last in runs:
        parts += [text[kept:first], MASK]
        kept = last
    return "".join(parts) + text[kept:]


def _start_at_end(text: str, secret: str, end: int) -> int:
    """The length of the longest start of ``secret`` (shorter than it) that ``text[:end]`` ends with; 0 if none."""
    first = text.find(secret[0], max(0, end - len(secret) + 1), end) if secret else -1
    while first != -1:
        if secret.startswith(text[first:end]):
            return end - first
        first = text.find(secret[0], first + 1, end)
    return 0


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
    """A fetched DescribeProvisionedProductPlan document as planlint saves it: each plain parameter
    value masked (dynamic references, empty values and public parameters kept, so that rules judge
    it the same way) and every other string — names, physical ids, tags, the status message —
    masked wherever it holds one of those values."""
    details = document.get("ProvisionedProductPlanDetails")
    details = details if isinstance(details, dict) else {}
    parameters = [p for p in details.get("ProvisioningParameters") or [] if isinstance(p, dict)]
    hidden = [p["Value"] for p in parameters if _hidden(p, "Key", "Value", public)]
    mask = Masker.of(hidden)
    saved: dict[str, Any] = _masked_strings({**document, "ProvisionedProductPlanDetails": details}, mask)
    saved["ProvisionedProductPlanDetails"]["ProvisioningParameters"] = [
        _saved_parameter(p, "Key", {"Value": MASK} if _hidden(p, "Key", "Value", public) else {}, mask)
        for p in parameters
    ]
    return saved


def _hidden(parameter: dict[str, Any], key: str, field: str, public: Sequence[str]) -> bool:
    """True when a saved document masks the parameter's ``field``: a plain value (not empty, not
    already a mask, not a reference) of a parameter that is not public."""
    value = parameter.get(field)
    return (
        isinstance(value, str)
        and bool(value)
        and value not in (MASK, SAVED_MASK)
        and not is_reference(value)
        and not is_public(parameter.get(key), public)
    )


def _saved_parameter(parameter: dict[str, Any], key: str, masked: dict[str, str], mask: Masker) -> dict[str, Any]:
    """A parameter as saved: its key as it is (what rules and the configuration name it by), the
    fields in ``masked`` replaced, every other string masked where it holds a value."""
    return {k: v if k == key else masked[k] if k in masked else _masked_strings(v, mask) for k, v in parameter.items()}


def mask_saved_change_set(document: dict[str, Any], public: Sequence[str] = ()) -> dict[str, Any]:
    """A fetched DescribeChangeSet document as planlint saves it: each plain parameter value masked
    (by a mask that is not AWS's ``****``, so that the saved document is judged as the change set
    was), dynamic references, empty values and public parameters kept, each resolved value masked,
    and every other string — property values, contexts, the status reason — masked wherever it
    holds one of the values masked."""
    parameters = [p for p in document.get("Parameters") or [] if isinstance(p, dict)]
    masked = [
        {
            **({"ParameterValue": SAVED_MASK} if _hidden(p, "ParameterKey", "ParameterValue", public) else {}),
            **(
                {"ResolvedValue": SAVED_MASK}
                if p.get("ResolvedValue") and not is_public(p.get("ParameterKey"), public)
                else {}
            ),
        }
        for p in parameters
    ]
    mask = Masker.of(
        p[field] for p, fields in zip(parameters, masked, strict=True) for field in fields if isinstance(p[field], str)
    )
    saved: dict[str, Any] = _masked_strings(document, mask)  # its parameters replaced below, in their place
    saved["Parameters"] = [
        _saved_parameter(p, "ParameterKey", m, mask) for p, m in zip(parameters, masked, strict=True)
    ]
    return saved


def _masked_strings(value: Any, mask: Masker) -> Any:
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, list):
        return [_masked_strings(v, mask) for v in value]
    if isinstance(value, dict):
        return {k: _masked_strings(v, mask) for k, v in value.items()}
    return value
