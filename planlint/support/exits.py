"""The gate's exit codes: a module of its own, so that the command line has them without the models."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """The gate's contract: CI tells "policy said no" (1) from "the tool is broken" (2)."""

    OK = 0
    FINDINGS = 1
    ERROR = 2
