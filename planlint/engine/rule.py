"""The ``@rule`` decorator: how a function becomes a planlint rule.

A rule is a plain function in a module of its own. It takes any of ``plan``,
``options`` and ``facts`` (by name) and yields findings. Its docstring, written as
``## What it flags`` / ``## Why it matters`` / ``## Example`` (a plan fragment that makes it
report) / ``## How to fix`` / ``## Options`` / ``## References``, is its documentation everywhere. Decorating only attaches metadata; the engine collects it.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from planlint.config.rule_options import NoOptions, Options, options_section
from planlint.model.findings import Finding, Severity

RULE_ATTRIBUTE = "__planlint_rule__"
PARAMETERS = ("plan", "options", "facts")
DOC_SECTIONS = ("What it flags", "Why it matters", "Example", "How to fix", "Options", "References")

_CODE = re.compile(r"[A-Z]{1,8}[0-9]{1,6}")
_NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
_SECTION = re.compile(r"^##\s+(.+?)\s*$", re.MULTILINE)


RuleFunction = Callable[..., Iterable[Finding] | None]


@dataclass(frozen=True)
class Rule:
    """A registered rule: identity, default severity, tags, options model, documentation."""

    code: str
    name: str
    severity: Severity
    tags: frozenset[str]
    options: type[Options]
    function: RuleFunction = field(repr=False)
    parameters: tuple[str, ...] = ()
    source: str = ""
    origin: str = "built-in"

    @cached_property
    def doc(self) -> str:  # cached: every report that describes its rules reads it again
        """The docstring, its ``## Options`` section written from the options model (see
        :func:`with_options`)."""
        return with_options(inspect.cleandoc(self.function.__doc__ or ""), self.options)

    @cached_property
    def _sections(self) -> dict[str, str]:
        return doc_sections(self.doc)

    def sections(self) -> dict[str, str]:
        """The docstring's ``## Heading`` sections, by heading."""
        return dict(self._sections)

    def named(self, entry: str) -> bool:
        """True when ``entry`` names this rule: its code (in any case) or its name."""
        return names(entry, self.code, self.name)

    @cached_property
    def summary(self) -> str:
        """The first sentence of *What it flags*: a one-line description."""
        text = self.sections().get("What it flags", "") or self.doc
        first = " ".join(text.split())
        end = first.find(". ")
        return first if end < 0 else first[: end + 1]


def names(entry: str, code: str, name: str) -> bool:
    """The one answer to "does this string name that rule": its code in any case, or its name."""
    return entry == name or entry.upper() == code


def lookup(entry: str, rules: Iterable[Rule]) -> Rule | None:
    """The rule ``entry`` names, or None."""
    return next((rule for rule in rules if rule.named(entry)), None)


def did_you_mean(entry: str, candidates: Iterable[str]) -> str:
    """``; did you mean X?`` for the closest candidate (compared as written and upper-cased), or nothing."""
    import difflib

    known = sorted(set(candidates))
    close = difflib.get_close_matches(entry, known, n=1) or difflib.get_close_matches(entry.upper(), known, n=1)
    return f"; did you mean {close[0]}?" if close else ""


def rule_names(rules: Iterable[Rule]) -> list[str]:
    """Every code and name of ``rules``: what a "did you mean" chooses from."""
    return [text for rule in rules for text in (rule.code, rule.name)]


def with_options(doc: str, model: type[Options]) -> str:
    """``doc`` with its ``## Options`` section made from ``model``'s fields, so that an option is
    described once, where it is declared (``Field(description=...)``): the section written in the
    docstring is replaced, or the section is added before ``## References`` (else at the end). A rule
    without options keeps what its docstring says there (where other settings live, say), or none."""
    body = options_section(model)
    if not body:
        return doc
    section = f"## Options\n{body}"
    written = _OPTIONS_SECTION.search(doc)
    if written:
        return doc[: written.start()] + section + "\n\n" + doc[written.end() :].lstrip("\n")
    references = re.search(r"^##\s+References\s*$", doc, re.MULTILINE)
    if references:
        return doc[: references.start()] + section + "\n\n" + doc[references.start() :]
    return f"{doc.rstrip()}\n\n{section}" if doc.strip() else section


# the ``## Options`` heading and its text, up to the next heading or the end
_OPTIONS_SECTION = re.compile(r"^##\s+Options\s*$.*?(?=^##\s|\Z)", re.MULTILINE | re.DOTALL)


def doc_sections(doc: str) -> dict[str, str]:
    parts = _SECTION.split(doc)
    return {parts[i].strip(): parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}


def rule(
    code: str,
    name: str,
    *,
    severity: Severity | str = Severity.WARNING,
    tags: Iterable[str] = (),
    options: type[Options] | None = None,
) -> Callable[[RuleFunction], RuleFunction]:
    """Register a function as a rule with a stable ``code`` (``PL101``) and kebab-case ``name``."""
    if not _CODE.fullmatch(code):
        raise ValueError(f"rule code {code!r} must be capital letters then digits, like PL101")
    if not _NAME.fullmatch(name):
        raise ValueError(f"rule name {name!r} must be kebab-case, like stateful-replacement")
    level = Severity(severity)

    def register(function: RuleFunction) -> RuleFunction:
        parameters = tuple(inspect.signature(function).parameters)
        unknown = [p for p in parameters if p not in PARAMETERS]
        if unknown:
            raise TypeError(
                f"rule {name}: unknown parameter {unknown[0]!r}; a rule takes any of {', '.join(PARAMETERS)}"
            )
        model = options or _annotated_options(function) or NoOptions
        setattr(
            function,
            RULE_ATTRIBUTE,
            Rule(code, name, level, frozenset(tags), model, function, parameters),
        )
        return function

    return register


def _annotated_options(function: RuleFunction) -> type[Options] | None:
    annotation: Any = function.__annotations__.get("options")
    if annotation is None:
        return None
    if isinstance(annotation, str):
        try:
            annotation = eval(annotation, function.__globals__)  # noqa: S307 - the module's own annotation
        except NameError as exc:
            raise TypeError(f"rule {function.__name__}: cannot resolve the options annotation: {exc}") from None
    if isinstance(annotation, type) and issubclass(annotation, Options):
        return annotation
    raise TypeError(f"rule {function.__name__}: options must be annotated with a planlint.Options subclass")
