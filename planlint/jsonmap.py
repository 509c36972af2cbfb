"""Decode a plan document and remember where its objects start.

The standard library's C decoder does the parsing (``raw_decode`` one element at a time);
this module only walks the two levels that matter — the list of pages and, in each page,
the details object and every element of ``ResourceChanges`` — recording their start lines.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

_decoder = json.JSONDecoder()
_whitespace = re.compile(r"[ \t\n\r]*")


@dataclass
class PageMap:
    """A decoded page and the 1-based lines where its parts start."""

    value: Any
    line: int
    details_line: int | None = None
    change_lines: list[int] = field(default_factory=list)


class _Lines:
    """Line numbers for increasing offsets, counted incrementally."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._pos = 0
        self._line = 1

    def at(self, pos: int) -> int:
        if pos < self._pos:
            self._pos, self._line = 0, 1
        self._line += self._text.count("\n", self._pos, pos)
        self._pos = pos
        return self._line


def _skip(text: str, pos: int) -> int:
    return _whitespace.match(text, pos).end()  # type: ignore[union-attr]


def _expect(text: str, pos: int, char: str, what: str) -> int:
    if text[pos : pos + 1] != char:
        raise json.JSONDecodeError(f"Expecting {what}", text, pos)
    return pos + 1


def decode(text: str) -> tuple[Any, list[PageMap]]:
    """Decode ``text``; return the value and a map of each page (one, or one per list item).

    Raises ``json.JSONDecodeError`` with the position of the first syntax error.
    """
    lines = _Lines(text)
    pos = _skip(text, 0)
    start = text[pos : pos + 1]
    if start == "{":
        page, end = _page(text, pos, lines)
        pages = [page]
        value = page.value
    elif start == "[":
        pages, end = _pages(text, pos, lines)
        value = [p.value for p in pages]
    else:
        value, end = _decoder.raw_decode(text, pos)
        pages = []
    end = _skip(text, end)
    if end != len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    return value, pages


def _pages(text: str, pos: int, lines: _Lines) -> tuple[list[PageMap], int]:
    pages: list[PageMap] = []
    pos = _skip(text, pos + 1)
    if text[pos : pos + 1] == "]":
        return pages, pos + 1
    while True:
        if text[pos : pos + 1] == "{":
            page, pos = _page(text, pos, lines)
        else:
            line = lines.at(pos)
            value, pos = _decoder.raw_decode(text, pos)
            page = PageMap(value, line)
        pages.append(page)
        pos = _skip(text, pos)
        if text[pos : pos + 1] == "]":
            return pages, pos + 1
        pos = _skip(text, _expect(text, pos, ",", "',' delimiter"))


def _page(text: str, pos: int, lines: _Lines) -> tuple[PageMap, int]:
    page = PageMap({}, lines.at(pos))
    pos = _skip(text, pos + 1)
    if text[pos : pos + 1] == "}":
        return page, pos + 1
    while True:
        if text[pos : pos + 1] != '"':
            raise json.JSONDecodeError("Expecting property name enclosed in double quotes", text, pos)
        key, pos = json.decoder.scanstring(text, pos + 1)
        pos = _skip(text, _expect(text, _skip(text, pos), ":", "':' delimiter"))
        if key == "ResourceChanges" and text[pos : pos + 1] == "[":
            value, pos = _changes(text, pos, lines, page.change_lines)
        else:
            if key == "ProvisionedProductPlanDetails":
                page.details_line = lines.at(pos)
            value, pos = _decoder.raw_decode(text, pos)
        page.value[key] = value
        pos = _skip(text, pos)
        if text[pos : pos + 1] == "}":
            return page, pos + 1
        pos = _skip(text, _expect(text, pos, ",", "',' delimiter"))


def _changes(text: str, pos: int, lines: _Lines, starts: list[int]) -> tuple[list[Any], int]:
    items: list[Any] = []
    starts.clear()
    pos = _skip(text, pos + 1)
    if text[pos : pos + 1] == "]":
        return items, pos + 1
    while True:
        starts.append(lines.at(pos))
        value, pos = _decoder.raw_decode(text, pos)
        items.append(value)
        pos = _skip(text, pos)
        if text[pos : pos + 1] == "]":
            return items, pos + 1
        pos = _skip(text, _expect(text, pos, ",", "',' delimiter"))
