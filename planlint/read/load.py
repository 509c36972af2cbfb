"""Read saved plans: files, directories and stdin, in every form AWS tools save them.

Forms: a DescribeProvisionedProductPlan response saved by AWS CLI v1 (epoch numbers),
AWS CLI v2 (ISO 8601 with a local offset) or boto3 with ``json.dumps(default=str)``
(``ResponseMetadata`` and space-separated times); a JSON list of such pages; several
files. Pages of the same PlanId are merged into one plan, in the order given. A problem
with one file is a ``LoadError`` naming the file and where in it; the other files still load.
"""

from __future__ import annotations

import json
import os
import select
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from pydantic import ValidationError

from planlint.model.enums import InputKind
from planlint.model.findings import Location
from planlint.model.plan import Plan
from planlint.read import jsonmap, kinds, nesting
from planlint.read.errors import LoadError as LoadError
from planlint.read.errors import kind_name, validation_error
from planlint.support.files import DEFAULT_MAX_SIZE, PIPE_SECONDS, FileProblem, read_limited, read_pipe, read_regular
from planlint.support.safetext import clean

STDIN = "-"
STDIN_NAME = "<stdin>"


@dataclass(frozen=True)
class Document:
    """A plan document already in memory (a fetched plan): its source name, its text as saved (what
    findings' lines count in) and origin — ``file`` when it was saved as ``name``, ``fetched`` when it
    exists only in memory — and ``value``, the JSON it holds, decoded once by whoever made it (None:
    only the text is known)."""

    name: str
    text: str
    origin: str = "file"
    value: Any = field(default=None, compare=False, repr=False)


@dataclass
class LoadResult:
    plans: list[Plan] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)


@dataclass
class _Page:
    plan: Plan
    path: str
    index: str = ""  # ``[i]``: the page's place in a file that holds a list of pages


def expand(sources: Iterable[str]) -> tuple[list[str], list[LoadError]]:
    """Expand directories into their ``*.json`` files (sorted, symlink loops not followed).

    A file named twice (directly and through a directory, say) is read once.
    """
    paths: list[str] = []
    errors: list[LoadError] = []
    for source in sources:
        if source == STDIN:
            paths.append(STDIN)
        elif os.path.isdir(source):
            found = list(_walk(source))
            if not found:
                errors.append(LoadError(source, "", "directory holds no *.json file"))
            paths.extend(found)
        elif os.path.exists(source):
            paths.append(source)
        else:
            errors.append(LoadError(source, "", "no such file or directory"))
    seen: set[str] = set()
    unique = []
    for path in paths:
        key = path if path == STDIN else os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique, errors


def with_other_pages(paths: list[str]) -> list[str]:
    """``paths`` and the other ``*.json`` files in the directories of its files — where the other
    pages of a plan saved page by page are — in directory order, as ``planlint lint DIR`` reads
    them (so that pages meet in order), each file once. A file there that cannot be read is an
    error: it may be a page of a plan given."""
    files = [p for p in paths if p != STDIN]
    seen = {os.path.realpath(p) for p in files}
    for directory in dict.fromkeys(os.path.dirname(p) for p in files):
        for name in _names(directory or os.curdir):
            path = os.path.join(directory, name)
            if name.endswith(".json") and os.path.isfile(path) and os.path.realpath(path) not in seen:
                seen.add(os.path.realpath(path))
                files.append(path)
    return sorted(files, key=lambda p: Path(p).parts) + [p for p in paths if p == STDIN]


def _names(directory: str) -> list[str]:
    try:
        return os.listdir(directory)
    except OSError:
        return []  # the given file in it says what is wrong


def _of_plans_given(pages: list[_Page], given: list[str]) -> list[_Page]:
    """The pages read from a file in ``given``, and the other pages of the plans (or change sets)
    those hold: a file found beside them that holds another plan is left alone."""
    named = {*given, STDIN_NAME}
    ids = {page.plan.plan_id for page in pages if page.path in named and page.plan.plan_id}
    return [page for page in pages if page.path in named or page.plan.plan_id in ids]


def _walk(top: str) -> Iterator[str]:
    seen: set[str] = set()
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(top, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in seen:
            dirnames[:] = []
            continue
        seen.add(real)
        dirnames.sort()
        found.extend(os.path.join(dirpath, f) for f in filenames if f.endswith(".json"))
    yield from sorted(found, key=lambda p: Path(p).parts)


def load(
    sources: Iterable[str],
    stdin: BinaryIO | None = None,
    documents: Iterable[Document] = (),
    max_size: int = DEFAULT_MAX_SIZE,
    pages_from_dir: bool = False,
    pipe_seconds: float = PIPE_SECONDS,
) -> LoadResult:
    """Load every source — and documents already in memory, such as fetched plans — into
    merged plans; errors are collected, never raised. Only regular files (and stdin) of at most
    ``max_size`` bytes are read, and a pipe named as a source (not one found in a directory) that
    closes within ``pipe_seconds``. ``pages_from_dir``: a file's plan also takes the pages of it in
    the other ``*.json`` files of its directory (see ``with_other_pages``)."""
    sources = list(sources)
    paths, errors = expand(sources)
    named = set(sources)
    result = LoadResult(errors=errors)
    pages: list[_Page] = []
    for path in with_other_pages(paths) if pages_from_dir else paths:
        try:
            pages.extend(_read(path, stdin, max_size, pipe_seconds if path in named else None))
        except _Problem as problem:
            result.errors.append(problem.error)
    if pages_from_dir:
        pages = _of_plans_given(pages, paths)
    for document in documents:
        try:
            pages.extend(_parse(document.text, document.name, document.origin))
        except _Problem as problem:
            result.errors.append(problem.error)
    plans, merge_errors = merge(pages)
    linked, link_errors = nesting.link(plans)
    result.plans.extend(linked)
    result.errors.extend(merge_errors)
    result.errors.extend(link_errors)
    return result


class _Problem(Exception):
    def __init__(self, error: LoadError) -> None:
        super().__init__(str(error))
        self.error = error


def _read(path: str, stdin: BinaryIO | None, max_size: int, pipe_seconds: float | None) -> list[_Page]:
    name = STDIN_NAME if path == STDIN else path
    try:
        if path == STDIN:
            data = _read_stdin(stdin or sys.stdin.buffer, max_size, pipe_seconds or PIPE_SECONDS)
        else:
            data = read_regular(path, max_size, pipe_seconds)
    except FileProblem as problem:
        raise _Problem(LoadError(name, "", str(problem))) from None
    except OSError as exc:
        raise _Problem(LoadError(name, "", f"cannot read: {exc.strerror or exc}")) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _Problem(LoadError(name, f"byte {exc.start}", "not UTF-8 text")) from None
    del data  # the bytes go before the pages are built: a plan can be many megabytes
    return _parse(text, name, "stdin" if path == STDIN else "file")


def _read_stdin(stream: BinaryIO, max_size: int, pipe_seconds: float) -> bytes:
    """stdin: a pipe within ``pipe_seconds``, as a pipe named on the command line; else as it comes."""
    try:
        fd = stream.fileno()
        is_pipe = stat.S_ISFIFO(os.fstat(fd).st_mode) and hasattr(select, "poll")
    except (OSError, ValueError):  # not a descriptor (a test's stream)
        is_pipe = False
    return read_pipe(fd, max_size, pipe_seconds) if is_pipe else read_limited(stream, max_size)


def _parse(text: str, name: str, origin: str) -> list[_Page]:
    if not text.strip():
        raise _Problem(LoadError(name, "", "empty file; expected a DescribeProvisionedProductPlan response"))
    try:
        value, maps = jsonmap.decode(text)
    except json.JSONDecodeError as exc:
        raise _Problem(LoadError(name, f"line {exc.lineno} column {exc.colno}", f"invalid JSON: {exc.msg}")) from None
    except jsonmap.DocumentError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise _Problem(LoadError(name, where, f"{exc.problem}; planlint does not read such a document")) from None
    if isinstance(value, dict):
        return [_page(maps[0], name, "", origin)]
    if isinstance(value, list):
        if not value:
            raise _Problem(LoadError(name, "", "empty list; expected DescribeProvisionedProductPlan responses"))
        if kinds.is_change_list(value):  # the console's "JSON changes": one change set, no details
            page = jsonmap.PageMap(kinds.as_change_set(value), 1, change_lines=[m.line for m in maps])
            return [_page(page, name, "", origin)]
        del value
        pages = []
        for i in range(len(maps)):  # each page's decoded JSON goes once its model is built
            pages.append(_page(maps[i], name, f"[{i}]", origin))
            maps[i] = jsonmap.PageMap(None, 0)
        return pages
    raise _Problem(
        LoadError(name, "", f"expected a DescribeProvisionedProductPlan response (an object), got {kind_name(value)}")
    )


def _page(page: jsonmap.PageMap, name: str, prefix: str, origin: str) -> _Page:
    if not isinstance(page.value, dict):
        raise _Problem(
            LoadError(name, prefix, f"expected a DescribeProvisionedProductPlan response, got {kind_name(page.value)}")
        )
    kind = kinds.kind_of(page.value)
    try:
        if kind is InputKind.PLAN:
            plan = Plan.page(page.value, Location(name, page.details_line or page.line, origin), page.change_lines)
        elif kind is InputKind.CHANGE_SET:
            listed = page.value.get("Changes") is not None
            plan = Plan.from_change_set(page.value, Location(name, page.line, origin), page.change_lines, listed)
        else:
            raise _Problem(LoadError(name, prefix, str(kind)))
    except ValidationError as exc:
        raise _Problem(validation_error(exc, name, prefix)) from None
    return _Page(plan, name, prefix)


def merge(pages: list[_Page]) -> tuple[list[Plan], list[LoadError]]:
    """Merge pages with the same PlanId, in the order given; a page without one stands alone.

    A change set's page joins the one before it with the same ChangeSetId only while that one has
    a NextToken: a complete change set described twice (with and without property values, say)
    is two documents, not two pages of one.
    """
    groups: dict[object, list[_Page]] = {}
    open_chains: dict[str, object] = {}
    for page in pages:
        plan_id = page.plan.plan_id
        if not plan_id:
            key: object = object()
        elif page.plan.kind is InputKind.PLAN:
            key = plan_id
        else:
            key = open_chains.pop(plan_id, None) or object()
            if page.plan.next_page_token:
                open_chains[plan_id] = key
        groups.setdefault(key, []).append(page)
    plans: list[Plan] = []
    errors: list[LoadError] = []
    for group in groups.values():
        try:
            plans.append(_merge_group(group))
        except _Problem as problem:
            errors.append(problem.error)
    return plans, errors


def _merge_group(group: list[_Page]) -> Plan:
    first = group[0].plan
    seen: dict[str, _Page] = {}
    changes = []
    for page in group[1:]:
        differs = page.plan.disagreement(first)
        if differs is not None:
            where, mine, theirs = differs
            values = f" ({clean(mine, 60)} here, {clean(theirs, 60)} there)" if mine else ""
            problem = (
                f"differs from {clean(group[0].path)}{group[0].index}, another page of {first.noun} "
                f"{clean(first.plan_id or '?', 100)}{values}: pages that disagree are not one plan; "
                "was it changing while its pages were saved? Save them again"
            )
            raise _Problem(LoadError(page.path, f"{page.index}.{where}" if page.index else where, problem))
    for page in group:
        for change in page.plan.changes:
            logical_id = change.logical_resource_id
            if logical_id:
                if logical_id in seen:
                    earlier = seen[logical_id]
                    where = f"LogicalResourceId {clean(logical_id, 100)}"
                    also = "earlier in the same page" if earlier is page else f"also in {clean(earlier.path)}"
                    problem = f"appears twice in plan {clean(first.plan_id or '?')} ({also}); was a page given twice?"
                    raise _Problem(LoadError(page.path, where, problem))
                seen[logical_id] = page
            changes.append(change)
    return Plan.merged([page.plan for page in group], changes)
