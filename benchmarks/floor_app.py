"""The start-up floor: the smallest typer app that validates one small pydantic model from a file.

planlint's start-up is measured against this (``python benchmarks/floor_app.py tag.json``): the
same interpreter, the same two libraries, one model built and validated, one line printed.
"""

from __future__ import annotations

from pathlib import Path

import typer
from pydantic import BaseModel


class Tag(BaseModel):
    key: str
    value: str


def main(path: Path) -> None:
    tag = Tag.model_validate_json(path.read_bytes())
    typer.echo(f"{tag.key}={tag.value}")


if __name__ == "__main__":
    typer.run(main)
