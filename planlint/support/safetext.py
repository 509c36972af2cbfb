"""Make text from a plan safe to show: no control characters, escapes or bidi tricks.

Plan content (logical ids, types, status messages, tag values) is written by whoever
wrote the template. Before it reaches a terminal or a log, every C0/C1 control
character, DEL, lone surrogate and invisible formatting character (bidi overrides,
zero-width characters, line separators) is replaced by a visible escape such as ``\\x1b``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_INVISIBLE = [0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2028, 0x2029, 0x2060, 0xFEFF]
_INVISIBLE += list(range(0x202A, 0x202F)) + list(range(0x2066, 0x206A))


def _escape(cp: int) -> str:
    return f"\\x{cp:02x}" if cp < 0x100 else f"\\u{cp:04x}"


_TABLE: dict[int, str] = {cp: _escape(cp) for cp in [*range(0x20), *range(0x7F, 0xA0), *_INVISIBLE]}
_TABLE.update({cp: _escape(cp) for cp in range(0xD800, 0xE000)})


def _finder(codepoints: Iterable[int]) -> re.Pattern[str]:
    """One character class of ``codepoints``, in ranges. A regular expression finds the rare unsafe
    character in C; ``str.translate`` looks up every character in a dict, which on a report of
    many megabytes costs seconds."""
    ranges: list[list[int]] = []
    for cp in sorted(set(codepoints)):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges) + "]")


def _escaper(table: dict[int, str]) -> tuple[re.Pattern[str], dict[str, str]]:
    return _finder(table), {chr(cp): replacement for cp, replacement in table.items()}


def _escaped(text: str, finder: re.Pattern[str], replacements: dict[str, str]) -> str:
    if finder.search(text) is None:
        return text
    return finder.sub(lambda match: replacements[match.group()], text)


_CLEAN = _escaper(_TABLE)
CUT = "…"  # ends a shortened text (``planlint.masking`` masks the start of a secret it follows)


def clean(text: str, limit: int | None = None) -> str:
    """``text`` with unsafe characters escaped, cut to ``limit`` characters (with an ellipsis)."""
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + CUT
    return _escaped(text, *_CLEAN)


# Characters a terminal obeys or that reorder text, which JSON and XML may carry raw: DEL, the
# C1 controls and the invisible formatting characters. (C0 controls are escaped by the encoders.)
_OBEYED = [0x7F, *range(0x80, 0xA0), *_INVISIBLE]
_JSON_TABLE = {cp: f"\\u{cp:04x}" for cp in _OBEYED}
_XML_TABLE = {cp: f"&#x{cp:x};" for cp in _OBEYED}
_JSON = _escaper(_JSON_TABLE)
_XML = _escaper(_XML_TABLE)


def clean_lines(text: str) -> str:
    """Multi-line ``text`` with every line cleaned, the line breaks kept."""
    return "\n".join(clean(line) for line in text.split("\n"))


def json_safe(text: str) -> str:
    """JSON text with those characters as ``\\uXXXX`` escapes: the same JSON value, inert on a terminal.
    (Outside strings JSON has none of them, so every one is inside a string.)"""
    return _escaped(text, *_JSON)


def xml_safe(text: str) -> str:
    """XML text with those characters as character references: the same document, inert on a terminal."""
    return _escaped(text, *_XML)
