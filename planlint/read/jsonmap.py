"""Decode a plan document and remember where its objects start.

The standard library's C decoder does the parsing (``raw_decode`` one element at a time);
this module only walks the two levels that matter — the list of pages and, in each page,
the details object and every element of ``ResourceChanges`` (or of a change set's ``Changes``)
— recording their start lines.

A document planlint cannot read one way only is refused with its position: a key twice in
one object (which one wins is up to the reader, so a second ``"ResourceChanges": []`` could
hide the real list), nesting deeper than the decoder goes, and integers longer than Python
converts. The position is found by a second, plain scan, only when a document is refused.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from planlint.support.errors import InputError
from planlint.support.safetext import clean

_whitespace = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?[0-9]+")
MAX_DEPTH = 500
CHANGE_LISTS = ("ResourceChanges", "Changes")  # a plan's, a change set's


class DocumentError(InputError, ValueError):
    """A document that is valid JSON syntax but that planlint refuses to read: what, and where."""

    def __init__(self, problem: str, text: str, pos: int) -> None:
        self.problem = problem
        self.lineno = text.count("\n", 0, pos) + 1
        self.colno = pos - text.rfind("\n", 0, pos)
        super().__init__(f"{problem} (line {self.lineno} column {self.colno})")


class _Duplicate(Exception):
    pass


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) != len(pairs):
        raise _Duplicate
    return value


_decoder = json.JSONDecoder(object_pairs_hook=_unique)
# The C string scanner the decoder itself uses (not in the type stubs).
_scanstring: Callable[[str, int], tuple[str, int]] = vars(json.decoder)["scanstring"]


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
    match = _whitespace.match(text, pos)  # `[ \t\n\r]*` always matches
    return match.end() if match else pos


def _expect(text: str, pos: int, char: str, what: str) -> int:
    if text[pos : pos + 1] != char:
        raise json.JSONDecodeError(f"Expecting {what}", text, pos)
    return pos + 1


def decode(text: str) -> tuple[Any, list[PageMap]]:
    """Decode ``text``; return the value and a map of each page (one, or one per list item).

    Raises ``json.JSONDecodeError`` with the position of the first syntax error, and
    ``DocumentError`` for a duplicate key, too deep a nesting or too long an integer.
    """
    try:
        return _decode(text)
    except _Duplicate:
        raise _refusal(text, "duplicate") from None
    except RecursionError:
        raise _refusal(text, "depth") from None
    except ValueError as exc:
        if isinstance(exc, (json.JSONDecodeError, DocumentError)):
            raise
        raise _refusal(text, "number") from None  # int() refuses more than sys.get_int_max_str_digits()


def _decode(text: str) -> tuple[Any, list[PageMap]]:
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
        key, pos = _scanstring(text, pos + 1)
        if key in page.value:
            raise _Duplicate
        pos = _skip(text, _expect(text, _skip(text, pos), ":", "':' delimiter"))
        if key in CHANGE_LISTS and text[pos : pos + 1] == "[":
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


def _refusal(text: str, kind: str) -> DocumentError:
    """Find where a decoded-but-refused document goes wrong: a plain scan of its tokens."""
    limit = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 4300
    frames: list[list[Any] | None] = []  # an object: [keys seen, a key comes next]; an array: None
    pos, end = 0, len(text)
    while pos < end:
        char = text[pos]
        if char == '"':
            value, after = _scanstring(text, pos + 1)
            frame = frames[-1] if frames else None
            if frame is not None and frame[1]:
                if kind == "duplicate" and value in frame[0]:
                    return DocumentError(f'key "{clean(value, 80)}" appears twice in one object', text, pos)
                frame[0].add(value)
                frame[1] = False
            pos = after
            continue
        if char in "{[":
            frames.append([set(), True] if char == "{" else None)
            if kind == "depth" and len(frames) > MAX_DEPTH:
                return DocumentError(f"nested more than {MAX_DEPTH} levels deep", text, pos)
        elif char in "}]":
            if frames:
                frames.pop()
        elif char == "," and frames and frames[-1] is not None:
            frames[-1][1] = True
        elif char in "-0123456789":
            number = _NUMBER.match(text, pos)
            if number is not None:
                if kind == "number" and len(number.group().lstrip("-")) > limit:
                    return DocumentError(f"an integer of more than {limit} digits", text, pos)
                pos = number.end()
                continue
        pos += 1
    problems = {
        "duplicate": "a key appears twice in one object",
        "depth": "nested too deeply",
        "number": "a number planlint cannot read",
    }
    return DocumentError(problems[kind], text, 0)
