"""Make text from a plan safe to show: no control characters, escapes or bidi tricks.

Plan content (logical ids, types, status messages, tag values) is written by whoever
wrote the template. Before it reaches a terminal or a log, every C0/C1 control
character, DEL, lone surrogate and invisible formatting character (bidi overrides,
zero-width characters, line separators) is replaced by a visible escape such as ``\\x1b``.
"""

from __future__ import annotations

_INVISIBLE = [0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2028, 0x2029, 0x2060, 0xFEFF]
_INVISIBLE += list(range(0x202A, 0x202F)) + list(range(0x2066, 0x206A))


def _escape(cp: int) -> str:
    return f"\\x{cp:02x}" if cp < 0x100 else f"\\u{cp:04x}"


_TABLE: dict[int, str] = {cp: _escape(cp) for cp in [*range(0x20), *range(0x7F, 0xA0), *_INVISIBLE]}
_TABLE.update({cp: _escape(cp) for cp in range(0xD800, 0xE000)})


def clean(text: str, limit: int | None = None) -> str:
    """``text`` with unsafe characters escaped, cut to ``limit`` characters (with an ellipsis)."""
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.translate(_TABLE)


# Characters a terminal obeys or that reorder text, which JSON and XML may carry raw: DEL, the
# C1 controls and the invisible formatting characters. (C0 controls are escaped by the encoders.)
_OBEYED = [0x7F, *range(0x80, 0xA0), *_INVISIBLE]
_JSON_TABLE = {cp: f"\\u{cp:04x}" for cp in _OBEYED}
_XML_TABLE = {cp: f"&#x{cp:x};" for cp in _OBEYED}


def clean_lines(text: str) -> str:
    """Multi-line ``text`` with every line cleaned, the line breaks kept."""
    return "\n".join(clean(line) for line in text.split("\n"))


def json_safe(text: str) -> str:
    """JSON text with those characters as ``\\uXXXX`` escapes: the same JSON value, inert on a terminal.
    (Outside strings JSON has none of them, so every one is inside a string.)"""
    return text.translate(_JSON_TABLE)


def xml_safe(text: str) -> str:
    """XML text with those characters as character references: the same document, inert on a terminal."""
    return text.translate(_XML_TABLE)
