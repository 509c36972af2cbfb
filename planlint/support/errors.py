"""planlint's one error family: a base class and the kinds of trouble that stop a run, each with its
exit code and its words in one place. The command line catches ``PlanlintError`` once and says
``lines()``, one line each; the library raises the kinds and never prints.

A finding is not an error: policy saying no is a report with exit code 1. Everything here is 2 —
planlint could not do its job. Control flow that never reaches a person (a rule's timeout, an
interrupt, a private "this page cannot be read") stays outside the family.
"""

from __future__ import annotations

from typing import ClassVar

from planlint.support.exits import ExitCode


class PlanlintError(Exception):
    """planlint could not do its job. ``lines()``: what to tell a person, one line each."""

    exit_code: ClassVar[ExitCode] = ExitCode.ERROR
    kind: ClassVar[str] = "error"

    def lines(self) -> list[str]:
        """The message, one line per problem (most errors have one)."""
        return [str(self)]


class InputError(PlanlintError):
    """A document, template or file could not be read."""

    kind = "input"


class ConfigurationError(PlanlintError):
    """The configuration, the rule selection or the set-up of a run is wrong."""

    kind = "configuration"


class RuleSetError(PlanlintError):
    """Rules could not be loaded, or a rule failed in a way that stops the run."""

    kind = "rule"


class ServiceError(PlanlintError):
    """AWS did not give what was asked for: credentials, access, throttling, an endpoint, a timeout."""

    kind = "aws"


class OutputError(PlanlintError):
    """A report or a fetched document cannot be written where it was asked to go."""

    kind = "output"


KINDS: tuple[type[PlanlintError], ...] = (InputError, ConfigurationError, RuleSetError, ServiceError, OutputError)
