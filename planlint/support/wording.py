"""What a framework (pydantic, typer, click) says of a bad value, in planlint's words: ``expected a
whole number, got '1.5'``, never ``Input should be a valid integer, unable to parse string as an
integer`` or ``'%Y-%m-%d'``. Used for command-line options and configuration values alike.
"""

from __future__ import annotations

import re

from planlint.support.safetext import clean

_VALUE_LIMIT = 80  # characters of a value shown back

# (pattern of the framework's message about an option's value, what planlint says instead); a
# pattern's "value" group is the value given, when the message holds it
_QUOTED = r"""(?P<quote>['"])(?P<value>.*)(?P=quote)"""  # a value as repr() shows it
_BAD_VALUES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(_QUOTED + r" does not match the formats? .*", re.S), "expected a date, YYYY-MM-DD"),
    (re.compile(_QUOTED + r" is not one of (?P<choices>.*?)\.?", re.S), "expected one of {choices}"),
    (re.compile(_QUOTED + r" is not a valid float(?: range)?\.?", re.S), "expected a number"),
    (re.compile(_QUOTED + r" is not a valid integer(?: range)?\.?", re.S), "expected a whole number"),
    (re.compile(_QUOTED + r" is not a valid (?:boolean|bool)\.?", re.S), "expected true or false"),
    (re.compile(r"(?P<value>.*) is not in the range x>=(?P<low>[^.]+(?:\.\d+)?)\.?", re.S), "expected at least {low}"),
    (re.compile(r"(?P<value>.*) is not in the range x<=(?P<high>[^.]+(?:\.\d+)?)\.?", re.S), "expected at most {high}"),
    (re.compile(r"(?P<value>.*) is not in the range (?P<range>.*?)\.?", re.S), "expected a value in {range}"),
    (re.compile(r"Input should be greater than or equal to (?P<low>\S+)", re.S), "expected at least {low}"),
    (re.compile(r"Input should be greater than (?P<low>\S+)", re.S), "expected more than {low}"),
    (re.compile(r"Input should be less than or equal to (?P<high>\S+)", re.S), "expected at most {high}"),
    (re.compile(r"String should have at least 1 character", re.S), "expected text, not an empty string"),
    (
        re.compile(r"(?P<what>String|List|Dictionary) should have at least (?P<low>\d+) (?P<unit>\w+).*", re.S),
        "expected at least {low} {unit}",
    ),
    (
        re.compile(r"(?P<what>String|List|Dictionary) should have at most (?P<high>\d+) (?P<unit>\w+).*", re.S),
        "expected at most {high} {unit}",
    ),
    (re.compile(r"Input should be a valid integer.*", re.S), "expected a whole number"),
    (re.compile(r"Input should be a (?:valid number|finite number).*", re.S), "expected a number"),
    (re.compile(r"Input should be a valid boolean.*", re.S), "expected true or false"),
    (re.compile(r"Input should be a valid (?P<what>\w+)(?:,.*)?", re.S), "expected a {what}"),
    (re.compile(r"Input should be (?P<rest>.*)", re.S), "expected {rest}"),
]


# an older click names both ends of a range: the side the value is past is the one to say
_BOTH_ENDS = re.compile(r"(?P<value>.*) is not in the range (?P<low>[^<=x]+)<=?x<=?(?P<high>[^<=x]+?)\.?", re.S)


def _one_side(text: str) -> str:
    """``0.0 is not in the range 0.001<=x<=86400.0`` as ``0.0 is not in the range x>=0.001``."""
    match = _BOTH_ENDS.fullmatch(text)
    if match is None:
        return text
    try:
        value, low, high = (float(match.group(name)) for name in ("value", "low", "high"))
    except ValueError:
        return text
    side = f"x>={low:g}" if value < low else f"x<={high:g}"
    return f"{match.group('value')} is not in the range {side}"


def bad_value(message: str, given: str | None) -> str:
    """The framework's ``message`` about a bad value in planlint's words, with the value ``given``
    when known (else the one the message quotes)."""
    text = _one_side(message.removeprefix("Value error, ").strip())
    for pattern, words in _BAD_VALUES:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        parts = {k: unquoted(v) for k, v in match.groupdict().items() if v is not None and k != "quote"}
        value = given if given is not None else parts.pop("value", None)
        parts.pop("value", None)
        said = words.format(**parts)
        return f"{said}, got {clean(repr(value.strip()), _VALUE_LIMIT)}" if value is not None else said
    return text[:1].lower() + text[1:]


def unquoted(text: str) -> str:
    """``'error', 'warning'`` → ``error, warning``."""
    return re.sub(r"'([^']*)'", r"\1", text).strip()
